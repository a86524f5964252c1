package pattern

import (
	"cmp"
	"context"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
)

// compiled is one recognizer ready to run.
type compiled struct {
	name      string
	label     string
	patterns  []compiledPattern
	deny      *denyList
	denyScore float64
	context   []string // lower case
	before    int
	after     int
	boost     float64
	minScore  float64
	validate  func(string) bool
	languages map[string]bool
}

type compiledPattern struct {
	re    *regexp.Regexp
	score float64
}

// Method runs custom recognizers. It is safe for concurrent use.
type Method struct {
	name    string
	recs    []compiled
	classes []string
	context bool // some recognizer has context words
}

// New validates opts and compiles every recognizer once.
func New(name string, opts Options) (*Method, error) {
	if ps := Validate(&opts); len(ps) > 0 {
		return nil, ps
	}
	if name == "" {
		name = Type
	}
	m := &Method{name: name}
	seen := map[string]bool{}
	for _, r := range opts.Recognizers {
		c := compiled{name: r.Name, label: r.Label, before: DefaultContextWindow, after: DefaultContextAfter,
			boost: DefaultContextBoost, minScore: DefaultContextMinScore, denyScore: DefaultDenyListScore}
		for _, p := range r.Patterns {
			re, err := compilePattern(p.Regex, r.CaseSensitive)
			if err != nil { // Validate compiled it already
				return nil, err
			}
			c.patterns = append(c.patterns, compiledPattern{re: re, score: p.Score})
		}
		if len(r.DenyList) > 0 {
			c.deny = newDenyList(r.DenyList, r.CaseSensitive)
		}
		for _, w := range r.Context {
			c.context = append(c.context, strings.ToLower(w))
		}
		setInt(&c.before, r.ContextWindow)
		setInt(&c.after, r.ContextAfter)
		setFloat(&c.boost, r.ContextBoost)
		setFloat(&c.minScore, r.ContextMinScore)
		setFloat(&c.denyScore, r.DenyListScore)
		if r.Validator != "" {
			c.validate = validators[r.Validator]
		}
		if len(r.Languages) > 0 {
			c.languages = map[string]bool{}
			for _, l := range r.Languages {
				c.languages[strings.ToLower(l)] = true
			}
		}
		if len(c.context) > 0 {
			m.context = true
		}
		m.recs = append(m.recs, c)
		if !seen[r.Label] {
			seen[r.Label] = true
			m.classes = append(m.classes, r.Label)
		}
	}
	sort.Strings(m.classes)
	return m, nil
}

func setInt(dst *int, v *int) {
	if v != nil {
		*dst = *v
	}
}

func setFloat(dst *float64, v *float64) {
	if v != nil {
		*dst = *v
	}
}

// denyList finds deny-list terms: one alternation of the quoted terms,
// longest first so the longer of two terms sharing a start wins, and each
// term anchored, to try the shorter ones where the longest is glued to a word.
type denyList struct {
	any   *regexp.Regexp
	terms []*regexp.Regexp
}

func newDenyList(terms []string, caseSensitive bool) *denyList {
	qs := make([]string, 0, len(terms))
	for _, t := range terms {
		qs = append(qs, regexp.QuoteMeta(strings.TrimSpace(t)))
	}
	slices.SortStableFunc(qs, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	prefix := "(?i)"
	if caseSensitive {
		prefix = ""
	}
	d := &denyList{any: regexp.MustCompile(prefix + "(?:" + strings.Join(qs, "|") + ")")}
	for _, q := range qs {
		d.terms = append(d.terms, regexp.MustCompile(`\A`+prefix+"(?:"+q+")"))
	}
	return d
}

// Register adds the "patterns" method type to reg.
func Register(reg *detect.Registry) {
	reg.RegisterOptions(Type, Options{}, func(_ context.Context, spec detect.Spec) (detect.Method, error) {
		var opts Options
		if err := detect.DecodeOptions(spec.Options, &opts); err != nil {
			return nil, err
		}
		return New(spec.Name, opts)
	})
}

// Name is the method's name in the job.
func (m *Method) Name() string { return m.name }

// EnabledClasses lists the labels of the recognizers, sorted.
func (m *Method) EnabledClasses() []string { return append([]string(nil), m.classes...) }

// Close releases nothing.
func (m *Method) Close() error { return nil }

// Detect runs every recognizer over each document.
func (m *Method) Detect(ctx context.Context, batch []record.Record) ([]detect.Prediction, error) {
	out := make([]detect.Prediction, len(batch))
	for i, rec := range batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out[i] = detect.Prediction{Spans: m.Find(rec.Text, rec.Language)}
	}
	return out, nil
}

