package mask

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/piimask/piimask/record"
)

// Candidate is a span proposed for masking, with the method that found it.
type Candidate struct {
	record.Span
	// Method names the method (or "deny_list", or "a+b" after a merge).
	Method string `json:"method"`
	// Rank is the method's position in the configured order; lower wins
	// under the priority ensemble. Deny-list terms have rank -1.
	Rank int `json:"-"`
	// Block marks a validated span that a selection left out (an excluded
	// class, an allow-listed value): it still stops model spans that
	// overlap it, but ResolveCandidates never returns it.
	Block bool `json:"-"`
}

// Ensemble modes for combining several methods.
const (
	// EnsembleUnion keeps every span of every method.
	EnsembleUnion = "union"
	// EnsembleMajority keeps a code point under a label when more than half
	// of the methods put it under that label. Validated spans are evidence,
	// not votes: they are kept whatever the vote.
	EnsembleMajority = "majority"
	// EnsemblePriority keeps every span of every method, but in overlap
	// resolution an earlier method always beats a later one (within the
	// same evidence tier: a validated span beats any model span).
	EnsemblePriority = "priority"
)

// ValidEnsemble reports whether mode is an ensemble mode ("" is union).
func ValidEnsemble(mode string) bool {
	switch mode {
	case "", EnsembleUnion, EnsembleMajority, EnsemblePriority:
		return true
	}
	return false
}

// MethodSpans is one method's spans for one document.
type MethodSpans struct {
	Method string
	Spans  []record.Span
}

