package score

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"

	"github.com/piimask/piimask/record"
)

// testDoc is one generated document.
type testDoc struct {
	ID         string
	Language   string
	Gold, Pred []record.Span
}

var testLabels = []string{"EMAIL", "FIRSTNAME", "LASTNAME", "CITY", "DATE"}

// genDocs generates n documents whose predictions exercise every case:
// exact copies, duplicates, shifted boundaries, wrong types, merges of two
// gold spans, drops, spurious spans, long gold spans and nested gold spans.
func genDocs(seed uint64, n int) []testDoc {
	rng := rand.New(rand.NewPCG(seed, 7))
	label := func() string { return testLabels[rng.IntN(len(testLabels))] }
	langs := []string{"en", "fr", "de", ""}
	docs := make([]testDoc, n)
	for i := range docs {
		d := testDoc{ID: string(rune('a'+i%26)) + string(rune('0'+i%10)) + "-" + itoa(i), Language: langs[rng.IntN(len(langs))]}
		textLen := 40 + rng.IntN(260)
		pos := rng.IntN(6)
		for pos < textLen && rng.IntN(8) != 0 {
			l := 1 + rng.IntN(12)
			if rng.IntN(25) == 0 {
				l = 100 + rng.IntN(120) // long span: exercises the 1% overlap rule
			}
			g := sp(pos, pos+l, label())
			d.Gold = append(d.Gold, g)
			if rng.IntN(10) == 0 { // nested or overlapping gold
				d.Gold = append(d.Gold, sp(g.Start+rng.IntN(l), g.End+rng.IntN(3), label()))
			}
			pos = g.End + rng.IntN(8)
		}
		for gi, g := range d.Gold {
			switch k := rng.IntN(12); {
			case k < 4:
				d.Pred = append(d.Pred, g)
			case k == 4:
				d.Pred = append(d.Pred, g, g) // duplicate
			case k == 5:
				d.Pred = append(d.Pred, sp(g.Start, g.End, label()))
			case k == 6:
				d.Pred = append(d.Pred, sp(max(0, g.Start+rng.IntN(5)-2), g.End+rng.IntN(5)-2, g.Label))
			case k == 7:
				d.Pred = append(d.Pred, sp(max(0, g.Start+rng.IntN(3)-1), g.End+rng.IntN(3), label()))
			case k == 8 && gi+1 < len(d.Gold):
				d.Pred = append(d.Pred, sp(g.Start, d.Gold[gi+1].End, g.Label)) // one over two
			case k == 9:
				d.Pred = append(d.Pred, g, sp(g.Start, g.Start+max(1, g.Len()/2), g.Label))
			case k == 10 && g.Len() > 2:
				d.Pred = append(d.Pred, sp(g.End-1, g.End+2, g.Label)) // small tail overlap
			}
			// k == 11 (and fall-through cases): dropped
		}
		for range rng.IntN(3) { // spurious
			s := rng.IntN(textLen)
			d.Pred = append(d.Pred, sp(s, s+1+rng.IntN(8), label()))
		}
		if rng.IntN(30) == 0 {
			d.Pred = append(d.Pred, sp(3, 3, label())) // empty span
		}
		rng.Shuffle(len(d.Pred), func(a, b int) { d.Pred[a], d.Pred[b] = d.Pred[b], d.Pred[a] })
		rng.Shuffle(len(d.Gold), func(a, b int) { d.Gold[a], d.Gold[b] = d.Gold[b], d.Gold[a] })
		docs[i] = d
	}
	return docs
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func scoreAll(docs []testDoc) (*Counts, []DocCounts) {
	c := NewCounts()
	out := make([]DocCounts, len(docs))
	for i, d := range docs {
		out[i] = ScoreDocument(d.Gold, d.Pred, d.Language)
		out[i].ID = d.ID
		c.AddDoc(&out[i])
	}
	return c, out
}

// ---- Brute-force reference ------------------------------------------------
//
// A deliberately different implementation: sets of keys for strict counts,
// per-code-point boolean arrays for overlaps and leaks, and a literal port of
// nervaluate 1.0's strategies on inclusive-end entities with a floating-point
// overlap percentage, as the Python code computes it.

type refEnt struct {
	label      string
	start, end int // inclusive end, as nervaluate
}

func refEntities(spans []record.Span) []refEnt {
	set := map[record.Key]bool{}
	for _, s := range spans {
		set[s.Key()] = true
	}
	out := make([]refEnt, 0, len(set))
	for k := range set {
		out = append(out, refEnt{k.Label, k.Start, k.End - 1})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.start != b.start {
			return a.start < b.start
		}
		if a.end != b.end {
			return a.end < b.end
		}
		return a.label < b.label
	})
	return out
}

