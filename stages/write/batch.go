package write

import (
	"fmt"
	"io"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/parquet-go/parquet-go"
)

// Table is how rows of type R are laid out in the columnar formats, given
// once for every file of that kind: the Parquet encoding and the Arrow
// schema with the function that appends a row to a record batch.
type Table[R any] struct {
	// Parquet encodes rows as Parquet (ParquetStructs or ParquetRows).
	Parquet ParquetLayout[R]
	// Arrow is the Arrow schema; nil when the table has no Arrow form.
	Arrow *arrow.Schema
	// ArrowAppender binds a record builder of schema Arrow and returns the
	// function that appends one row to it.
	ArrowAppender func(*array.RecordBuilder) func(R)
}

// ParquetLayout is the Parquet encoding of rows of type R.
type ParquetLayout[R any] struct {
	open func(io.Writer) encoder[R]
}

// encoder is one open file's format: add appends a row to the current
// batch, flush ends the batch (a row group, a record batch), close writes
// the footer.
type encoder[R any] interface {
	add(R) error
	flush() error
	close() error
}

// ParquetStructs encodes each row as the struct conv returns (its parquet
// tags give the schema) with the writer options opts. Rows go to the
// Parquet writer one at a time unless wholeBatch, when a batch goes in one
// call (the library then cuts pages every 64 rows rather than at the row
// that fills one: the prediction files' layout).
func ParquetStructs[R, P any](conv func(R) P, wholeBatch bool, opts ...parquet.WriterOption) ParquetLayout[R] {
	return ParquetLayout[R]{open: func(w io.Writer) encoder[R] {
		return &structEncoder[R, P]{w: parquet.NewGenericWriter[P](w, opts...), conv: conv, whole: wholeBatch}
	}}
}

type structEncoder[R, P any] struct {
	w     *parquet.GenericWriter[P]
	conv  func(R) P
	buf   []P
	whole bool
}

func (e *structEncoder[R, P]) add(r R) error {
	e.buf = append(e.buf, e.conv(r))
	if e.whole {
		return nil
	}
	return e.drain()
}

func (e *structEncoder[R, P]) drain() error {
	if len(e.buf) == 0 {
		return nil
	}
	_, err := e.w.Write(e.buf)
	clear(e.buf)
	e.buf = e.buf[:0]
	return err
}

func (e *structEncoder[R, P]) flush() error {
	if err := e.drain(); err != nil {
		return err
	}
	return e.w.Flush()
}

func (e *structEncoder[R, P]) close() error {
	if err := e.drain(); err != nil {
		return err
	}
	return e.w.Close()
}

// ParquetRows encodes parquet.Rows of schema, one at a time, with the
// writer options opts.
func ParquetRows(schema *parquet.Schema, opts ...parquet.WriterOption) ParquetLayout[parquet.Row] {
	return ParquetLayout[parquet.Row]{open: func(w io.Writer) encoder[parquet.Row] {
		return &rowEncoder{w: parquet.NewGenericWriter[any](w, append([]parquet.WriterOption{schema}, opts...)...)}
	}}
}

type rowEncoder struct {
	w   *parquet.GenericWriter[any]
	one [1]parquet.Row
}

func (e *rowEncoder) add(r parquet.Row) error {
	e.one[0] = r
	_, err := e.w.WriteRows(e.one[:])
	e.one[0] = nil
	return err
}

func (e *rowEncoder) flush() error { return e.w.Flush() }
func (e *rowEncoder) close() error { return e.w.Close() }

// ipcWriter is what arrowEncoder needs of the IPC stream and file writers.
type ipcWriter interface {
	Write(arrow.Record) error
	Close() error
}

// arrowEncoder writes one record batch per batch of rows: the IPC stream
// format (.arrow, what Hugging Face datasets reads and memory-maps) or the
// IPC file format (.feather: Feather v2, the stream plus a footer).
type arrowEncoder[R any] struct {
	w      ipcWriter
	b      *array.RecordBuilder
	append func(R)
}

func newArrowEncoder[R any](w io.Writer, t Table[R], file bool) (encoder[R], error) {
	if t.Arrow == nil || t.ArrowAppender == nil {
		return nil, fmt.Errorf("no Arrow schema for this table")
	}
	mem := memory.NewGoAllocator()
	var iw ipcWriter
	if file {
		ws, ok := w.(io.WriteSeeker)
		if !ok {
			return nil, fmt.Errorf("the Arrow IPC file format needs a seekable output")
		}
		fw, err := ipc.NewFileWriter(ws, ipc.WithSchema(t.Arrow), ipc.WithAllocator(mem))
		if err != nil {
			return nil, err
		}
		iw = fw
	} else {
		iw = ipc.NewWriter(w, ipc.WithSchema(t.Arrow), ipc.WithAllocator(mem))
	}
	b := array.NewRecordBuilder(mem, t.Arrow)
	return &arrowEncoder[R]{w: iw, b: b, append: t.ArrowAppender(b)}, nil
}

