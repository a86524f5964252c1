package report

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/piimask/piimask/stages/score"
)

// RunStats are one method's run figures (from an evaluate run's summary.json).
type RunStats struct {
	Type          string  `json:"type"`
	Documents     int64   `json:"documents"`
	Failures      int64   `json:"failures"`
	DetectSeconds float64 `json:"detect_seconds"`
	DocsPerSecond float64 `json:"docs_per_second"`
	CostUSD       float64 `json:"cost_usd"`
	// Classes are the classes the method can produce; nil when unknown.
	Classes []string `json:"classes"`
}

// CostPer1k is the cost in USD per 1,000 documents (0 without documents).
func (s RunStats) CostPer1k() float64 {
	if s.Documents == 0 {
		return 0
	}
	return s.CostUSD / float64(s.Documents) * 1000
}

// Method is one evaluated method: its metrics, run figures and, for paired
// tests and intervals, its per-document counts.
type Method struct {
	Name    string
	Metrics score.Report
	// Stats is nil when no summary.json was found.
	Stats *RunStats
	// DocCounts are the per-document counts (doc_counts.jsonl), in the same
	// document order for every method of a run; nil when absent.
	DocCounts []score.DocCounts
}

// Section is an optional extra section appended after the built-in ones
// (the extension point for, e.g., benchmark results). HTML is trusted markup
// placed as is; Markdown is placed as is in the summary.
type Section struct {
	ID       string
	Title    string
	HTML     template.HTML
	Markdown string
}

// Inputs is everything a report is built from.
type Inputs struct {
	// Title heads the report (e.g. the experiment name).
	Title string
	// Methods are the evaluated methods, in table order.
	Methods []Method
	// Examples are collected errors (Collector.Examples); may be empty.
	Examples []Example
	// Bootstrap configures paired tests and the intervals computed for
	// methods whose metrics carry none (zero fields: score's defaults).
	Bootstrap score.BootstrapOptions
	// WorstClasses is the number of worst classes listed per method
	// (default 5).
	WorstClasses int
	// Notes are short lines shown under the title (e.g. data source).
	Notes []string
	// Sections are optional extra sections.
	Sections []Section
}

// MethodRow is one row of the method-comparison table.
type MethodRow struct {
	Name                string
	Precision, Recall   float64
	F1, F2              float64
	CI                  *score.ConfidenceIntervals
	F2CI                *score.Interval
	MacroF1             float64
	LeakRate            float64
	Documents           int64
	Stats               *RunStats
	Support, Predicted  int64
	ExactMatchAccuracy  float64
	Failures            int64
	HasStats, HasCounts bool
	// PII is the label-agnostic span view, nil when the metrics have none;
	// OverMaskRate is set when HasCharacters.
	PII           *score.PIISpanMetrics
	OverMaskRate  float64
	HasCharacters bool
}

// ClassRow is one class: its gold support and each method's strict F1
// (same order as Report.Methods; NaN when the method never saw the class or
// cannot produce it).
type ClassRow struct {
	Label   string
	Support int64
	F1      []float64
	// Cannot marks, per method, a class the method cannot produce (from
	// RunStats.Classes); its F1 is NaN, shown grey "–".
	Cannot []bool
}

// WorstClass is one of a method's weakest classes.
type WorstClass struct {
	Label             string
	F1                float64
	Precision, Recall float64
	Support           int64
	Predicted         int64
	// ConfusedWith is the label this class's gold spans most often overlap
	// in predictions (or MISSED), with the count.
	ConfusedWith string
	ConfusedN    int64
}

// Pair is a paired bootstrap test between two methods.
type Pair struct {
	A, B   string
	Result score.PairedResult
	// Skipped says why no test was run (different documents, no counts).
	Skipped string
}

// Report is a built report, ready to write.
type Report struct {
	Title    string
	Notes    []string
	Methods  []MethodRow
	Classes  []ClassRow
	Worst    map[string][]WorstClass
	Pairs    []Pair
	Examples []Example
	Sections []Section
	// Charts hold the inline SVG of each chart.
	Charts Charts
	// Colors are the method colours in the charts, by method index.
	Colors []string
	// Views are the tables of the label-agnostic, group, character, token,
	// per-language and nervaluate views (views.go).
	Views Views
}

