package jobs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/piimask/piimask/internal/metrics"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/read"
	"github.com/piimask/piimask/stages/report"
	"github.com/piimask/piimask/stages/score"
)

// Report file names, written in the output directory.
const (
	ReportHTML     = "report.html"
	ReportMarkdown = "report.md"
)

// reportSettings returns rc with defaults filled in (rc may be nil).
func reportSettings(rc *config.Report) config.Report {
	var s config.Report
	if rc != nil {
		s = *rc
	}
	if s.Examples == 0 {
		s.Examples = config.DefaultReportExamples
	}
	if s.Context <= 0 {
		s.Context = config.DefaultReportContext
	}
	if s.WorstClasses <= 0 {
		s.WorstClasses = config.DefaultReportWorstClasses
	}
	return s
}

// newReportCollector returns the example collector evaluate feeds, or nil
// (whose Add does nothing) when the report or its examples are off.
func newReportCollector(rc *config.Report) *report.Collector {
	s := reportSettings(rc)
	if s.Disabled || s.Examples < 0 {
		return nil
	}
	return report.NewCollector(report.CollectorOptions{PerMethod: s.Examples, Context: s.Context, ShowPII: s.ShowPII})
}

// writeEvaluateReport writes report.html and report.md into an evaluate
// run's output directory from the results just written there and the
// examples collected during the run.
func writeEvaluateReport(ctx context.Context, job *config.Job, env *Env, rc *config.Report, c *report.Collector) error {
	s := reportSettings(rc)
	if s.Disabled {
		return nil
	}
	dir := job.Output.Dir
	methods, err := report.LoadResults(dir)
	if err != nil {
		return err
	}
	return buildReport(ctx, job, env, s, methods, c.Examples(), []string{"results: " + dir})
}

// runReportSection runs the report job (kind: report): it reads one or more
// evaluate result directories, re-reads the job's input to show example
// errors from the saved predictions, and writes report.html and report.md
// into output.dir.
func runReportSection(ctx context.Context, l *config.Loaded, env *Env, rc *config.Report) error {
	job := l.Job
	s := reportSettings(rc)
	dirs := s.Results
	if len(dirs) == 0 {
		dirs = []string{job.Output.Dir}
	}
	var methods []report.Method
	var notes []string
	owner := map[string]string{}
	var sources []predSource
	for _, dir := range dirs {
		ms, err := report.LoadResults(dir)
		if err != nil {
			return fmt.Errorf("%s: report.results: %w", l.File, err)
		}
		for _, m := range ms {
			orig := m.Name
			if len(dirs) > 1 {
				if _, dup := owner[m.Name]; dup || nameInOtherDir(dirs, dir, orig) {
					m.Name = filepath.Base(filepath.Clean(dir)) + "/" + orig
				}
			}
			if prev, dup := owner[m.Name]; dup {
				return fmt.Errorf("%s: report.results: method %q is in both %s and %s", l.File, m.Name, prev, dir)
			}
			owner[m.Name] = dir
			methods = append(methods, m)
			if p := predictionsFile(filepath.Join(dir, orig)); p != "" {
				sources = append(sources, predSource{m.Name, p})
			}
		}
		notes = append(notes, "results: "+dir)
	}
	c, err := collectExamples(ctx, job, s, sources)
	if err != nil {
		return err
	}
	return buildReport(ctx, job, env, s, methods, c.Examples(), notes)
}

// predSource is one method's saved predictions file, for the examples.
type predSource struct {
	name, path string
}

// collectExamples re-reads the job's input and collects example errors
// from the saved predictions; nil (no examples) when they are off or no
// method saved predictions.
func collectExamples(ctx context.Context, job *config.Job, s config.Report, sources []predSource) (*report.Collector, error) {
	if s.Examples <= 0 || len(sources) == 0 {
		return nil, nil
	}
	c := report.NewCollector(report.CollectorOptions{PerMethod: s.Examples, Context: s.Context, ShowPII: s.ShowPII})
	preds := make([]map[string][]record.Span, len(sources))
	for i, src := range sources {
		m := map[string][]record.Span{}
		err := read.ReadPredictions(ctx, src.path, func(p read.PredictionRow) error {
			m[p.ID] = p.Spans
			return nil
		})
		if err != nil {
			return nil, err
		}
		preds[i] = m
	}
	labels := newLabelSet(job)
	err := streamRecords(ctx, job, func(rec record.Record) error {
		rec.Gold = labels.apply(rec.Gold)
		for i, src := range sources {
			if spans, ok := preds[i][rec.ID]; ok {
				c.Add(src.name, rec, spans)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("report: read the input for examples: %w", err)
	}
	return c, nil
}

// nameInOtherDir reports whether a method called name also sits in another
// of the result directories.
func nameInOtherDir(dirs []string, self, name string) bool {
	for _, d := range dirs {
		if d == self {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, name, "metrics.json")); err == nil {
			return true
		}
	}
	return false
}

// predictionsFile returns the predictions file of a method directory that
// read.ReadPredictions can read (JSONL preferred), or "" when none exists.
func predictionsFile(dir string) string {
	for _, name := range []string{"predictions.jsonl", "predictions.parquet"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		} else if !errors.Is(err, fs.ErrNotExist) {
			return ""
		}
	}
	return ""
}

// streamRecords reads the job's input through the job input path (shard,
// filters, input options); rejected rows are skipped, not written (the
// evaluate run that made the results has listed them).
func streamRecords(ctx context.Context, job *config.Job, emit func(record.Record) error) error {
	var counts inputCounts
	g, err := newRowGate(job, &counts, nil, func(record.Reject) error { return nil })
	if err != nil {
		return err
	}
	return readGated(ctx, job, g, emit)
}

func buildReport(ctx context.Context, job *config.Job, env *Env, s config.Report, methods []report.Method, examples []report.Example, notes []string) error {
	title := s.Title
	if title == "" {
		title = job.Name + " — piimask report"
	}
	if s.ShowPII {
		notes = append(notes, "show_pii is on: example errors show the original PII.")
	}
	var sections []report.Section
	for _, path := range s.Bench {
		b, err := metrics.ReadBench(path)
		if err != nil {
			return fmt.Errorf("report.bench: %w", err)
		}
		sec, err := report.BenchSection(b)
		if err != nil {
			return err
		}
		sections = append(sections, sec)
	}
	rep, err := report.Build(ctx, report.Inputs{
		Title: title, Methods: methods, Examples: examples, Notes: notes, WorstClasses: s.WorstClasses, Sections: sections,
		Bootstrap: score.BootstrapOptions{Iterations: job.Scoring.Bootstrap, Seed: uint64(job.Scoring.Seed)},
	})
	if err != nil {
		return err
	}
	dir := job.Output.Dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	htmlPath, mdPath := filepath.Join(dir, ReportHTML), filepath.Join(dir, ReportMarkdown)
	if err := rep.WriteHTML(htmlPath); err != nil {
		return err
	}
	if err := rep.WriteMarkdown(mdPath); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s and %s\n", htmlPath, mdPath)
	return nil
}
