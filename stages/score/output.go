package score

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/piimask/piimask/stages/write"
)

// WriteJSON writes the report as indented JSON (metrics.json) atomically.
func (r Report) WriteJSON(path string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("encode metrics for %s: %w", path, err)
	}
	data = append(data, '\n')
	return write.WriteFileAtomic(path, data)
}

// ReadMetricsCounts reads the raw counts from a metrics.json written by
// WriteJSON, for merging. A file without counts (written by an older
// version) is an error: its metrics cannot be merged exactly.
func ReadMetricsCounts(path string) (*Counts, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read metrics: %w", err)
	}
	var doc struct {
		Counts *Counts `json:"counts"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: invalid metrics JSON: %w", path, err)
	}
	if doc.Counts == nil {
		return nil, fmt.Errorf("%s: field counts is missing (metrics written without mergeable counts)", path)
	}
	switch v := doc.Counts.Version; {
	case v == CountsVersion:
	case v == countsVersionNoViews:
		// Written before the views: the strict counts are exact, the views
		// absent (a merge with version 2 counts is refused by Compatible).
		doc.Counts.Views = nil
		doc.Counts.Version = CountsVersion
	default:
		return nil, fmt.Errorf("%s: field counts.version is %d, this piimask reads versions %d and %d", path, v, countsVersionNoViews, CountsVersion)
	}
	doc.Counts.init()
	return doc.Counts, nil
}

// DocCountsWriter writes per-document counts as JSON lines.
type DocCountsWriter struct {
	enc *json.Encoder
}

// NewDocCountsWriter returns a writer of one JSON object per line to w.
func NewDocCountsWriter(w io.Writer) *DocCountsWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return &DocCountsWriter{enc: enc}
}

// Write writes one document's counts as a line.
func (w *DocCountsWriter) Write(d *DocCounts) error {
	if err := w.enc.Encode(d); err != nil {
		return fmt.Errorf("write document counts %q: %w", d.ID, err)
	}
	return nil
}

// ReadDocCounts reads per-document counts written by DocCountsWriter. name
// is used in error messages (file name and line).
func ReadDocCounts(r io.Reader, name string) ([]DocCounts, error) {
	var out []DocCounts
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 64*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var d DocCounts
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&d); err != nil {
			return nil, fmt.Errorf("%s:%d: invalid document counts: %w", name, line, err)
		}
		if d.Docs != 1 {
			return nil, fmt.Errorf("%s:%d: field docs is %d, want 1", name, line, d.Docs)
		}
		out = append(out, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	return out, nil
}

// FormatTable prints aligned text tables: one row of global strict metrics
// per method (P, R, F1, F2, exact-match accuracy, leak rate, documents);
// after a blank line, when the reports have views, one row per method of
// label-agnostic PII P/R/F1/F2 (IoU), over-mask rate and seqeval token F1;
// then, after a blank line, per-class P/R/F1/support/predicted for every
// method.
func FormatTable(w io.Writer, reports ...NamedReport) error {
	var errs []error
	section := func(rows [][]string) {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, row := range rows {
			if _, err := io.WriteString(tw, strings.Join(row, "\t")+"\n"); err != nil {
				errs = append(errs, err)
			}
		}
		if err := tw.Flush(); err != nil {
			errs = append(errs, err)
		}
	}
	f := func(x float64) string { return fmt.Sprintf("%.4f", x) }
	d := func(n int64) string { return fmt.Sprintf("%d", n) }

	rows := [][]string{{"method", "precision", "recall", "F1", "F2", "exact_match", "leak_rate", "documents"}}
	for _, nr := range reports {
		m := nr.Report.Metrics
		rows = append(rows, []string{nr.Name, f(m.Precision), f(m.Recall), f(m.F1), f(m.F2),
			f(m.ExactMatchAccuracy), f(nr.Report.LeakRate), d(nr.Report.Documents)})
	}
	section(rows)

	// The views, when any report has them: label-agnostic PII spans
	// (IoU), over-mask rate, and seqeval token F1.
	var views [][]string
	for _, nr := range reports {
		r := nr.Report
		if r.PIISpans == nil {
			continue
		}
		if views == nil {
			views = [][]string{{"method", "PII_precision", "PII_recall", "PII_F1", "PII_F2", "iou", "over_mask_rate", "token_F1"}}
		}
		pii := r.PIISpans
		row := []string{nr.Name, f(pii.Precision), f(pii.Recall), f(pii.F1), f(pii.F2), fmt.Sprintf("%g", pii.IoU), "-", "-"}
		if r.Characters != nil {
			row[6] = f(r.Characters.OverMaskRate)
		}
		if r.Tokens != nil {
			row[7] = f(r.Tokens.Entities.F1)
		}
		views = append(views, row)
	}
	if views != nil {
		if _, err := io.WriteString(w, "\n"); err != nil {
			errs = append(errs, err)
		}
		section(views)
	}

	set := map[string]bool{}
	for _, nr := range reports {
		for label := range nr.Report.PerClass {
			set[label] = true
		}
	}
	if len(set) > 0 {
		if _, err := io.WriteString(w, "\n"); err != nil {
			errs = append(errs, err)
		}
		rows = [][]string{{"class", "method", "precision", "recall", "F1", "support", "predicted"}}
		for _, label := range slices.Sorted(maps.Keys(set)) {
			for _, nr := range reports {
				c, ok := nr.Report.PerClass[label]
				if !ok {
					continue
				}
				rows = append(rows, []string{label, nr.Name, f(c.Precision), f(c.Recall), f(c.F1), d(c.Support), d(c.Predicted)})
			}
		}
		section(rows)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("write metrics table: %w", err)
	}
	return nil
}

// String renders the report's global metrics on one line, for logs.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "P=%.4f R=%.4f F1=%.4f F2=%.4f EM=%.4f leak=%.4f docs=%d",
		r.Metrics.Precision, r.Metrics.Recall, r.Metrics.F1, r.Metrics.F2,
		r.Metrics.ExactMatchAccuracy, r.LeakRate, r.Documents)
	return b.String()
}
