package write

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/parquet-go/parquet-go"
)

// A BatchWriter cuts a row group (Parquet) or record batch (Arrow) every
// batch rows and at Flush, and its file appears only on Commit.
func TestBatchWriterBatches(t *testing.T) {
	tests := []struct {
		name          string
		format        Format
		rows, batch   int
		flushAt       int // Flush after this many rows (0: never)
		wantGroups    int
		wantGroupRows []int
	}{
		{"parquet 10 by 4", Parquet, 10, 4, 0, 3, []int{4, 4, 2}},
		{"parquet exact", Parquet, 8, 4, 0, 2, []int{4, 4}},
		{"parquet one group, flushed", Parquet, 5, math.MaxInt, 2, 2, []int{2, 3}},
		{"parquet empty", Parquet, 0, 4, 0, 0, nil},
		{"arrow 10 by 4", Arrow, 10, 4, 0, 3, []int{4, 4, 2}},
		{"feather 7 by 3, flushed", Feather, 7, 3, 1, 3, []int{1, 3, 3}},
		{"arrow empty", Arrow, 0, 4, 0, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p"+tt.format.Ext())
			w, err := NewBatchWriter(path, tt.format, PredictionTable(), WithBatchRows(tt.batch))
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			for i := 0; i < tt.rows; i++ {
				if err := w.Write(PredictionRow{ID: string(rune('a' + i)), Method: "m"}); err != nil {
					t.Fatal(err)
				}
				if i+1 == tt.flushAt {
					if err := w.Flush(); err != nil {
						t.Fatal(err)
					}
				}
			}
			if _, err := os.Stat(path); err == nil {
				t.Fatal("file visible before Commit")
			}
			if err := w.Commit(); err != nil {
				t.Fatal(err)
			}
			got := batchRows(t, path, tt.format)
			if len(got) != tt.wantGroups {
				t.Fatalf("%d batches %v, want %d", len(got), got, tt.wantGroups)
			}
			for i, n := range tt.wantGroupRows {
				if got[i] != n {
					t.Errorf("batch %d: %d rows, want %d (all %v)", i, got[i], n, got)
				}
			}
		})
	}
}

// batchRows reads the rows per row group or record batch of a file.
func batchRows(t *testing.T, path string, f Format) []int {
	t.Helper()
	var out []int
	if f == Parquet {
		pf, err := OpenParquet(path)
		if err != nil {
			t.Fatal(err)
		}
		defer pf.Close()
		for _, rg := range pf.RowGroups() {
			out = append(out, int(rg.NumRows()))
		}
		return out
	}
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if f == Feather {
		r, err := ipc.NewFileReader(fh)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for i := 0; i < r.NumRecords(); i++ {
			rec, err := r.Record(i)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, int(rec.NumRows()))
		}
		return out
	}
	r, err := ipc.NewReader(fh)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Release()
	for r.Next() {
		out = append(out, int(r.Record().NumRows()))
	}
	return out
}

// Abort leaves nothing at the path nor beside it; bad formats and outputs
// are refused by name.
func TestBatchWriterAbortAndRefusals(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.parquet")
	w, err := NewBatchWriter(path, Parquet, PredictionTable())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(PredictionRow{ID: "a"}); err != nil {
		t.Fatal(err)
	}
	w.Abort()
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left after Abort: %v", ents)
	}
	tests := []struct {
		name string
		open func() error
		want string
	}{
		{"jsonl", func() error {
			_, err := NewBatchWriter(filepath.Join(dir, "x.jsonl"), JSONL, PredictionTable())
			return err
		}, "not a columnar format"},
		{"feather to a buffer", func() error {
			_, err := NewBatchWriterTo(&bytes.Buffer{}, "buf", Feather, PredictionTable())
			return err
		}, "seekable"},
		{"arrow of a Parquet-only table", func() error {
			_, err := NewBatchWriter(filepath.Join(dir, "m.arrow"), Arrow, MirrorTable(parquet.SchemaOf(PredictionRow{})))
			return err
		}, "no Arrow schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.open(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one that says %q", err, tt.want)
			}
		})
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left after refusals: %v", ents)
	}
}

// NewBatchWriterTo with MirrorTable (the mask job's masked Parquet parts)
// writes every row, in order, in one row group, readable by parquet-go.
func TestBatchWriterToMirrorTable(t *testing.T) {
	schema := parquet.SchemaOf(PredictionRow{})
	var rows []parquet.Row
	for i := 0; i < 50; i++ {
		rows = append(rows, schema.Deconstruct(nil, PredictionRow{ID: string(rune('a' + i%26)), MaskedText: strings.Repeat("x", i)}))
	}
	var got bytes.Buffer
	w, err := NewBatchWriterTo(&got, "buf", Parquet, MirrorTable(schema), WithBatchRows(math.MaxInt))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	pf, err := parquet.OpenFile(bytes.NewReader(got.Bytes()), int64(got.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(pf.RowGroups()); n != 1 {
		t.Fatalf("%d row groups, want 1", n)
	}
	back := make([]parquet.Row, len(rows)+1)
	rr := pf.RowGroups()[0].Rows()
	defer rr.Close()
	n, err := rr.ReadRows(back)
	if err != nil && err != io.EOF {
		t.Fatal(err)
	}
	if n != len(rows) {
		t.Fatalf("read back %d rows, want %d", n, len(rows))
	}
	for i := range rows {
		if !rows[i].Equal(back[i]) {
			t.Fatalf("row %d: read back %v, wrote %v", i, back[i], rows[i])
		}
	}
}
