package train

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

type listVocab []string

func (v listVocab) VocabSize() int { return len(v) }
func (v listVocab) IDToToken(id int) (string, bool) {
	if id < 0 || id >= len(v) {
		return "", false
	}
	return v[id], true
}

func TestVocabFeatures(t *testing.T) {
	en := NewDictionary("en", []string{"thank", "weather", "Tuesday", "Paris", "apple's", "rose"})
	fr := NewDictionary("fr", []string{"météo", "merci"})
	if en.Has("tuesday") || en.Has("paris") || en.Has("apple's") || !en.Has("thank") {
		t.Fatal("dictionary kept a proper noun or an apostrophe entry, or lost a word")
	}
	names := FeatureNames([]*Dictionary{en, fr})
	col := func(name string) int { return slices.Index(names, name) }
	tests := []struct {
		tok  string
		want []string // features set, all others 0
	}{
		{"[CLS]", []string{"special"}},
		{"Thank", []string{"first_upper", "titlecase", "dictionary:en"}},
		{"##son", []string{"continuation", "all_lower", "length_2_4"}},
		{"thank", []string{"all_lower", "dictionary:en"}},
		{"IBAN", []string{"first_upper", "all_upper", "length_2_4"}},
		{"2024", []string{"has_digit", "all_digits", "digits_3_5", "length_2_4"}},
		{"@", []string{"punctuation", "length_1", "has_at"}},
		{"météo", []string{"all_lower", "non_ascii_letter", "dictionary:fr"}},
		{"A1234567", []string{"first_upper", "has_digit", "digits_6_plus", "length_8_plus"}},
		{"x.com", []string{"all_lower", "has_dot_slash_colon"}},
		{"7", []string{"has_digit", "all_digits", "digits_1_2", "length_1"}},
	}
	var vocab listVocab
	for _, tc := range tests {
		vocab = append(vocab, tc.tok)
	}
	feats, nf := VocabFeatures(vocab, []*Dictionary{en, fr})
	if nf != len(names) || len(feats) != len(vocab)*nf {
		t.Fatalf("%d features, %d values", nf, len(feats))
	}
	for id, tc := range tests {
		want := map[int]bool{}
		for _, n := range tc.want {
			if col(n) < 0 {
				t.Fatalf("no feature %q", n)
			}
			want[col(n)] = true
		}
		for c := range nf {
			got := feats[id*nf+c] == 1
			if got != want[c] {
				t.Errorf("%q: %s = %v, want %v", tc.tok, names[c], got, want[c])
			}
		}
	}
	// SentencePiece vocabularies: "▁" starts a word, its absence continues one.
	sp := listVocab{"<unk>", "<s>", "<0x41>", "▁Thank", "son", "▁the", "▁merci", "▁a", "b", "c", "d"}
	feats, nf = VocabFeatures(sp, []*Dictionary{en, fr})
	row := func(id int) []float32 { return feats[id*nf : (id+1)*nf] }
	if row(2)[col("special")] != 1 || row(3)[col("continuation")] != 0 || row(3)[col("dictionary:en")] != 1 ||
		row(4)[col("continuation")] != 1 || row(6)[col("dictionary:fr")] != 1 {
		t.Errorf("SentencePiece features wrong: %v %v %v", row(2), row(3), row(4))
	}
}

func TestLoadDictionary(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "words")
	os.WriteFile(p, []byte("Alice\nalice\nbob's\ncat\n"), 0o644)
	d, err := LoadDictionary(p)
	if err != nil || d.Len() != 2 || d.Name != "words" {
		t.Fatalf("dictionary %+v, %v", d, err)
	}
	if _, err := LoadDictionary(filepath.Join(dir, "missing")); err == nil || !strings.Contains(err.Error(), "wamerican") {
		t.Errorf("missing file: %v", err)
	}
	os.WriteFile(p, []byte("ok\n\xff\xfe\n"), 0o644)
	if _, err := LoadDictionary(p); err == nil || !strings.Contains(err.Error(), ":2: not UTF-8") {
		t.Errorf("bad encoding: %v", err)
	}
}
