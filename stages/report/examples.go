package report

import (
	"slices"
	"sync"
	"unicode"

	"github.com/piimask/piimask/record"
)

// Error kinds of an Example.
const (
	FalsePositive = "false_positive"
	FalseNegative = "false_negative"
)

// Segment is one piece of an example's context. Text is what the report
// shows: the original text, or "[LABEL]" where the piece lies in a gold PII
// span and PII is hidden.
type Segment struct {
	Text string `json:"text"`
	// Gold is the label of the gold span the piece lies in ("" outside gold).
	Gold string `json:"gold,omitempty"`
	// Focus marks the piece covered by the example's erroneous span.
	Focus bool `json:"focus,omitempty"`
	// Masked says Text replaces PII.
	Masked bool `json:"masked,omitempty"`
	// Shape is set on masked pieces of a gold span that overlaps the
	// error: the original text with every letter replaced by X or x and
	// every digit by 9 (other characters kept), so that boundary errors can
	// be seen without the PII. Reports show it instead of Text.
	Shape string `json:"shape,omitempty"`
	// Other marks a piece covered by a span of the other side that overlaps
	// the error (the gold span a false positive overlaps, the prediction a
	// false negative overlaps).
	Other bool `json:"other,omitempty"`
	// OtherStart marks the first piece of each such span, so that where
	// one overlapping span ends and the next begins can be seen.
	OtherStart bool `json:"other_start,omitempty"`
	// End is the label of the gold span this piece ends, on the last piece
	// of a shaped gold span ("" otherwise), to name it after its shape.
	End string `json:"end,omitempty"`
}

// Shown is what a report prints for the piece: its shape when it has one.
func (s Segment) Shown() string {
	if s.Shape != "" {
		return s.Shape
	}
	return s.Text
}

// Example is one error of one method on one document, with a little context.
type Example struct {
	Method   string `json:"method"`
	DocID    string `json:"doc_id"`
	Language string `json:"language,omitempty"`
	// Kind is FalsePositive (a predicted span with no exact gold match) or
	// FalseNegative (a gold span with no exact predicted match).
	Kind string `json:"kind"`
	// Label is the erroneous span's label.
	Label string `json:"label"`
	// Other describes the nearest span of the other side that overlaps the
	// error (e.g. the gold label a false positive overlaps), "" if none.
	Other string `json:"other,omitempty"`
	// Start and End are the erroneous span's code-point offsets.
	Start    int       `json:"start"`
	End      int       `json:"end"`
	Segments []Segment `json:"segments"`
}

// CollectorOptions configure a Collector. Zero fields take the defaults.
type CollectorOptions struct {
	// PerMethod is the number of examples kept per method and error kind
	// (default 5).
	PerMethod int
	// Context is the number of code points shown either side of the error
	// (default 40).
	Context int
	// ShowPII keeps the text of gold PII spans. By default every part of the
	// context inside a gold span is replaced by "[LABEL]"; text that gold
	// does not mark as PII (e.g. a false positive outside every gold span)
	// is shown as it is.
	ShowPII bool
}

// Collector keeps a few false positives and false negatives per method while
// documents stream by, masking the PII as it collects (the original text is
// never retained unless ShowPII is set). It is safe for concurrent use.
type Collector struct {
	opts CollectorOptions
	mu   sync.Mutex
	seen map[string]map[string]bool // method/kind → labels kept
	kept map[string]int             // method/kind → count
	out  []Example
}

// NewCollector returns an empty collector.
func NewCollector(opts CollectorOptions) *Collector {
	if opts.PerMethod <= 0 {
		opts.PerMethod = 5
	}
	if opts.Context <= 0 {
		opts.Context = 40
	}
	return &Collector{opts: opts, seen: map[string]map[string]bool{}, kept: map[string]int{}}
}

