package tokenize

import (
	"hash/fnv"
	"unicode"
)

// testTokenizer is a small deterministic tokenizer for tests: words are runs
// of letters/digits; every other non-space code point is a word of its own;
// words longer than 3 code points are cut into 3-code-point pieces, pieces
// after the first prefixed "##". With addSpecial the text is wrapped in
// [CLS] … [SEP]. Offsets are code points.
type testTokenizer struct{}

const (
	testCLS = 1
	testSEP = 2
)

func testID(tok string) int {
	h := fnv.New32a()
	h.Write([]byte(tok))
	return 10 + int(h.Sum32()%5000)
}

func (testTokenizer) Encode(text string, addSpecial bool) (*Encoding, error) {
	e := &Encoding{}
	add := func(id int, tok string, s, end, word, special int) {
		e.IDs = append(e.IDs, id)
		e.Tokens = append(e.Tokens, tok)
		e.TypeIDs = append(e.TypeIDs, 0)
		e.AttentionMask = append(e.AttentionMask, 1)
		e.SpecialTokensMask = append(e.SpecialTokensMask, special)
		e.Offsets = append(e.Offsets, [2]int{s, end})
		e.WordIDs = append(e.WordIDs, word)
	}
	if addSpecial {
		add(testCLS, "[CLS]", 0, 0, -1, 1)
	}
	rs := []rune(text)
	word := 0
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case !isWord(r):
			add(testID(string(r)), string(r), i, i+1, word, 0)
			word++
			i++
		default:
			j := i
			for j < len(rs) && isWord(rs[j]) {
				j++
			}
			for k := i; k < j; k += 3 {
				end := min(k+3, j)
				tok := string(rs[k:end])
				if k > i {
					tok = "##" + tok
				}
				add(testID(tok), tok, k, end, word, 0)
			}
			word++
			i = j
		}
	}
	if addSpecial {
		add(testSEP, "[SEP]", 0, 0, -1, 1)
	}
	return e, nil
}

func (testTokenizer) VocabSize() int { return 5010 }

func (testTokenizer) TokenToID(tok string) (int, bool) {
	switch tok {
	case "[CLS]":
		return testCLS, true
	case "[SEP]":
		return testSEP, true
	}
	return testID(tok), true
}

func (testTokenizer) PadID() int { return 0 }
