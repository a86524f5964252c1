package jobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/read"
	"github.com/piimask/piimask/stages/score"
	"github.com/piimask/piimask/stages/taxonomy"
)

// ScoreOptions configure Score: predictions made elsewhere against a gold
// dataset.
type ScoreOptions struct {
	// Gold are the gold dataset files, directories or globs.
	Gold []string
	// Pred is a JSONL or Parquet predictions file (id, spans with code-point
	// start/end/label), or Presidio analyzer results or HF pipeline output
	// (see PredFormat).
	Pred string
	// PredFormat is the predictions' span format: piimask, presidio, hf, or
	// "" to detect it from each span's keys (read.PredictionOptions).
	PredFormat string
	// Schema, Format, TextField and Language say how to read the gold files
	// (read.Options).
	Schema, Format, TextField, Language string
	// LabelMap and PredLabelMap map gold and predicted labels: a shipped
	// map's name (ai4privacy-400k, presidio, to-presidio…) or a JSON file
	// {"FROM": "TO"}; "" = none.
	LabelMap, PredLabelMap string
	// Taxonomy is classes (default) or groups, as the job key.
	Taxonomy string
	// IgnoreLabels are gold labels that count neither right nor wrong.
	IgnoreLabels []string
	// Views are the settings of the pii_spans, groups, characters and
	// tokens views (iou, merge_adjacent); zero fields take the defaults.
	Views score.ViewSettings
	// Out is the directory for metrics.json, doc_counts.jsonl and
	// score_summary.json; "" writes nothing.
	Out string
	// Name is the model name in metrics.json (default: the predictions file's
	// base name).
	Name string
	// Beta is the F-beta reported (default 2).
	Beta float64
	// Bootstrap is the number of bootstrap resamples for intervals (0 = off).
	Bootstrap int
	// Seed seeds the bootstrap.
	Seed int64
}

// ScoreSummary is what Score joined: score_summary.json.
type ScoreSummary struct {
	Gold         []string `json:"gold"`
	Predictions  string   `json:"predictions"`
	GoldDocs     int64    `json:"gold_documents"`
	RowsRejected int64    `json:"gold_rows_rejected"`
	PredRows     int64    `json:"prediction_rows"`
	// Missing counts gold documents without a prediction row, scored as an
	// empty prediction.
	Missing int64 `json:"missing_predictions"`
	// Unknown counts prediction rows whose id is in no gold document; they
	// are not scored. UnknownIDs lists the first few, sorted.
	Unknown    int64    `json:"unknown_ids"`
	UnknownIDs []string `json:"unknown_id_examples,omitempty"`
	// Failures counts prediction rows that carry a failure.
	Failures int64 `json:"prediction_failures"`
	// Positional is set when the prediction rows had no ids and were
	// joined to gold documents by position.
	Positional bool `json:"joined_by_position,omitempty"`
	// UnmappedGold lists gold labels outside the scored label set after
	// mapping (scored as misses), with their span counts.
	UnmappedGold []taxonomy.LabelCount `json:"unmapped_gold_labels,omitempty"`
	// UnmappedPredictions is the same for predicted labels (scored as false
	// positives).
	UnmappedPredictions []taxonomy.LabelCount `json:"unmapped_prediction_labels,omitempty"`
}

// maxUnknownShown bounds the unknown ids listed in the summary.
const maxUnknownShown = 10

