package jobs

// The one input path. Every job kind that reads documents reads them here,
// so discovery, formats, schemas, filters, sharding, rejects and the reject
// ratio behave the same in evaluate, calibrate, prepare, bench, mask, score
// and report:
//
//   - discovery: input.paths through read.Expand (files, directories,
//     globs with **), or input.generate (generateRecords);
//   - formats and schemas: readOptions (input.format, schema, text_field,
//     language);
//   - rowGate: shard ownership, the read/rejected counts and metrics, the
//     filters (languages, sample, limit) and the rejects file;
//   - checkRejectRatio: max_reject_ratio over the gate's counts.
//
// The entry points: openInput, (*input).produce and (*input).finish
// (evaluate, calibrate, prepare, bench: rejects.jsonl in the output
// directory, gold labels mapped); newRowGate and readGated (the score
// command's gold and the report job's examples, whose rejects were listed by
// the run that made the predictions); newRowGate with the mask job's own
// per-file reader (it keeps every column, reads PDFs and resumes), then
// checkRejectRatio. Object-storage inputs are staged to local files before
// the job runs (internal/storage). The kinds that read no rows (train, and
// finetune, which uploads its files as they are) refuse these keys at load,
// at the key's line (jobs/config unreadInputKeys).

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"

	"github.com/piimask/piimask/internal/metrics"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/read"
	"github.com/piimask/piimask/stages/taxonomy"
	"github.com/piimask/piimask/stages/write"
)

// inputCounts are the reader's figures for the run summary.
type inputCounts struct {
	read     atomic.Int64
	rejected atomic.Int64
	kept     atomic.Int64
}

// input is a job's document source plus its rejects file.
type input struct {
	job     *config.Job
	counts  inputCounts
	rejects *write.JSONLWriter[record.Reject]
	labels  labelSet
	// metrics counts rows read and rejected (nil: none).
	metrics *metrics.Metrics
}

// openInput prepares the job's input; rejects go to dir/rejects.jsonl.
func openInput(job *config.Job, dir string) (*input, error) {
	rej, err := write.NewJSONL[record.Reject](filepath.Join(dir, "rejects.jsonl"))
	if err != nil {
		return nil, err
	}
	ls, err := newLabels(job)
	if err != nil {
		rej.Abort()
		return nil, err
	}
	return &input{job: job, rejects: rej, labels: ls}, nil
}

// produce streams the job's records, filtered and with their gold labels
// mapped, to emit. It is a pipeline source function.
func (in *input) produce(ctx context.Context, emit func(record.Record) error) error {
	g, err := newRowGate(in.job, &in.counts, in.metrics, in.rejects.Write)
	if err != nil {
		return err
	}
	return readGated(ctx, in.job, g, func(r record.Record) error {
		r.Gold, r.Ignored = in.labels.goldSpans(r.Gold)
		in.counts.kept.Add(1)
		return emit(r)
	})
}

// readGated streams job j's input rows (its generator, or its files found
// by read.Expand and read with readOptions) through gate g: shard, counts,
// filters and rejects. produce reads this way, as do the score command's
// gold and the report job's examples; a filters.limit stop is not an error.
func readGated(ctx context.Context, j *config.Job, g *rowGate, emit func(record.Record) error) error {
	row := func(r record.Record) error { return g.row(r, emit) }
	var err error
	if gen := j.Input.Generate; gen != nil {
		err = generateRecords(ctx, gen, row)
	} else {
		var paths []string
		if paths, err = read.Expand(j.Input.Paths); err != nil {
			return err
		}
		err = read.Read(ctx, paths, readOptions(j), row, g.reject)
	}
	if errors.Is(err, read.ErrStop) {
		return nil
	}
	return err
}

// rowGate is the one path every job's input rows take, whatever reads them
// (readGated for evaluate, prepare, calibrate, bench, score and report; the
// mask job's own per-file reader): shard ownership, the read/rejected counts and metrics,
// the job's filters (languages, sample, limit) and the rejects file.
// checkRejectRatio then applies max_reject_ratio to its counts. A gate is
// used by one reading goroutine.
type rowGate struct {
	shard   Shard
	counts  *inputCounts
	metrics *metrics.Metrics
	// filtered is the job's filter wrapped around next; next is set by row.
	filtered    func(record.Record) error
	next        func(record.Record) error
	writeReject func(record.Reject) error
}

