package hf

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoldenVariants checks components no shipped file uses (NFC/NFD/NFKC/
// NFKD, Lowercase, Strip, Replace, Whitespace, Punctuation, Digits, Split,
// Metaspace schemes, a lookahead regex, add_prefix_space) against goldens of
// the Rust library for the same patched files (testdata/variants.json).
func TestGoldenVariants(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "variants.json"))
	if err != nil {
		t.Fatal(err)
	}
	var variants []struct {
		Name  string                     `json:"name"`
		Base  string                     `json:"base"`
		Patch map[string]json.RawMessage `json:"patch"`
	}
	if err := json.Unmarshal(data, &variants); err != nil {
		t.Fatal(err)
	}
	for _, v := range variants {
		t.Run(v.Name, func(t *testing.T) {
			kind, rest, _ := strings.Cut(v.Base, ":")
			var base string
			if kind == "shared" {
				base = filepath.Join(sharedDir(t), rest, "tokenizer.json")
			} else {
				base = filepath.Join("testdata", rest)
			}
			raw, err := os.ReadFile(base)
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]json.RawMessage
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatal(err)
			}
			for k, p := range v.Patch {
				doc[k] = p
			}
			patched, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := LoadBytes(patched)
			if err != nil {
				t.Fatal(err)
			}
			checkGoldens(t, tok, readGoldens(t, "variant-"+v.Name))
		})
	}
}
