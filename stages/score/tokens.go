package score

import (
	"sort"
	"unicode"

	"github.com/piimask/piimask/record"
)

// tokenizeWords cuts runes into word tokens: maximal runs of letters, marks
// and digits; every other code point that is not whitespace is a token of
// its own. Offsets are code points, end exclusive.
func tokenizeWords(runes []rune) []record.Span {
	var out []record.Span
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) }
	for i := 0; i < len(runes); {
		r := runes[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case word(r):
			j := i + 1
			for j < len(runes) && word(runes[j]) {
				j++
			}
			out = append(out, record.Span{Start: i, End: j})
			i = j
		default:
			out = append(out, record.Span{Start: i, End: i + 1})
			i++
		}
	}
	return out
}

// bioTag is one token's tag: an empty label is O.
type bioTag struct {
	label string
	begin bool
}

// bioTags tags tokens from spans sorted by start: each token takes the
// label of the first span that shares a code point with it and has not
// claimed it already; the first token a span claims is B-, the others I-.
func bioTags(tokens, spans []record.Span) []bioTag {
	tags := make([]bioTag, len(tokens))
	for _, s := range spans {
		// First token that ends after the span starts.
		k := sort.Search(len(tokens), func(i int) bool { return tokens[i].End > s.Start })
		first := true
		for ; k < len(tokens) && tokens[k].Start < s.End; k++ {
			if tags[k].label != "" {
				continue
			}
			tags[k] = bioTag{label: s.Label, begin: first}
			first = false
		}
	}
	return tags
}

// tokenEntity is one seqeval entity: a type and its first and last token.
type tokenEntity struct {
	label       string
	first, last int
}

// entities extracts entities from IOB2 tags as seqeval's default
// (non-strict) mode does: an entity starts at B-X, or at I-X after O or
// after another type, and goes on over the I-X that follow.
func entities(tags []bioTag) []tokenEntity {
	var out []tokenEntity
	for i, t := range tags {
		if t.label == "" {
			continue
		}
		start := t.begin || i == 0 || tags[i-1].label != t.label
		if start {
			out = append(out, tokenEntity{label: t.label, first: i, last: i})
			continue
		}
		out[len(out)-1].last = i
	}
	return out
}

// tokenCounts computes the token view of one document.
func tokenCounts(runes []rune, gold, pred []record.Span) TokenCounts {
	tokens := tokenizeWords(runes)
	gt, pt := bioTags(tokens, gold), bioTags(tokens, pred)
	var c TokenCounts
	c.Tokens = int64(len(tokens))
	ge, pe := entities(gt), entities(pt)
	c.Entities.Gold, c.Entities.Pred = int64(len(ge)), int64(len(pe))
	predSet := make(map[tokenEntity]bool, len(pe))
	for _, e := range pe {
		predSet[e] = true
	}
	for _, e := range ge {
		if predSet[e] {
			c.Entities.TP++
		}
	}
	for i := range tokens {
		g, p := gt[i].label, pt[i].label
		if g != "" {
			c.Labels.Gold++
		}
		if p != "" {
			c.Labels.Pred++
		}
		if g != "" && g == p {
			c.Labels.TP++
		}
	}
	return c
}