// newRowGate builds the gate of job j; rejected rows go to writeReject.
func newRowGate(j *config.Job, counts *inputCounts, m *metrics.Metrics, writeReject func(record.Reject) error) (*rowGate, error) {
	f := read.Filter{Languages: j.Filters.Languages, Limit: j.Filters.Limit}
	if s := j.Filters.Sample; s != nil {
		f.SampleRate, f.Seed = s.Rate, s.Seed
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	g := &rowGate{shard: jobShard(j), counts: counts, metrics: m, writeReject: writeReject}
	g.filtered = f.Wrap(func(r record.Record) error { return g.next(r) })
	return g, nil
}

// row passes r on to emit when this shard owns it and the filters keep it;
// it returns read.ErrStop once filters.limit documents were kept.
func (g *rowGate) row(r record.Record, emit func(record.Record) error) error {
	// A sharded run reads only the rows its shard owns (by id, or by origin
	// for a reject without one); the other shards count the rest.
	if !g.shard.Owns(shardKey(r.ID, r.Origin)) {
		return nil
	}
	return g.owned(r, emit)
}

// owned is row for a record whose shard the caller has decided (the pages
// of a PDF the shard owns).
func (g *rowGate) owned(r record.Record, emit func(record.Record) error) error {
	g.counts.read.Add(1)
	g.metrics.Read(metrics.StageRead, 1)
	g.next = emit
	return g.filtered(r)
}

// reject counts and writes a rejected row this shard owns.
func (g *rowGate) reject(r record.Reject) error {
	if !g.shard.Owns(shardKey(r.ID, r.Origin)) {
		return nil
	}
	g.counts.read.Add(1)
	g.counts.rejected.Add(1)
	g.metrics.Read(metrics.StageRead, 1)
	g.metrics.Rejected(metrics.StageRead, 1)
	return g.writeReject(r)
}

// checkRejectRatio fails when the rejected share of the rows read exceeds
// the job's max_reject_ratio (0: never); rejectsPath names the rejects file.
func checkRejectRatio(j *config.Job, counts *inputCounts, rejectsPath string) error {
	read, rej := counts.read.Load(), counts.rejected.Load()
	if max := j.MaxRejectRatio; max > 0 && read > 0 && float64(rej)/float64(read) > max {
		return fmt.Errorf("%d of %d input rows rejected (%.1f%%), above max_reject_ratio %.1f%%: see %s",
			rej, read, 100*float64(rej)/float64(read), 100*max, rejectsPath)
	}
	return nil
}

// readOptions are the reader options of the job's input section.
func readOptions(j *config.Job) read.Options {
	format := j.Input.Format
	if format == read.SchemaAuto {
		format = ""
	}
	return read.Options{Format: format, Schema: j.Input.Schema, TextField: j.Input.TextField, Language: j.Input.Language}
}

// shardKey is what assigns a row to a shard: its id, or where it came from.
func shardKey(id string, o record.Origin) string {
	if id != "" {
		return id
	}
	return o.String()
}

// finish commits the rejects file and checks the reject ratio.
func (in *input) finish() error {
	if err := in.rejects.Commit(); err != nil {
		return err
	}
	return checkRejectRatio(in.job, &in.counts, in.rejects.Path())
}

// labelSet maps gold and predicted labels onto the scored label set
// (label_map, prediction_label_map, taxonomy), sets ignored gold spans
// aside (ignore_labels) and keeps the job's label set (labels). It counts
// the labels left outside the scored set.
type labelSet struct {
	gold, pred *taxonomy.Mapper
	keep       map[string]bool
	ignore     map[string]bool
	// unmappedGold and unmappedPred count spans whose label is outside the
	// scored label set after mapping.
	unmappedGold, unmappedPred *taxonomy.Counter
}

// newLabels builds the job's label handling. A mapping label_map also maps
// predictions when prediction_label_map is not given (as before names were
// accepted); a named one maps gold only.
func newLabels(j *config.Job) (labelSet, error) {
	predSpec := j.PredictionLabelMap.Spec()
	if j.PredictionLabelMap.IsZero() && j.LabelMap.Name == "" {
		predSpec = j.LabelMap.Spec()
	}
	g, p, err := taxonomy.NewMappers(j.LabelMap.Spec(), predSpec, j.Taxonomy)
	if err != nil {
		return labelSet{}, fmt.Errorf("label maps: %w", err)
	}
	ls := labelSet{gold: g, pred: p, unmappedGold: &taxonomy.Counter{}, unmappedPred: &taxonomy.Counter{}}
	if len(j.Labels) > 0 {
		ls.keep = map[string]bool{}
		for _, l := range j.Labels {
			ls.keep[l] = true
		}
	}
	if len(j.IgnoreLabels) > 0 {
		ls.ignore = map[string]bool{}
		for _, l := range j.IgnoreLabels {
			ls.ignore[l] = true
		}
	}
	return ls, nil
}

// newLabelSet is newLabels for callers that only map gold spans of a
// validated config (whose maps config.Load has checked); a map that cannot
// be built leaves labels as they are.
func newLabelSet(j *config.Job) labelSet {
	ls, err := newLabels(j)
	if err != nil {
		g, p, _ := taxonomy.NewMappers(taxonomy.MapSpec{}, taxonomy.MapSpec{}, "")
		ls = labelSet{gold: g, pred: p, unmappedGold: &taxonomy.Counter{}, unmappedPred: &taxonomy.Counter{}}
	}
	return ls
}

// apply maps gold spans (see goldSpans) and drops the ignored ones.
func (ls labelSet) apply(spans []record.Span) []record.Span {
	kept, _ := ls.goldSpans(spans)
	return kept
}

// goldSpans sets aside the ignored gold spans, maps the others and keeps
// those in the job's label set. A span whose label is outside the scored
// set keeps its label and is counted in unmappedGold: it is scored as a
// miss, never dropped silently.
func (ls labelSet) goldSpans(spans []record.Span) (kept, ignored []record.Span) {
	kept, ignored = taxonomy.SplitIgnored(spans, ls.ignore, func(l string) string {
		out, _ := ls.gold.Map(l)
		return out
	})
	if len(kept) == 0 {
		return kept, ignored
	}
	out := kept[:0:0]
	for _, s := range kept {
		label, ok := ls.gold.Map(s.Label)
		if !ok {
			ls.unmappedGold.Add(s.Label)
		}
		s.Label = label
		if ls.keep != nil && !ls.keep[s.Label] {
			continue
		}
		out = append(out, s)
	}
	return out, ignored
}

// predSpans maps a method's spans for a document, drops those overlapping
// the document's ignored gold spans and keeps those in the job's label set.
func (ls labelSet) predSpans(rec record.Record, spans []record.Span) []record.Span {
	spans = taxonomy.DropOverlapping(spans, rec.Ignored)
	if len(spans) == 0 {
		return spans
	}
	out := spans[:0:0]
	for _, s := range spans {
		label, ok := ls.pred.Map(s.Label)
		if !ok {
			ls.unmappedPred.Add(s.Label)
		}
		s.Label = label
		if ls.keep != nil && !ls.keep[s.Label] {
			continue
		}
		out = append(out, s)
	}
	return out
}

// predictionSpans maps one method's spans for rec onto the scored label set
// (prediction_label_map, taxonomy, ignore_labels, labels). Evaluate calls
// it on every method's output.
func (in *input) predictionSpans(rec record.Record, spans []record.Span) []record.Span {
	return in.labels.predSpans(rec, spans)
}

// UnmappedGoldLabels returns the gold labels left outside the scored label
// set after mapping (not 200k classes, or not entity groups with taxonomy:
// groups), with how many spans carried each, sorted by label; nil when
// every gold label was mapped. Those spans are scored as misses.
func (in *input) UnmappedGoldLabels() []taxonomy.LabelCount {
	return in.labels.unmappedGold.Sorted()
}

// UnmappedPredictionLabels is UnmappedGoldLabels for the predicted spans of
// every method together (they are scored as false positives).
func (in *input) UnmappedPredictionLabels() []taxonomy.LabelCount {
	return in.labels.unmappedPred.Sorted()
}
