package score

import (
	"cmp"
	"fmt"
	"slices"
	"unicode"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/taxonomy"
)

// Views: scores that need the document's text, computed by Scorer.Score
// next to the strict ones and summed into the same Counts.
//
// # Label-agnostic PII spans ("pii_spans")
//
// Entity types are ignored: the gold spans and the predicted spans of a
// document are each reduced to their distinct (start, end) pairs. A
// prediction p and a gold span g may match when their character
// intersection over union, |p ∩ g| / |p ∪ g| in code points, is at least
// the threshold (ViewSettings.IoU, default 0.5). Matching is one to one and
// maximal: TP is the size of a maximum matching of the bipartite graph of
// eligible pairs (so no gold span and no prediction counts twice, and the
// result depends on no ordering or tie-breaking). Precision = TP/predicted,
// recall = TP/gold, with the zero-division conventions of the strict view.
// For a threshold above 0.5 and non-overlapping spans a prediction can be
// eligible for at most one gold span, so this is the same as any greedy
// matching.
//
// With ViewSettings.MergeAdjacent, before matching, spans of the same
// entity group (taxonomy.GroupOf) that overlap, touch, or are separated
// only by whitespace and punctuation (unicode.IsSpace, unicode.IsPunct) are
// merged into one span, in the gold and the predictions alike: FIRSTNAME
// "Ada" + LASTNAME "Lovelace" is one PERSON span, STREET, CITY and ZIPCODE
// on consecutive lines one LOCATION span. Spans of different groups never
// merge ("ada@example.com, +33 6…" stays two spans).
//
// # Entity groups ("groups")
//
// Gold and predicted labels are both mapped through taxonomy.GroupOf, then
// scored per group: strict (same group, same start and end; de-duplicated
// after mapping) and IoU (as the PII view, but a pair is eligible only
// within one group; merging, when on, is the same).
//
// # Characters ("characters")
//
// Leak rate as in the package documentation. Clean code points are the
// non-whitespace code points of the text outside every gold span; the
// over-mask rate is the share of them that at least one prediction (any
// label) covers. Per class: a gold class's leak rate is the share of the
// union of its gold spans that no prediction covers; a predicted class's
// over-mask rate is the share of all clean code points that its own
// predictions cover (the denominator is the same for every class, so the
// classes' rates can add up to more than the total when predictions of
// several classes overlap). Per group the same with labels mapped to groups.
//
// # Tokens ("tokens")
//
// The text is cut into words (tokenizeWords: maximal runs of letters, marks
// and digits; every other non-space code point is a token of its own). A
// token takes the label of the first span (in start order) that shares a
// code point with it and has not claimed it already; the first token a span
// claims is B-, the others I- (IOB2). Entity-level counts follow seqeval's
// default mode on those tags: an entity is a B-X followed by I-X, or an
// I-X after O or after another type; TP = entities with the same type,
// first and last token in gold and predictions. Token-level counts are over
// tokens whose gold or predicted tag is not O: a TP is a token whose gold
// and predicted types agree (B/I ignored).

// DefaultIoU is the IoU threshold of the PII span view when none is set.
const DefaultIoU = 0.5

// TokenizerWords names the whitespace/punctuation word tokenizer of the
// token view.
const TokenizerWords = "words"

// ViewSettings are the settings the views are computed with. Counts made
// with different settings cannot be summed.
type ViewSettings struct {
	// IoU is the matching threshold of the PII and group IoU views, in (0, 1].
	IoU float64 `json:"iou"`
	// MergeAdjacent merges adjacent spans of one entity group before IoU
	// matching.
	MergeAdjacent bool `json:"merge_adjacent"`
	// Tokenizer names the token view's tokenizer (TokenizerWords).
	Tokenizer string `json:"tokenizer"`
}

// String gives the settings for error messages.
func (v *ViewSettings) String() string {
	if v == nil {
		return "no views"
	}
	return fmt.Sprintf("iou %g, merge_adjacent %t, tokenizer %s", v.IoU, v.MergeAdjacent, v.Tokenizer)
}

// MatchCounts are the counts of a one-to-one span matching.
type MatchCounts struct {
	Gold int64 `json:"gold"`
	Pred int64 `json:"pred"`
	TP   int64 `json:"tp"`
}

// Add sums o into m.
func (m *MatchCounts) Add(o MatchCounts) {
	m.Gold += o.Gold
	m.Pred += o.Pred
	m.TP += o.TP
}

