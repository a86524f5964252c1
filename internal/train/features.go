package train

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Vocabulary is what VocabFeatures needs of a tokenizer.
type Vocabulary interface {
	VocabSize() int
	IDToToken(id int) (string, bool)
}

// Dictionary is a set of common lowercase words (one language's word list).
type Dictionary struct {
	Name  string
	words map[string]bool
}

// Len is the number of words kept.
func (d *Dictionary) Len() int { return len(d.words) }

// Has reports whether word (already lowercased) is in the dictionary.
func (d *Dictionary) Has(word string) bool { return d.words[word] }

// NewDictionary builds a dictionary from words, keeping only the entries
// written in lowercase (a capitalised entry is a proper noun: "Paris",
// "Sarah", "Tuesday") and without an apostrophe ("apple's").
func NewDictionary(name string, words []string) *Dictionary {
	d := &Dictionary{Name: name, words: map[string]bool{}}
	for _, w := range words {
		w = strings.TrimSpace(w)
		if w == "" || strings.ContainsAny(w, "'’") || strings.ToLower(w) != w {
			continue
		}
		d.words[w] = true
	}
	return d
}

// LoadDictionary reads a word list, one word a line (UTF-8, e.g. Debian's
// /usr/share/dict/american-english from wamerican or /usr/share/dict/french
// from wfrench), named after the file.
func LoadDictionary(path string) (*Dictionary, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dictionary: %w (on Debian: apt-get install wamerican wfrench)", err)
	}
	defer f.Close()
	var words []string
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		if !utf8.Valid(sc.Bytes()) {
			return nil, fmt.Errorf("dictionary %s:%d: not UTF-8", path, line)
		}
		words = append(words, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("dictionary %s: %w", path, err)
	}
	d := NewDictionary(filepath.Base(path), words)
	if d.Len() == 0 {
		return nil, fmt.Errorf("dictionary %s: no lowercase words", path)
	}
	return d, nil
}

// baseFeatures names the word-shape features of VocabFeatures, in column order.
var baseFeatures = []string{
	"continuation", "first_upper", "all_upper", "all_lower", "titlecase",
	"has_digit", "all_digits", "digits_1_2", "digits_3_5", "digits_6_plus",
	"punctuation", "non_ascii_letter", "length_1", "length_2_4", "length_8_plus",
	"special", "has_at", "has_dot_slash_colon",
}

// FeatureNames lists the columns VocabFeatures computes with dicts.
func FeatureNames(dicts []*Dictionary) []string {
	out := append([]string(nil), baseFeatures...)
	for _, d := range dicts {
		out = append(out, "dictionary:"+d.Name)
	}
	return out
}

// isSpecial tells tokens such as [CLS], [PAD], <s>, </s>, <unk> and the byte
// fallback pieces <0x41>.
func isSpecial(tok string) bool {
	if len(tok) >= 3 && tok[0] == '[' && tok[len(tok)-1] == ']' {
		return strings.ToUpper(tok) == tok
	}
	return len(tok) >= 3 && tok[0] == '<' && tok[len(tok)-1] == '>'
}

// VocabFeatures computes the fixed feature table of a ConvTagger: one row of
// len(FeatureNames(dicts)) 0/1 values per vocabulary id, from the token's
// text. WordPiece vocabularies mark continuation pieces with "##"; when the
// vocabulary uses SentencePiece's "▁" word-start marker instead (byte-fallback
// BPE), a piece without it is the continuation. The dictionary columns are
// set for word-start pieces whose lowercased text is in the dictionary.
func VocabFeatures(v Vocabulary, dicts []*Dictionary) ([]float32, int) {
	n := v.VocabSize()
	nf := len(baseFeatures) + len(dicts)
	sentencePiece := 0
	for id := range n {
		if tok, ok := v.IDToToken(id); ok && strings.HasPrefix(tok, "▁") {
			sentencePiece++
		}
	}
	spStyle := sentencePiece > n/10
	out := make([]float32, n*nf)
	for id := range n {
		tok, ok := v.IDToToken(id)
		if !ok {
			continue
		}
		row := out[id*nf : (id+1)*nf]
		set := func(i int, b bool) {
			if b {
				row[i] = 1
			}
		}
		if isSpecial(tok) {
			row[15] = 1
			continue
		}
		surface, cont := tok, false
		if spStyle {
			if s, ok := strings.CutPrefix(tok, "▁"); ok {
				surface = s
			} else {
				cont = true
			}
		} else if s, ok := strings.CutPrefix(tok, "##"); ok && s != "" {
			surface, cont = s, true
		}
		var letters, upper, lower, digits, nonASCII, other, runes int
		first := rune(-1)
		restLower := true
		for i, r := range surface {
			runes++
			if first < 0 {
				first = r
			}
			switch {
			case unicode.IsLetter(r):
				letters++
				if unicode.IsUpper(r) {
					upper++
					if i > 0 {
						restLower = false
					}
				} else if unicode.IsLower(r) {
					lower++
				}
				if r >= utf8.RuneSelf {
					nonASCII++
				}
			case unicode.IsDigit(r):
				digits++
				restLower = false
			default:
				other++
				restLower = false
			}
		}
		set(0, cont)
		set(1, first >= 0 && unicode.IsUpper(first))
		set(2, letters >= 2 && upper == letters)
		set(3, letters > 0 && lower == letters)
		set(4, runes >= 2 && unicode.IsUpper(first) && restLower && letters == runes)
		set(5, digits > 0)
		set(6, runes > 0 && digits == runes)
		set(7, digits >= 1 && digits <= 2)
		set(8, digits >= 3 && digits <= 5)
		set(9, digits >= 6)
		set(10, runes > 0 && letters == 0 && digits == 0)
		set(11, nonASCII > 0)
		set(12, runes == 1)
		set(13, runes >= 2 && runes <= 4)
		set(14, runes >= 8)
		set(16, strings.Contains(surface, "@"))
		set(17, strings.ContainsAny(surface, "./:"))
		if !cont && letters > 0 {
			low := strings.ToLower(surface)
			for i, d := range dicts {
				set(len(baseFeatures)+i, d.Has(low))
			}
		}
	}
	return out, nf
}
