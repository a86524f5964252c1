package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/piimask/piimask/stages/generate"
)

func newGenerateCmd(g *globalFlags) *cobra.Command {
	var (
		n     int
		seed  int64
		langs string
		out   string
	)
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Write synthetic AI4Privacy-200k rows (English and French) as JSONL or Parquet",
		Long: `Write seeded, reproducible synthetic rows in the AI4Privacy 200k schema
(source_text, target_text/masked_text with [LABEL_n] placeholders, privacy_mask
with code-point offsets, span_labels, id, language, set). The same seed and
count always give byte-identical output. The format follows the extension of
--out (.jsonl or .parquet).`,
		Example: `  piimask generate -n 1000 --seed 42 --out data/synthetic.jsonl
  piimask generate -n 50000 --languages fr --out data/fr.parquet`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("--out is required (a .jsonl or .parquet path)")
			}
			var languages []string
			if langs != "" {
				languages = strings.Split(langs, ",")
			}
			if err := generate.WriteFile(cmd.Context(), out, generate.Config{Seed: seed, N: n, Languages: languages}); err != nil {
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
	return cmd
}
