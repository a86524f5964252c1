package read

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCorruptParquetPages(t *testing.T) {
	dir := t.TempDir()
	rows := make([]row200k, 200)
	for i := range rows {
		rows[i] = row200k{SourceText: textFR, PrivacyMask: toPM(textFR, goldFR), ID: "x"}
	}
	p := writeParquet(t, filepath.Join(dir, "c.parquet"), rows, 50)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	// Keep the magic bytes and the footer, scramble the column data.
	for i := 4; i < len(data)/2; i++ {
		data[i] = 0xA5
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	res := readAll(t, []string{p}, Options{})
	if res.err == nil || !strings.Contains(res.err.Error(), p) || !strings.Contains(res.err.Error(), "row group") {
		t.Fatalf("err = %v, want an error naming the file and row group", res.err)
	}
}
