package hf

// normStr is a piece of text under normalization. It mirrors the Rust
// NormalizedString: every code point of the normalized text carries the
// [start, end) code-point range of the ORIGINAL text it came from, so token
// offsets can be mapped back exactly however the text was rewritten.
type normStr struct {
	runes []rune
	align [][2]int
	// orig is the original range this piece covers (used when runes is empty).
	orig [2]int
}

func newNormStr(runes []rune, base int) *normStr {
	al := make([][2]int, len(runes))
	for i := range runes {
		al[i] = [2]int{base + i, base + i + 1}
	}
	return &normStr{runes: runes, align: al, orig: [2]int{base, base + len(runes)}}
}

func (n *normStr) len() int { return len(n.runes) }

func (n *normStr) String() string { return string(n.runes) }

// change is one code point of a rewritten text and how it relates to the old
// text, as in the Rust `transform`: 0 replaces the current old code point,
// 1 is inserted (aligned like the previous one), -k replaces the current one
// and removes the k following old code points.
type change struct {
	r rune
	c int
}

// transformRange replaces the normalized range [s, e) by dest. initialRemoved
// old code points at the start of the range are dropped before dest applies.
func (n *normStr) transformRange(s, e int, dest []change, initialRemoved int) {
	off := s + initialRemoved
	newAl := make([][2]int, 0, len(dest))
	newRunes := make([]rune, 0, len(dest))
	for _, d := range dest {
		var al [2]int
		if d.c > 0 {
			if off < 1 {
				al = [2]int{0, 0}
			} else {
				al = n.align[off-1]
			}
		} else {
			al = n.align[off]
			off++
			if d.c < 0 {
				off += -d.c
			}
		}
		newAl = append(newAl, al)
		newRunes = append(newRunes, d.r)
	}
	runes := make([]rune, 0, len(n.runes)-(e-s)+len(newRunes))
	runes = append(runes, n.runes[:s]...)
	runes = append(runes, newRunes...)
	runes = append(runes, n.runes[e:]...)
	al := make([][2]int, 0, cap(runes))
	al = append(al, n.align[:s]...)
	al = append(al, newAl...)
	al = append(al, n.align[e:]...)
	n.runes, n.align = runes, al
}

func (n *normStr) transform(dest []change, initialRemoved int) {
	n.transformRange(0, len(n.runes), dest, initialRemoved)
}

// prepend inserts s before the first code point (nothing when empty).
func (n *normStr) prepend(s string) {
	if len(n.runes) == 0 {
		return
	}
	var dest []change
	for i, r := range []rune(s) {
		c := 1
		if i == 0 {
			c = 0
		}
		dest = append(dest, change{r, c})
	}
	dest = append(dest, change{n.runes[0], 1})
	n.transformRange(0, 1, dest, 0)
}

// appendStr adds s after the last code point (nothing when empty).
func (n *normStr) appendStr(s string) {
	if len(n.runes) == 0 {
		return
	}
	last := len(n.runes) - 1
	dest := []change{{n.runes[last], 0}}
	for _, r := range s {
		dest = append(dest, change{r, 1})
	}
	n.transformRange(last, len(n.runes), dest, 0)
}

// filter keeps the code points for which keep is true.
func (n *normStr) filter(keep func(rune) bool) {
	dest := make([]change, 0, len(n.runes))
	removed := 0
	for i := len(n.runes) - 1; i >= 0; i-- {
		r := n.runes[i]
		if keep(r) {
			dest = append(dest, change{r, -removed})
			removed = 0
		} else {
			removed++
		}
	}
	for i, j := 0, len(dest)-1; i < j; i, j = i+1, j-1 {
		dest[i], dest[j] = dest[j], dest[i]
	}
	n.transform(dest, removed)
}

// mapRunes replaces each code point one for one.
func (n *normStr) mapRunes(f func(rune) rune) {
	for i, r := range n.runes {
		n.runes[i] = f(r)
	}
}

