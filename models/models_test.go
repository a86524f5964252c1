package models

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestMaterialize(t *testing.T) {
	cache := t.TempDir()
	dir, err := Materialize("builtin:baseline", cache)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"model.onnx", "config.json", "tokenizer.json"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Fatalf("%s missing or empty: %v", f, err)
		}
	}
	var cfg struct {
		ID2Label map[string]string `json:"id2label"`
	}
	data, _ := os.ReadFile(filepath.Join(dir, "config.json"))
	if err := json.Unmarshal(data, &cfg); err != nil || cfg.ID2Label["0"] != "O" {
		t.Fatalf("config.json id2label wrong: %v %v", err, cfg.ID2Label["0"])
	}
	again, err := Materialize("baseline", cache)
	if err != nil || again != dir {
		t.Fatalf("second call = %q, %v; want the same directory %q", again, err, dir)
	}
	if _, err := Materialize("builtin:nope", cache); err == nil {
		t.Fatal("unknown model accepted")
	}
	entries, _ := os.ReadDir(cache)
	if len(entries) != 1 {
		t.Fatalf("cache holds %d entries, want 1 (no temporary leftovers)", len(entries))
	}
}