// Add looks for errors of method on one document: a false positive is a
// predicted span with no gold span of the same label and offsets, a false
// negative the reverse. It keeps at most PerMethod examples per method and
// kind, preferring labels not yet shown. Spans that do not fit the text are
// ignored.
func (c *Collector) Add(method string, rec record.Record, pred []record.Span) {
	if c == nil {
		return
	}
	gold := dedup(rec.Gold)
	p := dedup(pred)
	goldSet := map[record.Key]bool{}
	for _, s := range gold {
		goldSet[s.Key()] = true
	}
	predSet := map[record.Key]bool{}
	for _, s := range p {
		predSet[s.Key()] = true
	}
	var cands []Example
	for _, s := range p {
		if !goldSet[s.Key()] {
			cands = append(cands, Example{Kind: FalsePositive, Label: s.Label, Start: s.Start, End: s.End, Other: overlapping(s, gold)})
		}
	}
	for _, s := range gold {
		if !predSet[s.Key()] {
			cands = append(cands, Example{Kind: FalseNegative, Label: s.Label, Start: s.Start, End: s.End, Other: overlapping(s, p)})
		}
	}
	if len(cands) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var runes []rune
	for _, e := range cands {
		key := method + "\x00" + e.Kind
		if c.kept[key] >= c.opts.PerMethod || c.seen[key][e.Label] {
			continue
		}
		if runes == nil {
			runes = []rune(rec.Text)
		}
		if e.Start < 0 || e.End > len(runes) || e.Start >= e.End {
			continue
		}
		e.Method, e.DocID, e.Language = method, rec.ID, rec.Language
		others := p
		if e.Kind == FalsePositive {
			others = gold
		}
		e.Segments = segments(runes, gold, overlaps(record.Span{Start: e.Start, End: e.End}, others), e.Start, e.End, c.opts.Context, c.opts.ShowPII)
		if c.seen[key] == nil {
			c.seen[key] = map[string]bool{}
		}
		c.seen[key][e.Label] = true
		c.kept[key]++
		c.out = append(c.out, e)
	}
}

// Examples returns the examples kept so far, by method, kind and arrival.
func (c *Collector) Examples() []Example {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := slices.Clone(c.out)
	slices.SortStableFunc(out, func(a, b Example) int {
		if a.Method != b.Method {
			if a.Method < b.Method {
				return -1
			}
			return 1
		}
		if a.Kind != b.Kind {
			if a.Kind < b.Kind {
				return -1
			}
			return 1
		}
		return 0
	})
	return out
}

func dedup(spans []record.Span) []record.Span {
	out := make([]record.Span, 0, len(spans))
	seen := map[record.Key]bool{}
	for _, s := range spans {
		if !seen[s.Key()] {
			seen[s.Key()] = true
			out = append(out, record.Span{Start: s.Start, End: s.End, Label: s.Label})
		}
	}
	record.SortSpans(out)
	return out
}

// overlapping names the spans of others that overlap s, e.g. "CITY" or
// "CITY (boundary)" when only the offsets differ.
func overlapping(s record.Span, others []record.Span) string {
	for _, o := range others {
		if o.Overlaps(s) {
			if o.Label == s.Label {
				return o.Label + " (other boundaries)"
			}
			return o.Label
		}
	}
	return ""
}

// overlaps returns the spans that share a code point with s.
func overlaps(s record.Span, spans []record.Span) []record.Span {
	var out []record.Span
	for _, o := range spans {
		if o.Overlaps(s) {
			out = append(out, o)
		}
	}
	return out
}

// shape replaces letters by X or x and digits by 9.
func shape(rs []rune) string {
	out := make([]rune, len(rs))
	for i, r := range rs {
		switch {
		case unicode.IsUpper(r):
			out[i] = 'X'
		case unicode.IsLetter(r):
			out[i] = 'x'
		case unicode.IsDigit(r):
			out[i] = '9'
		default:
			out[i] = r
		}
	}
	return string(out)
}

// segments cuts text[start-ctx : end+ctx] into pieces of equal gold-span,
// focus and other-span membership, masking gold PII unless showPII: a gold
// span that overlaps the error keeps its shape (Segment.Shape), the others
// become "[LABEL]".
func segments(text []rune, gold, others []record.Span, start, end, ctx int, showPII bool) []Segment {
	from := max(0, start-ctx)
	to := min(len(text), end+ctx)
	goldAt := func(i int) int {
		for k, g := range gold {
			if i >= g.Start && i < g.End {
				return k
			}
		}
		return -1
	}
	otherAt := func(i int) int {
		for k, o := range others {
			if i >= o.Start && i < o.End {
				return k
			}
		}
		return -1
	}
	errSpan := record.Span{Start: start, End: end}
	var out []Segment
	if from > 0 {
		out = append(out, Segment{Text: "…"})
	}
	for i := from; i < to; {
		g := goldAt(i)
		focus := i >= start && i < end
		other := otherAt(i)
		j := i + 1
		for j < to && goldAt(j) == g && (j >= start && j < end) == focus && otherAt(j) == other {
			j++
		}
		seg := Segment{Text: string(text[i:j]), Focus: focus, Other: other >= 0, OtherStart: other >= 0 && i == others[other].Start}
		if g >= 0 {
			seg.Gold = gold[g].Label
			if !showPII {
				seg.Text = "[" + gold[g].Label + "]"
				seg.Masked = true
				if gold[g].Overlaps(errSpan) {
					seg.Shape = shape(text[i:j])
					if j == gold[g].End || j == to {
						seg.End = gold[g].Label
					}
				}
			}
		}
		out = append(out, seg)
		i = j
	}
	if to < len(text) {
		out = append(out, Segment{Text: "…"})
	}
	return out
}
