package write

import (
	"fmt"

	"github.com/parquet-go/parquet-go"
)

// parquetWriter writes PredictionRows as Parquet (zstd), one row group per batch.
type parquetWriter struct {
	f     *AtomicFile
	w     *parquet.GenericWriter[PredictionRow]
	buf   []PredictionRow
	batch int
}

func newParquetWriter(path string, o options) (*parquetWriter, error) {
	f, err := CreateAtomic(path)
	if err != nil {
		return nil, err
	}
	w := parquet.NewGenericWriter[PredictionRow](f, parquet.Compression(&parquet.Zstd))
	return &parquetWriter{f: f, w: w, buf: make([]PredictionRow, 0, o.batchRows), batch: o.batchRows}, nil
}

func (p *parquetWriter) Write(r PredictionRow) error {
	p.buf = append(p.buf, r)
	if len(p.buf) >= p.batch {
		return p.flush()
	}
	return nil
}

func (p *parquetWriter) flush() error {
	if len(p.buf) == 0 {
		return nil
	}
	if _, err := p.w.Write(p.buf); err != nil {
		return fmt.Errorf("write parquet %s: %w", p.f.Path(), err)
	}
	if err := p.w.Flush(); err != nil {
		return fmt.Errorf("flush parquet row group %s: %w", p.f.Path(), err)
	}
	clear(p.buf)
	p.buf = p.buf[:0]
	return nil
}

func (p *parquetWriter) Commit() error {
	if err := p.flush(); err != nil {
		p.f.Abort()
		return err
	}
	if err := p.w.Close(); err != nil {
		p.f.Abort()
		return fmt.Errorf("close parquet %s: %w", p.f.Path(), err)
	}
	return p.f.Commit()
}

func (p *parquetWriter) Abort() { p.f.Abort() }