// Score joins predictions to gold documents by id, scores every document
// with every schema and returns the report and the join figures. Gold
// documents without predictions count as empty predictions; predictions
// for unknown ids are counted and reported, not scored. A prediction id
// given twice is an error. Prediction rows without ids (bare lists of
// spans, one document a line) are joined by position: row n goes with the
// n-th gold row read, rejected rows included, and the two counts must
// agree. Labels go through the label maps, taxonomy and ignore_labels as
// in an evaluate job, and the gold rows through a job's input path.
func Score(ctx context.Context, opts ScoreOptions, env *Env) (*score.Report, *ScoreSummary, error) {
	env.defaults()
	j, labels, err := scoreJob(opts)
	if err != nil {
		return nil, nil, err
	}
	sum := &ScoreSummary{Gold: opts.Gold, Predictions: opts.Pred}
	preds, err := readScorePredictions(ctx, opts, sum)
	if err != nil {
		return nil, nil, err
	}
	scorer, err := score.NewScorer(opts.Views)
	if err != nil {
		return nil, nil, err
	}
	var docCounts string
	if opts.Out != "" {
		docCounts = filepath.Join(opts.Out, "doc_counts.jsonl")
	}
	acc, err := newScoreAccumulator(scorer, docCounts, opts.Bootstrap > 0)
	if err != nil {
		return nil, nil, err
	}
	defer acc.abort()
	if err := scoreGold(ctx, j, labels, preds, acc, sum); err != nil {
		return nil, nil, err
	}
	preds.summarize(sum)
	sum.UnmappedGold = labels.unmappedGold.Sorted()
	sum.UnmappedPredictions = labels.unmappedPred.Sorted()
	name := opts.Name
	if name == "" {
		name = filepath.Base(opts.Pred)
	}
	spec := metricsSpec{experiment: "score", model: name, beta: opts.Beta, unmappedGold: sum.UnmappedGold}
	if opts.Bootstrap > 0 {
		spec.bootstrap = &score.BootstrapOptions{Iterations: opts.Bootstrap, Seed: uint64(opts.Seed)}
	}
	if opts.Out != "" {
		spec.path = filepath.Join(opts.Out, "metrics.json")
	}
	rep, err := acc.finish(ctx, spec)
	if err != nil {
		return nil, nil, fmt.Errorf("score: %w", err)
	}
	if opts.Out != "" {
		if err := writeJSONFile(filepath.Join(opts.Out, "score_summary.json"), sum); err != nil {
			return nil, nil, fmt.Errorf("score: %w", err)
		}
	}
	return &rep, sum, nil
}

// scoreJob is the job a score run's gold is read and labelled as: its input
// (the gold files, format, schema, text field, language), label maps,
// taxonomy and ignore_labels.
func scoreJob(opts ScoreOptions) (*config.Job, labelSet, error) {
	if len(opts.Gold) == 0 || opts.Pred == "" {
		return nil, labelSet{}, errors.New("score: give the gold data and the predictions")
	}
	j := &config.Job{Kind: "score", Input: config.Input{Paths: opts.Gold, Format: opts.Format, Schema: opts.Schema,
		TextField: opts.TextField, Language: opts.Language}, Taxonomy: opts.Taxonomy, IgnoreLabels: opts.IgnoreLabels}
	if err := readOptions(j).Validate(); err != nil {
		return nil, labelSet{}, err
	}
	goldMap, err := taxonomy.ParseMapArg(opts.LabelMap)
	if err != nil {
		return nil, labelSet{}, fmt.Errorf("score: --label-map: %w", err)
	}
	predMap, err := taxonomy.ParseMapArg(opts.PredLabelMap)
	if err != nil {
		return nil, labelSet{}, fmt.Errorf("score: --pred-label-map: %w", err)
	}
	j.LabelMap = config.LabelMap{Name: goldMap.Name, Map: goldMap.Map}
	j.PredictionLabelMap = config.LabelMap{Name: predMap.Name, Map: predMap.Map}
	labels, err := newLabels(j)
	if err != nil {
		return nil, labelSet{}, fmt.Errorf("score: %w", err)
	}
	return j, labels, nil
}

// predEntry is one prediction row waiting for its gold document.
type predEntry struct {
	spans []record.Span
	row   int64
	used  bool
}

// scorePreds are a predictions file's rows, by id or (rows without ids) by
// position.
type scorePreds struct {
	path  string
	byID  map[string]*predEntry
	byPos []*predEntry
}