// CharCounts are the character-view counts of one class or group.
type CharCounts struct {
	// GoldCodePoints is the size of the union of its gold spans;
	// LeakedCodePoints the part no prediction covers.
	GoldCodePoints   int64 `json:"gold_code_points,omitempty"`
	LeakedCodePoints int64 `json:"leaked_code_points,omitempty"`
	// OverMaskedCodePoints are the clean code points its predictions cover.
	OverMaskedCodePoints int64 `json:"over_masked_code_points,omitempty"`
}

// Add sums o into c.
func (c *CharCounts) Add(o CharCounts) {
	c.GoldCodePoints += o.GoldCodePoints
	c.LeakedCodePoints += o.LeakedCodePoints
	c.OverMaskedCodePoints += o.OverMaskedCodePoints
}

// GroupCounts are the counts of one entity group.
type GroupCounts struct {
	Strict     MatchCounts `json:"strict"`
	IoU        MatchCounts `json:"iou"`
	Characters CharCounts  `json:"characters,omitzero"`
}

// Add sums o into g.
func (g *GroupCounts) Add(o *GroupCounts) {
	g.Strict.Add(o.Strict)
	g.IoU.Add(o.IoU)
	g.Characters.Add(o.Characters)
}

// TokenCounts are the token view's counts.
type TokenCounts struct {
	// Tokens is the number of tokens.
	Tokens int64 `json:"tokens"`
	// Entities are seqeval-style entity counts over the BIO tags.
	Entities MatchCounts `json:"entities"`
	// Labels are token-level counts over tokens tagged other than O.
	Labels MatchCounts `json:"labels"`
}

// Add sums o into t.
func (t *TokenCounts) Add(o TokenCounts) {
	t.Tokens += o.Tokens
	t.Entities.Add(o.Entities)
	t.Labels.Add(o.Labels)
}

// Scorer scores documents with their text: the strict and nervaluate
// counts of ScoreDocument plus the views.
type Scorer struct {
	settings ViewSettings
}

// NewScorer checks the settings (IoU 0 means DefaultIoU, an empty
// Tokenizer TokenizerWords) and returns a scorer.
func NewScorer(s ViewSettings) (*Scorer, error) {
	if s.IoU == 0 {
		s.IoU = DefaultIoU
	}
	if !(s.IoU > 0 && s.IoU <= 1) {
		return nil, fmt.Errorf("score: iou %g must be in (0, 1]", s.IoU)
	}
	if s.Tokenizer == "" {
		s.Tokenizer = TokenizerWords
	}
	if s.Tokenizer != TokenizerWords {
		return nil, fmt.Errorf("score: unknown tokenizer %q (known: %s)", s.Tokenizer, TokenizerWords)
	}
	return &Scorer{settings: s}, nil
}

// Settings returns the scorer's settings, defaults filled in.
func (s *Scorer) Settings() ViewSettings { return s.settings }

// NewCounts returns empty counts that carry the scorer's settings.
func (s *Scorer) NewCounts() *Counts {
	c := NewCounts()
	v := s.settings
	c.Views = &v
	return c
}

// Score scores one document: ScoreDocument's counts plus the views. Spans
// are clipped to the text; neither slice is modified.
func (s *Scorer) Score(text string, gold, pred []record.Span, language string) DocCounts {
	d := ScoreDocument(gold, pred, language)
	runes := []rune(text)
	g := clip(dedupSorted(gold), len(runes))
	p := clip(dedupSorted(pred), len(runes))

	// Label-agnostic PII spans.
	ga, pa := s.agnostic(g, runes), s.agnostic(p, runes)
	d.PII = MatchCounts{Gold: int64(len(ga)), Pred: int64(len(pa)), TP: int64(maxMatching(ga, pa, s.settings.IoU, false))}

	// Entity groups.
	gg, pg := toGroups(g), toGroups(p)
	groups := map[string]*GroupCounts{}
	group := func(name string) *GroupCounts { return entry(groups, name) }
	for _, sp := range gg {
		group(sp.Label).Strict.Gold++
	}
	for _, sp := range pg {
		group(sp.Label).Strict.Pred++
	}
	strictMatches(gg, pg, func(s record.Span) { group(s.Label).Strict.TP++ })
	gm, pm := gg, pg
	if s.settings.MergeAdjacent {
		gm, pm = mergeAdjacent(gg, runes), mergeAdjacent(pg, runes)
	}
	for name, gc := range groups {
		gl := filterLabel(nil, gm, name)
		pl := filterLabel(nil, pm, name)
		gc.IoU = MatchCounts{Gold: int64(len(gl)), Pred: int64(len(pl)), TP: int64(maxMatching(gl, pl, s.settings.IoU, true))}
	}

	// Characters.
	cv := newCharView(runes, g, p)
	d.CleanCodePoints, d.OverMaskedCodePoints = cv.clean, cv.overMasked(p)
	for label, cc := range d.Classes {
		cc.Characters = cv.class(filterLabel(nil, g, label), filterLabel(nil, p, label))
	}
	for name, gc := range groups {
		gc.Characters = cv.class(filterLabel(nil, gg, name), filterLabel(nil, pg, name))
	}
	if len(groups) > 0 {
		d.Groups = groups
	}

	// Tokens.
	d.Tokens = tokenCounts(runes, g, p)
	return d
}

