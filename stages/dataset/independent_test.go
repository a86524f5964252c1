package dataset

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
)

// TestIndependentReaders reads the written Parquet with DuckDB and the Arrow
// IPC files with apache-arrow (npm, scripts/check-parquet; installed by
// scripts/setup-check-parquet.sh) and checks they see the same rows.
func TestIndependentReaders(t *testing.T) {
	script, _ := filepath.Abs("../../scripts/check-parquet/check.mjs")
	mods := filepath.Join(filepath.Dir(script), "node_modules", "@duckdb", "node-api")
	node, err := exec.LookPath("node")
	if _, serr := os.Stat(mods); err != nil || serr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node or %s missing under CI: run scripts/setup-check-parquet.sh", mods)
		}
		t.Skip("independent readers not installed: run scripts/setup-check-parquet.sh")
	}
	dir := t.TempDir()
	writeTestDataset(t, dir, true)
	out, err := exec.Command(node, script, dir).Output()
	if err != nil {
		t.Fatalf("check.mjs: %v\n%s", err, out)
	}
	type row struct {
		ID            string    `json:"id"`
		Window        int       `json:"window"`
		Labels        []int32   `json:"labels"`
		Offsets       [][]int32 `json:"offsets"`
		AttentionMask []int8    `json:"attention_mask"`
	}
	type file struct {
		Rows    int `json:"rows"`
		Columns []struct {
			Name string `json:"name"`
			Type string `json:"type"`
		} `json:"columns"`
		Data []row `json:"data"`
	}
	var got map[string]file
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("check.mjs output: %v\n%s", err, out)
	}
	want := map[string][]row{}
	for _, r := range testRows() {
		want[r.Split] = append(want[r.Split], row{r.ID, r.Window, r.Labels, pairs(r.Offsets), r.AttentionMask})
	}
	duckTypes := map[string]string{"id": "VARCHAR", "language": "VARCHAR", "window": "INTEGER", "input_ids": "INTEGER[]",
		"attention_mask": "TINYINT[]", "token_type_ids": "TINYINT[]", "labels": "INTEGER[]", "offsets": "INTEGER[][]", "split": "VARCHAR"}
	for _, split := range SplitNames() {
		for _, ext := range []string{".parquet", ".arrow"} {
			f, ok := got[split+ext]
			if !ok {
				t.Errorf("%s%s not read", split, ext)
				continue
			}
			if f.Rows != len(want[split]) || (len(want[split]) > 0 && !reflect.DeepEqual(f.Data, want[split])) {
				t.Errorf("%s%s: %d rows %+v, want %+v", split, ext, f.Rows, f.Data, want[split])
			}
			if len(f.Columns) != len(duckTypes) {
				t.Errorf("%s%s columns = %+v", split, ext, f.Columns)
			}
			if ext == ".parquet" {
				for _, c := range f.Columns {
					if duckTypes[c.Name] != c.Type {
						t.Errorf("%s: DuckDB reads %s as %s, want %s", split, c.Name, c.Type, duckTypes[c.Name])
					}
				}
			}
		}
	}
}

// TestArrowSplitsAreIPCStream checks with apache-arrow (scripts/check-parquet/
// arrow.mjs) that every split's .arrow file is the Arrow IPC stream format,
// the project's one meaning of .arrow and what Hugging Face datasets reads.
func TestArrowSplitsAreIPCStream(t *testing.T) {
	script, _ := filepath.Abs("../../scripts/check-parquet/arrow.mjs")
	mods := filepath.Join(filepath.Dir(script), "node_modules", "apache-arrow")
	node, err := exec.LookPath("node")
	if _, serr := os.Stat(mods); err != nil || serr != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("node or %s missing under CI: run scripts/setup-check-parquet.sh", mods)
		}
		t.Skip("apache-arrow (npm) not installed: run scripts/setup-check-parquet.sh")
	}
	dir := t.TempDir()
	writeTestDataset(t, dir, false)
	want := map[string]int{}
	for _, r := range testRows() {
		want[filepath.Join(dir, r.Split+".arrow")]++
	}
	args := []string{script}
	for p := range want {
		args = append(args, p)
	}
	out, err := exec.Command(node, args...).Output()
	if err != nil {
		t.Fatalf("arrow.mjs: %v", err)
	}
	var got map[string]struct {
		Format string            `json:"format"`
		Rows   []json.RawMessage `json:"rows"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("arrow.mjs output: %v\n%s", err, out)
	}
	for p, n := range want {
		g := got[p]
		if g.Format != "stream" || len(g.Rows) != n {
			t.Errorf("%s: apache-arrow read the IPC %q format with %d rows, want stream with %d", filepath.Base(p), g.Format, len(g.Rows), n)
		}
	}
}
