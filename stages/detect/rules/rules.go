package rules

import (
	"cmp"
	"context"
	"fmt"
	"math/bits"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
)

// Type is the method type name used in job configs.
const Type = "rules"

// Options are the rules method's YAML options.
type Options struct {
	// Classes restricts detection to these classes (default: every class
	// the method has a recognizer for).
	Classes []string `yaml:"classes"`
	// Exclude removes classes from the set.
	Exclude []string `yaml:"exclude"`
	// MinScore drops spans scored below it (0–1).
	MinScore float64 `yaml:"min_score"`
}

// Method is the rule-based PII detector. It is safe for concurrent use.
type Method struct {
	name string
	recs []*recognizer
	kw   keywords
	// firstSets are the recognizers' distinct first-byte sets.
	firstSets [][256]bool
	// digitRecs are the recognizers scanDigits runs (digit scope, whole
	// match), digitBit their bit by recognizer index (-1: not one), and
	// digitByFirst the bits of those whose pattern can start with a byte.
	digitRecs    []int
	digitBit     []int
	digitByFirst [256]uint64
	classes      []string
	minScore     float64
}

// Classes returns every class the rules method can detect, sorted.
func Classes() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range recognizerSpecs() {
		if !seen[s.class] {
			seen[s.class] = true
			out = append(out, s.class)
		}
	}
	sort.Strings(out)
	return out
}

// Check reports option values New would refuse: classes without a
// recognizer, a min_score outside [0, 1] (config loading calls it).
func (o Options) Check() error {
	supported := map[string]bool{}
	for _, c := range Classes() {
		supported[c] = true
	}
	for _, f := range []struct {
		field string
		names []string
	}{{"classes", o.Classes}, {"exclude", o.Exclude}} {
		for _, c := range f.names {
			if !supported[c] {
				return fmt.Errorf("rules: %s: class %q has no rules recognizer (supported: %s)", f.field, c, strings.Join(Classes(), ", "))
			}
		}
	}
	if o.MinScore < 0 || o.MinScore > 1 {
		return fmt.Errorf("rules: min_score %v is outside [0, 1]", o.MinScore)
	}
	return nil
}

// New compiles the recognizers selected by opts.
func New(opts Options) (*Method, error) {
	if err := opts.Check(); err != nil {
		return nil, err
	}
	supported := map[string]bool{}
	for _, c := range Classes() {
		supported[c] = true
	}
	enabled := map[string]bool{}
	if len(opts.Classes) == 0 {
		for c := range supported {
			enabled[c] = true
		}
	}
	for _, c := range opts.Classes {
		enabled[c] = true
	}
	for _, c := range opts.Exclude {
		delete(enabled, c)
	}
	if len(enabled) == 0 {
		return nil, fmt.Errorf("rules: no class left to detect after classes/exclude")
	}
	m := &Method{name: Type, minScore: opts.MinScore}
	for _, s := range recognizerSpecs() {
		if !enabled[s.class] {
			continue
		}
		re, err := regexp.Compile(s.pattern)
		if err != nil {
			return nil, fmt.Errorf("rules: %s pattern: %w", s.class, err)
		}
		anch, err := regexp.Compile(`^(?:` + s.pattern + `)`)
		if err != nil {
			return nil, fmt.Errorf("rules: %s pattern: %w", s.class, err)
		}
		first, err := firstBytes(s.pattern)
		if err != nil {
			return nil, fmt.Errorf("rules: %s pattern: %w", s.class, err)
		}
		maxLen := maxMatchLen(s.class)
		if n, err := patternMaxLen(s.pattern); err != nil {
			return nil, fmt.Errorf("rules: %s pattern: %w", s.class, err)
		} else if n != unbounded {
			maxLen = min(maxLen, n)
		}
		kwMask, ok := m.kw.mask(s.words)
		if !ok {
			return nil, fmt.Errorf("rules: more than %d distinct keywords", maxKeywords)
		}
		firstID := -1
		for i := range m.firstSets {
			if m.firstSets[i] == first {
				firstID = i
			}
		}
		if firstID < 0 {
			firstID = len(m.firstSets)
			m.firstSets = append(m.firstSets, first)
		}
		m.recs = append(m.recs, &recognizer{minDigits: valueDigits(s.class), kwMask: kwMask, firstID: firstID, class: s.class, re: re, anch: anch, first: first, maxLen: maxLen, group: s.group, need: s.need, words: s.words, check: s.check, valid: s.valid, scope: s.scope, pre: prefilterFor(s.class, s.pattern), fast: matcherFor(s.class, s.pattern)})
	}
	for ri, r := range m.recs {
		m.digitBit = append(m.digitBit, -1)
		if r.scope.kind != kindDigits || r.group != 0 || len(m.digitRecs) == 64 {
			continue
		}
		bit := len(m.digitRecs)
		m.digitBit[ri] = bit
		m.digitRecs = append(m.digitRecs, ri)
		for c := range r.first {
			if r.first[c] {
				m.digitByFirst[c] |= 1 << bit
			}
		}
	}
	for c := range enabled {
		m.classes = append(m.classes, c)
	}
	sort.Strings(m.classes)
	return m, nil
}

