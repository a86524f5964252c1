package generate

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/piimask/piimask/stages/write"
)

// flushRows is how many rows the writers buffer between flushes (and Parquet
// row groups), which bounds their memory.
const flushRows = 8192

// WriteJSONL writes the generator's next N rows to w as JSON Lines, checking
// ctx between rows.
func WriteJSONL(ctx context.Context, w io.Writer, g RowSource) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	i := 0
	for row := range g.All() {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := enc.Encode(row); err != nil {
			return fmt.Errorf("generate: write row %d: %w", i+1, err)
		}
		i++
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("generate: write: %w", err)
	}
	return nil
}

// WriteParquet writes the generator's next N rows to w as Parquet (zstd),
// privacy_mask as a list<struct{value, start, end, label}> column, one row
// group per 8192 rows.
func WriteParquet(ctx context.Context, w io.Writer, g RowSource) error {
	table := write.Table[Row]{Parquet: write.ParquetStructs(func(r Row) Row { return r }, true, parquet.Compression(&parquet.Zstd))}
	pw, err := write.NewBatchWriterTo(w, "generated rows", write.Parquet, table, write.WithBatchRows(flushRows))
	if err != nil {
		return fmt.Errorf("generate: %w", err)
	}
	n := 0
	for row := range g.All() {
		if n%flushRows == 0 {
			if err := ctx.Err(); err != nil {
				pw.Abort()
				return err
			}
		}
		if err := pw.Write(row); err != nil {
			pw.Abort()
			return fmt.Errorf("generate: write parquet: %w", err)
		}
		n++
	}
	if err := ctx.Err(); err != nil {
		pw.Abort()
		return err
	}
	if err := pw.Commit(); err != nil {
		return fmt.Errorf("generate: close parquet: %w", err)
	}
	return nil
}

// WriteFile generates cfg.N rows into path atomically (the file appears only
// when complete). The format follows the extension: .jsonl or .parquet.
func WriteFile(ctx context.Context, path string, cfg Config) error {
	g, err := New(cfg)
	if err != nil {
		return err
	}
	return WriteRows(ctx, path, g)
}

// WriteRows writes every row of src into path atomically (the file appears
// only when complete). The format follows the extension: .jsonl or .parquet.
func WriteRows(ctx context.Context, path string, src RowSource) error {
	var fn func(context.Context, io.Writer, RowSource) error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl":
		fn = WriteJSONL
	case ".parquet":
		fn = WriteParquet
	default:
		return fmt.Errorf("generate: %s: unknown extension (want .jsonl or .parquet)", path)
	}
	f, err := write.CreateAtomic(path)
	if err != nil {
		return err
	}
	if err := fn(ctx, f, src); err != nil {
		f.Abort()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Commit()
}
