package rules

import "bytes"

// keywords finds, in one pass over a document's lower-cased text, every
// occurrence of the words the recognizers are gated and scoped by, instead
// of one bytes.Index pass per word and recognizer.
type keywords struct {
	words []string
	bytes [][]byte // words as byte slices
	// byFirst lists the ids of the words starting with a byte.
	byFirst [256][]uint8
	// pair has bit (a<<8 | b) set when a word starts with bytes a, b (b is
	// 0 for one-byte words, which may end the text).
	pair [1 << 16 / 64]uint64
	// one marks first bytes of one-byte words: any second byte matches.
	one [256]bool
}

// maxKeywords bounds the number of distinct keywords (a uint64 mask).
const maxKeywords = 64

// id returns the id of word, adding it.
func (k *keywords) id(word string) (uint8, bool) {
	for i, w := range k.words {
		if w == word {
			return uint8(i), true
		}
	}
	if len(k.words) == maxKeywords || word == "" {
		return 0, false
	}
	k.words = append(k.words, word)
	k.bytes = append(k.bytes, []byte(word))
	i := uint8(len(k.words) - 1)
	k.byFirst[word[0]] = append(k.byFirst[word[0]], i)
	if len(word) == 1 {
		k.one[word[0]] = true
	} else {
		p := uint16(word[0])<<8 | uint16(word[1])
		k.pair[p/64] |= 1 << (p % 64)
	}
	return i, true
}

// mask returns the bit set of words, adding them; ok is false when there
// are too many distinct keywords.
func (k *keywords) mask(words []string) (m uint64, ok bool) {
	for _, w := range words {
		i, ok := k.id(w)
		if !ok {
			return 0, false
		}
		m |= 1 << i
	}
	return m, true
}

// occurrence is a keyword found at byte offset pos.
type occurrence struct {
	pos int32
	id  uint8
}

// scan appends to occs the occurrences of the keywords in lower, in text
// order; like repeated bytes.Index, occurrences of one word do not overlap.
// It returns the occurrences and the bit set of the words found.
func (k *keywords) scan(lower []byte, occs []occurrence) ([]occurrence, uint64) {
	var found uint64
	var lastEnd [maxKeywords]int32
	for i := 0; i < len(lower); i++ {
		a := lower[i]
		if !k.one[a] {
			var b byte
			if i+1 < len(lower) {
				b = lower[i+1]
			}
			p := uint16(a)<<8 | uint16(b)
			if k.pair[p/64]&(1<<(p%64)) == 0 {
				continue
			}
		}
		for _, id := range k.byFirst[a] {
			w := k.bytes[id]
			if int32(i) < lastEnd[id] || !bytes.HasPrefix(lower[i:], w) {
				continue
			}
			lastEnd[id] = int32(i + len(w))
			found |= 1 << id
			occs = append(occs, occurrence{pos: int32(i), id: id})
		}
	}
	return occs, found
}