// Build derives every table and chart of the report.
func Build(ctx context.Context, in Inputs) (*Report, error) {
	if len(in.Methods) == 0 {
		return nil, errors.New("report: no method to report on")
	}
	names := map[string]bool{}
	for _, m := range in.Methods {
		if names[m.Name] {
			return nil, fmt.Errorf("report: method %q appears twice", m.Name)
		}
		names[m.Name] = true
	}
	worstN := in.WorstClasses
	if worstN <= 0 {
		worstN = 5
	}
	r := &Report{Title: in.Title, Notes: in.Notes, Examples: in.Examples, Sections: in.Sections, Worst: map[string][]WorstClass{}}
	if r.Title == "" {
		r.Title = "piimask evaluation report"
	}
	for _, m := range in.Methods {
		row, err := methodRow(ctx, m, in.Bootstrap)
		if err != nil {
			return nil, err
		}
		r.Methods = append(r.Methods, row)
		r.Worst[m.Name] = worstClasses(m, worstN)
	}
	r.Classes = classRows(in.Methods)
	r.Views = buildViews(in.Methods)
	for i := range in.Methods {
		for j := i + 1; j < len(in.Methods); j++ {
			p, err := pair(ctx, in.Methods[i], in.Methods[j], in.Bootstrap)
			if err != nil {
				return nil, err
			}
			r.Pairs = append(r.Pairs, p)
		}
	}
	for i := range in.Methods {
		r.Colors = append(r.Colors, hexColor(methodColor(i)))
	}
	charts, err := drawCharts(r)
	if err != nil {
		return nil, err
	}
	r.Charts = charts
	return r, nil
}

func methodRow(ctx context.Context, m Method, opts score.BootstrapOptions) (MethodRow, error) {
	g := m.Metrics.Metrics
	row := MethodRow{Name: m.Name, Precision: g.Precision, Recall: g.Recall, F1: g.F1, F2: g.F2,
		MacroF1: m.Metrics.Macro.F1, LeakRate: m.Metrics.LeakRate, Documents: m.Metrics.Documents,
		Stats: m.Stats, Support: g.Support, Predicted: g.Predicted, ExactMatchAccuracy: g.ExactMatchAccuracy,
		HasStats: m.Stats != nil, HasCounts: len(m.DocCounts) > 0, CI: m.Metrics.ConfidenceIntervals}
	if m.Stats != nil {
		row.Failures = m.Stats.Failures
	}
	row.PII = m.Metrics.PIISpans
	if ch := m.Metrics.Characters; ch != nil {
		row.OverMaskRate, row.HasCharacters = ch.OverMaskRate, true
	}
	if row.CI == nil && len(m.DocCounts) > 0 {
		o := opts
		o.Beta = 2
		ci, err := score.Bootstrap(ctx, m.DocCounts, o)
		if err != nil {
			return row, fmt.Errorf("report: method %s: %w", m.Name, err)
		}
		row.CI = &ci
	}
	if row.CI != nil && row.CI.Beta == 2 {
		f2 := row.CI.FBeta
		row.F2CI = &f2
	}
	return row, nil
}

// cannotProduce reports whether the method's run says it cannot produce
// label (false when the run does not list its classes).
func cannotProduce(m Method, label string) bool {
	return m.Stats != nil && m.Stats.Classes != nil && !slices.Contains(m.Stats.Classes, label)
}

