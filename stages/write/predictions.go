package write

import (
	"fmt"
	"strings"

	"github.com/piimask/piimask/record"
)

// PredSpan is one predicted span in a prediction file. Start and End are
// Unicode code-point offsets into the record's text, End exclusive.
type PredSpan struct {
	Start int64   `json:"start" parquet:"start"`
	End   int64   `json:"end" parquet:"end"`
	Label string  `json:"label" parquet:"label"`
	Score float64 `json:"score" parquet:"score"`
}

// PredictionRow is one record's predictions by one method. It is the row
// contract of every prediction file piimask writes (Parquet, Arrow IPC and
// JSONL have the same columns, in this order):
//
//	id string, method string, language string,
//	spans list<struct{start int64, end int64, label string, score float64}>,
//	masked_text string, failure string
//
// Failure is empty when the method succeeded on the record, otherwise a short
// reason (no PII).
type PredictionRow struct {
	ID         string     `json:"id" parquet:"id"`
	Method     string     `json:"method" parquet:"method"`
	Language   string     `json:"language" parquet:"language"`
	Spans      []PredSpan `json:"spans" parquet:"spans,list"`
	MaskedText string     `json:"masked_text" parquet:"masked_text"`
	Failure    string     `json:"failure" parquet:"failure"`
}

// Format is an output file format.
type Format string

// The prediction file formats. Arrow is the Arrow IPC stream format (.arrow,
// what Hugging Face datasets reads, and what the prepare job's .arrow files
// are); Feather is the Arrow IPC file format (.feather: Feather v2, the
// stream plus a footer for random access).
const (
	Parquet Format = "parquet"
	Arrow   Format = "arrow"
	Feather Format = "feather"
	JSONL   Format = "jsonl"
)

// Formats lists every supported format.
func Formats() []Format { return []Format{Parquet, Arrow, Feather, JSONL} }

// ParseFormat reads a format name as written in a job config (case-insensitive).
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	switch f {
	case Parquet, Arrow, Feather, JSONL:
		return f, nil
	}
	return "", fmt.Errorf("unknown output format %q (want parquet, arrow, feather or jsonl)", s)
}

// Ext is the file name extension for the format, with its dot.
func (f Format) Ext() string {
	switch f {
	case Arrow:
		return ".arrow"
	case Feather:
		return ".feather"
	case JSONL:
		return ".jsonl"
	}
	return ".parquet"
}

// PredictionWriter streams PredictionRows to one destination. Nothing is
// visible at the final path until Commit returns nil; Abort discards all
// output. Exactly one of Commit or Abort should be called; Abort after Commit
// is a no-op, so `defer w.Abort()` is safe. A PredictionWriter is not safe for
// concurrent use.
type PredictionWriter interface {
	Write(PredictionRow) error
	Commit() error
	Abort()
}

// DefaultBatchRows is how many rows a writer buffers before it flushes a
// Parquet row group, an Arrow record batch or the JSONL buffer.
const DefaultBatchRows = 8192

// Option configures a writer.
type Option func(*options)

type options struct{ batchRows int }

// WithBatchRows sets the number of rows buffered between flushes (n >= 1).
// Memory use is bounded by about n rows.
func WithBatchRows(n int) Option {
	return func(o *options) {
		if n >= 1 {
			o.batchRows = n
		}
	}
}

func buildOptions(opts []Option) options {
	o := options{batchRows: DefaultBatchRows}
	for _, fn := range opts {
		fn(&o)
	}
	return o
}

// NewPredictionWriter creates a writer of format f whose output appears at
// path on Commit.
func NewPredictionWriter(path string, f Format, opts ...Option) (PredictionWriter, error) {
	o := buildOptions(opts)
	if f == JSONL {
		return newJSONLPredictionWriter(path, o)
	}
	if _, err := ParseFormat(string(f)); err != nil {
		return nil, fmt.Errorf("prediction writer for %s: unknown format %q", path, f)
	}
	return NewBatchWriter(path, f, PredictionTable(), opts...)
}

// PredictionPath is the conventional file name for one method's predictions
// in format f under dir: dir/predictions.<method>.<ext>.
func PredictionPath(dir, method string, f Format) string {
	return strings.TrimRight(dir, "/") + "/predictions." + method + f.Ext()
}

// Multi fans every row out to several writers. Write stops at the first
// error; Commit commits all writers and aborts those left when one fails;
// Abort aborts all.
func Multi(ws ...PredictionWriter) PredictionWriter { return multi(ws) }

type multi []PredictionWriter

func (m multi) Write(r PredictionRow) error {
	for _, w := range m {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	return nil
}

func (m multi) Commit() error {
	for i, w := range m {
		if err := w.Commit(); err != nil {
			for _, rest := range m[i+1:] {
				rest.Abort()
			}
			return err
		}
	}
	return nil
}

func (m multi) Abort() {
	for _, w := range m {
		w.Abort()
	}
}

// NewPredictionWriters opens one writer per format for one method under dir
// (named by PredictionPath) and returns them combined by Multi. If any fails
// to open, those already opened are aborted.
func NewPredictionWriters(dir, method string, formats []Format, opts ...Option) (PredictionWriter, error) {
	ws := make([]PredictionWriter, 0, len(formats))
	for _, f := range formats {
		w, err := NewPredictionWriter(PredictionPath(dir, method, f), f, opts...)
		if err != nil {
			Multi(ws...).Abort()
			return nil, err
		}
		ws = append(ws, w)
	}
	return Multi(ws...), nil
}

// PredSpans converts record spans (code points) to prediction-file spans.
func PredSpans(spans []record.Span) []PredSpan {
	out := make([]PredSpan, len(spans))
	for i, s := range spans {
		out[i] = PredSpan{Start: int64(s.Start), End: int64(s.End), Label: s.Label, Score: s.Score}
	}
	return out
}
