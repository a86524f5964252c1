package onnxtest

import (
	"encoding/json"
	"unicode"

	"github.com/piimask/piimask/stages/tokenize"
)

// WordPiece is a small cased WordPiece tokenizer (whitespace and punctuation
// pre-tokenizer, greedy longest match, "##" continuations, [CLS] … [SEP]).
// Ids 0–3 are [PAD], [UNK], [CLS], [SEP].
type WordPiece struct {
	vocab  map[string]int
	tokens []string
}

// NewWordPiece builds a tokenizer whose vocabulary is the four special tokens
// followed by pieces (continuations spelled with "##").
func NewWordPiece(pieces []string) *WordPiece {
	w := &WordPiece{vocab: map[string]int{}}
	for _, p := range append([]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]"}, pieces...) {
		if _, dup := w.vocab[p]; !dup {
			w.vocab[p] = len(w.tokens)
			w.tokens = append(w.tokens, p)
		}
	}
	return w
}

// VocabSize implements tokenize.Tokenizer.
func (w *WordPiece) VocabSize() int { return len(w.tokens) }

// TokenToID implements tokenize.Tokenizer.
func (w *WordPiece) TokenToID(t string) (int, bool) { id, ok := w.vocab[t]; return id, ok }

// PadID implements tokenize.Tokenizer.
func (w *WordPiece) PadID() int { return 0 }

// TokenizerJSON is a minimal tokenizer.json for this vocabulary (the method
// reads the model type, unk_token and continuing_subword_prefix from it).
func (w *WordPiece) TokenizerJSON() []byte {
	b, _ := json.Marshal(map[string]any{
		"version": "1.0",
		"model": map[string]any{
			"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
			"max_input_chars_per_word": 100, "vocab": w.vocab,
		},
	})
	return b
}

// Encode implements tokenize.Tokenizer.
func (w *WordPiece) Encode(text string, addSpecial bool) (*tokenize.Encoding, error) {
	e := &tokenize.Encoding{}
	add := func(tok string, id, start, end, word, special int) {
		e.IDs = append(e.IDs, id)
		e.Tokens = append(e.Tokens, tok)
		e.TypeIDs = append(e.TypeIDs, 0)
		e.AttentionMask = append(e.AttentionMask, 1)
		e.SpecialTokensMask = append(e.SpecialTokensMask, special)
		e.Offsets = append(e.Offsets, [2]int{start, end})
		e.WordIDs = append(e.WordIDs, word)
	}
	if addSpecial {
		add("[CLS]", 2, 0, 0, -1, 1)
	}
	runes := []rune(text)
	word := 0
	for i := 0; i < len(runes); {
		if unicode.IsSpace(runes[i]) {
			i++
			continue
		}
		j := i + 1
		if !isPunct(runes[i]) {
			for j < len(runes) && !unicode.IsSpace(runes[j]) && !isPunct(runes[j]) {
				j++
			}
		}
		w.word(runes, i, j, word, add)
		word++
		i = j
	}
	if addSpecial {
		add("[SEP]", 3, 0, 0, -1, 1)
	}
	return e, nil
}

func isPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

func (w *WordPiece) word(runes []rune, start, end, word int, add func(string, int, int, int, int, int)) {
	type piece struct {
		tok        string
		id, s, end int
	}
	var pieces []piece
	for s := start; s < end; {
		found := false
		for e := end; e > s; e-- {
			tok := string(runes[s:e])
			if s > start {
				tok = "##" + tok
			}
			if id, ok := w.vocab[tok]; ok {
				pieces = append(pieces, piece{tok, id, s, e})
				s = e
				found = true
				break
			}
		}
		if !found {
			add("[UNK]", 1, start, end, word, 0)
			return
		}
	}
	for _, p := range pieces {
		add(p.tok, p.id, p.s, p.end, word, 0)
	}
}
