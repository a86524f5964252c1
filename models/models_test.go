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

func TestBuiltinDecoder(t *testing.T) {
	if got := Names(); len(got) != 2 || got[0] != "baseline" || got[1] != "decoder" {
		t.Fatalf("Names() = %v, want [baseline decoder]", got)
	}
	dir, err := Materialize("builtin:decoder", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"model.onnx", "config.json", "tokenizer.json", "tokenizer_config.json"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Fatalf("%s missing or empty: %v", f, err)
		}
	}
	var tc struct {
		PaddingSide string `json:"padding_side"`
	}
	data, _ := os.ReadFile(filepath.Join(dir, "tokenizer_config.json"))
	if err := json.Unmarshal(data, &tc); err != nil || tc.PaddingSide != "left" {
		t.Fatalf("tokenizer_config.json padding_side = %q (%v), want left", tc.PaddingSide, err)
	}
	var cfg struct {
		IsDecoder   bool     `json:"is_decoder"`
		WindowRight int      `json:"window_right"`
		Inputs      []string `json:"onnx_inputs"`
	}
	data, _ = os.ReadFile(filepath.Join(dir, "config.json"))
	if err := json.Unmarshal(data, &cfg); err != nil || !cfg.IsDecoder || cfg.WindowRight != 0 ||
		len(cfg.Inputs) != 3 || cfg.Inputs[2] != "position_ids" {
		t.Fatalf("config.json: %+v (%v), want a decoder with inputs …, position_ids and no right window", cfg, err)
	}
}
