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
	"github.com/piimask/piimask/stages/score"
	"github.com/piimask/piimask/stages/taxonomy"
	"github.com/piimask/piimask/stages/write"
)

// methodRun is one method's state during an evaluate run.
type methodRun struct {
	name    string
	method  detect.Method
	preds   write.PredictionWriter
	docFile *write.AtomicFile
	docs    *score.DocCountsWriter
	scorer  *score.Scorer
	counts  *score.Counts
	// strict per-document totals kept for the bootstrap.
	perDoc      []score.DocCounts
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

func runEvaluate(ctx context.Context, l *config.Loaded, env *Env) (err error) {
	job := l.Job
	started := time.Now()
	dir := job.Output.Dir
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
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	in, err := openInput(job, dir)
	if err != nil {
		return err
	}
	in.metrics = env.Metrics
	runs := make([]*methodRun, len(methods))
	abortAll := func() {
		in.rejects.Abort()
		for _, mr := range runs {
			if mr == nil {
				continue
			}
			if mr.preds != nil {
				mr.preds.Abort()
			}
			if mr.docFile != nil {
				mr.docFile.Abort()
			}
		}
	}
	defer func() {
		if err != nil {
			abortAll()
		}
	}()
	for i, m := range methods {
		mdir := filepath.Join(dir, cfgs[i].Name)
		mr := &methodRun{name: cfgs[i].Name, method: m, scorer: scorer, counts: scorer.NewCounts(), diag: map[string]int64{}}
		runs[i] = mr
		ws := make([]write.PredictionWriter, 0, len(formats))
		for _, f := range formats {
			w, werr := write.NewPredictionWriter(filepath.Join(mdir, "predictions"+f.Ext()), f)
			if werr != nil {
				for _, w := range ws {
					w.Abort()
				}
				return werr
			}
			ws = append(ws, w)
		}
		mr.preds = write.Multi(ws...)
		if mr.docFile, err = write.CreateAtomic(filepath.Join(mdir, "doc_counts.jsonl")); err != nil {
			return err
		}
		mr.docs = score.NewDocCountsWriter(mr.docFile)
	}

	batchSize := job.Concurrency.BatchSize
	if batchSize <= 0 {
		batchSize = config.DefaultBatchSize
	}
	workers := job.Concurrency.Workers
	if workers <= 0 {
		workers = config.DefaultWorkers
	}
	bar := newProgress(env, "evaluate", expectedDocuments(job))
	collector := newReportCollector(job.Report)
	r := pipeline.New(detect.WithEvents(ctx, env.Metrics), pipeline.WithObserver(env.Metrics))
	src := pipeline.Source(r, "read", in.produce)
	batches := pipeline.Batch(r, "batch", src, batchSize)
	items := pipeline.Map(r, "start", batches, 1, func(ctx context.Context, recs []record.Record) (*evalItem, error) {
		return &evalItem{recs: recs, preds: make([][]detect.Prediction, len(methods))}, nil
	})
	for i, m := range methods {
		i, m, mr := i, m, runs[i]
		items = pipeline.Map(r, "detect/"+mr.name, items, workers, func(ctx context.Context, it *evalItem) (*evalItem, error) {
			t0 := time.Now()
			preds, derr := m.Detect(ctx, it.recs)
			took := time.Since(t0)
			if derr != nil {
				return nil, fmt.Errorf("method %s: %w", mr.name, derr)
			}
			if len(preds) != len(it.recs) {
				return nil, fmt.Errorf("method %s returned %d predictions for %d documents", mr.name, len(preds), len(it.recs))
			}
			for k := range preds {
				preds[k].Spans = in.predictionSpans(it.recs[k], preds[k].Spans)
				env.Metrics.Prediction(mr.name, &preds[k])
			}
			env.Metrics.Read("detect/"+mr.name, len(preds))
			it.preds[i] = preds
			mr.detectNanos.Add(int64(took))
			return it, nil
		})
	}
	pipeline.Sink(r, "score+write", items, func(ctx context.Context, it *evalItem) error {
		for i, mr := range runs {
			for k, rec := range it.recs {
				p := it.preds[i][k]
				if err := mr.record(rec, p, bootstrapOn(job)); err != nil {
					return err
				}
				collector.Add(mr.name, rec, p.Spans)
			}
		}
		env.Metrics.Written("score+write", len(it.recs))
		bar.Add(len(it.recs))
		return nil
	})
	if err := r.Wait(); err != nil {
		bar.Finish()
		return err
	}
	bar.Finish()
	if err := in.finish(); err != nil {
		return err
	}
	// Commit every output, then derive and write the metrics.
	beta := job.Scoring.Beta
	if beta <= 0 {
		beta = score.DefaultBeta
	}
	var named []score.NamedReport
	summary := Summary{Experiment: job.Name, Kind: job.Kind, StartedAt: started.UTC(),
		RowsRead: in.counts.read.Load(), RowsRejected: in.counts.rejected.Load(), Documents: in.counts.kept.Load()}
	for i, mr := range runs {
		if err := mr.preds.Commit(); err != nil {
			return err
		}
		mr.preds = nil
		if err := mr.docFile.Commit(); err != nil {
			return err
		}
		mr.docFile = nil
		mr.counts.UnmappedGold = unmappedCounts(in.UnmappedGoldLabels())
		rep := mr.counts.Metrics(beta)
		rep.ExperimentName = job.Name
		rep.ModelName = mr.name
		if bootstrapOn(job) {
			ci, berr := score.Bootstrap(ctx, mr.perDoc, score.BootstrapOptions{Iterations: job.Scoring.Bootstrap, Seed: uint64(job.Scoring.Seed), Beta: beta})
			if berr != nil {
				return berr
			}
			ci.Method = mr.name
			rep.ConfidenceIntervals = &ci
		}
		if err := rep.WriteJSON(filepath.Join(dir, mr.name, "metrics.json")); err != nil {
			return err
		}
		named = append(named, score.NamedReport{Name: mr.name, Report: rep})
		ms := mr.summary(cfgs[i].Type)
		ms.Classes = producibleClasses(mr.method, in.labels)
		summary.Methods = append(summary.Methods, ms)
	}
	summary.Methods = append(summary.Methods, skipped...)
	summary.Seconds = time.Since(started).Seconds()
	data, _ := json.MarshalIndent(summary, "", "  ")
	if err := write.WriteFileAtomic(filepath.Join(dir, "summary.json"), append(data, '\n')); err != nil {
		return err
	}
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
	if u := in.UnmappedGoldLabels(); len(u) > 0 {
		fmt.Fprintf(env.Stdout, "\nWARNING: %s\n", taxonomy.DescribeUnmapped(u))
	}
	if err := writeEvaluateReport(ctx, job, env, job.Report, collector); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "\nwrote %s (metrics.json, predictions, doc_counts.jsonl per method; rejects.jsonl; summary.json; report.html, report.md)\n", dir)
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

// record scores one document's prediction and writes its prediction row.
func (mr *methodRun) record(rec record.Record, p detect.Prediction, keepDoc bool) error {
	dc := mr.scorer.Score(rec.Text, rec.Gold, p.Spans, rec.Language)
	dc.ID = rec.ID
	mr.counts.AddDoc(&dc)
	if err := mr.docs.Write(&dc); err != nil {
		return err
	}
	if keepDoc {
		mr.perDoc = append(mr.perDoc, score.DocCounts{Totals: dc.Totals})
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

func (mr *methodRun) summary(typ string) MethodSummary {
	docs := mr.counts.Docs
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
