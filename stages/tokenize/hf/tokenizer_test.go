package hf

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestModelInference(t *testing.T) {
	cases := []struct {
		name, json, text string
		wantTokens       []string
		wantOffsets      [][2]int
	}{
		{"wordpiece", `{"model":{"unk_token":"[UNK]","continuing_subword_prefix":"##","max_input_chars_per_word":100,
			"vocab":{"[UNK]":0,"un":1,"##aff":2,"##able":3}},"pre_tokenizer":{"type":"WhitespaceSplit"}}`,
			"unaffable x", []string{"un", "##aff", "##able", "[UNK]"}, [][2]int{{0, 2}, {2, 5}, {5, 9}, {10, 11}}},
		{"bpe", `{"model":{"vocab":{"a":0,"b":1,"ab":2,"c":3},"merges":["a b"]}}`,
			"abcab", []string{"ab", "c", "ab"}, [][2]int{{0, 2}, {2, 3}, {3, 5}}},
		{"bpe-array-merges", `{"model":{"vocab":{"a":0,"b":1,"ab":2},"merges":[["a","b"]]}}`,
			"aab", []string{"a", "ab"}, [][2]int{{0, 1}, {1, 3}}},
		{"unigram", `{"model":{"unk_id":0,"vocab":[["<unk>",0],["a",-1],["b",-1],["ab",-0.5],["abc",-5],["c",-2]]}}`,
			"abcx", []string{"ab", "c", "x"}, [][2]int{{0, 2}, {2, 3}, {3, 4}}},
		{"unigram-byte-fallback", `{"model":{"unk_id":0,"byte_fallback":true,"vocab":[["<unk>",0],["a",-1],["b",-1],["ab",-0.5],["<0xC3>",-3],["<0xA9>",-3]]}}`,
			"abé", []string{"ab", "<0xC3>", "<0xA9>"}, [][2]int{{0, 2}, {2, 3}, {2, 3}}},
		{"bpe-byte-fallback", `{"model":{"unk_token":"<unk>","byte_fallback":true,"fuse_unk":true,
			"vocab":{"<unk>":0,"a":1,"<0xC3>":2,"<0xA9>":3},"merges":[]}}`,
			"aéa", []string{"a", "<0xC3>", "<0xA9>", "a"}, [][2]int{{0, 1}, {1, 2}, {1, 2}, {2, 3}}},
		{"bpe-fuse-unk", `{"model":{"unk_token":"<unk>","fuse_unk":true,"vocab":{"<unk>":0,"a":1},"merges":[]}}`,
			"axyа", []string{"a", "<unk>"}, [][2]int{{0, 1}, {1, 4}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := LoadBytes([]byte(c.json))
			if err != nil {
				t.Fatal(err)
			}
			e, err := tok.Encode(c.text, true)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(e.Tokens, c.wantTokens) || !reflect.DeepEqual(e.Offsets, c.wantOffsets) {
				t.Errorf("got %q %v, want %q %v", e.Tokens, e.Offsets, c.wantTokens, c.wantOffsets)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct{ name, json, want string }{
		{"normalizer", `{"normalizer":{"type":"FancyNorm"},"model":{"vocab":{"a":0},"merges":[]}}`, `unsupported normalizer "FancyNorm"`},
		{"pre_tokenizer", `{"pre_tokenizer":{"type":"Whatever"},"model":{"vocab":{"a":0},"merges":[]}}`, `unsupported pre_tokenizer "Whatever"`},
		{"post_processor", `{"post_processor":{"type":"Odd"},"model":{"vocab":{"a":0},"merges":[]}}`, `unsupported post_processor "Odd"`},
		{"model", `{"model":{"type":"WordLevel","vocab":{"a":0}}}`, `unsupported model "WordLevel"`},
		{"no-model", `{"model":{}}`, `cannot infer the model type`},
		{"bad-merge", `{"model":{"vocab":{"a":0},"merges":["a b"]}}`, `merges[0]`},
		{"bad-regex", `{"pre_tokenizer":{"type":"Split","pattern":{"Regex":"(unclosed"},"behavior":"Isolated"},"model":{"vocab":{"a":0},"merges":[]}}`, `regex "(unclosed"`},
		{"not-json", `{`, `parse tokenizer.json`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadBytes([]byte(c.json))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
		})
	}
	// Load names the file.
	dir := t.TempDir()
	p := filepath.Join(dir, "tokenizer.json")
	if err := os.WriteFile(p, []byte(cases[0].json), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "FancyNorm") {
		t.Fatalf("Load err = %v, want file name and component", err)
	}
	if _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("Load of a missing path: want error")
	}
}

func TestLoadDirectoryWithConfig(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "trained-bpe.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "tokenizer.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := `{"padding_side":"left","model_max_length":512,"add_bos_token":true,"pad_token":"</s>"}`
	if err := os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	tok, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Config.PaddingSide != "left" || tok.Config.ModelMaxLength != 512 || tok.Config.AddBOS == nil || !*tok.Config.AddBOS {
		t.Errorf("config = %+v", tok.Config)
	}
	if tok.PadID() != 2 || tok.Config.PadToken != "</s>" {
		t.Errorf("pad = %d %q, want 2 </s>", tok.PadID(), tok.Config.PadToken)
	}
	if s, ok := tok.IDToToken(1); !ok || s != "<s>" {
		t.Errorf("IDToToken(1) = %q %v", s, ok)
	}
	if tok.VocabSize() != 700 {
		t.Errorf("VocabSize = %d, want 700", tok.VocabSize())
	}
	e, err := tok.Encode("Bonjour 🙂", true)
	if err != nil {
		t.Fatal(err)
	}
	if e.IDs[0] != 1 || e.SpecialTokensMask[0] != 1 || e.WordIDs[0] != -1 {
		t.Errorf("BOS not first: %v %v", e.IDs, e.Tokens)
	}
	// The emoji is not in the small vocabulary: four byte tokens sharing its span.
	n := e.Len()
	for i := n - 4; i < n; i++ {
		if !strings.HasPrefix(e.Tokens[i], "<0x") || e.Offsets[i] != [2]int{8, 9} {
			t.Errorf("token %d = %q %v, want a byte token over [8 9]", i, e.Tokens[i], e.Offsets[i])
		}
	}
}

func TestNormStr(t *testing.T) {
	cases := []struct {
		name      string
		in        string
		op        func(n *normStr)
		want      string
		wantAlign [][2]int
	}{
		{"prepend", "ab", func(n *normStr) { n.prepend("▁") }, "▁ab", [][2]int{{0, 1}, {0, 1}, {1, 2}}},
		{"append", "ab", func(n *normStr) { n.appendStr("!") }, "ab!", [][2]int{{0, 1}, {1, 2}, {1, 2}}},
		{"filter", "a\x00b\x00", func(n *normStr) { n.filter(func(r rune) bool { return r != 0 }) }, "ab", [][2]int{{0, 1}, {2, 3}}},
		{"replace-grow", "a b", func(n *normStr) { n.replaceMatches([][2]int{{1, 2}}, "__") }, "a__b", [][2]int{{0, 1}, {1, 2}, {1, 2}, {2, 3}}},
		// As in Rust, a replacement aligns to the last replaced code point.
		{"replace-shrink", "a  b", func(n *normStr) { n.replaceMatches([][2]int{{1, 3}}, "_") }, "a_b", [][2]int{{0, 1}, {2, 3}, {3, 4}}},
		{"nfd", "é", func(n *normStr) { _ = unicodeNorm{f: nfd}.normalize(n) }, "e\u0301", [][2]int{{0, 1}, {0, 1}}},
		{"nfc", "e\u0301x", func(n *normStr) { _ = unicodeNorm{f: nfc}.normalize(n) }, "éx", [][2]int{{0, 1}, {2, 3}}},
		{"strip", "  ab ", func(n *normStr) { _ = stripNorm{true, true}.normalize(n) }, "ab", [][2]int{{2, 3}, {3, 4}}},
		{"lowercase-dotted-I", "İa", func(n *normStr) { _ = lowercaseNorm{}.normalize(n) }, "i\u0307a", [][2]int{{0, 1}, {0, 1}, {1, 2}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := newNormStr([]rune(c.in), 0)
			c.op(n)
			if n.String() != c.want || !reflect.DeepEqual(n.align, c.wantAlign) {
				t.Errorf("got %q %v, want %q %v", n.String(), n.align, c.want, c.wantAlign)
			}
		})
	}
}

func TestEncodeConcurrentAndCancel(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "trained-bpe.json"))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := LoadBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	texts := corpus(t)
	want := make([][]int, len(texts))
	for i, s := range texts {
		e, err := tok.Encode(s, false)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = e.IDs
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, s := range texts {
				e, err := tok.Encode(s, false)
				if err != nil || !reflect.DeepEqual(e.IDs, want[i]) {
					t.Errorf("concurrent encode of text %d differs", i)
					return
				}
			}
		}()
	}
	wg.Wait()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tok.EncodeContext(ctx, "some text", false); !errors.Is(err, context.Canceled) {
		t.Errorf("EncodeContext after cancel: err = %v", err)
	}
}
