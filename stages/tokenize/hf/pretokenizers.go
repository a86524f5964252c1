package hf

import (
	"encoding/json"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// preTokenizer cuts one piece of normalized text into words.
type preTokenizer interface {
	split(n *normStr) ([]*normStr, error)
}

type preTokenizerSeq []preTokenizer

// apply runs every pre-tokenizer of the sequence over all pieces in turn.
func (s preTokenizerSeq) split(n *normStr) ([]*normStr, error) {
	cur := []*normStr{n}
	for _, p := range s {
		var next []*normStr
		for _, c := range cur {
			out, err := p.split(c)
			if err != nil {
				return nil, err
			}
			next = append(next, out...)
		}
		cur = next
	}
	return cur, nil
}

func parseBehavior(raw json.RawMessage) (splitBehavior, error) {
	var s string
	if len(raw) == 0 {
		return splitIsolated, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("field behavior: %w", err)
	}
	switch s {
	case "Removed":
		return splitRemoved, nil
	case "Isolated":
		return splitIsolated, nil
	case "MergedWithPrevious":
		return splitMergedWithPrevious, nil
	case "MergedWithNext":
		return splitMergedWithNext, nil
	case "Contiguous":
		return splitContiguous, nil
	}
	return 0, fmt.Errorf("field behavior: unknown %q", s)
}

func parsePreTokenizer(raw json.RawMessage) (preTokenizer, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var c rawComponent
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("pre_tokenizer: %w", err)
	}
	typ := c.str("type")
	switch typ {
	case "Sequence":
		var items []json.RawMessage
		if err := json.Unmarshal(c["pretokenizers"], &items); err != nil {
			return nil, fmt.Errorf("pre_tokenizer Sequence: field pretokenizers: %w", err)
		}
		var seq preTokenizerSeq
		for i, it := range items {
			p, err := parsePreTokenizer(it)
			if err != nil {
				return nil, fmt.Errorf("pre_tokenizer Sequence item %d: %w", i, err)
			}
			if p != nil {
				seq = append(seq, p)
			}
		}
		return seq, nil
	case "BertPreTokenizer":
		return bertPre{}, nil
	case "Whitespace":
		return whitespacePre{}, nil
	case "WhitespaceSplit":
		return patternSplit{pat: runePattern(unicode.IsSpace), b: splitRemoved}, nil
	case "Punctuation":
		b, err := parseBehavior(c["behavior"])
		if err != nil {
			return nil, fmt.Errorf("pre_tokenizer Punctuation: %w", err)
		}
		return patternSplit{pat: runePattern(isPunct), b: b}, nil
	case "Digits":
		if c.boolOr("individual_digits", false) {
			return patternSplit{pat: runePattern(isNumeric), b: splitIsolated}, nil
		}
		return patternSplit{pat: runePattern(isNumeric), b: splitContiguous}, nil
	case "CharDelimiterSplit":
		d := []rune(c.str("delimiter"))
		if len(d) != 1 {
			return nil, fmt.Errorf("pre_tokenizer CharDelimiterSplit: field delimiter must be one character")
		}
		return patternSplit{pat: runePattern(func(r rune) bool { return r == d[0] }), b: splitRemoved}, nil
	case "Split":
		p, err := parsePattern(c["pattern"])
		if err != nil {
			return nil, fmt.Errorf("pre_tokenizer Split: %w", err)
		}
		b, err := parseBehavior(c["behavior"])
		if err != nil {
			return nil, fmt.Errorf("pre_tokenizer Split: %w", err)
		}
		return patternSplit{pat: p, b: b, invert: c.boolOr("invert", false)}, nil
	case "Metaspace":
		return parseMetaspace(c)
	case "ByteLevel":
		return &byteLevelPre{
			addPrefixSpace: c.boolOr("add_prefix_space", true),
			useRegex:       c.boolOr("use_regex", true),
		}, nil
	default:
		return nil, fmt.Errorf("unsupported pre_tokenizer %q", typ)
	}
}

// isPunct is Rust's is_ascii_punctuation || Unicode punctuation (P*).
func isPunct(r rune) bool {
	if r < 0x80 {
		return (r >= '!' && r <= '/') || (r >= ':' && r <= '@') || (r >= '[' && r <= '`') || (r >= '{' && r <= '~')
	}
	return unicode.IsPunct(r)
}

// isNumeric is Rust's char::is_numeric (Nd, Nl, No).
func isNumeric(r rune) bool { return unicode.IsNumber(r) }

type patternSplit struct {
	pat    pattern
	b      splitBehavior
	invert bool
}

func (p patternSplit) split(n *normStr) ([]*normStr, error) {
	hits, err := p.pat.find(n.runes)
	if err != nil {
		return nil, err
	}
	ms := matchesFromHits(hits, n.len())
	if p.invert {
		for i := range ms {
			ms[i].isHit = !ms[i].isHit
		}
	}
	return n.splitBy(ms, p.b), nil
}

type bertPre struct{}

func (bertPre) split(n *normStr) ([]*normStr, error) {
	var out []*normStr
	hits, _ := runePattern(unicode.IsSpace).find(n.runes)
	for _, w := range n.splitBy(matchesFromHits(hits, n.len()), splitRemoved) {
		h, _ := runePattern(isPunct).find(w.runes)
		out = append(out, w.splitBy(matchesFromHits(h, w.len()), splitIsolated)...)
	}
	return out, nil
}

// isWordRune approximates the regex \w of the Rust regex crate.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.M, r) || unicode.Is(unicode.Nd, r) ||
		unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Pc, r) || unicode.Is(unicode.Other_Alphabetic, r) ||
		r == 0x200C || r == 0x200D
}

type whitespacePre struct{}

