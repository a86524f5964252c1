package hf

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/dlclark/regexp2"
)

// pattern finds non-overlapping hits in a rune slice; hits are [start, end)
// rune indices in increasing order.
type pattern interface {
	find(runes []rune) ([][2]int, error)
}

// parsePattern reads {"String": "..."} or {"Regex": "..."}.
func parsePattern(raw json.RawMessage) (pattern, error) {
	var p struct {
		String *string
		Regex  *string
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("field pattern: %w", err)
	}
	switch {
	case p.String != nil:
		return literalPattern([]rune(*p.String)), nil
	case p.Regex != nil:
		// Oniguruma (used by the Rust library) and .NET syntax agree on the
		// constructs tokenizer files use (classes, \p{..}, lookarounds).
		re, err := regexp2.Compile(onigToDotNet(*p.Regex), regexp2.Unicode)
		if err != nil {
			return nil, fmt.Errorf("field pattern: regex %q: %w", *p.Regex, err)
		}
		return &regexPattern{re: re}, nil
	}
	return nil, fmt.Errorf("field pattern: need String or Regex")
}

type literalPattern []rune

func (l literalPattern) find(runes []rune) ([][2]int, error) {
	if len(l) == 0 {
		return nil, nil
	}
	var hits [][2]int
	for i := 0; i+len(l) <= len(runes); {
		ok := true
		for j, r := range l {
			if runes[i+j] != r {
				ok = false
				break
			}
		}
		if ok {
			hits = append(hits, [2]int{i, i + len(l)})
			i += len(l)
		} else {
			i++
		}
	}
	return hits, nil
}

type regexPattern struct{ re *regexp2.Regexp }

func (p *regexPattern) find(runes []rune) ([][2]int, error) {
	var hits [][2]int
	m, err := p.re.FindRunesMatch(runes)
	for err == nil && m != nil {
		if m.Length > 0 {
			hits = append(hits, [2]int{m.Index, m.Index + m.Length})
		}
		m, err = p.re.FindNextMatch(m)
	}
	if err != nil {
		return nil, fmt.Errorf("regex %q: %w", p.re.String(), err)
	}
	return hits, nil
}

// runePattern hits every single rune for which f is true.
type runePattern func(rune) bool

func (f runePattern) find(runes []rune) ([][2]int, error) {
	var hits [][2]int
	for i, r := range runes {
		if f(r) {
			hits = append(hits, [2]int{i, i + 1})
		}
	}
	return hits, nil
}

// onigWord is Oniguruma's Unicode \w (letters, marks, decimal digits,
// connector punctuation); .NET's also admits U+200C/U+200D.
const onigWord = `\p{L}\p{M}\p{Nd}\p{Pc}`

// onigToDotNet rewrites \w and \W so regexp2 matches what Oniguruma (used
// by the Rust library for Split and Replace patterns) matches.
func onigToDotNet(p string) string {
	var b strings.Builder
	inClass := false
	rs := []rune(p)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '\\' && i+1 < len(rs) {
			nx := rs[i+1]
			switch {
			case nx == 'w' && inClass:
				b.WriteString(onigWord)
			case nx == 'w':
				b.WriteString("[" + onigWord + "]")
			case nx == 'W' && !inClass:
				b.WriteString("[^" + onigWord + "]")
			default:
				b.WriteRune(r)
				b.WriteRune(nx)
			}
			i++
			continue
		}
		switch {
		case r == '[' && !inClass:
			inClass = true
		case r == ']' && inClass:
			inClass = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