// Find returns the spans of text (code-point offsets), sorted. language
// selects the recognizers ("" runs them all).
func (m *Method) Find(text, language string) []record.Span {
	var words []wordSpan
	if m.context {
		words = splitWords(text)
	}
	lang := strings.ToLower(language)
	type hit struct {
		start, end int // bytes
		label      string
		score      float64
		validated  bool
	}
	var hits []hit
	for ri := range m.recs {
		r := &m.recs[ri]
		if r.languages != nil && lang != "" && !r.languages[lang] {
			continue
		}
		for _, p := range r.patterns {
			for _, loc := range p.re.FindAllStringIndex(text, -1) {
				if loc[1] <= loc[0] {
					continue
				}
				h := hit{start: loc[0], end: loc[1], label: r.label, score: p.score}
				if r.validate != nil {
					if !r.validate(text[loc[0]:loc[1]]) {
						continue
					}
					h.score, h.validated = 1, true
				}
				if !h.validated && r.hasContext(text, words, loc[0], loc[1]) {
					h.score = r.boosted(h.score)
				}
				hits = append(hits, h)
			}
		}
		if r.deny != nil {
			for _, loc := range r.deny.find(text) {
				h := hit{start: loc[0], end: loc[1], label: r.label, score: r.denyScore}
				if r.hasContext(text, words, loc[0], loc[1]) {
					h.score = r.boosted(h.score)
				}
				hits = append(hits, h)
			}
		}
	}
	if len(hits) == 0 {
		return nil
	}
	// Same label: keep one span per place — a span inside (or equal to) an
	// already kept one with no higher score is dropped (Presidio's
	// remove_duplicates).
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.label, b.label), cmp.Compare(a.start, b.start), cmp.Compare(b.end, a.end), cmp.Compare(b.score, a.score))
	})
	off := record.NewOffsets(text)
	spans := make([]record.Span, 0, len(hits))
	var last *hit
	for i := range hits {
		h := &hits[i]
		if last != nil && last.label == h.label && h.start >= last.start && h.end <= last.end && h.score <= last.score {
			continue
		}
		last = h
		spans = append(spans, record.Span{Start: off.CodePoint(h.start), End: off.CodePoint(h.end), Label: h.label, Score: h.score, Validated: h.validated})
	}
	record.SortSpans(spans)
	return spans
}

// boosted applies the context rule to a score.
func (r *compiled) boosted(score float64) float64 {
	// Rounded to 1e-6 so 0.3 + 0.35 reads 0.65 in outputs.
	return math.Round(min(1, max(score+r.boost, r.minScore))*1e6) / 1e6
}

// hasContext reports whether a context word is among the r.before words
// ending at or before start or the r.after words starting at or after end.
func (r *compiled) hasContext(text string, words []wordSpan, start, end int) bool {
	if len(r.context) == 0 {
		return false
	}
	// first word ending after start: words before it end at or before start.
	i := sort.Search(len(words), func(k int) bool { return words[k].end > start })
	for k := i - 1; k >= 0 && k >= i-r.before; k-- {
		if r.contextWord(words[k].lower) {
			return true
		}
	}
	j := sort.Search(len(words), func(k int) bool { return words[k].start >= end })
	for k := j; k < len(words) && k < j+r.after; k++ {
		if r.contextWord(words[k].lower) {
			return true
		}
	}
	return false
}

// contextWord reports whether a text word (lower case) contains one of the
// context words, Presidio's rule.
func (r *compiled) contextWord(w string) bool {
	for _, c := range r.context {
		if strings.Contains(w, c) {
			return true
		}
	}
	return false
}

// wordSpan is one word of a text: byte offsets and its lower-case form.
type wordSpan struct {
	start, end int
	lower      string
}

// splitWords cuts text into words: maximal runs of letters, digits and
// combining marks.
func splitWords(text string) []wordSpan {
	var out []wordSpan
	start := -1
	for i, c := range text {
		if isWordRune(c) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, wordSpan{start: start, end: i, lower: strings.ToLower(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, wordSpan{start: start, end: len(text), lower: strings.ToLower(text[start:])})
	}
	return out
}

// find returns the deny-list matches in text that are not glued to a letter
// or digit on either side. Where the leftmost match is glued, the shorter
// terms starting there are tried, then the search goes on one character
// further, so no whole-word match is missed.
func (d *denyList) find(text string) [][2]int {
	var out [][2]int
	pos := 0
	for pos < len(text) {
		loc := d.any.FindStringIndex(text[pos:])
		if loc == nil {
			break
		}
		s, e := pos+loc[0], pos+loc[1]
		if !wordEdge(text, s, e) {
			e = -1
			for _, t := range d.terms {
				if l := t.FindStringIndex(text[s:]); l != nil && wordEdge(text, s, s+l[1]) {
					e = s + l[1]
					break
				}
			}
		}
		if e > s {
			out = append(out, [2]int{s, e})
			pos = e
			continue
		}
		_, size := utf8.DecodeRuneInString(text[s:])
		pos = s + max(size, 1)
	}
	return out
}

// wordEdge reports whether text[start:end] is not glued to a word character
// on either side.
func wordEdge(text string, start, end int) bool {
	if start > 0 {
		c, _ := utf8.DecodeLastRuneInString(text[:start])
		if isWordRune(c) {
			return false
		}
	}
	if end < len(text) {
		c, _ := utf8.DecodeRuneInString(text[end:])
		if isWordRune(c) {
			return false
		}
	}
	return true
}
