package tokenize

import (
	"fmt"
	"sort"

	"github.com/piimask/piimask/record"
)

// Strategy says which sub-tokens of a word carry a training label.
type Strategy int

const (
	// FirstSubToken labels the first sub-token of each word and gives the
	// other sub-tokens IgnoreLabel (-100), as the Hugging Face token
	// classification examples do with label_all_tokens=False. Exception: a
	// sub-token where a span begins or ends inside a word (an entity inside a
	// word) keeps its label, so that no span loses its start or its end.
	FirstSubToken Strategy = iota
	// AllSubTokens labels every content token.
	AllSubTokens
)

// String names the strategy as configs spell it.
func (s Strategy) String() string {
	switch s {
	case FirstSubToken:
		return "first_subtoken"
	case AllSubTokens:
		return "all_subtokens"
	}
	return fmt.Sprintf("Strategy(%d)", int(s))
}

// ParseStrategy reads "first_subtoken" / "first" or "all_subtokens" / "all".
func ParseStrategy(s string) (Strategy, error) {
	switch s {
	case "first_subtoken", "first", "":
		return FirstSubToken, nil
	case "all_subtokens", "all":
		return AllSubTokens, nil
	}
	return 0, fmt.Errorf("unknown alignment strategy %q (want first_subtoken or all_subtokens)", s)
}

// Boundary names which end of a span a diagnostic is about.
type Boundary string

// The two span boundaries.
const (
	BoundaryStart Boundary = "start"
	BoundaryEnd   Boundary = "end"
)

// Misalignment is a span boundary that falls strictly inside a token: the
// token covers characters on both sides of it.
type Misalignment struct {
	Span     int      `json:"span"`     // index into the spans given to AlignBIO
	Label    string   `json:"label"`    // the span's class
	Boundary Boundary `json:"boundary"` // which end of the span
	Offset   int      `json:"offset"`   // the boundary, in code points
	Token    int      `json:"token"`    // index of the token that straddles it
	// TokenStart and TokenEnd are the straddling token's offsets.
	TokenStart int `json:"token_start"`
	TokenEnd   int `json:"token_end"`
}

// AlignDiagnostics reports what AlignBIO could not align exactly.
type AlignDiagnostics struct {
	// Spans is the number of spans given.
	Spans int `json:"spans"`
	// Misaligned lists every span boundary that falls inside a token.
	Misaligned []Misalignment `json:"misaligned,omitempty"`
	// BoundaryInsideToken is len(Misaligned).
	BoundaryInsideToken int `json:"boundary_inside_token"`
	// NoToken counts spans that cover no token at all (e.g. only whitespace,
	// or offsets beyond the encoding); they get no label.
	NoToken int `json:"no_token"`
	// Overlapping counts spans that overlap an earlier span (in start order);
	// tokens already labelled keep the earlier span's label.
	Overlapping int `json:"overlapping"`
	// UnknownLabel counts spans whose class has no B-/I- label in the map;
	// their tokens are labelled O.
	UnknownLabel int `json:"unknown_label"`
}

// Add accumulates another document's diagnostics (Misaligned lists are not
// kept: only counts add up).
func (d *AlignDiagnostics) Add(o AlignDiagnostics) {
	d.Spans += o.Spans
	d.BoundaryInsideToken += o.BoundaryInsideToken
	d.NoToken += o.NoToken
	d.Overlapping += o.Overlapping
	d.UnknownLabel += o.UnknownLabel
}

// isSpecial reports whether token i is a special token.
func isSpecial(enc *Encoding, i int) bool {
	return i < len(enc.SpecialTokensMask) && enc.SpecialTokensMask[i] == 1
}

// wordID is token i's word, or -1 when unknown.
func wordID(enc *Encoding, i int) int {
	if i < len(enc.WordIDs) {
		return enc.WordIDs[i]
	}
	return -1
}

// firstOfWord reports whether content token i starts a new word: its word id
// differs from the previous content token's, or word ids are unknown (-1).
func firstOfWord(enc *Encoding, i int) bool {
	w := wordID(enc, i)
	if w < 0 {
		return true
	}
	for j := i - 1; j >= 0; j-- {
		if isSpecial(enc, j) {
			continue
		}
		return wordID(enc, j) != w
	}
	return true
}

