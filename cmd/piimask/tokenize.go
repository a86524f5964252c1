package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/piimask/piimask/labels"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/generate/docs"
	"github.com/piimask/piimask/stages/read"
	"github.com/piimask/piimask/stages/tokenize"
	"github.com/piimask/piimask/stages/tokenize/hf"
	"github.com/piimask/piimask/stages/write"
)

// tokenizedRow is one line of `piimask tokenize` output.
type tokenizedRow struct {
	ID      string   `json:"id"`
	IDs     []int    `json:"ids"`
	Tokens  []string `json:"tokens"`
	Offsets [][2]int `json:"offsets"`
	Labels  []string `json:"labels,omitempty"`
	// Misaligned counts gold span boundaries that fall inside a token.
	Misaligned int `json:"misaligned,omitempty"`
}

func newTokenizeCmd(g *globalFlags) *cobra.Command {
	var (
		tokPath  string
		align    bool
		strategy string
		schema   string
		special  bool
	)
	cmd := &cobra.Command{
		Use:   "tokenize --tokenizer PATH [--align] FILE",
		Short: "Print ids, tokens and code-point offsets (and BIO labels with --align) per row, as JSONL",
		Long: `Tokenize every row of a dataset file (any supported schema) with a Hugging
Face tokenizer.json and print one JSON line per row: ids, tokens, offsets in
Unicode code points and, with --align, the BIO label of every token (special
tokens and ignored sub-tokens get ""). The tool for debugging alignment.`,
		Example: `  piimask tokenize --tokenizer models/baseline --align data/synthetic.jsonl | head -1`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if tokPath == "" {
				return fmt.Errorf("--tokenizer is required (a tokenizer.json or a directory holding one)")
			}
			tok, err := hf.Load(tokPath)
			if err != nil {
				return err
			}
			st, err := tokenize.ParseStrategy(strategy)
			if err != nil {
				return fmt.Errorf("--strategy: %w", err)
			}
			lm := tokenize.NewLabelMap(labels.All())
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetEscapeHTML(false)
			emit := func(r record.Record) error {
				e, err := tok.Encode(r.Text, special)
				if err != nil {
					return fmt.Errorf("%s: %w", r.Origin, err)
				}
				row := tokenizedRow{ID: r.ID, IDs: e.IDs, Tokens: e.Tokens, Offsets: e.Offsets}
				if align {
					ids, diag := tokenize.AlignBIO(e, r.Gold, lm, st)
					row.Labels = tokenize.LabelNames(ids, lm)
					row.Misaligned = diag.BoundaryInsideToken
				}
				return enc.Encode(row)
			}
			reject := func(r record.Reject) error {
				fmt.Fprintf(cmd.ErrOrStderr(), "skipped %s\n", r.Error())
				return nil
			}
			return read.Read(cmd.Context(), []string{args[0]}, read.Options{Schema: schema}, emit, reject)
		},
	}
	cmd.Flags().StringVar(&tokPath, "tokenizer", "", "tokenizer.json file or a directory holding one")
	cmd.Flags().BoolVar(&align, "align", false, "also print the BIO label of every token")
	cmd.Flags().StringVar(&strategy, "strategy", "first_subtoken", "label strategy: first_subtoken or all_subtokens")
	cmd.Flags().StringVar(&schema, "schema", "auto", "input schema: auto, ai4privacy-43k, ai4privacy-200k, ai4privacy-400k, plain")
	cmd.Flags().BoolVar(&special, "special-tokens", true, "add the post-processor's special tokens ([CLS]/[SEP], <s>…)")
	return cmd
}

func newTrainTokenizerCmd(g *globalFlags) *cobra.Command {
	var (
		kind  string
		vocab int
		n     int
		seed  int64
		out   string
		mode  string
		prose string
	)
	cmd := &cobra.Command{
		Use:   "train-tokenizer --out tokenizer.json",
		Short: "Train a WordPiece or byte-fallback BPE tokenizer.json on synthetic data",
		Long: `Train a deterministic tokenizer on the text of n synthetic AI4Privacy rows
(English and French; --mode templates or documents, as in generate) and write a Hugging Face tokenizer.json: a BERT-style
cased WordPiece ([PAD]=0, [UNK], [CLS], [SEP], [MASK]) or a Llama-style
SentencePiece BPE with byte fallback (<unk>, <s>, </s>, <0x00>…<0xFF>).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return fmt.Errorf("--out is required")
			}
			gen, err := docs.Open(docs.Options{Mode: mode, Seed: seed, N: n, ProsePath: prose})
			if err != nil {
				return err
			}
			var texts []string
			for row := range gen.All() {
				texts = append(texts, row.SourceText)
			}
			var data []byte
			switch kind {
			case "wordpiece":
				data, err = hf.TrainWordPiece(texts, vocab, hf.WithContext(cmd.Context()))
			case "bpe":
				data, err = hf.TrainByteFallbackBPE(texts, vocab, hf.WithContext(cmd.Context()))
			default:
				return fmt.Errorf("--kind: want wordpiece or bpe, got %q", kind)
			}
			if err != nil {
				return err
			}
			if err := write.WriteFileAtomic(out, data); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%s, %d texts)\n", out, kind, len(texts))
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "wordpiece", "wordpiece or bpe (byte fallback)")
	cmd.Flags().IntVar(&vocab, "vocab", 8000, "vocabulary size")
	cmd.Flags().IntVarP(&n, "n", "n", 20000, "synthetic rows to train on")
	cmd.Flags().Int64Var(&seed, "seed", 1000, "seed of the synthetic rows")
	cmd.Flags().StringVarP(&out, "out", "o", "", "output tokenizer.json")
	cmd.Flags().StringVar(&mode, "mode", docs.ModeTemplates, "synthetic rows: templates or documents")
	cmd.Flags().StringVar(&prose, "prose", "", "documents mode: extra PII-free prose file (en|fr<TAB>sentence per line)")
	return cmd
}
