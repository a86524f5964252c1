package write

import (
	"bufio"
	"encoding/json"
	"fmt"
)

// JSONLWriter writes values of type T as JSON Lines to a file that appears
// at its final path only on Commit. Use it for rejects and other side files.
// It is not safe for concurrent use.
type JSONLWriter[T any] struct {
	f     *AtomicFile
	bw    *bufio.Writer
	enc   *json.Encoder
	n     int64
	batch int
}

// NewJSONL opens an atomic JSON Lines writer for path.
func NewJSONL[T any](path string, opts ...Option) (*JSONLWriter[T], error) {
	o := buildOptions(opts)
	f, err := CreateAtomic(path)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &JSONLWriter[T]{f: f, bw: bw, enc: enc, batch: o.batchRows}, nil
}

// Write appends one value as one line.
func (j *JSONLWriter[T]) Write(v T) error {
	if err := j.enc.Encode(v); err != nil {
		return fmt.Errorf("write %s line %d: %w", j.f.Path(), j.n+1, err)
	}
	j.n++
	if j.n%int64(j.batch) == 0 {
		if err := j.bw.Flush(); err != nil {
			return fmt.Errorf("write %s: %w", j.f.Path(), err)
		}
	}
	return nil
}

// Count is the number of values written so far.
func (j *JSONLWriter[T]) Count() int64 { return j.n }

// Path is the final path of the file.
func (j *JSONLWriter[T]) Path() string { return j.f.Path() }

// Commit flushes the file and renames it into place.
func (j *JSONLWriter[T]) Commit() error {
	if err := j.bw.Flush(); err != nil {
		j.f.Abort()
		return fmt.Errorf("write %s: %w", j.f.Path(), err)
	}
	return j.f.Commit()
}

// Abort discards the file. It is a no-op after Commit.
func (j *JSONLWriter[T]) Abort() { j.f.Abort() }

func newJSONLPredictionWriter(path string, o options) (PredictionWriter, error) {
	return NewJSONL[PredictionRow](path, WithBatchRows(o.batchRows))
}
