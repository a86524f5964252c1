package write

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// SpanType is the Arrow type of one predicted span.
var spanType = arrow.StructOf(
	arrow.Field{Name: "start", Type: arrow.PrimitiveTypes.Int64},
	arrow.Field{Name: "end", Type: arrow.PrimitiveTypes.Int64},
	arrow.Field{Name: "label", Type: arrow.BinaryTypes.String},
	arrow.Field{Name: "score", Type: arrow.PrimitiveTypes.Float64},
)

// PredictionSchema is the Arrow schema of a prediction file: the
// PredictionRow contract, spans as list<struct>.
func PredictionSchema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.BinaryTypes.String},
		{Name: "method", Type: arrow.BinaryTypes.String},
		{Name: "language", Type: arrow.BinaryTypes.String},
		{Name: "spans", Type: arrow.ListOf(spanType)},
		{Name: "masked_text", Type: arrow.BinaryTypes.String},
		{Name: "failure", Type: arrow.BinaryTypes.String},
	}, nil)
}

// ipcWriter is what arrowWriter needs of the IPC stream and file writers.
type ipcWriter interface {
	Write(arrow.Record) error
	Close() error
}

// arrowWriter writes PredictionRows as Arrow IPC, one record batch per batch
// of rows: the IPC stream format for .arrow (what Hugging Face datasets'
// "arrow" loader and Dataset.from_file read), the IPC file format (Feather
// v2, with its footer for random access) for .feather.
type arrowWriter struct {
	f       *AtomicFile
	w       ipcWriter
	b       *array.RecordBuilder
	id      *array.StringBuilder
	method  *array.StringBuilder
	lang    *array.StringBuilder
	spans   *array.ListBuilder
	span    *array.StructBuilder
	start   *array.Int64Builder
	end     *array.Int64Builder
	label   *array.StringBuilder
	score   *array.Float64Builder
	masked  *array.StringBuilder
	failure *array.StringBuilder
	n       int
	batch   int
}

func newArrowWriter(path string, o options, file bool) (*arrowWriter, error) {
	f, err := CreateAtomic(path)
	if err != nil {
		return nil, err
	}
	schema := PredictionSchema()
	mem := memory.NewGoAllocator()
	var w ipcWriter
	if file {
		fw, err := ipc.NewFileWriter(f, ipc.WithSchema(schema), ipc.WithAllocator(mem))
		if err != nil {
			f.Abort()
			return nil, fmt.Errorf("arrow writer %s: %w", path, err)
		}
		w = fw
	} else {
		w = ipc.NewWriter(f, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	}
	b := array.NewRecordBuilder(mem, schema)
	a := &arrowWriter{
		f: f, w: w, b: b, batch: o.batchRows,
		id:      b.Field(0).(*array.StringBuilder),
		method:  b.Field(1).(*array.StringBuilder),
		lang:    b.Field(2).(*array.StringBuilder),
		spans:   b.Field(3).(*array.ListBuilder),
		masked:  b.Field(4).(*array.StringBuilder),
		failure: b.Field(5).(*array.StringBuilder),
	}
	a.span = a.spans.ValueBuilder().(*array.StructBuilder)
	a.start = a.span.FieldBuilder(0).(*array.Int64Builder)
	a.end = a.span.FieldBuilder(1).(*array.Int64Builder)
	a.label = a.span.FieldBuilder(2).(*array.StringBuilder)
	a.score = a.span.FieldBuilder(3).(*array.Float64Builder)
	return a, nil
}

func (a *arrowWriter) Write(r PredictionRow) error {
	a.id.Append(r.ID)
	a.method.Append(r.Method)
	a.lang.Append(r.Language)
	a.spans.Append(true)
	for _, s := range r.Spans {
		a.span.Append(true)
		a.start.Append(s.Start)
		a.end.Append(s.End)
		a.label.Append(s.Label)
		a.score.Append(s.Score)
	}
	a.masked.Append(r.MaskedText)
	a.failure.Append(r.Failure)
	a.n++
	if a.n >= a.batch {
		return a.flush()
	}
	return nil
}

func (a *arrowWriter) flush() error {
	if a.n == 0 {
		return nil
	}
	rec := a.b.NewRecord()
	defer rec.Release()
	a.n = 0
	if err := a.w.Write(rec); err != nil {
		return fmt.Errorf("write arrow batch %s: %w", a.f.Path(), err)
	}
	return nil
}

func (a *arrowWriter) Commit() error {
	defer a.b.Release()
	if err := a.flush(); err != nil {
		a.f.Abort()
		return err
	}
	if err := a.w.Close(); err != nil {
		a.f.Abort()
		return fmt.Errorf("close arrow %s: %w", a.f.Path(), err)
	}
	return a.f.Commit()
}

func (a *arrowWriter) Abort() {
	a.f.Abort()
}
