package rules

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// feature is a bit set of cheap per-document facts used to skip recognizers
// whose pattern cannot match.
type feature uint16

const (
	fDigit feature = 1 << iota
	fAt
	fColon
	fDot
	fSlash
	fDash
	fUpper
	fHex // a-f / A-F letter (for hexadecimal forms)
)

// doc is one text being scanned, with an ASCII-lower-cased copy whose byte
// offsets equal the text's (only A–Z are changed).
type doc struct {
	text  string
	lower []byte
	feat  feature
}

// reset prepares d for text, reusing d.lower's storage.
func (d *doc) reset(text string) {
	d.text = text
	d.lower = d.lower[:0]
	var f feature
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= '0' && c <= '9':
			f |= fDigit
		case c >= 'A' && c <= 'Z':
			f |= fUpper
			if c <= 'F' {
				f |= fHex
			}
			c += 'a' - 'A'
		case c >= 'a' && c <= 'f':
			f |= fHex
		case c == '@':
			f |= fAt
		case c == ':':
			f |= fColon
		case c == '.':
			f |= fDot
		case c == '/':
			f |= fSlash
		case c == '-':
			f |= fDash
		}
		d.lower = append(d.lower, c)
	}
	d.feat = f
}

// hasAny reports whether the lower-cased text contains one of the words.
func (d *doc) hasAny(words []string) bool {
	for _, w := range words {
		if bytes.Contains(d.lower, []byte(w)) {
			return true
		}
	}
	return false
}

// contextBefore reports whether one of the (lower-case) words occurs as a
// whole word in the window bytes before byte offset s.
func (d *doc) contextBefore(s, window int, words []string) bool {
	lo := s - window
	if lo < 0 {
		lo = 0
	}
	return containsWord(d.lower[lo:s], words)
}

// contextAround is contextBefore plus the window after byte offset e.
func (d *doc) contextAround(s, e, window int, words []string) bool {
	if d.contextBefore(s, window, words) {
		return true
	}
	hi := e + window
	if hi > len(d.lower) {
		hi = len(d.lower)
	}
	return containsWord(d.lower[e:hi], words)
}

func containsWord(hay []byte, words []string) bool {
	for _, w := range words {
		off := 0
		for {
			i := bytes.Index(hay[off:], []byte(w))
			if i < 0 {
				break
			}
			i += off
			before, _ := utf8.DecodeLastRune(hay[:i])
			after, _ := utf8.DecodeRune(hay[i+len(w):])
			if (i == 0 || !isWord(before)) && (i+len(w) == len(hay) || !isWord(after)) {
				return true
			}
			off = i + 1
		}
	}
	return false
}

// isWord reports whether r belongs to a word: a letter, digit, combining
// mark or underscore (Unicode-aware, unlike regexp's \b).
func isWord(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// runeBefore is the rune ending at byte i, or -1 at the start.
func runeBefore(text string, i int) rune {
	if i <= 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r
}

// runeAfter is the rune starting at byte i, or -1 at the end.
func runeAfter(text string, i int) rune {
	if i >= len(text) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r
}

// bounded reports whether [s,e) neither starts nor ends inside a word.
func bounded(text string, s, e int) bool {
	return !isWord(runeBefore(text, s)) && !isWord(runeAfter(text, e))
}

// gluedNumber reports whether the byte before s or at e continues a number
// through a separator (".5", "-12", ":30"), meaning [s,e) is a fragment.
func gluedNumber(text string, s, e int, seps string) bool {
	if s >= 2 && strings.IndexByte(seps, text[s-1]) >= 0 && isDigitByte(text[s-2]) {
		return true
	}
	if e+1 < len(text) && strings.IndexByte(seps, text[e]) >= 0 && isDigitByte(text[e+1]) {
		return true
	}
	return false
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// digitsOf returns the ASCII digits of s, appended to buf.
func digitsOf(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			buf = append(buf, s[i])
		}
	}
	return buf
}

// pieces returns the byte ranges of the space-separated pieces of
// text[s:e], as absolute offsets.
func pieces(text string, s, e int) [][2]int {
	var out [][2]int
	start := -1
	for i := s; i < e; i++ {
		if text[i] == ' ' {
			if start >= 0 {
				out = append(out, [2]int{start, i})
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, e})
	}
	return out
}

// shrink tries ranges of whole space-separated pieces of [s,e), longest
// first, then earliest, and returns the first one try accepts. It lets a
// greedy pattern that swallowed a neighbouring number still yield the
// identifier inside it. With fixStart only trailing pieces are dropped.
func shrink(text string, s, e int, fixStart bool, try func(s, e int) (float64, bool)) (int, int, float64, bool) {
	ps := pieces(text, s, e)
	if len(ps) > 12 {
		ps = ps[:12]
	}
	for n := len(ps); n >= 1; n-- {
		for i := 0; i+n <= len(ps) && (i == 0 || !fixStart); i++ {
			a, b := ps[i][0], ps[i+n-1][1]
			if score, ok := try(a, b); ok {
				return a, b, score, true
			}
		}
	}
	return 0, 0, 0, false
}