// split keeps the runs of \w+ and of [^\w\s]+ (the Rust Whitespace regex).
func (whitespacePre) split(n *normStr) ([]*normStr, error) {
	var hits [][2]int
	rs := n.runes
	for i := 0; i < len(rs); {
		if unicode.IsSpace(rs[i]) {
			i++
			continue
		}
		w := isWordRune(rs[i])
		j := i + 1
		for j < len(rs) && !unicode.IsSpace(rs[j]) && isWordRune(rs[j]) == w {
			j++
		}
		hits = append(hits, [2]int{i, j})
		i = j
	}
	return hitsOnly(n, hits), nil
}

func hitsOnly(n *normStr, hits [][2]int) []*normStr {
	out := make([]*normStr, len(hits))
	for i, h := range hits {
		out[i] = n.slice(h[0], h[1])
	}
	return out
}

type prependScheme int

const (
	prependAlways prependScheme = iota
	prependFirst
	prependNever
)

type metaspacePre struct {
	replacement rune
	scheme      prependScheme
	split_      bool
}

func parseMetaspace(c rawComponent) (preTokenizer, error) {
	rep := []rune(c.str("replacement"))
	if len(rep) != 1 {
		return nil, fmt.Errorf("pre_tokenizer Metaspace: field replacement must be one character")
	}
	m := &metaspacePre{replacement: rep[0], split_: c.boolOr("split", true)}
	switch s := c.str("prepend_scheme"); s {
	case "always":
		m.scheme = prependAlways
	case "first":
		m.scheme = prependFirst
	case "never":
		m.scheme = prependNever
	case "":
		if c.boolOr("add_prefix_space", true) {
			m.scheme = prependAlways
		} else {
			m.scheme = prependNever
		}
	default:
		return nil, fmt.Errorf("pre_tokenizer Metaspace: unknown prepend_scheme %q", s)
	}
	return m, nil
}

func (m *metaspacePre) split(n *normStr) ([]*normStr, error) {
	hits, _ := runePattern(func(r rune) bool { return r == ' ' }).find(n.runes)
	if len(hits) > 0 {
		n.replaceMatches(hits, string(m.replacement))
	}
	starts := n.len() > 0 && n.runes[0] == m.replacement
	switch m.scheme {
	case prependAlways:
		if !starts {
			n.prepend(string(m.replacement))
		}
	case prependFirst:
		if !starts && n.orig[0] == 0 {
			n.prepend(string(m.replacement))
		}
	}
	if !m.split_ {
		return []*normStr{n}, nil
	}
	h, _ := runePattern(func(r rune) bool { return r == m.replacement }).find(n.runes)
	return n.splitBy(matchesFromHits(h, n.len()), splitMergedWithNext), nil
}

// byteLevelPre is the GPT-2 byte-level pre-tokenizer.
type byteLevelPre struct {
	addPrefixSpace, useRegex bool
}

var bytesChar = func() [256]rune {
	var t [256]rune
	n := 0
	for b := 0; b < 256; b++ {
		if (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF) {
			t[b] = rune(b)
		} else {
			t[b] = rune(256 + n)
			n++
		}
	}
	return t
}()

func (p *byteLevelPre) split(n *normStr) ([]*normStr, error) {
	if p.addPrefixSpace && (n.len() == 0 || n.runes[0] != ' ') {
		n.prepend(" ")
	}
	var pieces []*normStr
	if p.useRegex {
		pieces = n.splitBy(matchesFromHits(gpt2Split(n.runes), n.len()), splitIsolated)
	} else if n.len() > 0 {
		pieces = []*normStr{n}
	}
	var buf [4]byte
	for _, pc := range pieces {
		dest := make([]change, 0, len(pc.runes)*2)
		for _, r := range pc.runes {
			k := utf8.EncodeRune(buf[:], r)
			for i := 0; i < k; i++ {
				c := 0
				if i > 0 {
					c = 1
				}
				dest = append(dest, change{bytesChar[buf[i]], c})
			}
		}
		pc.transform(dest, 0)
	}
	return pieces, nil
}

func isL(r rune) bool { return unicode.IsLetter(r) }
func isN(r rune) bool { return unicode.IsNumber(r) }
func isS(r rune) bool { return unicode.IsSpace(r) }
func isO(r rune) bool { return !isS(r) && !isL(r) && !isN(r) }

// gpt2Split finds the matches of the GPT-2 regex
// 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// (hand-written: Go's regexp has no lookahead). The matches cover the text.
func gpt2Split(rs []rune) [][2]int {
	var hits [][2]int
	run := func(i int, f func(rune) bool) int {
		for i < len(rs) && f(rs[i]) {
			i++
		}
		return i
	}
	for i := 0; i < len(rs); {
		r := rs[i]
		if r == '\'' && i+1 < len(rs) {
			a := rs[i+1]
			if a == 's' || a == 't' || a == 'm' || a == 'd' {
				hits = append(hits, [2]int{i, i + 2})
				i += 2
				continue
			}
			if i+2 < len(rs) {
				b := rs[i+2]
				if (a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l') {
					hits = append(hits, [2]int{i, i + 3})
					i += 3
					continue
				}
			}
		}
		start := i
		if r == ' ' && i+1 < len(rs) && !isS(rs[i+1]) {
			start = i + 1
		}
		c := rs[start]
		var f func(rune) bool
		switch {
		case isL(c):
			f = isL
		case isN(c):
			f = isN
		case isO(c):
			f = isO
		}
		if f != nil {
			j := run(start, f)
			hits = append(hits, [2]int{i, j})
			i = j
			continue
		}
		// Whitespace run.
		j := run(i, isS)
		if j < len(rs) && j-1 > i {
			j--
		}
		hits = append(hits, [2]int{i, j})
		i = j
	}
	return hits
}