// AlignBIO turns gold character spans (code points) into one BIO label id per
// token of enc.
//
// Rules:
//   - special tokens get IgnoreLabel;
//   - a content token belongs to a span when it overlaps it (a zero-width
//     token belongs to the span its offset falls in); the first token of a
//     span gets B-CLASS, the following ones I-CLASS; tokens in no span get O;
//   - a span boundary strictly inside a token is never shifted silently: it
//     is listed in diag.Misaligned and counted. The straddling token still
//     overlaps the span and is labelled as part of it (B- when it is the
//     span's first token), so decoding gives back the span widened to token
//     boundaries — which RoundTrip counts as not surviving;
//   - spans are taken in start order; a token already labelled by an earlier
//     overlapping span keeps that label (counted in diag.Overlapping);
//   - with FirstSubToken, a non-first sub-token of a word gets IgnoreLabel
//     when it merely continues the previous token (same span, or both
//     outside any span); a sub-token where a span begins or ends inside a
//     word keeps its label, so token-exact spans still round-trip.
func AlignBIO(enc *Encoding, spans []record.Span, lm *LabelMap, strategy Strategy) (labels []int, diag AlignDiagnostics) {
	n := enc.Len()
	labels = make([]int, n)
	oID, _ := lm.ID("O")
	owner := make([]int, n) // span index owning each token, -1 for none
	startsSpan := make([]bool, n)
	for i := range labels {
		owner[i] = -1
		if isSpecial(enc, i) {
			labels[i] = IgnoreLabel
		} else {
			labels[i] = oID
		}
	}
	diag.Spans = len(spans)

	order := make([]int, len(spans))
	for i := range order {
		order[i] = i
	}
	sortByStart(order, spans)

	content := make([]int, 0, n)
	for t := 0; t < n; t++ {
		if !isSpecial(enc, t) {
			content = append(content, t)
		}
	}
	monotonic := offsetsMonotonic(enc, content)
	prevEnd := -1
	for _, si := range order {
		sp := spans[si]
		if prevEnd > sp.Start {
			diag.Overlapping++
		}
		if sp.End > prevEnd {
			prevEnd = sp.End
		}
		bID, okB := lm.ID("B-" + sp.Label)
		iID, okI := lm.ID("I-" + sp.Label)
		if !okB || !okI {
			diag.UnknownLabel++
		}
		first := true
		from := 0
		if monotonic {
			// first content token that ends after the span starts, or sits
			// (zero-width) on its start
			from = sort.Search(len(content), func(k int) bool {
				o := enc.Offsets[content[k]]
				return o[1] > sp.Start || (o[1] == sp.Start && o[0] == sp.Start)
			})
		}
		for _, t := range content[from:] {
			ts, te := enc.Offsets[t][0], enc.Offsets[t][1]
			if monotonic && ts >= sp.End {
				break
			}
			var in bool
			if ts == te {
				in = sp.Start <= ts && ts < sp.End
			} else {
				in = ts < sp.End && sp.Start < te
			}
			if !in {
				continue
			}
			if ts < sp.Start && sp.Start < te {
				diag.Misaligned = append(diag.Misaligned, Misalignment{Span: si, Label: sp.Label, Boundary: BoundaryStart, Offset: sp.Start, Token: t, TokenStart: ts, TokenEnd: te})
			}
			if ts < sp.End && sp.End < te {
				diag.Misaligned = append(diag.Misaligned, Misalignment{Span: si, Label: sp.Label, Boundary: BoundaryEnd, Offset: sp.End, Token: t, TokenStart: ts, TokenEnd: te})
			}
			if owner[t] >= 0 {
				first = false
				continue
			}
			owner[t] = si
			if okB && okI {
				if first {
					labels[t] = bID
					startsSpan[t] = true
				} else {
					labels[t] = iID
				}
			}
			first = false
		}
		if first {
			diag.NoToken++
		}
	}
	diag.BoundaryInsideToken = len(diag.Misaligned)

	if strategy == FirstSubToken {
		prev := -1 // previous content token
		for t := 0; t < n; t++ {
			if isSpecial(enc, t) {
				continue
			}
			if !startsSpan[t] && !firstOfWord(enc, t) && prev >= 0 && owner[prev] == owner[t] {
				labels[t] = IgnoreLabel
			}
			prev = t
		}
	}
	return labels, diag
}

// offsetsMonotonic reports whether content token offsets never go
// backwards, which lets AlignBIO binary-search a span's first token.
func offsetsMonotonic(enc *Encoding, content []int) bool {
	ps, pe := 0, 0
	for _, t := range content {
		s, e := enc.Offsets[t][0], enc.Offsets[t][1]
		if s < ps || e < pe || e < s {
			return false
		}
		ps, pe = s, e
	}
	return true
}

