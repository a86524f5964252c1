package hf

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// sharedDir finds ../shared/tokenizers beside the repository root (the
// directory holding go.mod). It skips the test when absent, unless CI is set.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
	sd := filepath.Join(dir, "..", "shared", "tokenizers")
	if _, err := os.Stat(sd); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared tokenizers folder %s missing (CI set): %v", sd, err)
		}
		t.Skipf("shared tokenizers folder %s missing; skipping", sd)
	}
	return sd
}

type golden struct {
	Text              string   `json:"text"`
	AddSpecial        bool     `json:"add_special"`
	IDs               []int    `json:"ids"`
	Tokens            []string `json:"tokens"`
	Offsets           [][2]int `json:"offsets"`
	TypeIDs           []int    `json:"type_ids"`
	AttentionMask     []int    `json:"attention_mask"`
	SpecialTokensMask []int    `json:"special_tokens_mask"`
	WordIDs           []int    `json:"word_ids"`
}

func readGoldens(t testing.TB, name string) []golden {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "goldens", name+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []golden
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		var g golden
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatalf("%s.jsonl line %d: %v", name, line, err)
		}
		out = append(out, g)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGoldenShared(t *testing.T) {
	sd := sharedDir(t)
	for _, name := range []string{"bert-base-multilingual-cased", "gpt2", "roberta-base", "phi-3-mini", "t5-small"} {
		t.Run(name, func(t *testing.T) {
			tok, err := Load(filepath.Join(sd, name, "tokenizer.json"))
			if err != nil {
				t.Fatal(err)
			}
			checkGoldens(t, tok, readGoldens(t, name))
		})
	}
}

func checkGoldens(t *testing.T, tok *Tokenizer, gs []golden) {
	t.Helper()
	exact, shown := 0, 0
	for i, g := range gs {
		e, err := tok.Encode(g.Text, g.AddSpecial)
		if err != nil {
			t.Errorf("line %d %q: %v", i+1, g.Text, err)
			continue
		}
		ok := reflect.DeepEqual(e.IDs, g.IDs) && reflect.DeepEqual(e.Offsets, g.Offsets)
		full := ok && reflect.DeepEqual(e.Tokens, g.Tokens) && reflect.DeepEqual(e.TypeIDs, g.TypeIDs) &&
			reflect.DeepEqual(e.SpecialTokensMask, g.SpecialTokensMask) && reflect.DeepEqual(e.WordIDs, g.WordIDs) &&
			reflect.DeepEqual(e.AttentionMask, g.AttentionMask)
		if full {
			exact++
			continue
		}
		if shown < 5 {
			shown++
			t.Errorf("line %d %q (special=%v):\n got ids %v\nwant ids %v\n got tok %q\nwant tok %q\n got off %v\nwant off %v\n got words %v\nwant words %v\n got stm %v\nwant stm %v",
				i+1, g.Text, g.AddSpecial, e.IDs, g.IDs, e.Tokens, g.Tokens, e.Offsets, g.Offsets, e.WordIDs, g.WordIDs, e.SpecialTokensMask, g.SpecialTokensMask)
		}
	}
	t.Logf("%d/%d encodings identical (ids, tokens, offsets, type ids, masks, word ids): %.1f%%", exact, len(gs), 100*float64(exact)/float64(len(gs)))
	if exact != len(gs) {
		t.Errorf("%d of %d encodings differ", len(gs)-exact, len(gs))
	}
}