// Register adds the "rules" method type to reg. When a job gives a label set
// and the options name no classes, the method detects the job's labels it
// supports.
func Register(reg *detect.Registry) {
	reg.RegisterOptions(Type, Options{}, func(_ context.Context, spec detect.Spec) (detect.Method, error) {
		var opts Options
		if err := detect.DecodeOptions(spec.Options, &opts); err != nil {
			return nil, err
		}
		if len(opts.Classes) == 0 && len(spec.Labels) > 0 {
			want := map[string]bool{}
			for _, l := range spec.Labels {
				want[l] = true
			}
			for _, c := range Classes() {
				if want[c] {
					opts.Classes = append(opts.Classes, c)
				}
			}
			if len(opts.Classes) == 0 {
				return nil, fmt.Errorf("rules: none of the job's labels has a rules recognizer (supported: %s)", strings.Join(Classes(), ", "))
			}
		}
		m, err := New(opts)
		if err != nil {
			return nil, err
		}
		if spec.Name != "" {
			m.name = spec.Name
		}
		return m, nil
	})
}

// Name is the method's name in the job (its type when unnamed).
func (m *Method) Name() string { return m.name }

// EnabledClasses lists the classes this instance detects, sorted.
func (m *Method) EnabledClasses() []string { return append([]string(nil), m.classes...) }

// Close releases nothing; it exists to satisfy detect.Method.
func (m *Method) Close() error { return nil }

// Detect finds spans in each record's text.
func (m *Method) Detect(ctx context.Context, batch []record.Record) ([]detect.Prediction, error) {
	out := make([]detect.Prediction, len(batch))
	var d doc
	for i := range batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out[i].Spans = m.find(&d, batch[i].Text)
	}
	return out, nil
}

// Find returns the non-overlapping spans found in text, in code-point
// offsets, sorted by start.
func (m *Method) Find(text string) []record.Span {
	var d doc
	return m.find(&d, text)
}

// candidate is a span in byte offsets before overlap resolution.
type candidate struct {
	s, e  int
	class string
	score float64
	// validated: the recognizer's check verified a checksum or parsed it.
	validated bool
}

func (m *Method) find(d *doc, text string) []record.Span {
	if text == "" {
		return nil
	}
	d.reset(text)
	d.kw = &m.kw
	var cands []candidate
	var digitActive uint64 // bit i: m.digitRecs[i] runs
	for ri, r := range m.recs {
		if d.feat&r.need != r.need || (r.words != nil && !d.hasAny(r.kwMask)) {
			continue
		}
		if bit := m.digitBit[ri]; bit >= 0 {
			digitActive |= 1 << bit
			continue
		}
		var regions [][2]int
		switch r.scope.kind {
		case kindText:
			regions = append(d.regions[:0], [2]int{0, len(text)})
		case kindDigits:
			regions = d.digitRegions()
		default:
			regions = d.wordRegions(r.scope, r.kwMask, d.regions)
		}
		for _, reg := range regions {
			if r.group == 0 {
				cands = m.scanStarts(d, r, reg[0], reg[1], cands)
			} else {
				cands = m.scan(d, r, reg[0], reg[1], cands)
			}
		}
		if r.scope.kind != kindDigits {
			d.regions = regions[:0]
		}
	}
	if digitActive != 0 {
		cands = m.scanDigits(d, digitActive, cands)
	}
	if len(cands) == 0 {
		return nil
	}
	spans := make([]record.Span, len(cands))
	for i, c := range cands {
		spans[i] = record.Span{Start: c.s, End: c.e, Label: c.class, Score: c.score, Validated: c.validated}
	}
	if d.feat&fNonASCII != 0 {
		d.codePoints(spans)
	}
	return resolve(spans)
}

// scan runs r on text[a:b] and appends the accepted candidates.
func (m *Method) scan(d *doc, r *recognizer, a, b int, cands []candidate) []candidate {
	if r.minDigits > 0 && !hasDigitRun(d.text[a:b], r.minDigits) {
		return cands // the value group needs that many digits in a row
	}
	for _, loc := range r.re.FindAllStringSubmatchIndex(d.text[a:b], -1) {
		s, e := loc[2*r.group], loc[2*r.group+1]
		if s < 0 || s == e {
			continue
		}
		ns, ne, score, ok := r.check(d, a+s, a+e)
		if !ok || score < m.minScore || ns >= ne {
			continue
		}
		cands = append(cands, candidate{s: ns, e: ne, class: r.class, score: score, validated: r.validated(score)})
	}
	return cands
}