// Combine merges the methods' spans into candidates under an ensemble mode.
// Overlaps are left for ResolveCandidates. Under majority the votes become
// candidates of method "majority", and every validated span is also passed
// through as its own method's candidate.
func Combine(mode string, preds []MethodSpans) ([]Candidate, error) {
	switch mode {
	case "", EnsembleUnion, EnsemblePriority:
		var out []Candidate
		for i, p := range preds {
			for _, s := range p.Spans {
				out = append(out, Candidate{Span: s, Method: p.Method, Rank: i})
			}
		}
		return out, nil
	case EnsembleMajority:
		out := majority(preds)
		for i, p := range preds {
			for _, s := range p.Spans {
				if s.Validated {
					out = append(out, Candidate{Span: s, Method: p.Method, Rank: i})
				}
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown ensemble %q (union, majority, priority)", mode)
}

// majority votes per code point and label: a code point is kept under label
// L when more than half of the methods have a span labelled L covering it.
// Maximal runs of kept code points become spans; their score is the mean
// score of the voting spans. Vote spans are never validated.
func majority(preds []MethodSpans) []Candidate {
	type vote struct {
		methods map[int]bool
		score   float64
		n       int
	}
	votes := map[string]map[int]*vote{}
	for mi, p := range preds {
		for _, s := range p.Spans {
			byPos := votes[s.Label]
			if byPos == nil {
				byPos = map[int]*vote{}
				votes[s.Label] = byPos
			}
			for c := max(0, s.Start); c < s.End; c++ {
				v := byPos[c]
				if v == nil {
					v = &vote{methods: map[int]bool{}}
					byPos[c] = v
				}
				if !v.methods[mi] {
					v.methods[mi] = true
					v.score += s.Score
					v.n++
				}
			}
		}
	}
	need := len(preds)/2 + 1
	labels := make([]string, 0, len(votes))
	for l := range votes {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	var out []Candidate
	for _, l := range labels {
		byPos := votes[l]
		pos := make([]int, 0, len(byPos))
		for c, v := range byPos {
			if v.n >= need {
				pos = append(pos, c)
			}
		}
		sort.Ints(pos)
		for i := 0; i < len(pos); {
			j, sum := i, 0.0
			for j < len(pos) && pos[j] == pos[i]+(j-i) {
				v := byPos[pos[j]]
				sum += v.score / float64(v.n)
				j++
			}
			out = append(out, Candidate{Span: record.Span{Start: pos[i], End: pos[j-1] + 1, Label: l, Score: sum / float64(j-i)}, Method: EnsembleMajority})
			i = j
		}
	}
	return out
}

// ResolveCandidates turns candidates into non-overlapping spans, sorted by
// start, so that no code point is ever replaced twice. It is the one
// overlap rule of piimask: the mask job (Masker) and the ensemble detection
// method both call it. The rule:
//
//  1. empty spans and spans outside [0, n) are dropped;
//  2. evidence first. Validated spans (record.Span.Validated: a checksum or
//     a parser accepted the value, e.g. the rules method's e-mail or IBAN)
//     are resolved among themselves by steps 3–4 and are never split,
//     shortened or relabelled by anything else;
//  3. overlapping spans of the same class merge into one span covering
//     both, with the higher score, keeping the best rank;
//  4. among spans of different classes that overlap, the winner is chosen by,
//     in order: the lower rank (only when byRank — the priority ensemble; a
//     deny-list term always has rank -1 and wins under every ensemble), the
//     longer span (a containing span is longer than what it contains), the
//     higher score, the earlier start, then the label's alphabetical order.
//     Spans are accepted greedily in that order and a span that overlaps an
//     accepted one is dropped whole;
//  5. then every other span (model spans, deny-list terms, majority votes):
//     one that overlaps a kept validated span — or a Block candidate — is
//     dropped whole, whatever its class, score or rank: a model span inside
//     an e-mail, crossing its edge or covering it is a wrong boundary, and
//     keeping the part outside would leave a fragment ("at sarah"). The
//     rest are resolved by steps 3–4.
//
// A deny-list term inside a validated span is thus masked as part of it;
// one that crosses its edge keeps only the validated value masked.
func ResolveCandidates(cands []Candidate, n int, byRank bool) []Candidate {
	var evidence, block, rest []Candidate
	for _, x := range cands {
		if x.Start < 0 || x.End <= x.Start || x.End > n {
			continue
		}
		switch {
		case x.Validated && x.Block:
			block = append(block, x)
		case x.Validated:
			evidence = append(evidence, x)
		default:
			rest = append(rest, x)
		}
	}
	kept := resolveTier(evidence, byRank, nil)
	walls := append(append([]Candidate(nil), kept...), block...)
	free := rest[:0]
	for _, x := range rest {
		if !overlapsAny(x, walls) {
			free = append(free, x)
		}
	}
	kept = resolveTier(free, byRank, kept)
	sort.Slice(kept, func(i, j int) bool { return kept[i].Start < kept[j].Start })
	return kept
}

// resolveTier merges c's same-class overlaps, then greedily accepts its
// spans (steps 3–4 of ResolveCandidates) that overlap neither kept nor an
// already accepted one, and returns kept with them appended.
func resolveTier(c []Candidate, byRank bool, kept []Candidate) []Candidate {
	c = mergeSameClass(c)
	sort.SliceStable(c, func(i, j int) bool {
		a, b := c[i], c[j]
		ra, rb := a.Rank, b.Rank
		if !byRank {
			ra, rb = min(ra, 0), min(rb, 0) // only the deny list keeps its rank
		}
		if ra != rb {
			return ra < rb
		}
		if a.Len() != b.Len() {
			return a.Len() > b.Len()
		}
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		return a.Label < b.Label
	})
	for _, x := range c {
		if !overlapsAny(x, kept) {
			kept = append(kept, x)
		}
	}
	return kept
}

func overlapsAny(x Candidate, set []Candidate) bool {
	for _, k := range set {
		if k.Overlaps(x.Span) {
			return true
		}
	}
	return false
}

// mergeSameClass merges overlapping candidates of the same label. A merge
// of validated spans stays validated.
func mergeSameClass(c []Candidate) []Candidate {
	sort.SliceStable(c, func(i, j int) bool {
		if c[i].Label != c[j].Label {
			return c[i].Label < c[j].Label
		}
		return c[i].Start < c[j].Start
	})
	out := c[:0]
	for _, x := range c {
		if len(out) > 0 {
			last := &out[len(out)-1]
			if last.Label == x.Label && x.Start < last.End {
				last.End = max(last.End, x.End)
				last.Score = max(last.Score, x.Score)
				last.Validated = last.Validated && x.Validated
				if x.Rank < last.Rank {
					last.Rank = x.Rank
				}
				if !strings.Contains("+"+last.Method+"+", "+"+x.Method+"+") {
					last.Method += "+" + x.Method
				}
				continue
			}
		}
		out = append(out, x)
	}
	return out
}

// DenyTerm is a term that is always masked wherever it occurs.
type DenyTerm struct {
	Term  string `yaml:"term" json:"term"`
	Label string `yaml:"label" json:"label"`
}

// Selection decides which candidates are masked.
type Selection struct {
	// Include, when not empty, keeps only these classes.
	Include []string
	// Exclude drops these classes.
	Exclude []string
	// MinScore is a per-class minimum score; the key "*" applies to classes
	// without their own entry. Spans without a score (0) from methods that
	// do not score are kept only when no minimum applies.
	MinScore map[string]float64
	// Allow lists values never masked (compared case-insensitively after
	// trimming spaces).
	Allow []string
	// Deny lists terms always masked, found case-insensitively on word
	// boundaries, whatever the methods say. They bypass Include, Exclude and
	// MinScore.
	Deny []DenyTerm
	// DenyLabel is the class of deny terms without a label (default CUSTOM).
	DenyLabel string
}

// selector is a compiled Selection.
type selector struct {
	include, exclude map[string]bool
	minScore         map[string]float64
	allow            map[string]bool
	deny             []*regexp.Regexp
	denyLabels       []string
}

func compileSelection(s Selection) (*selector, error) {
	sel := &selector{exclude: set(s.Exclude), minScore: s.MinScore, allow: map[string]bool{}}
	if len(s.Include) > 0 {
		sel.include = set(s.Include)
	}
	for _, a := range s.Allow {
		sel.allow[normValue(a)] = true
	}
	def := s.DenyLabel
	if def == "" {
		def = "CUSTOM"
	}
	for i, d := range s.Deny {
		if strings.TrimSpace(d.Term) == "" {
			return nil, fmt.Errorf("deny[%d]: empty term", i)
		}
		re, err := regexp.Compile(`(?i)` + regexp.QuoteMeta(d.Term))
		if err != nil {
			return nil, fmt.Errorf("deny[%d]: %w", i, err)
		}
		l := d.Label
		if l == "" {
			l = def
		}
		sel.deny = append(sel.deny, re)
		sel.denyLabels = append(sel.denyLabels, l)
	}
	return sel, nil
}

func set(xs []string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func normValue(v string) string { return strings.ToLower(strings.TrimSpace(v)) }

// keep reports whether a method's candidate passes the selection; value is
// the candidate's text.
func (s *selector) keep(c Candidate, value string) bool {
	if s.include != nil && !s.include[c.Label] {
		return false
	}
	if s.exclude[c.Label] {
		return false
	}
	if min, ok := s.minScore[c.Label]; ok {
		if c.Score < min {
			return false
		}
	} else if min, ok := s.minScore["*"]; ok && c.Score < min {
		return false
	}
	return !s.allow[normValue(value)]
}

// denySpans finds the deny terms in text (offsets in code points).
func (s *selector) denySpans(text string, off *record.Offsets) []Candidate {
	var out []Candidate
	for i, re := range s.deny {
		for _, m := range re.FindAllStringIndex(text, -1) {
			if !wordEdge(text, m[0], m[1]) {
				continue
			}
			out = append(out, Candidate{Span: record.Span{Start: off.CodePoint(m[0]), End: off.CodePoint(m[1]), Label: s.denyLabels[i], Score: 1}, Method: "deny_list", Rank: -1})
		}
	}
	return out
}

// wordEdge reports whether text[start:end] is not glued to a letter or digit
// on either side (Unicode-aware, unlike regexp's \b).
func wordEdge(text string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(text[:start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if end < len(text) {
		r, _ := utf8.DecodeRuneInString(text[end:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