// replaceMatches replaces every match range by content.
func (n *normStr) replaceMatches(matches [][2]int, content string) {
	cr := []rune(content)
	shift := 0
	for _, m := range matches {
		s, e := m[0]+shift, m[1]+shift
		dest := make([]change, len(cr))
		for i, r := range cr {
			dest[i] = change{r, 1}
		}
		n.transformRange(s, e, dest, e-s)
		shift += len(cr) - (e - s)
	}
}

// slice returns the normalized range [s, e) as its own normStr.
func (n *normStr) slice(s, e int) *normStr {
	// Share the backing arrays (capacity capped): a piece is only ever
	// rewritten through transformRange, which allocates, or mapRunes, which
	// touches its own range only.
	out := &normStr{
		runes: n.runes[s:e:e],
		align: n.align[s:e:e],
	}
	o := n.origRange(s, e)
	out.orig = o
	return out
}

// origRange converts a normalized range to the original one.
func (n *normStr) origRange(s, e int) [2]int {
	if s >= e {
		if len(n.runes) == 0 {
			return n.orig
		}
		if s < len(n.align) {
			return [2]int{n.align[s][0], n.align[s][0]}
		}
		if len(n.align) > 0 {
			end := n.align[len(n.align)-1][1]
			return [2]int{end, end}
		}
		return [2]int{n.orig[1], n.orig[1]}
	}
	return [2]int{n.align[s][0], n.align[e-1][1]}
}

// split behaviours for a delimiter, as in the Rust SplitDelimiterBehavior.
type splitBehavior int

const (
	splitRemoved splitBehavior = iota
	splitIsolated
	splitMergedWithPrevious
	splitMergedWithNext
	splitContiguous
)

// match is a range of the normalized text and whether it matched a pattern.
type match struct {
	s, e  int
	isHit bool
}

// matchesFromHits turns sorted, non-overlapping hit ranges into a full
// cover of [0, n) alternating hits and gaps.
func matchesFromHits(hits [][2]int, n int) []match {
	out := make([]match, 0, 2*len(hits)+1)
	prev := 0
	for _, h := range hits {
		if h[0] > prev {
			out = append(out, match{prev, h[0], false})
		}
		out = append(out, match{h[0], h[1], true})
		prev = h[1]
	}
	if prev < n {
		out = append(out, match{prev, n, false})
	}
	return out
}

// splitBy cuts n according to the matches and behaviour; empty pieces are
// dropped.
func (n *normStr) splitBy(ms []match, b splitBehavior) []*normStr {
	type piece struct {
		s, e   int
		remove bool
	}
	var ps []piece
	switch b {
	case splitIsolated:
		for _, m := range ms {
			ps = append(ps, piece{m.s, m.e, false})
		}
	case splitRemoved:
		for _, m := range ms {
			ps = append(ps, piece{m.s, m.e, m.isHit})
		}
	case splitContiguous:
		prev := false
		for i, m := range ms {
			if i > 0 && m.isHit == prev && len(ps) > 0 {
				ps[len(ps)-1].e = m.e
			} else {
				ps = append(ps, piece{m.s, m.e, false})
			}
			prev = m.isHit
		}
	case splitMergedWithPrevious:
		prev := false
		for _, m := range ms {
			if m.isHit && !prev && len(ps) > 0 {
				ps[len(ps)-1].e = m.e
			} else {
				ps = append(ps, piece{m.s, m.e, false})
			}
			prev = m.isHit
		}
	case splitMergedWithNext:
		prev := false
		// Walk backwards: a delimiter joins the piece after it.
		for i := len(ms) - 1; i >= 0; i-- {
			m := ms[i]
			if m.isHit && !prev && len(ps) > 0 {
				ps[len(ps)-1].s = m.s
			} else {
				ps = append(ps, piece{m.s, m.e, false})
			}
			prev = m.isHit
		}
		for i, j := 0, len(ps)-1; i < j; i, j = i+1, j-1 {
			ps[i], ps[j] = ps[j], ps[i]
		}
	}
	out := make([]*normStr, 0, len(ps))
	for _, p := range ps {
		if p.remove || p.s == p.e {
			continue
		}
		out = append(out, n.slice(p.s, p.e))
	}
	return out
}