func (e *arrowEncoder[R]) add(r R) error {
	e.append(r)
	return nil
}

func (e *arrowEncoder[R]) flush() error {
	rec := e.b.NewRecord()
	defer rec.Release()
	return e.w.Write(rec)
}

func (e *arrowEncoder[R]) close() error {
	defer e.b.Release()
	return e.w.Close()
}

// BatchWriter writes rows of type R to one Parquet, Arrow IPC stream
// (.arrow) or Arrow IPC file (.feather) output, a row group or record batch
// per batch of rows (WithBatchRows; DefaultBatchRows unless set). It is the
// one columnar writer of the package: prediction files, the token dataset,
// mirrored (masked, unmasked) Parquet files. Opened on a path, nothing is
// visible there until Commit returns nil; exactly one of Commit or Abort
// should be called, and Abort after Commit is a no-op, so `defer w.Abort()`
// is safe. A BatchWriter is not safe for concurrent use.
type BatchWriter[R any] struct {
	f     *AtomicFile // nil when writing to a caller's io.Writer
	name  string
	enc   encoder[R]
	n     int
	batch int
}

// NewBatchWriter opens path (atomically: a temporary file renamed on
// Commit) as a file of format f (Parquet, Arrow or Feather) of table t.
func NewBatchWriter[R any](path string, f Format, t Table[R], opts ...Option) (*BatchWriter[R], error) {
	af, err := CreateAtomic(path)
	if err != nil {
		return nil, err
	}
	w, err := newBatchWriter(af, path, f, t, opts)
	if err != nil {
		af.Abort()
		return nil, err
	}
	w.f = af
	return w, nil
}

// NewBatchWriterTo writes a file of format f of table t to w (a buffer, a
// part of a larger output); Commit finishes the file and Abort does nothing.
// name names the output in errors.
func NewBatchWriterTo[R any](w io.Writer, name string, f Format, t Table[R], opts ...Option) (*BatchWriter[R], error) {
	return newBatchWriter(w, name, f, t, opts)
}

func newBatchWriter[R any](w io.Writer, name string, f Format, t Table[R], opts []Option) (*BatchWriter[R], error) {
	bw := &BatchWriter[R]{name: name, batch: buildOptions(opts).batchRows}
	var err error
	switch f {
	case Parquet:
		if t.Parquet.open == nil {
			return nil, fmt.Errorf("%s: no Parquet layout for this table", name)
		}
		bw.enc = t.Parquet.open(w)
	case Arrow, Feather:
		bw.enc, err = newArrowEncoder(w, t, f == Feather)
	default:
		err = fmt.Errorf("format %q is not a columnar format", f)
	}
	if err != nil {
		return nil, fmt.Errorf("%s writer %s: %w", f, name, err)
	}
	return bw, nil
}

// Write appends one row; a full batch is flushed.
func (w *BatchWriter[R]) Write(r R) error {
	if err := w.enc.add(r); err != nil {
		return fmt.Errorf("write %s: %w", w.name, err)
	}
	if w.n++; w.n >= w.batch {
		return w.Flush()
	}
	return nil
}

// Flush ends the current batch (a Parquet row group, an Arrow record
// batch) early; it does nothing when the batch is empty.
func (w *BatchWriter[R]) Flush() error {
	if w.n == 0 {
		return nil
	}
	w.n = 0
	if err := w.enc.flush(); err != nil {
		return fmt.Errorf("flush batch %s: %w", w.name, err)
	}
	return nil
}

// Commit flushes the last batch, writes the footer and, for a path, renames
// the file into place.
func (w *BatchWriter[R]) Commit() error {
	if err := w.Flush(); err != nil {
		w.Abort()
		return err
	}
	if err := w.enc.close(); err != nil {
		w.Abort()
		return fmt.Errorf("close %s: %w", w.name, err)
	}
	if w.f == nil {
		return nil
	}
	return w.f.Commit()
}

// Abort discards the file written to a path.
func (w *BatchWriter[R]) Abort() {
	if w.f != nil {
		w.f.Abort()
	}
}

// parquetRowWriter is the Parquet writer under a BatchWriter of
// ParquetRows, for copying whole row groups.
func parquetRowWriter(w *BatchWriter[parquet.Row]) (*parquet.GenericWriter[any], bool) {
	e, ok := w.enc.(*rowEncoder)
	if !ok {
		return nil, false
	}
	return e.w, true
}
