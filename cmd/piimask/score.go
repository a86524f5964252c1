package main

import (
	"github.com/spf13/cobra"

	"github.com/piimask/piimask/jobs"
)

func newScoreCmd(g *globalFlags) *cobra.Command {
	var o jobs.ScoreOptions
	cmd := &cobra.Command{
		Use:   "score --gold GOLD --pred PRED",
		Short: "Score predictions made elsewhere against a gold dataset, with every schema",
		Long: `Score a predictions file (JSONL or Parquet rows with id and spans
{start, end, label}, code-point offsets) against gold data in any supported
schema (AI4Privacy 43k, 200k, 300k/400k, plain). Documents are joined by id:
a gold document without a prediction row is scored as an empty prediction,
and prediction rows whose id is in no gold document are counted and listed,
not scored. Prints strict per-class metrics and the SemEval-2013 schemas
(strict, exact, partial, ent_type); --out writes metrics.json,
doc_counts.jsonl and score_summary.json.`,
		Example: `  piimask score --gold data/validation.parquet --pred my-model.jsonl --out out/my-model
  piimask score --gold 'data/*.jsonl' --schema ai4privacy-400k --pred preds.parquet --bootstrap 1000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			env, err := g.env(cmd)
			if err != nil {
				return err
			}
			return jobs.RunScore(cmd.Context(), o, env)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.Gold, "gold", nil, "gold data: files, directories or globs (repeat or comma-separate)")
	f.StringVar(&o.Pred, "pred", "", "predictions file (.jsonl or .parquet)")
	f.StringVar(&o.Schema, "schema", "auto", "gold schema: auto, ai4privacy-43k, ai4privacy-200k, ai4privacy-400k, plain")
	f.StringVar(&o.Format, "format", "", "gold format: jsonl, parquet, text (default: from the extension)")
	f.StringVar(&o.TextField, "text-field", "", "text column of the plain schema (default text)")
	f.StringVar(&o.Out, "out", "", "directory for metrics.json, doc_counts.jsonl and score_summary.json")
	f.StringVar(&o.Name, "name", "", "model name in metrics.json (default: the predictions file name)")
	f.Float64Var(&o.Beta, "beta", 2, "beta of the F-beta score")
	f.IntVar(&o.Bootstrap, "bootstrap", 0, "bootstrap resamples for confidence intervals (0 = off)")
	f.Int64Var(&o.Seed, "seed", 0, "bootstrap seed")
	_ = cmd.MarkFlagRequired("gold")
	_ = cmd.MarkFlagRequired("pred")
	return cmd
}