// clip restricts spans to [0, n) and drops those left empty.
func clip(spans []record.Span, n int) []record.Span {
	out := spans[:0]
	for _, s := range spans {
		s.Start, s.End = max(s.Start, 0), min(s.End, n)
		if s.End > s.Start {
			out = append(out, s)
		}
	}
	return out
}

// agnostic returns the distinct bounds of spans (sorted by start, end, with
// empty labels), merged by group first when MergeAdjacent is on.
func (s *Scorer) agnostic(spans []record.Span, runes []rune) []record.Span {
	if s.settings.MergeAdjacent {
		spans = mergeAdjacent(toGroups(spans), runes)
	}
	out := make([]record.Span, len(spans))
	for i, sp := range spans {
		out[i] = record.Span{Start: sp.Start, End: sp.End}
	}
	slices.SortFunc(out, compareSpan)
	return slices.Compact(out)
}

// toGroups maps labels to entity groups, de-duplicated and sorted.
func toGroups(spans []record.Span) []record.Span {
	out := make([]record.Span, len(spans))
	for i, s := range spans {
		out[i] = record.Span{Start: s.Start, End: s.End, Label: taxonomy.GroupOf(s.Label)}
	}
	return dedupSorted(out)
}

// mergeAdjacent merges, per label, spans that overlap, touch or are
// separated only by whitespace and punctuation in runes. The result is
// de-duplicated and sorted.
func mergeAdjacent(spans []record.Span, runes []rune) []record.Span {
	byLabel := slices.Clone(spans)
	slices.SortStableFunc(byLabel, func(a, b record.Span) int {
		return cmp.Or(cmp.Compare(a.Label, b.Label), cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
	var out []record.Span
	for _, s := range byLabel {
		if n := len(out); n > 0 && out[n-1].Label == s.Label && onlySeparators(runes, out[n-1].End, s.Start) {
			out[n-1].End = max(out[n-1].End, s.End)
			continue
		}
		out = append(out, s)
	}
	return dedupSorted(out)
}

// onlySeparators reports whether runes[from:to] holds only whitespace and
// punctuation (true when from >= to).
func onlySeparators(runes []rune, from, to int) bool {
	for i := max(from, 0); i < min(to, len(runes)); i++ {
		if r := runes[i]; !unicode.IsSpace(r) && !unicode.IsPunct(r) {
			return false
		}
	}
	return true
}

// iou is the character intersection over union of two spans.
func iou(a, b record.Span) float64 {
	inter := overlapLen(a, b)
	if inter <= 0 {
		return 0
	}
	union := a.Len() + b.Len() - inter
	return float64(inter) / float64(union)
}

// maxMatching returns the size of a maximum one-to-one matching between
// gold and pred where a pair is eligible when its IoU is at least threshold
// (and, with sameLabel, the labels are equal). Kuhn's augmenting paths.
func maxMatching(gold, pred []record.Span, threshold float64, sameLabel bool) int {
	if len(gold) == 0 || len(pred) == 0 {
		return 0
	}
	adj := make([][]int, len(gold))
	for gi, g := range gold {
		for pi, p := range pred {
			if p.Start >= g.End {
				break // pred is sorted by start: no later one overlaps g
			}
			if sameLabel && p.Label != g.Label {
				continue
			}
			if iou(g, p) >= threshold {
				adj[gi] = append(adj[gi], pi)
			}
		}
	}
	matchOf := make([]int, len(pred)) // gold index matched to each pred, -1 if none
	for i := range matchOf {
		matchOf[i] = -1
	}
	seen := make([]bool, len(pred))
	var try func(gi int) bool
	try = func(gi int) bool {
		for _, pi := range adj[gi] {
			if seen[pi] {
				continue
			}
			seen[pi] = true
			if matchOf[pi] < 0 || try(matchOf[pi]) {
				matchOf[pi] = gi
				return true
			}
		}
		return false
	}
	n := 0
	for gi := range gold {
		if len(adj[gi]) == 0 {
			continue
		}
		clear(seen)
		if try(gi) {
			n++
		}
	}
	return n
}