func sortByStart(order []int, spans []record.Span) {
	// insertion sort: documents hold few spans, and it is stable.
	for i := 1; i < len(order); i++ {
		for j := i; j > 0; j-- {
			a, b := spans[order[j-1]], spans[order[j]]
			if a.Start < b.Start || (a.Start == b.Start && a.End <= b.End) {
				break
			}
			order[j-1], order[j] = order[j], order[j-1]
		}
	}
}

// LabelNames maps label ids to BIO strings; IgnoreLabel (and any id outside
// the map) becomes "", which SpansFromLabels reads as "same as the previous
// sub-token of this word".
func LabelNames(labels []int, lm *LabelMap) []string {
	out := make([]string, len(labels))
	for i, id := range labels {
		if id >= 0 && id < len(lm.ID2Label) {
			out[i] = lm.ID2Label[id]
		}
	}
	return out
}

// SpansFromLabels decodes one BIO label per token of enc into character spans
// (code points). Rules:
//   - "B-X" starts a span of class X;
//   - "I-X" continues the open span when it has class X, and otherwise (after
//     O, after another class, or at the start) starts a new span of class X —
//     the lenient IOB1-style reading most taggers use;
//   - "" (an ignored sub-token, see LabelNames) continues whatever the
//     previous token of the same word did (inside the open span, or outside),
//     and reads as "O" when it starts a word;
//   - "O" and special tokens close the open span (special tokens are skipped
//     otherwise); E-/S-/L-/U- prefixes read as I-/B- respectively closing after;
//   - a span runs from its first token's start to its last token's end.
//
// labels must have enc.Len() entries; extra or missing entries are ignored or
// read as "O".
func SpansFromLabels(enc *Encoding, labels []string) []record.Span {
	var spans []record.Span
	open := -1 // index into spans of the open span
	prevWord, prevContent := -2, false
	closeSpan := func() { open = -1 }
	for t := 0; t < enc.Len(); t++ {
		if isSpecial(enc, t) {
			closeSpan()
			prevContent = false
			continue
		}
		label := "O"
		if t < len(labels) {
			label = labels[t]
		}
		ts, te := enc.Offsets[t][0], enc.Offsets[t][1]
		w := wordID(enc, t)
		sameWord := prevContent && w >= 0 && w == prevWord
		prevWord, prevContent = w, true
		if label == "" {
			if sameWord && open >= 0 {
				if te > spans[open].End {
					spans[open].End = te
				}
			} else if !sameWord {
				closeSpan()
			}
			continue
		}
		prefix, class := SplitBIO(label)
		switch prefix {
		case "O":
			closeSpan()
		case "B", "S", "U":
			spans = append(spans, record.Span{Start: ts, End: te, Label: class})
			open = len(spans) - 1
			if prefix != "B" {
				closeSpan()
			}
		default: // I, E, L
			if open >= 0 && spans[open].Label == class {
				if te > spans[open].End {
					spans[open].End = te
				}
			} else {
				spans = append(spans, record.Span{Start: ts, End: te, Label: class})
				open = len(spans) - 1
			}
			if prefix == "E" || prefix == "L" {
				closeSpan()
			}
		}
	}
	return spans
}

// RoundTripStats counts gold spans that survive gold → labels → spans.
type RoundTripStats struct {
	Gold     int `json:"gold"`
	Survived int `json:"survived"`
}

// Add accumulates another document's counts.
func (r *RoundTripStats) Add(o RoundTripStats) {
	r.Gold += o.Gold
	r.Survived += o.Survived
}

// Share is Survived/Gold (1 when there is no gold span).
func (r RoundTripStats) Share() float64 {
	if r.Gold == 0 {
		return 1
	}
	return float64(r.Survived) / float64(r.Gold)
}

// RoundTrip aligns gold to enc with strategy, decodes the labels back and
// counts the gold spans found again with the same offsets and class.
func RoundTrip(enc *Encoding, gold []record.Span, lm *LabelMap, strategy Strategy) RoundTripStats {
	ids, _ := AlignBIO(enc, gold, lm, strategy)
	return RoundTripLabels(enc, gold, LabelNames(ids, lm))
}

// RoundTripLabels decodes labels (as from AlignBIO + LabelNames) and counts
// the gold spans found again exactly.
func RoundTripLabels(enc *Encoding, gold []record.Span, labels []string) RoundTripStats {
	got := map[record.Key]int{}
	for _, s := range SpansFromLabels(enc, labels) {
		got[s.Key()]++
	}
	st := RoundTripStats{Gold: len(gold)}
	for _, g := range gold {
		if got[g.Key()] > 0 {
			got[g.Key()]--
			st.Survived++
		}
	}
	return st
}
