package dataset

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"
)

// tokenColumns is the subset of a token dataset that training reads.
type tokenColumns struct {
	ID            string  `parquet:"id"`
	Language      string  `parquet:"language"`
	Window        int32   `parquet:"window"`
	InputIDs      []int32 `parquet:"input_ids,list"`
	AttentionMask []int8  `parquet:"attention_mask,list"`
	Labels        []int32 `parquet:"labels,list"`
	Split         string  `parquet:"split"`
}

// ReadTokenRows streams the rows of a token-classification Parquet file
// written by TokenWriter (offsets and token_type_ids are not read). Rows are
// read in batches, never the whole file at once.
func ReadTokenRows(ctx context.Context, path string, emit func(Row) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("token dataset: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("token dataset %s: %w", path, err)
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		return fmt.Errorf("token dataset %s: not a readable Parquet file: %w", path, err)
	}
	for _, col := range []string{"input_ids", "labels", "attention_mask"} {
		if _, ok := pf.Schema().Lookup(col, "list", "element"); !ok {
			return fmt.Errorf("token dataset %s: column %s is missing (not written by a prepare job?)", path, col)
		}
	}
	r := parquet.NewGenericReader[tokenColumns](pf)
	defer r.Close()
	buf := make([]tokenColumns, 256)
	var row int64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, rerr := r.Read(buf)
		for i := 0; i < n; i++ {
			row++
			c := buf[i]
			if len(c.InputIDs) != len(c.Labels) || len(c.InputIDs) != len(c.AttentionMask) {
				return fmt.Errorf("token dataset %s: row %d (id %s): input_ids, attention_mask and labels differ in length", path, row, c.ID)
			}
			if err := emit(Row{ID: c.ID, Language: c.Language, Window: int(c.Window), InputIDs: c.InputIDs,
				AttentionMask: c.AttentionMask, Labels: c.Labels, Split: c.Split}); err != nil {
				return err
			}
		}
		if errors.Is(rerr, io.EOF) {
			return nil
		}
		if rerr != nil {
			return fmt.Errorf("token dataset %s: row %d: %w", path, row+1, rerr)
		}
	}
}
