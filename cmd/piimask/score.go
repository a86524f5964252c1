package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/piimask/piimask/jobs"
	"github.com/piimask/piimask/stages/read"
	"github.com/piimask/piimask/stages/taxonomy"
)

func newScoreCmd(g *globalFlags) *cobra.Command {
	var o jobs.ScoreOptions
	cmd := &cobra.Command{
		Use:   "score --gold GOLD --pred PRED",
		Short: "Score predictions made elsewhere against a gold dataset, with every schema",
		Long: `Score a predictions file against gold data in any supported schema
(AI4Privacy 43k, 200k, 300k/400k, presidio-research, CoNLL, plain).

Predictions (code-point offsets) are JSONL or Parquet, one document a row:
  piimask   {"id", "spans": [{"start", "end", "label", "score"}]}
  presidio  {"id", "results": [{"entity_type", "start", "end", "score"}]}
  hf        {"id", "entities": [{"entity_group" | "entity", "start", "end", "score", "word"}]}
            (token-level "entity" tags with B-/I- prefixes are joined into entities)
--pred-format picks one; without it each span's keys tell. A JSONL line may
also be a bare list of spans with no id: such rows are joined to the gold
rows by position (row n with the n-th gold row, rejected rows included), and
their number must equal the gold's.

Rows with ids are joined by id: a gold document without a prediction row is
scored as an empty prediction, and prediction rows whose id is in no gold
document are counted and listed, not scored. --label-map and
--pred-label-map map gold and predicted labels (a shipped map: ` + strings.Join(taxonomy.MapNames(), ", ") + `;
or a JSON file {"FROM": "TO"}); --taxonomy groups scores entity groups.
Labels left outside the scored label set are counted and printed. Prints
strict per-class metrics and the SemEval-2013 schemas (strict, exact,
partial, ent_type); --out writes metrics.json, doc_counts.jsonl and
score_summary.json.`,
		Example: `  piimask score --gold data/validation.parquet --pred my-model.jsonl --out out/my-model
  piimask score --gold 'data/*.jsonl' --schema ai4privacy-400k --pred preds.parquet --bootstrap 1000
  piimask score --gold synth_dataset_v2.json --label-map presidio --pred presidio-results.jsonl --pred-label-map presidio --taxonomy groups
  piimask score --gold test.conll --language en --pred hf-output.jsonl --pred-format hf --ignore-labels MISC`,
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
	f.StringVar(&o.PredFormat, "pred-format", "", "predictions format: piimask, presidio, hf (default: detected from the spans' keys)")
	f.StringVar(&o.Schema, "schema", "auto", "gold schema: "+strings.Join(read.Schemas(), ", "))
	f.StringVar(&o.Format, "format", "", "gold format: jsonl, parquet, text, conll (default: from the extension)")
	f.StringVar(&o.Language, "language", "", "language of gold documents whose data gives none (CoNLL, presidio-research)")
	f.StringVar(&o.LabelMap, "label-map", "", "map gold labels: a shipped map name or a JSON file {\"FROM\": \"TO\"}")
	f.StringVar(&o.PredLabelMap, "pred-label-map", "", "map predicted labels: a shipped map name (presidio, to-presidio…) or a JSON file")
	f.StringVar(&o.Taxonomy, "taxonomy", "classes", "label set scored: classes or groups (entity groups)")
	f.StringSliceVar(&o.IgnoreLabels, "ignore-labels", nil, "gold labels that count neither right nor wrong (with the predictions overlapping them)")
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
