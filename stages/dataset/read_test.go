package dataset

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadTokenRowsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w, err := NewTokenWriter(TokenWriterOptions{Dir: dir, Parquet: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{ID: "a", Language: "fr", Window: 0, InputIDs: []int32{101, 7, 8, 102}, AttentionMask: []int8{1, 1, 1, 1}, Labels: []int32{-100, 1, 2, -100}, Offsets: [][2]int32{{0, 0}, {0, 3}, {3, 5}, {0, 0}}, Split: Train},
		{ID: "a", Language: "fr", Window: 1, InputIDs: []int32{101, 9, 102}, AttentionMask: []int8{1, 1, 1}, Labels: []int32{-100, 0, -100}, Offsets: [][2]int32{{0, 0}, {5, 6}, {0, 0}}, Split: Train},
		{ID: "b", Language: "en", InputIDs: []int32{101, 102}, AttentionMask: []int8{1, 1}, Labels: []int32{-100, -100}, Offsets: [][2]int32{{0, 0}, {0, 0}}, Split: Test},
	}
	for _, r := range want {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var got []Row
	err = ReadTokenRows(context.Background(), filepath.Join(dir, "train.parquet"), func(r Row) error { got = append(got, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("read %d train rows, want 2", len(got))
	}
	for i, r := range got {
		if r.ID != want[i].ID || r.Window != want[i].Window || len(r.InputIDs) != len(want[i].InputIDs) {
			t.Fatalf("row %d = %+v, want %+v", i, r, want[i])
		}
		for k := range r.Labels {
			if r.Labels[k] != want[i].Labels[k] || r.InputIDs[k] != want[i].InputIDs[k] {
				t.Fatalf("row %d token %d differs", i, k)
			}
		}
	}
}

func TestReadTokenRowsErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.parquet")
	os.WriteFile(bad, []byte("not parquet at all"), 0o644)
	cases := []struct{ path, want string }{
		{filepath.Join(dir, "missing.parquet"), "no such file"},
		{bad, "bad.parquet: not a readable Parquet file"},
	}
	for _, tc := range cases {
		err := ReadTokenRows(context.Background(), tc.path, func(Row) error { return nil })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadTokenRows(%s) = %v, want %q", tc.path, err, tc.want)
		}
	}
}