// readScorePredictions reads the predictions file, counting its rows and
// failures in sum; an id given twice is an error.
func readScorePredictions(ctx context.Context, opts ScoreOptions, sum *ScoreSummary) (*scorePreds, error) {
	ps := &scorePreds{path: opts.Pred, byID: map[string]*predEntry{}}
	err := read.ReadPredictionsWith(ctx, opts.Pred, read.PredictionOptions{Format: opts.PredFormat}, func(p read.PredictionRow) error {
		sum.PredRows++
		if p.NoID {
			ps.byPos = append(ps.byPos, &predEntry{spans: p.Spans, row: p.Origin.Row})
			return nil
		}
		if prev, dup := ps.byID[p.ID]; dup {
			return fmt.Errorf("%s: field id: id %q given again (first at row %d)", p.Origin, p.ID, prev.row)
		}
		if p.Failure != "" {
			sum.Failures++
		}
		ps.byID[p.ID] = &predEntry{spans: p.Spans, row: p.Origin.Row}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("score: read predictions: %w", err)
	}
	sum.Positional = len(ps.byPos) > 0
	return ps, nil
}

// lookup returns the prediction of the gold document id, read at position
// pos (rejected rows included), and marks it used; ok is false when there
// is none.
func (ps *scorePreds) lookup(id string, pos int64) (spans []record.Span, ok bool) {
	e, ok := ps.byID[id]
	if len(ps.byPos) > 0 {
		e, ok = nil, pos < int64(len(ps.byPos))
		if ok {
			e = ps.byPos[pos]
		}
	}
	if !ok {
		return nil, false
	}
	e.used = true
	return e.spans, true
}

// summarize counts the predictions no gold document used in sum.
func (ps *scorePreds) summarize(sum *ScoreSummary) {
	var unknown []string
	for id, e := range ps.byID {
		if !e.used {
			unknown = append(unknown, id)
		}
	}
	slices.Sort(unknown)
	sum.Unknown = int64(len(unknown))
	sum.UnknownIDs = unknown[:min(len(unknown), maxUnknownShown)]
}

// scoreGold reads the gold rows of j through the job input path (rejected
// rows are counted, not written) and scores each document against its
// prediction. Rows without ids must match the gold rows one for one.
func scoreGold(ctx context.Context, j *config.Job, labels labelSet, preds *scorePreds, acc *scoreAccumulator, sum *ScoreSummary) error {
	var counts inputCounts
	g, err := newRowGate(j, &counts, nil, func(record.Reject) error { return nil })
	if err != nil {
		return err
	}
	err = readGated(ctx, j, g, func(rec record.Record) error {
		sum.GoldDocs++
		// The row just counted is the join position (rejects included).
		spans, ok := preds.lookup(rec.ID, counts.read.Load()-1)
		if !ok {
			sum.Missing++
		}
		rec.Gold, rec.Ignored = labels.goldSpans(rec.Gold)
		return acc.add(rec, labels.predSpans(rec, spans))
	})
	sum.RowsRejected = counts.rejected.Load()
	if err != nil {
		return fmt.Errorf("score: read gold: %w", err)
	}
	if goldRows := counts.read.Load(); sum.Positional && int64(len(preds.byPos)) != goldRows {
		return fmt.Errorf("score: %s has %d rows without ids, joined by position, but the gold has %d rows (%d rejected): give the rows ids, or predictions for every gold row in order",
			preds.path, len(preds.byPos), goldRows, sum.RowsRejected)
	}
	return nil
}

// RunScore scores predictions against gold data and prints the join
// figures, the strict tables and every schema's counts to env.Stdout.
func RunScore(ctx context.Context, opts ScoreOptions, env *Env) error {
	env.defaults()
	rep, sum, err := Score(ctx, opts, env)
	if err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "%d gold documents (%d rows rejected), %d prediction rows\n", sum.GoldDocs, sum.RowsRejected, sum.PredRows)
	if sum.Missing > 0 {
		fmt.Fprintf(w, "%d gold documents have no prediction: scored as empty predictions\n", sum.Missing)
	}
	if sum.Unknown > 0 {
		fmt.Fprintf(w, "%d predictions have an id in no gold document (not scored), e.g. %v\n", sum.Unknown, sum.UnknownIDs)
	}
	if sum.Positional {
		fmt.Fprintf(w, "prediction rows have no ids: joined to the gold rows by position\n")
	}
	if len(sum.UnmappedGold) > 0 {
		fmt.Fprintf(w, "WARNING: %s\n", taxonomy.DescribeUnmapped(sum.UnmappedGold))
	}
	if len(sum.UnmappedPredictions) > 0 {
		var parts []string
		for _, c := range sum.UnmappedPredictions {
			parts = append(parts, fmt.Sprintf("%s (%d)", c.Label, c.Count))
		}
		fmt.Fprintf(w, "WARNING: predicted labels outside the scored label set, scored as false positives: %s — set --pred-label-map\n", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
	if err := score.FormatTable(w, score.NamedReport{Name: rep.ModelName, Report: *rep}); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if err := FormatSchemas(w, rep); err != nil {
		return err
	}
	if opts.Out != "" {
		fmt.Fprintf(w, "\nwrote %s (metrics.json, doc_counts.jsonl, score_summary.json)\n", opts.Out)
	}
	return nil
}

// FormatSchemas prints one row per SemEval-2013 schema: COR, INC, PAR,
// MIS, SPU, precision, recall, F1 and F2.
func FormatSchemas(w io.Writer, rep *score.Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "schema\tCOR\tINC\tPAR\tMIS\tSPU\tprecision\trecall\tF1\tF2")
	for _, sc := range score.Schemas() {
		m := rep.Schemas[sc.String()]
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f\n", sc, m.COR, m.INC, m.PAR, m.MIS, m.SPU, m.Precision, m.Recall, m.F1, m.F2)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write schema table: %w", err)
	}
	return nil
}
