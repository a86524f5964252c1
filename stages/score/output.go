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
	if doc.Counts.Version != CountsVersion {
		return nil, fmt.Errorf("%s: field counts.version is %d, this piimask reads version %d", path, doc.Counts.Version, CountsVersion)
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

// FormatTable prints an aligned text table: one row of global strict metrics
// per method (P, R, F1, F2, exact-match accuracy, leak rate, documents), then
// per-class P/R/F1/support for every method.
func FormatTable(w io.Writer, reports ...NamedReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	var errs []error
	pr := func(format string, args ...any) {
		if _, err := fmt.Fprintf(tw, format, args...); err != nil {
			errs = append(errs, err)
		}
	}
	pr("method\tprecision\trecall\tF1\tF2\texact match\tleak rate\tdocuments\t\n")
	for _, nr := range reports {
		m := nr.Report.Metrics
		pr("%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%d\t\n", nr.Name, m.Precision, m.Recall, m.F1, m.F2,
			m.ExactMatchAccuracy, nr.Report.LeakRate, nr.Report.Documents)
	}
	set := map[string]bool{}
	for _, nr := range reports {
		for label := range nr.Report.PerClass {
			set[label] = true
		}
	}
	if len(set) > 0 {
		pr("\t\t\t\t\t\t\t\t\n")
		pr("class\tmethod\tprecision\trecall\tF1\tsupport\tpredicted\t\t\n")
		for _, label := range slices.Sorted(maps.Keys(set)) {
			for _, nr := range reports {
				c, ok := nr.Report.PerClass[label]
				if !ok {
					continue
				}
				pr("%s\t%s\t%.4f\t%.4f\t%.4f\t%d\t%d\t\t\n", label, nr.Name, c.Precision, c.Recall, c.F1, c.Support, c.Predicted)
			}
		}
	}
	if err := tw.Flush(); err != nil {
		errs = append(errs, err)
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
