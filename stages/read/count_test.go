package read

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"
)

func TestCountRows(t *testing.T) {
	dir := t.TempDir()
	type row struct {
		ID   string `parquet:"id"`
		Text string `parquet:"text"`
	}
	writeParquet := func(name string, n int) string {
		p := filepath.Join(dir, name)
		rows := make([]row, n)
		if err := parquet.WriteFile(p, rows); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b := writeParquet("a.parquet", 7), writeParquet("b.parquet", 5)
	jsonl := filepath.Join(dir, "c.jsonl")
	os.WriteFile(jsonl, []byte("{}\n"), 0o644)
	cases := []struct {
		name   string
		paths  []string
		want   int64
		wantOK bool
	}{
		{"parquet files", []string{a, b}, 12, true},
		{"a jsonl file makes it unknown", []string{a, jsonl}, 0, false},
		{"missing file", []string{filepath.Join(dir, "nope.parquet")}, 0, false},
		{"no files", nil, 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := CountRows(tc.paths, Options{})
			if got != tc.want || ok != tc.wantOK {
				t.Fatalf("CountRows = %d, %v; want %d, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}