// worstClasses lists the method's n weakest classes with gold support,
// leaving out those it cannot produce and never predicted (their F1 is 0 by
// construction and says nothing new).
func worstClasses(m Method, n int) []WorstClass {
	rep := m.Metrics
	var out []WorstClass
	for label, c := range rep.PerClass {
		if c.Support == 0 || (c.Predicted == 0 && cannotProduce(m, label)) {
			continue
		}
		w := WorstClass{Label: label, F1: c.F1, Precision: c.Precision, Recall: c.Recall, Support: c.Support, Predicted: c.Predicted}
		if rep.Counts != nil {
			for pred, k := range rep.Counts.Confusion[label] {
				if pred == label {
					continue
				}
				if k > w.ConfusedN || (k == w.ConfusedN && pred < w.ConfusedWith) {
					w.ConfusedWith, w.ConfusedN = pred, k
				}
			}
		}
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b WorstClass) int {
		return cmp.Or(cmp.Compare(a.F1, b.F1), cmp.Compare(b.Support, a.Support), cmp.Compare(a.Label, b.Label))
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// classRows lists every class seen by any method, sorted by label, with the
// largest gold support any method reports (all equal on the same data).
func classRows(methods []Method) []ClassRow {
	set := map[string]bool{}
	for _, m := range methods {
		for label := range m.Metrics.PerClass {
			set[label] = true
		}
	}
	var out []ClassRow
	for _, label := range slices.Sorted(maps.Keys(set)) {
		row := ClassRow{Label: label}
		for _, m := range methods {
			c, ok := m.Metrics.PerClass[label]
			cannot := cannotProduce(m, label) && c.Predicted == 0
			row.Cannot = append(row.Cannot, cannot)
			if !ok || cannot {
				row.F1 = append(row.F1, nan)
				if ok {
					row.Support = max(row.Support, c.Support)
				}
				continue
			}
			row.F1 = append(row.F1, c.F1)
			row.Support = max(row.Support, c.Support)
		}
		out = append(out, row)
	}
	return out
}

func pair(ctx context.Context, a, b Method, opts score.BootstrapOptions) (Pair, error) {
	p := Pair{A: a.Name, B: b.Name}
	switch {
	case len(a.DocCounts) == 0 || len(b.DocCounts) == 0:
		p.Skipped = "no per-document counts"
		return p, nil
	case len(a.DocCounts) != len(b.DocCounts):
		p.Skipped = fmt.Sprintf("different documents (%d vs %d)", len(a.DocCounts), len(b.DocCounts))
		return p, nil
	}
	for i := range a.DocCounts {
		if a.DocCounts[i].ID != b.DocCounts[i].ID {
			p.Skipped = fmt.Sprintf("different documents (row %d)", i+1)
			return p, nil
		}
	}
	res, err := score.PairedBootstrap(ctx, a.DocCounts, b.DocCounts, opts)
	if err != nil {
		return p, fmt.Errorf("report: %s vs %s: %w", a.Name, b.Name, err)
	}
	p.Result = res
	return p, nil
}

// summaryFile is the part of an evaluate run's summary.json the report reads.
type summaryFile struct {
	Experiment string `json:"experiment_name"`
	Methods    []struct {
		Name    string `json:"name"`
		Skipped string `json:"skipped"`
		RunStats
	} `json:"methods"`
}

// LoadResults reads an evaluate result directory: summary.json (optional:
// run figures and method order), and for each method directory its
// metrics.json (required) and doc_counts.jsonl (optional). Without
// summary.json every sub-directory holding a metrics.json is a method, in
// name order. Methods skipped in the run are left out.
func LoadResults(dir string) ([]Method, error) {
	var sum summaryFile
	var order []string
	stats := map[string]*RunStats{}
	data, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	switch {
	case err == nil:
		if err := json.Unmarshal(data, &sum); err != nil {
			return nil, fmt.Errorf("%s: invalid summary JSON: %w", filepath.Join(dir, "summary.json"), err)
		}
		for _, m := range sum.Methods {
			if m.Skipped != "" {
				continue
			}
			s := m.RunStats
			stats[m.Name] = &s
			order = append(order, m.Name)
		}
	case errors.Is(err, fs.ErrNotExist):
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("read results: %w", err)
		}
		for _, e := range entries {
			if e.IsDir() {
				if _, err := os.Stat(filepath.Join(dir, e.Name(), "metrics.json")); err == nil {
					order = append(order, e.Name())
				}
			}
		}
	default:
		return nil, fmt.Errorf("read results: %w", err)
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("%s: no method results (no metrics.json under it)", dir)
	}
	var out []Method
	for _, name := range order {
		m := Method{Name: name, Stats: stats[name]}
		mp := filepath.Join(dir, name, "metrics.json")
		data, err := os.ReadFile(mp)
		if err != nil {
			return nil, fmt.Errorf("read metrics: %w", err)
		}
		if err := json.Unmarshal(data, &m.Metrics); err != nil {
			return nil, fmt.Errorf("%s: invalid metrics JSON: %w", mp, err)
		}
		dp := filepath.Join(dir, name, "doc_counts.jsonl")
		f, err := os.Open(dp)
		switch {
		case err == nil:
			m.DocCounts, err = score.ReadDocCounts(f, dp)
			f.Close()
			if err != nil {
				return nil, err
			}
		case !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("read document counts: %w", err)
		}
		out = append(out, m)
	}
	return out, nil
}
