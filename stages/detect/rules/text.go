package rules

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/piimask/piimask/record"
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
	fHex      // a-f / A-F letter (for hexadecimal forms)
	fNonASCII // a byte >= 0x80
)

// doc is one text being scanned, with an ASCII-lower-cased copy whose byte
// offsets equal the text's (only A–Z are changed).
type doc struct {
	text  string
	lower []byte
	feat  feature

	digits     [][2]int // kindDigits regions, computed on first use
	digitsDone bool
	starts     []int32 // wordStarts, computed on first use
	startsDone bool
	// byFirst[i] are the word starts whose byte is in the Method's i-th
	// distinct first-byte set, computed on first use.
	byFirst     [][]int32
	byFirstDone []bool

	kw      *keywords
	occs    []occurrence // keyword occurrences, computed on first use
	kwFound uint64       // bit set of the keywords in occs
	kwDone  bool

	ends    []offsetRef // scratch for codePoints
	regions [][2]int    // scratch for word regions
}

// byteFeature maps a byte to the features it sets.
var byteFeature = func() (t [256]feature) {
	for c := '0'; c <= '9'; c++ {
		t[c] = fDigit
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = fUpper
	}
	for c := 'A'; c <= 'F'; c++ {
		t[c] |= fHex
	}
	for c := 'a'; c <= 'f'; c++ {
		t[c] = fHex
	}
	t['@'], t[':'], t['.'], t['/'], t['-'] = fAt, fColon, fDot, fSlash, fDash
	for c := 0x80; c < 0x100; c++ {
		t[c] = fNonASCII
	}
	return t
}()

