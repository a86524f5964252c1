package tokenize

import "fmt"

// Frame is the special tokens a tokenizer's post-processor puts around one
// sequence ([CLS] … [SEP], <s> … </s>, BOS …), learnt from the tokenizer
// itself so windows can be wrapped the way Encode(text, true) would wrap a
// whole text.
type Frame struct {
	Prefix, Suffix *Encoding
}

// SpecialFrame learns t's frame by encoding a probe word with and without
// special tokens: special tokens before the first content token are the
// prefix, those after the last are the suffix.
func SpecialFrame(t Tokenizer) (Frame, error) {
	const probe = "a"
	with, err := t.Encode(probe, true)
	if err != nil {
		return Frame{}, fmt.Errorf("special frame: encode probe: %w", err)
	}
	first, last := -1, -1
	for i := 0; i < with.Len(); i++ {
		if !isSpecial(with, i) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return Frame{}, fmt.Errorf("special frame: probe %q encoded to special tokens only", probe)
	}
	return Frame{Prefix: with.Slice(0, first), Suffix: with.Slice(last+1, with.Len())}, nil
}

// Len is the number of special tokens the frame adds.
func (f Frame) Len() int { return encLen(f.Prefix) + encLen(f.Suffix) }

func encLen(e *Encoding) int {
	if e == nil {
		return 0
	}
	return e.Len()
}

// Wrap returns content tokens [w.Start, w.End) between the frame's prefix and
// suffix. The frame's tokens keep their type ids, offsets (0,0), word id -1
// and special mask 1.
func (f Frame) Wrap(content *Encoding, w Window) *Encoding {
	out := &Encoding{}
	for _, part := range []*Encoding{f.Prefix, content.Slice(w.Start, w.End), f.Suffix} {
		if part != nil {
			out.appendAll(part)
		}
	}
	return out
}

// WrapLabels returns labels[w.Start:w.End] with IgnoreLabel for the frame's
// special tokens, matching Wrap.
func (f Frame) WrapLabels(labels []int, w Window) []int {
	out := make([]int, 0, f.Len()+w.Len())
	for range encLen(f.Prefix) {
		out = append(out, IgnoreLabel)
	}
	out = append(out, labels[w.Start:w.End]...)
	for range encLen(f.Suffix) {
		out = append(out, IgnoreLabel)
	}
	return out
}

// Slice returns tokens [start, end) as a new Encoding sharing no memory with
// e. Missing optional slices (TypeIDs, WordIDs …) are filled with defaults.
func (e *Encoding) Slice(start, end int) *Encoding {
	out := &Encoding{}
	for i := start; i < end; i++ {
		out.appendToken(e, i)
	}
	return out
}

func (e *Encoding) appendAll(src *Encoding) {
	for i := 0; i < src.Len(); i++ {
		e.appendToken(src, i)
	}
}

func (e *Encoding) appendToken(src *Encoding, i int) {
	at := func(s []int, def int) int {
		if i < len(s) {
			return s[i]
		}
		return def
	}
	e.IDs = append(e.IDs, src.IDs[i])
	tok := ""
	if i < len(src.Tokens) {
		tok = src.Tokens[i]
	}
	e.Tokens = append(e.Tokens, tok)
	e.TypeIDs = append(e.TypeIDs, at(src.TypeIDs, 0))
	e.AttentionMask = append(e.AttentionMask, at(src.AttentionMask, 1))
	e.SpecialTokensMask = append(e.SpecialTokensMask, at(src.SpecialTokensMask, 0))
	var off [2]int
	if i < len(src.Offsets) {
		off = src.Offsets[i]
	}
	e.Offsets = append(e.Offsets, off)
	e.WordIDs = append(e.WordIDs, at(src.WordIDs, -1))
}