func refOverlapPct(p, t refEnt) float64 {
	if p.start > t.end || p.end < t.start {
		return 0
	}
	ov := min(p.end, t.end) - max(p.start, t.start) + 1
	tl := t.end - t.start + 1
	if tl <= 0 || ov <= 0 {
		return 0
	}
	return float64(ov) / float64(tl) * 100
}

func refSufficient(p, t refEnt) bool { return refOverlapPct(p, t) >= 1.0 }

func refStrictLike(trues, preds []refEnt, ignoreLabel bool) SchemaCounts {
	var r SchemaCounts
	matched := map[int]bool{}
	for _, p := range preds {
		found, foundInc, incIdx := false, false, 0
		for ti, t := range trues {
			if matched[ti] {
				continue
			}
			if (ignoreLabel || p.label == t.label) && p.start == t.start && p.end == t.end {
				r.COR++
				matched[ti] = true
				found = true
				break
			}
			if refSufficient(p, t) && !foundInc {
				incIdx, foundInc = ti, true
			}
		}
		if !found {
			if foundInc {
				r.INC++
				matched[incIdx] = true
			} else {
				r.SPU++
			}
		}
	}
	r.MIS = int64(len(trues) - len(matched))
	return r
}

func refPartial(trues, preds []refEnt) SchemaCounts {
	var r SchemaCounts
	matched := map[int]bool{}
	for _, p := range preds {
		found, foundPar, parIdx := false, false, 0
		for ti, t := range trues {
			if matched[ti] {
				continue
			}
			if refSufficient(p, t) {
				if p.start == t.start && p.end == t.end {
					r.COR++
					matched[ti] = true
					found = true
					break
				}
				if !foundPar {
					parIdx, foundPar = ti, true
				}
			}
		}
		if !found {
			if foundPar {
				r.PAR++
				matched[parIdx] = true
			} else {
				r.SPU++
			}
		}
	}
	r.MIS = int64(len(trues) - len(matched))
	return r
}

func refEntType(trues, preds []refEnt) SchemaCounts {
	var r SchemaCounts
	matched := map[int]bool{}
	for _, p := range preds {
		found, foundInc := false, false
		var corIdx, incIdx int
		bestDist := -1
		for ti, t := range trues {
			if matched[ti] || !refSufficient(p, t) {
				continue
			}
			dist := abs(p.start-t.start) + abs(p.end-t.end)
			if p.label == t.label {
				if bestDist < 0 || dist < bestDist {
					corIdx, bestDist, found = ti, dist, true
				}
			} else if !foundInc {
				incIdx, foundInc = ti, true
			}
		}
		switch {
		case found:
			r.COR++
			matched[corIdx] = true
		case foundInc:
			r.INC++
			matched[incIdx] = true
		default:
			r.SPU++
		}
	}
	r.MIS = int64(len(trues) - len(matched))
	return r
}

func refSchemas(trues, preds []refEnt) SchemaSet {
	return SchemaSet{
		Strict:  refStrictLike(trues, preds, false),
		Exact:   refStrictLike(trues, preds, true),
		Partial: refPartial(trues, preds),
		EntType: refEntType(trues, preds),
	}
}

func refOnly(ents []refEnt, label string) []refEnt {
	var out []refEnt
	for _, e := range ents {
		if e.label == label {
			out = append(out, e)
		}
	}
	return out
}

