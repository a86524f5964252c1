package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/pipeline"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/mask"
	"github.com/piimask/piimask/stages/report"
	"github.com/piimask/piimask/stages/score"
	"github.com/piimask/piimask/stages/taxonomy"
	"github.com/piimask/piimask/stages/write"
)

// methodRun is one method's state during an evaluate run.
type methodRun struct {
	name   string
	method detect.Method
	preds  write.PredictionWriter
	// acc holds the method's score counts and writes doc_counts.jsonl and
	// metrics.json.
	acc         *scoreAccumulator
	failures    int64
	diag        map[string]int64
	usage       detect.Usage
	detectNanos atomic.Int64
}

// MethodSummary is one method's run figures in summary.json.
type MethodSummary struct {
	Name          string           `json:"name"`
	Type          string           `json:"type"`
	Documents     int64            `json:"documents"`
	Failures      int64            `json:"failures"`
	Diagnostics   map[string]int64 `json:"diagnostics,omitempty"`
	DetectSeconds float64          `json:"detect_seconds"`
	DocsPerSecond float64          `json:"docs_per_second"`
	PromptTokens  int64            `json:"prompt_tokens,omitempty"`
	OutputTokens  int64            `json:"completion_tokens,omitempty"`
	Requests      int64            `json:"requests,omitempty"`
	CostUSD       float64          `json:"cost_usd,omitempty"`
	Skipped       string           `json:"skipped,omitempty"`
	// Classes are the scored classes the method can produce (its
	// recognizers or its model's labels, through the prediction label map),
	// sorted; absent when the method does not say (LLMs).
	Classes []string `json:"classes,omitempty"`
}

// Summary is summary.json: what an evaluate run read, ran and wrote.
type Summary struct {
	Experiment   string          `json:"experiment_name"`
	Kind         string          `json:"kind"`
	StartedAt    time.Time       `json:"started_at"`
	Seconds      float64         `json:"seconds"`
	RowsRead     int64           `json:"rows_read"`
	RowsRejected int64           `json:"rows_rejected"`
	Documents    int64           `json:"documents"`
	Methods      []MethodSummary `json:"methods"`
}

// evalItem is a batch moving through the detect stages.
type evalItem struct {
	recs  []record.Record
	preds [][]detect.Prediction // [method][doc]
}

