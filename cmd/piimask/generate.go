package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/piimask/piimask/stages/generate"
	"github.com/piimask/piimask/stages/generate/docs"
)

func newGenerateCmd(g *globalFlags) *cobra.Command {
	var (
		n     int
		seed  int64
		langs string
		out   string
		mode  string
		prose string
		clean float64
		kinds string
	)
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Write synthetic AI4Privacy-200k rows (English and French) as JSONL or Parquet",
		Long: `Write seeded, reproducible synthetic rows in the AI4Privacy 200k schema
(source_text, target_text/masked_text with [LABEL_n] placeholders, privacy_mask
with code-point offsets, span_labels, id, language, set). The same seed and
count always give byte-identical output. The format follows the extension of
--out (.jsonl or .parquet).

--mode templates (the default) fills 94 fixed template sentences, every one
full of PII. --mode documents composes realistic documents (e-mails, letters,
tickets, chat logs, forms, CSV and JSON records, server logs, invoices,
medical and HR notes, CVs, meeting notes, prose) that are mostly PII-free
(--clean-share, default 0.88 of the characters); --prose adds PII-free
sentences from a file ("en|fr<TAB>sentence" lines, see scripts/make-prose.sh).`,
		Example: `  piimask generate -n 1000 --seed 42 --out data/synthetic.jsonl
  piimask generate -n 50000 --languages fr --out data/fr.parquet
  piimask generate --mode documents -n 20000 --seed 1 --out data/docs.jsonl --prose out/prose/prose.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("--out is required (a .jsonl or .parquet path)")
			}
			var languages, kindList []string
			if langs != "" {
				languages = strings.Split(langs, ",")
			}
			if kinds != "" {
				kindList = strings.Split(kinds, ",")
			}
			src, err := docs.Open(docs.Options{Mode: mode, Seed: seed, N: n, Languages: languages,
				CleanShare: clean, ProsePath: prose, Kinds: kindList})
			if err != nil {
				return err
			}
			if err := generate.WriteRows(cmd.Context(), out, src); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %d rows to %s\n", n, out)
			return nil
		},
	}
	cmd.Flags().IntVarP(&n, "n", "n", 1000, "number of rows")
	cmd.Flags().Int64Var(&seed, "seed", 42, "random seed")
	cmd.Flags().StringVar(&langs, "languages", "en,fr", "comma-separated languages (en, fr)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "output file (.jsonl or .parquet)")
	cmd.Flags().StringVar(&mode, "mode", docs.ModeTemplates, "templates (200k-style sentences) or documents (realistic, mostly PII-free documents)")
	cmd.Flags().StringVar(&prose, "prose", "", "documents mode: extra PII-free prose file (en|fr<TAB>sentence per line)")
	cmd.Flags().Float64Var(&clean, "clean-share", 0, "documents mode: target share of PII-free characters (0 = 0.88)")
	cmd.Flags().StringVar(&kinds, "kinds", "", "documents mode: comma-separated document kinds (default all: "+strings.Join(docs.Kinds(), ",")+")")
	return cmd
}