// referenceCounts computes Counts for docs without any of the package's
// scoring code.
func referenceCounts(docs []testDoc) *Counts {
	c := &Counts{Version: CountsVersion, Classes: map[string]*ClassCounts{},
		Confusion: map[string]map[string]int64{}, Languages: map[string]*Totals{}}
	cls := func(l string) *ClassCounts {
		if c.Classes[l] == nil {
			c.Classes[l] = &ClassCounts{}
		}
		return c.Classes[l]
	}
	bump := func(g, p string) {
		if c.Confusion[g] == nil {
			c.Confusion[g] = map[string]int64{}
		}
		c.Confusion[g][p]++
	}
	for _, d := range docs {
		var t Totals
		t.Docs = 1
		gset, pset := map[record.Key]bool{}, map[record.Key]bool{}
		for _, s := range d.Gold {
			gset[s.Key()] = true
		}
		for _, s := range d.Pred {
			pset[s.Key()] = true
		}
		t.Gold, t.Pred = int64(len(gset)), int64(len(pset))
		for k := range gset {
			cls(k.Label).Gold++
			if pset[k] {
				t.TP++
				cls(k.Label).TP++
			}
		}
		for k := range pset {
			cls(k.Label).Pred++
		}
		if reflect.DeepEqual(gset, pset) {
			t.ExactMatchDocs = 1
		}

		trues, preds := refEntities(d.Gold), refEntities(d.Pred)
		t.Schemas = refSchemas(trues, preds)
		labels := map[string]bool{}
		for k := range gset {
			labels[k.Label] = true
		}
		for k := range pset {
			labels[k.Label] = true
		}
		for l := range labels {
			cls(l).Schemas.Add(refSchemas(refOnly(trues, l), refOnly(preds, l)))
		}

		// Code-point sets for leak and confusion.
		maxEnd := 0
		for k := range gset {
			maxEnd = max(maxEnd, k.End)
		}
		for k := range pset {
			maxEnd = max(maxEnd, k.End)
		}
		goldAt, predAt := make([]bool, maxEnd), make([]bool, maxEnd)
		for k := range gset {
			for i := k.Start; i < k.End; i++ {
				goldAt[i] = true
			}
		}
		for k := range pset {
			for i := k.Start; i < k.End; i++ {
				predAt[i] = true
			}
		}
		for i := range goldAt {
			if goldAt[i] {
				t.GoldCodePoints++
				if !predAt[i] {
					t.LeakedCodePoints++
				}
			}
		}
		share := func(a, b record.Key) bool {
			for i := a.Start; i < a.End; i++ {
				if i >= b.Start && i < b.End {
					return true
				}
			}
			return false
		}
		predHit := map[record.Key]bool{}
		for g := range gset {
			hit := false
			for p := range pset {
				if share(g, p) {
					bump(g.Label, p.Label)
					hit, predHit[p] = true, true
				}
			}
			if !hit {
				bump(g.Label, Missed)
			}
		}
		for p := range pset {
			if !predHit[p] {
				bump(Spurious, p.Label)
			}
		}

		c.Totals.Add(&t)
		lang := d.Language
		if lang == "" {
			lang = UnknownLanguage
		}
		if c.Languages[lang] == nil {
			c.Languages[lang] = &Totals{}
		}
		c.Languages[lang].Add(&t)
	}
	return c
}

func TestAgainstBruteForceReference(t *testing.T) {
	docs := genDocs(42, 2000)
	got, _ := scoreAll(docs)
	want := referenceCounts(docs)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("overall: got %+v\nwant %+v", got.Totals, want.Totals)
		for l, c := range want.Classes {
			if !reflect.DeepEqual(got.Classes[l], c) {
				t.Errorf("class %s: got %+v, want %+v", l, got.Classes[l], c)
			}
		}
		if !reflect.DeepEqual(got.Confusion, want.Confusion) {
			t.Errorf("confusion: got %v\nwant %v", got.Confusion, want.Confusion)
		}
	}
	// The generated data must exercise every outcome, or the check is weak.
	s := got.Schemas
	for name, n := range map[string]int64{
		"strict COR": s.Strict.COR, "strict INC": s.Strict.INC, "strict MIS": s.Strict.MIS, "strict SPU": s.Strict.SPU,
		"partial PAR": s.Partial.PAR, "ent_type INC": s.EntType.INC, "exact INC": s.Exact.INC,
		"exact-match docs": got.ExactMatchDocs, "leaked": got.LeakedCodePoints,
	} {
		if n == 0 {
			t.Errorf("generated data never produces %s", name)
		}
	}
	if got.Schemas.Strict.COR == got.TP {
		t.Errorf("generated data never shows the greedy strict artefact (COR %d == TP %d)", got.Schemas.Strict.COR, got.TP)
	}
}
