package mask

import (
	"sort"
	"strconv"
	"strings"

	"github.com/piimask/piimask/record"
)

// Placeholder replaces every span of text with an AI4Privacy-style
// placeholder "[LABEL_n]". n counts from 1 per label, in order of first
// appearance in the text; every occurrence of the same value under the same
// label gets the same number ("[FIRSTNAME_1] … [FIRSTNAME_1]").
//
// Spans are in code points, end exclusive. Spans that are empty or out of
// range are ignored. Overlapping spans are resolved by Resolve: the one that
// starts earlier wins, and of two that start together the longer one wins.
func Placeholder(text string, spans []record.Span) string {
	off := record.NewOffsets(text)
	inRange := make([]record.Span, 0, len(spans))
	for _, s := range spans {
		if s.End <= off.Len() {
			inRange = append(inRange, s)
		}
	}
	kept := Resolve(inRange)
	if len(kept) == 0 {
		return text
	}
	type key struct{ label, value string }
	numbers := make(map[key]int, len(kept))
	perLabel := make(map[string]int)
	var b strings.Builder
	b.Grow(len(text))
	prev := 0 // byte offset already copied
	for _, s := range kept {
		start, end := off.Byte(s.Start), off.Byte(s.End)
		k := key{s.Label, text[start:end]}
		n, ok := numbers[k]
		if !ok {
			perLabel[s.Label]++
			n = perLabel[s.Label]
			numbers[k] = n
		}
		b.WriteString(text[prev:start])
		b.WriteByte('[')
		b.WriteString(s.Label)
		b.WriteByte('_')
		b.WriteString(strconv.Itoa(n))
		b.WriteByte(']')
		prev = end
	}
	b.WriteString(text[prev:])
	return b.String()
}

// Resolve returns the spans to mask, sorted by start, with no two
// overlapping: scanning by start (longer first at equal starts), a span is
// kept only if it does not overlap the last kept one. Empty spans and spans
// with a negative start are dropped. The input is not modified.
func Resolve(spans []record.Span) []record.Span {
	sorted := make([]record.Span, 0, len(spans))
	for _, s := range spans {
		if s.Start >= 0 && s.End > s.Start {
			sorted = append(sorted, s)
		}
	}
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.End > b.End
	})
	kept := sorted[:0]
	for _, s := range sorted {
		if len(kept) > 0 && kept[len(kept)-1].Overlaps(s) {
			continue
		}
		kept = append(kept, s)
	}
	return kept
}
