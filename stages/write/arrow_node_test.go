package write

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

// nodeArrow runs scripts/check-parquet/arrow.mjs (apache-arrow from npm,
// installed by scripts/setup-check-parquet.sh) on files and returns what it
// read, keyed by file. Without node or the package it skips, or fails under CI.
func nodeArrow(t *testing.T, files ...string) map[string]NodeArrowFile {
	t.Helper()
	script, _ := filepath.Abs("../../scripts/check-parquet/arrow.mjs")
	mods := filepath.Join(filepath.Dir(script), "node_modules", "apache-arrow")
	node, err := exec.LookPath("node")
	if _, serr := os.Stat(mods); err != nil || serr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node or %s missing under CI: run scripts/setup-check-parquet.sh", mods)
		}
		t.Skip("apache-arrow (npm) not installed: run scripts/setup-check-parquet.sh")
	}
	out, err := exec.Command(node, append([]string{script}, files...)...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("arrow.mjs: %v\n%s", err, stderr)
	}
	var got map[string]NodeArrowFile
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("arrow.mjs output: %v\n%s", err, out)
	}
	return got
}

// NodeArrowFile is what arrow.mjs reports of one file.
type NodeArrowFile struct {
	Format  string `json:"format"`
	Batches int    `json:"batches"`
	Columns []struct {
		Name string `json:"name"`
	} `json:"columns"`
	Rows []PredictionRow `json:"rows"`
}

// TestArrowConventionWithApacheArrow writes the same predictions as .arrow
// and .feather and reads both with apache-arrow (JavaScript): .arrow is the
// IPC stream format (what Hugging Face datasets' arrow loader reads),
// .feather the IPC file format, and both hold the same rows.
func TestArrowConventionWithApacheArrow(t *testing.T) {
	dir := t.TempDir()
	rows := manyRows(150)
	paths := map[Format]string{}
	for _, f := range []Format{Arrow, Feather} {
		p := filepath.Join(dir, "predictions"+f.Ext())
		w, err := NewPredictionWriter(p, f, WithBatchRows(64))
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
		paths[f] = p
	}
	got := nodeArrow(t, paths[Arrow], paths[Feather])
	for f, want := range map[Format]string{Arrow: "stream", Feather: "file"} {
		g, ok := got[paths[f]]
		if !ok {
			t.Fatalf("%s not read", paths[f])
		}
		if g.Format != want {
			t.Errorf("%s: apache-arrow reads the IPC %s format, want %s", filepath.Base(paths[f]), g.Format, want)
		}
		if g.Batches != 3 {
			t.Errorf("%s: %d record batches, want 3", filepath.Base(paths[f]), g.Batches)
		}
		var cols []string
		for _, c := range g.Columns {
			cols = append(cols, c.Name)
		}
		if want := []string{"id", "method", "language", "spans", "masked_text", "failure"}; !reflect.DeepEqual(cols, want) {
			t.Errorf("%s: columns %v, want %v", filepath.Base(paths[f]), cols, want)
		}
		if !reflect.DeepEqual(normalise(g.Rows), normalise(rows)) {
			t.Errorf("%s: apache-arrow rows differ from those written", filepath.Base(paths[f]))
		}
	}
}
