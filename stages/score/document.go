package score

import (
	"cmp"
	"slices"

	"github.com/piimask/piimask/record"
)

// minOverlapPercent is nervaluate's default min_overlap_percentage: the shared
// part must be at least this share of the gold span.
const minOverlapPercent = 1

// ScoreDocument scores one document's predicted spans against its gold spans.
// Neither slice is modified. The result's ID is empty; set it when the
// per-document counts are written out.
func ScoreDocument(gold, pred []record.Span, language string) DocCounts {
	g := dedupSorted(gold)
	p := dedupSorted(pred)
	d := DocCounts{Language: language}
	d.Docs = 1
	d.Gold = int64(len(g))
	d.Pred = int64(len(p))

	classes := map[string]*ClassCounts{}
	class := func(label string) *ClassCounts { return entry(classes, label) }
	for _, s := range g {
		class(s.Label).Gold++
	}
	for _, s := range p {
		class(s.Label).Pred++
	}
	strictMatches(g, p, func(s record.Span) {
		d.TP++
		class(s.Label).TP++
	})
	if d.TP == d.Gold && d.TP == d.Pred {
		d.ExactMatchDocs = 1
	}

	var m matcher
	for _, sc := range Schemas() {
		*d.Schemas.Get(sc) = m.evaluate(sc, g, p)
	}
	if len(classes) > 0 {
		var gl, pl []record.Span
		for label, cc := range classes {
			gl = filterLabel(gl[:0], g, label)
			pl = filterLabel(pl[:0], p, label)
			for _, sc := range Schemas() {
				*cc.Schemas.Get(sc) = m.evaluate(sc, gl, pl)
			}
		}
		d.Classes = classes
	}

	d.Confusion = confusion(g, p)
	d.GoldCodePoints, d.LeakedCodePoints = leak(g, p)
	return d
}

func compareSpan(a, b record.Span) int {
	if c := cmp.Compare(a.Start, b.Start); c != 0 {
		return c
	}
	if c := cmp.Compare(a.End, b.End); c != 0 {
		return c
	}
	return cmp.Compare(a.Label, b.Label)
}

// dedupSorted returns a sorted copy of spans with one span per record.Key and
// scores dropped.
func dedupSorted(spans []record.Span) []record.Span {
	out := make([]record.Span, len(spans))
	for i, s := range spans {
		out[i] = record.Span{Start: s.Start, End: s.End, Label: s.Label}
	}
	slices.SortFunc(out, compareSpan)
	return slices.CompactFunc(out, func(a, b record.Span) bool { return a.Key() == b.Key() })
}

func filterLabel(dst, spans []record.Span, label string) []record.Span {
	for _, s := range spans {
		if s.Label == label {
			dst = append(dst, s)
		}
	}
	return dst
}

// overlapLen is the number of code points two spans share.
func overlapLen(a, b record.Span) int {
	return min(a.End, b.End) - max(a.Start, b.Start)
}

// sufficientOverlap is nervaluate's _has_sufficient_overlap with the default
// threshold, measured against the gold span.
func sufficientOverlap(pred, gold record.Span) bool {
	ov := overlapLen(pred, gold)
	return ov > 0 && ov*100 >= gold.Len()*minOverlapPercent
}

func sameBounds(a, b record.Span) bool { return a.Start == b.Start && a.End == b.End }

// matcher carries scratch space between evaluations.
type matcher struct{ matched []bool }

// evaluate runs nervaluate 1.0's strategy for schema sc. gold and pred are
// de-duplicated and in the order that decides greedy matches.
func (m *matcher) evaluate(sc Schema, gold, pred []record.Span) SchemaCounts {
	if cap(m.matched) < len(gold) {
		m.matched = make([]bool, len(gold))
	}
	matched := m.matched[:len(gold)]
	clear(matched)
	var r SchemaCounts
	for _, p := range pred {
		// Index of the gold span matched correctly, and of the first one that
		// gives an incorrect (or partial) outcome; -1 when none.
		cor, other := -1, -1
		switch sc {
		case SchemaStrict, SchemaExact:
			for gi, g := range gold {
				if matched[gi] {
					continue
				}
				if sameBounds(p, g) && (sc == SchemaExact || p.Label == g.Label) {
					cor = gi
					break
				}
				if other < 0 && sufficientOverlap(p, g) {
					other = gi
				}
			}
		case SchemaPartial:
			for gi, g := range gold {
				if matched[gi] || !sufficientOverlap(p, g) {
					continue
				}
				if sameBounds(p, g) {
					cor = gi
					break
				}
				if other < 0 {
					other = gi
				}
			}
		case SchemaEntType:
			best := 0
			for gi, g := range gold {
				if matched[gi] || !sufficientOverlap(p, g) {
					continue
				}
				if p.Label == g.Label {
					dist := abs(p.Start-g.Start) + abs(p.End-g.End)
					if cor < 0 || dist < best {
						cor, best = gi, dist
					}
				} else if other < 0 {
					other = gi
				}
			}
		}
		switch {
		case cor >= 0:
			r.COR++
			matched[cor] = true
		case other >= 0:
			if sc == SchemaPartial {
				r.PAR++
			} else {
				r.INC++
			}
			matched[other] = true
		default:
			r.SPU++
		}
	}
	for _, ok := range matched {
		if !ok {
			r.MIS++
		}
	}
	return r
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// confusion counts overlapping gold/pred pairs by label, with MISSED and
// SPURIOUS for spans that overlap nothing. Both lists are sorted by start.
func confusion(gold, pred []record.Span) map[string]map[string]int64 {
	if len(gold) == 0 && len(pred) == 0 {
		return nil
	}
	out := map[string]map[string]int64{}
	inc := func(g, p string) {
		row := out[g]
		if row == nil {
			row = map[string]int64{}
			out[g] = row
		}
		row[p]++
	}
	predHit := make([]bool, len(pred))
	for _, g := range gold {
		hit := false
		for pi, p := range pred {
			if p.Start >= g.End {
				break // sorted by start: no later prediction overlaps g
			}
			if overlapLen(g, p) > 0 {
				inc(g.Label, p.Label)
				hit = true
				predHit[pi] = true
			}
		}
		if !hit {
			inc(g.Label, Missed)
		}
	}
	for pi, p := range pred {
		if !predHit[pi] {
			inc(Spurious, p.Label)
		}
	}
	return out
}

// leak returns the size of the union of gold spans and how much of it the
// union of predicted spans leaves uncovered.
func leak(gold, pred []record.Span) (goldCP, leaked int64) {
	return leakAgainst(union(gold), union(pred))
}

// strictMatches calls hit for every gold span of g that p holds too (same
// label, start and end); both are de-duplicated and sorted by compareSpan,
// so one merge walk finds them.
func strictMatches(g, p []record.Span, hit func(record.Span)) {
	for i, j := 0, 0; i < len(g) && j < len(p); {
		switch c := compareSpan(g[i], p[j]); {
		case c == 0:
			hit(g[i])
			i++
			j++
		case c < 0:
			i++
		default:
			j++
		}
	}
}

// union merges spans sorted by start into disjoint, sorted intervals (labels
// dropped). Empty spans are skipped.
func union(spans []record.Span) []record.Span {
	var out []record.Span
	for _, s := range spans {
		if s.End <= s.Start {
			continue
		}
		if n := len(out); n > 0 && s.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, s.End)
			continue
		}
		out = append(out, record.Span{Start: s.Start, End: s.End})
	}
	return out
}