func outputFormats(job *config.Job) ([]write.Format, error) {
	names := job.Output.Formats
	if len(names) == 0 {
		names = config.DefaultOutputFormats()
	}
	out := make([]write.Format, 0, len(names))
	for _, n := range names {
		f, err := write.ParseFormat(n)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// buildMethods constructs the job's methods, skipping those whose required
// environment is missing; it is an error when none is left. The caller closes
// them (closeMethods).
func buildMethods(ctx context.Context, l *config.Loaded, env *Env) ([]config.Method, []detect.Method, []MethodSummary, error) {
	var cfgs []config.Method
	var ms []detect.Method
	var skipped []MethodSummary
	for _, mc := range l.Job.Methods {
		if why, skip := l.Skipped[mc.Name]; skip {
			env.Logger.Warn("method skipped", "method", mc.Name, "reason", why)
			skipped = append(skipped, MethodSummary{Name: mc.Name, Type: mc.Type, Skipped: why})
			continue
		}
		m, err := env.Registry.New(ctx, detect.Spec{Name: mc.Name, Type: mc.Type, Options: mc.Options, Labels: l.Job.Labels, Resources: env.Resources()})
		if err != nil {
			for _, done := range ms {
				done.Close()
			}
			return nil, nil, nil, err
		}
		cfgs = append(cfgs, mc)
		ms = append(ms, m)
	}
	if len(ms) == 0 {
		return nil, nil, nil, fmt.Errorf("%s: no method to run (all skipped or none configured)", l.File)
	}
	return cfgs, ms, skipped, nil
}

// closeMethods closes the methods buildMethods made.
func closeMethods(ms []detect.Method) {
	for _, m := range ms {
		m.Close()
	}
}

// evalRun is one evaluate run: its input and, per method, what the method
// writes and counts.
type evalRun struct {
	job     *config.Job
	env     *Env
	dir     string
	cfgs    []config.Method
	skipped []MethodSummary
	in      *input
	runs    []*methodRun
}

func runEvaluate(ctx context.Context, l *config.Loaded, env *Env) (err error) {
	job := l.Job
	started := time.Now()
	formats, err := outputFormats(job)
	if err != nil {
		return err
	}
	scorer, err := newScorer(l)
	if err != nil {
		return err
	}
	cfgs, methods, skipped, err := buildMethods(ctx, l, env)
	if err != nil {
		return err
	}
	defer closeMethods(methods)
	e := &evalRun{job: job, env: env, dir: job.Output.Dir, cfgs: cfgs, skipped: skipped, runs: make([]*methodRun, len(methods))}
	if err := os.MkdirAll(e.dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	if e.in, err = openInput(job, e.dir); err != nil {
		return err
	}
	e.in.metrics = env.Metrics
	defer func() {
		if err != nil {
			e.abort()
		}
	}()
	if err := e.openMethods(methods, scorer, formats); err != nil {
		return err
	}
	collector := newReportCollector(job.Report)
	if err := e.run(ctx, methods, collector); err != nil {
		return err
	}
	if err := e.in.finish(); err != nil {
		return err
	}
	named, summary, err := e.commit(ctx, started)
	if err != nil {
		return err
	}
	return e.print(ctx, named, summary, collector)
}

// abort removes every output the run has not committed.
func (e *evalRun) abort() {
	e.in.rejects.Abort()
	for _, mr := range e.runs {
		mr.abort()
	}
}

// openMethods opens each method's outputs under <dir>/<method>.
func (e *evalRun) openMethods(methods []detect.Method, scorer *score.Scorer, formats []write.Format) error {
	for i, m := range methods {
		mr, err := newMethodRun(e.cfgs[i].Name, m, scorer, filepath.Join(e.dir, e.cfgs[i].Name), formats, bootstrapOn(e.job))
		if err != nil {
			return err
		}
		e.runs[i] = mr
	}
	return nil
}

// run reads, detects with every method, scores and writes every document.
func (e *evalRun) run(ctx context.Context, methods []detect.Method, collector *report.Collector) error {
	job, env := e.job, e.env
	batchSize := job.Concurrency.BatchSize
	if batchSize <= 0 {
		batchSize = config.DefaultBatchSize
	}
	bar := newProgress(env, "evaluate", expectedDocuments(job))
	defer bar.Finish()
	r := pipeline.New(detect.WithEvents(ctx, env.Metrics), pipeline.WithObserver(env.Metrics))
	src := pipeline.Source(r, "read", e.in.produce)
	batches := pipeline.Batch(r, "batch", src, batchSize)
	items := pipeline.Map(r, "start", batches, 1, func(ctx context.Context, recs []record.Record) (*evalItem, error) {
		return &evalItem{recs: recs, preds: make([][]detect.Prediction, len(methods))}, nil
	})
	items = e.detectStages(methods).add(r, items)
	pipeline.Sink(r, "score+write", items, func(ctx context.Context, it *evalItem) error {
		for i, mr := range e.runs {
			for k, rec := range it.recs {
				p := it.preds[i][k]
				if err := mr.record(rec, p); err != nil {
					return err
				}
				collector.Add(mr.name, rec, p.Spans)
			}
		}
		env.Metrics.Written("score+write", len(it.recs))
		bar.Add(len(it.recs))
		return nil
	})
	return r.Wait()
}

// detectStages are the run's detect stages: predictions mapped onto the
// scored label set, kept per method with the time they took.
func (e *evalRun) detectStages(methods []detect.Method) detectStages[*evalItem] {
	names := make([]string, len(e.runs))
	for i, mr := range e.runs {
		names[i] = mr.name
	}
	return detectStages[*evalItem]{
		names: names, methods: methods, workers: jobWorkers(e.job), metrics: e.env.Metrics,
		docs:  func(it *evalItem) []record.Record { return it.recs },
		spans: e.in.predictionSpans,
		keep: func(i int, it *evalItem, preds []detect.Prediction, took time.Duration) {
			e.env.Metrics.Read("detect/"+names[i], len(preds))
			it.preds[i] = preds
			e.runs[i].detectNanos.Add(int64(took))
		},
	}
}

// jobWorkers is the job's concurrency.workers, or the default.
func jobWorkers(job *config.Job) int {
	if w := job.Concurrency.Workers; w > 0 {
		return w
	}
	return config.DefaultWorkers
}

// commit commits every method's outputs, then derives and writes its
// metrics; it returns the reports and the run's summary.
func (e *evalRun) commit(ctx context.Context, started time.Time) ([]score.NamedReport, Summary, error) {
	job, in := e.job, e.in
	beta := job.Scoring.Beta
	if beta <= 0 {
		beta = score.DefaultBeta
	}
	var named []score.NamedReport
	summary := Summary{Experiment: job.Name, Kind: job.Kind, StartedAt: started.UTC(),
		RowsRead: in.counts.read.Load(), RowsRejected: in.counts.rejected.Load(), Documents: in.counts.kept.Load()}
	for i, mr := range e.runs {
		rep, err := mr.finish(ctx, job, beta, in.UnmappedGoldLabels())
		if err != nil {
			return nil, summary, err
		}
		named = append(named, score.NamedReport{Name: mr.name, Report: rep})
		ms := mr.summary(e.cfgs[i].Type)
		ms.Classes = producibleClasses(mr.method, in.labels)
		summary.Methods = append(summary.Methods, ms)
	}
	summary.Methods = append(summary.Methods, e.skipped...)
	summary.Seconds = time.Since(started).Seconds()
	data, _ := json.MarshalIndent(summary, "", "  ")
	if err := write.WriteFileAtomic(filepath.Join(e.dir, "summary.json"), append(data, '\n')); err != nil {
		return nil, summary, err
	}
	return named, summary, nil
}

// print writes the run's table and warnings to stdout, then the report.
func (e *evalRun) print(ctx context.Context, named []score.NamedReport, summary Summary, collector *report.Collector) error {
	job, env := e.job, e.env
	fmt.Fprintf(env.Stdout, "%s: %d documents (%d rows read, %d rejected) in %.1fs\n\n",
		job.Name, summary.Documents, summary.RowsRead, summary.RowsRejected, summary.Seconds)
	if err := score.FormatTable(env.Stdout, named...); err != nil {
		return err
	}
	for _, s := range summary.Methods {
		if s.Skipped != "" {
			fmt.Fprintf(env.Stdout, "\nmethod %s skipped: %s\n", s.Name, s.Skipped)
		}
	}
	if u := e.in.UnmappedGoldLabels(); len(u) > 0 {
		fmt.Fprintf(env.Stdout, "\nWARNING: %s\n", taxonomy.DescribeUnmapped(u))
	}
	if err := writeEvaluateReport(ctx, job, env, job.Report, collector); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "\nwrote %s (metrics.json, predictions, doc_counts.jsonl per method; rejects.jsonl; summary.json; report.html, report.md)\n", e.dir)
	return nil
}

func bootstrapOn(job *config.Job) bool { return job.Scoring.Bootstrap > 0 }

// producibleClasses lists the scored classes a method can produce: those of
// a method that names its classes (EnabledClasses, e.g. rules) or of a
// token classifier's BIO labels (Labels, e.g. onnx), mapped as its
// predictions are; nil when the method does not say.
func producibleClasses(m detect.Method, ls labelSet) []string {
	var raw []string
	switch v := m.(type) {
	case interface{ EnabledClasses() []string }:
		raw = v.EnabledClasses()
	case interface{ Labels() []string }:
		for _, l := range v.Labels() {
			if l == "O" || l == "" {
				continue
			}
			if len(l) > 2 && l[1] == '-' && strings.ContainsRune("BIES", rune(l[0])) {
				l = l[2:]
			}
			raw = append(raw, l)
		}
	default:
		return nil
	}
	set := map[string]bool{}
	for _, l := range raw {
		mapped, _ := ls.pred.Map(l)
		if ls.keep != nil && !ls.keep[mapped] {
			continue
		}
		set[mapped] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// unmappedCounts turns label counts into the map metrics.json holds (nil
// when there is none).
func unmappedCounts(u []taxonomy.LabelCount) map[string]int64 {
	if len(u) == 0 {
		return nil
	}
	out := make(map[string]int64, len(u))
	for _, lc := range u {
		out[lc.Label] = lc.Count
	}
	return out
}

// newScorer returns the scorer of the job's scoring section (iou,
// merge_adjacent).
func newScorer(l *config.Loaded) (*score.Scorer, error) {
	s, err := score.NewScorer(score.ViewSettings{IoU: l.Job.Scoring.IoU, MergeAdjacent: l.Job.Scoring.MergeAdjacent})
	if err != nil {
		return nil, fmt.Errorf("%s: scoring: %w", l.File, err)
	}
	return s, nil
}

// newMethodRun opens a method's outputs in mdir: its predictions in every
// format and its doc_counts.jsonl (keepDocs: per-document totals kept for
// the bootstrap).
func newMethodRun(name string, m detect.Method, scorer *score.Scorer, mdir string, formats []write.Format, keepDocs bool) (*methodRun, error) {
	ws := make([]write.PredictionWriter, 0, len(formats))
	for _, f := range formats {
		w, err := write.NewPredictionWriter(filepath.Join(mdir, "predictions"+f.Ext()), f)
		if err != nil {
			for _, w := range ws {
				w.Abort()
			}
			return nil, err
		}
		ws = append(ws, w)
	}
	mr := &methodRun{name: name, method: m, preds: write.Multi(ws...), diag: map[string]int64{}}
	acc, err := newScoreAccumulator(scorer, filepath.Join(mdir, "doc_counts.jsonl"), keepDocs)
	if err != nil {
		mr.preds.Abort()
		return nil, err
	}
	mr.acc = acc
	return mr, nil
}

// abort discards the outputs not yet committed (mr may be nil).
func (mr *methodRun) abort() {
	if mr == nil {
		return
	}
	if mr.preds != nil {
		mr.preds.Abort()
		mr.preds = nil
	}
	mr.acc.abort()
}

// finish commits the method's predictions and doc_counts.jsonl and writes
// its metrics.json (unmapped: the gold labels outside the scored set).
func (mr *methodRun) finish(ctx context.Context, job *config.Job, beta float64, unmapped []taxonomy.LabelCount) (score.Report, error) {
	if err := mr.preds.Commit(); err != nil {
		return score.Report{}, err
	}
	mr.preds = nil
	spec := metricsSpec{experiment: job.Name, model: mr.name, beta: beta, unmappedGold: unmapped,
		path: filepath.Join(job.Output.Dir, mr.name, "metrics.json")}
	if bootstrapOn(job) {
		spec.bootstrap = &score.BootstrapOptions{Iterations: job.Scoring.Bootstrap, Seed: uint64(job.Scoring.Seed), Beta: beta}
	}
	return mr.acc.finish(ctx, spec)
}

// record scores one document's prediction and writes its prediction row.
func (mr *methodRun) record(rec record.Record, p detect.Prediction) error {
	if err := mr.acc.add(rec, p.Spans); err != nil {
		return err
	}
	if p.Failure != "" {
		mr.failures++
	}
	for k, v := range p.Diagnostics {
		mr.diag[k] += int64(v)
	}
	mr.usage.PromptTokens += p.Usage.PromptTokens
	mr.usage.CompletionTokens += p.Usage.CompletionTokens
	mr.usage.Requests += p.Usage.Requests
	mr.usage.CostUSD += p.Usage.CostUSD
	row := write.PredictionRow{ID: rec.ID, Method: mr.name, Language: rec.Language, Failure: p.Failure,
		MaskedText: mask.Placeholder(rec.Text, p.Spans)}
	row.Spans = make([]write.PredSpan, len(p.Spans))
	for i, s := range p.Spans {
		row.Spans[i] = write.PredSpan{Start: int64(s.Start), End: int64(s.End), Label: s.Label, Score: s.Score}
	}
	return mr.preds.Write(row)
}

// summary is the method's run figures for summary.json.
func (mr *methodRun) summary(typ string) MethodSummary {
	docs := mr.acc.counts.Docs
	s := MethodSummary{Name: mr.name, Type: typ, Documents: docs, Failures: mr.failures,
		DetectSeconds: time.Duration(mr.detectNanos.Load()).Seconds(), PromptTokens: mr.usage.PromptTokens,
		OutputTokens: mr.usage.CompletionTokens, Requests: mr.usage.Requests, CostUSD: mr.usage.CostUSD}
	if len(mr.diag) > 0 {
		s.Diagnostics = mr.diag
	}
	if s.DetectSeconds > 0 {
		s.DocsPerSecond = float64(docs) / s.DetectSeconds
	}
	return s
}