// scanStarts finds the same matches as scan for patterns whose matches must
// not start inside a word: it tries the anchored pattern only at bytes that
// can start a match and that follow a non-word rune (d.wordStarts), and
// after each match resumes at its end, as FindAll does. It is many times
// faster than an unanchored search, which tries every position.
func (m *Method) scanStarts(d *doc, r *recognizer, a, b int, cands []candidate) []candidate {
	starts := d.startsFor(m, r.firstID)
	// First start at or after a (binary search).
	lo, hi := 0, len(starts)
	for lo < hi {
		h := int(uint(lo+hi) >> 1)
		if int(starts[h]) < a {
			lo = h + 1
		} else {
			hi = h
		}
	}
	next := 0 // the scanner resumes at the end of the last match
	for _, p := range starts[lo:] {
		pos := int(p)
		if pos >= b {
			break
		}
		if pos < next {
			continue
		}
		n := 0
		if n, cands = m.tryAt(d, r, pos, b, cands); n > 0 {
			next = pos + n
		}
	}
	return cands
}

// tryAt matches r at byte pos of d's text (the match may not pass b),
// appends the candidate its check accepts and returns the match length (0:
// no match).
func (m *Method) tryAt(d *doc, r *recognizer, pos, b int, cands []candidate) (int, []candidate) {
	// Bound the input: the backtracker's cost grows with it, and no match
	// is longer than maxLen.
	win := d.text[pos:min(b, pos+r.maxLen)]
	var n int
	if r.fast != nil {
		n = r.fast(win)
	} else {
		if r.pre != nil && !r.pre(win) {
			return 0, cands
		}
		if loc := r.anch.FindStringIndex(win); loc != nil {
			n = loc[1]
		}
	}
	if n == 0 {
		return 0, cands
	}
	if ns, ne, score, ok := r.check(d, pos, pos+n); ok && score >= m.minScore && ns < ne {
		cands = append(cands, candidate{s: ns, e: ne, class: r.class, score: score, validated: r.validated(score)})
	}
	return n, cands
}

// scanDigits runs the active digit-scoped recognizers (bit i: m.digitRecs[i])
// over the digit regions in one pass over their word starts: at each start
// only the recognizers whose pattern can begin with its byte are tried.
// Each recognizer resumes after its own last match, so the candidates are
// those scanStarts finds recognizer by recognizer.
func (m *Method) scanDigits(d *doc, active uint64, cands []candidate) []candidate {
	text := d.text
	starts := d.wordStarts()
	var next [64]int
	k := 0
	for _, reg := range d.digitRegions() {
		a, b := reg[0], reg[1]
		for k < len(starts) && int(starts[k]) < a {
			k++
		}
		for ; k < len(starts) && int(starts[k]) < b; k++ {
			pos := int(starts[k])
			for mask := m.digitByFirst[text[pos]] & active; mask != 0; mask &= mask - 1 {
				i := bits.TrailingZeros64(mask)
				if pos < next[i] {
					continue
				}
				var n int
				if n, cands = m.tryAt(d, m.recs[m.digitRecs[i]], pos, b, cands); n > 0 {
					next[i] = pos + n
				}
			}
		}
	}
	return cands
}

// resolve keeps a non-overlapping subset of spans: higher score first, then
// longer, then earlier, then label order; the result is sorted by start.
func resolve(spans []record.Span) []record.Span {
	slices.SortStableFunc(spans, func(a, b record.Span) int {
		switch {
		case a.Score != b.Score:
			if a.Score > b.Score {
				return -1
			}
			return 1
		case a.Len() != b.Len():
			return cmp.Compare(b.Len(), a.Len())
		case a.Start != b.Start:
			return cmp.Compare(a.Start, b.Start)
		}
		return strings.Compare(a.Label, b.Label)
	})
	kept := make([]record.Span, 0, len(spans))
	for _, s := range spans {
		// kept is sorted by start; find where s would go.
		i := sort.Search(len(kept), func(k int) bool { return kept[k].Start >= s.Start })
		if i > 0 && kept[i-1].End > s.Start || i < len(kept) && kept[i].Start < s.End {
			continue
		}
		kept = append(kept, record.Span{})
		copy(kept[i+1:], kept[i:])
		kept[i] = s
	}
	return kept
}

// valueDigits is the shortest run of digits the value group of a
// context-led recognizer (CVV, PIN) needs: \d{3,4}, \d{4,8}.
func valueDigits(class string) int {
	switch class {
	case "CREDITCARDCVV":
		return 3
	case "PIN":
		return 4
	}
	return 0
}

// hasDigitRun reports whether s holds n ASCII digits in a row.
func hasDigitRun(s string, n int) bool {
	k := 0
	for i := 0; i < len(s); i++ {
		if isDigitByte(s[i]) {
			if k++; k >= n {
				return true
			}
		} else {
			k = 0
		}
	}
	return false
}