// reset prepares d for text, reusing d.lower's storage.
func (d *doc) reset(text string) {
	d.text = text
	d.digitsDone = false
	d.startsDone = false
	clear(d.byFirstDone)
	d.kwDone = false
	if cap(d.lower) < len(text) {
		d.lower = make([]byte, len(text), len(text)+len(text)/2)
	}
	lower := d.lower[:len(text)]
	var f feature
	for i := 0; i < len(text); i++ {
		c := text[i]
		f |= byteFeature[c]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	d.lower = lower
	d.feat = f
}

// keywords returns the document's keyword occurrences and the bit set of
// the keywords found, scanning the text on first use.
func (d *doc) keywords() ([]occurrence, uint64) {
	if !d.kwDone {
		d.kwDone = true
		d.occs, d.kwFound = d.kw.scan(d.lower, d.occs[:0])
	}
	return d.occs, d.kwFound
}

// hasAny reports whether the lower-cased text contains one of the keywords
// in mask.
func (d *doc) hasAny(mask uint64) bool {
	_, found := d.keywords()
	return found&mask != 0
}

// startsFor returns the word starts whose byte is in the Method's set-th
// distinct first-byte set.
func (d *doc) startsFor(m *Method, set int) []int32 {
	if len(d.byFirst) < len(m.firstSets) {
		d.byFirst = make([][]int32, len(m.firstSets))
		d.byFirstDone = make([]bool, len(m.firstSets))
	}
	if d.byFirstDone[set] {
		return d.byFirst[set]
	}
	d.byFirstDone[set] = true
	first := &m.firstSets[set]
	out := d.byFirst[set][:0]
	for _, p := range d.wordStarts() {
		if first[d.text[p]] {
			out = append(out, p)
		}
	}
	d.byFirst[set] = out
	return out
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

// pieces appends to out the byte ranges of the space-separated pieces of
// text[s:e], as absolute offsets.
func pieces(out [][2]int, text string, s, e int) [][2]int {
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
	var buf [16][2]int
	ps := pieces(buf[:0], text, s, e)
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

// scope says which parts of a document a recognizer's regexp runs on. Go's
// regexp engine costs roughly the same per byte whatever the pattern, so
// running each pattern only where it can match is the main speed-up.
type scope struct {
	kind          scopeKind
	before, after int
}

type scopeKind uint8

const (
	kindText   scopeKind = iota // the whole text
	kindDigits                  // runs of whitespace-separated tokens holding a digit, plus one token each side
	kindTokens                  // the whitespace-separated token around each occurrence of a word
	kindWindow                  // a byte window around each occurrence of a word
)

var (
	scopeText   = scope{kind: kindText}
	scopeDigits = scope{kind: kindDigits}
	scopeTokens = scope{kind: kindTokens}
)

// scopeWindow runs the regexp from before bytes ahead of each context word
// to after bytes beyond it.
func scopeWindow(before, after int) scope {
	return scope{kind: kindWindow, before: before, after: after}
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// digitRegions returns (and caches) the regions for kindDigits.
func (d *doc) digitRegions() [][2]int {
	if d.digitsDone {
		return d.digits
	}
	d.digitsDone = true
	d.digits = d.digits[:0]
	text := d.text
	// Walk tokens; remember the previous token so a region can start one
	// token early.
	prevStart, prevEnd := -1, -1
	curStart, curEnd := -1, -1 // open region
	pendingTail := false       // region open, waiting for one trailing token
	i := 0
	for i < len(text) {
		for i < len(text) && isSpaceByte(text[i]) {
			i++
		}
		if i >= len(text) {
			break
		}
		ts := i
		hasDigit := false
		for i < len(text) && !isSpaceByte(text[i]) {
			if isDigitByte(text[i]) {
				hasDigit = true
			}
			i++
		}
		te := i
		switch {
		case hasDigit && curStart < 0:
			curStart, curEnd = ts, te
			if prevStart >= 0 {
				curStart = prevStart
			}
			pendingTail = true
		case hasDigit:
			curEnd = te
			pendingTail = true
		case curStart >= 0 && pendingTail:
			curEnd = te
			pendingTail = false
		case curStart >= 0:
			d.digits = append(d.digits, [2]int{curStart, curEnd})
			curStart = -1
		}
		prevStart, prevEnd = ts, te
	}
	_ = prevEnd
	if curStart >= 0 {
		d.digits = append(d.digits, [2]int{curStart, curEnd})
	}
	return d.digits
}

// wordRegions returns merged regions around every occurrence of the
// keywords in mask: the enclosing token (kindTokens) or a byte window
// (kindWindow), aligned to rune boundaries.
func (d *doc) wordRegions(sc scope, mask uint64, buf [][2]int) [][2]int {
	buf = buf[:0]
	text := d.text
	occs, _ := d.keywords()
	for _, o := range occs {
		if mask&(1<<o.id) == 0 {
			continue
		}
		i, n := int(o.pos), len(d.kw.words[o.id])
		var a, b int
		if sc.kind == kindTokens {
			a, b = i, i+n
			for a > 0 && !isSpaceByte(text[a-1]) {
				a--
			}
			for b < len(text) && !isSpaceByte(text[b]) {
				b++
			}
		} else {
			a, b = max(0, i-sc.before), min(len(text), i+n+sc.after)
			for a > 0 && !utf8.RuneStart(text[a]) {
				a--
			}
			for b < len(text) && !utf8.RuneStart(text[b]) {
				b++
			}
		}
		buf = append(buf, [2]int{a, b})
	}
	return mergeRegions(buf)
}

// mergeRegions sorts regions and merges overlapping or touching ones.
func mergeRegions(rs [][2]int) [][2]int {
	if len(rs) < 2 {
		return rs
	}
	for i := 1; i < len(rs); i++ { // insertion sort: few regions
		for j := i; j > 0 && rs[j][0] < rs[j-1][0]; j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r[0] <= last[1] {
			last[1] = max(last[1], r[1])
			continue
		}
		out = append(out, r)
	}
	return out
}

// wordStarts returns (and caches) the byte offsets where a match may start
// under the word-boundary rule: the first byte of a rune that follows a
// non-word rune or the start of the text.
func (d *doc) wordStarts() []int32 {
	if d.startsDone {
		return d.starts
	}
	d.startsDone = true
	text := d.text
	starts := d.starts[:0]
	prevWord := false
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if !prevWord {
				starts = append(starts, int32(i))
			}
			prevWord = c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if !prevWord && !(c < 0xC0) { // never at a stray continuation byte
			starts = append(starts, int32(i))
		}
		prevWord = isWord(r)
		i += n
	}
	d.starts = starts
	return starts
}

// codePoints converts the spans' byte offsets to code-point offsets, as
// record.Offsets.CodePoint does (the index of the last rune starting at or
// before the offset; the text's length maps to its rune count), in one pass
// over the text and without a per-byte table.
func (d *doc) codePoints(spans []record.Span) {
	ends := d.ends[:0]
	for i := range spans {
		ends = append(ends, offsetRef{off: spans[i].Start, ref: &spans[i].Start}, offsetRef{off: spans[i].End, ref: &spans[i].End})
	}
	slices.SortFunc(ends, func(a, b offsetRef) int { return cmp.Compare(a.off, b.off) })
	j, k := 0, 0 // k: rune starts seen
	for i := range d.text {
		for j < len(ends) && ends[j].off < i {
			*ends[j].ref = k - 1
			j++
		}
		k++
	}
	for ; j < len(ends); j++ {
		if ends[j].off >= len(d.text) {
			*ends[j].ref = k
		} else {
			*ends[j].ref = k - 1
		}
	}
	clear(ends)
	d.ends = ends[:0]
}

// offsetRef is a byte offset and the span field to overwrite with its
// code-point offset.
type offsetRef struct {
	off int
	ref *int
}
