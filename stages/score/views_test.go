package score

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/taxonomy"
)

// withTexts gives every document a random text long enough for its spans:
// letters, digits, spaces, newlines and punctuation.
func withTexts(docs []testDoc, seed uint64) []string {
	rng := rand.New(rand.NewPCG(seed, 3))
	alphabet := []rune("abcdeéfghijklmnopqrstuvwxyz0123456789      \n,.-@'")
	texts := make([]string, len(docs))
	for i, d := range docs {
		n := 10
		for _, s := range append(slices.Clone(d.Gold), d.Pred...) {
			n = max(n, s.End+rng.IntN(5))
		}
		r := make([]rune, n)
		for k := range r {
			r[k] = alphabet[rng.IntN(len(alphabet))]
		}
		texts[i] = string(r)
	}
	return texts
}

func mustScorer(t testing.TB, s ViewSettings) *Scorer {
	t.Helper()
	sc, err := NewScorer(s)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func scoreAllText(s *Scorer, docs []testDoc, texts []string) (*Counts, []DocCounts) {
	c := s.NewCounts()
	out := make([]DocCounts, len(docs))
	for i, d := range docs {
		out[i] = s.Score(texts[i], d.Gold, d.Pred, d.Language)
		out[i].ID = d.ID
		c.AddDoc(&out[i])
	}
	return c, out
}

// ---- Brute-force reference for the views ------------------------------------
//
// Written independently of views.go: spans become sets of code points, IoU is
// counted on the sets, and the largest one-to-one matching is found by trying
// every assignment.

type bfSpan struct {
	label string
	cps   map[int]bool
}

func bfSet(s record.Span) map[int]bool {
	m := map[int]bool{}
	for i := s.Start; i < s.End; i++ {
		m[i] = true
	}
	return m
}

// bfDistinct keeps one span per (start, end) or, with label, per (start,
// end, label); empty spans are dropped.
func bfDistinct(spans []record.Span, withLabel bool) []bfSpan {
	seen := map[[2]int]map[string]bool{}
	var out []bfSpan
	for _, s := range spans {
		if s.End <= s.Start {
			continue
		}
		k := [2]int{s.Start, s.End}
		l := ""
		if withLabel {
			l = s.Label
		}
		if seen[k] == nil {
			seen[k] = map[string]bool{}
		}
		if seen[k][l] {
			continue
		}
		seen[k][l] = true
		out = append(out, bfSpan{label: l, cps: bfSet(s)})
	}
	return out
}

func bfIoU(a, b map[int]bool) float64 {
	inter, union := 0, len(b)
	for i := range a {
		if b[i] {
			inter++
		} else {
			union++
		}
	}
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// bfMaxMatching tries every assignment of gold spans to unused predictions.
func bfMaxMatching(gold, pred []bfSpan, t float64) int {
	used := make([]bool, len(pred))
	var best func(i int) int
	best = func(i int) int {
		if i == len(gold) {
			return 0
		}
		b := best(i + 1) // gold i unmatched
		for j, p := range pred {
			if used[j] || p.label != gold[i].label || bfIoU(gold[i].cps, p.cps) < t {
				continue
			}
			used[j] = true
			b = max(b, 1+best(i+1))
			used[j] = false
		}
		return b
	}
	return best(0)
}

func bfGroups(spans []record.Span) []record.Span {
	out := make([]record.Span, len(spans))
	for i, s := range spans {
		out[i] = record.Span{Start: s.Start, End: s.End, Label: taxonomy.GroupOf(s.Label)}
	}
	return out
}

func bfOnly(spans []bfSpan, label string) []bfSpan {
	var out []bfSpan
	for _, s := range spans {
		if s.label == label {
			out = append(out, s)
		}
	}
	return out
}

// bfChars counts clean and over-masked code points one by one.
func bfChars(text string, gold, pred []record.Span) (clean, over int64) {
	for i, r := range []rune(text) {
		in := func(spans []record.Span) bool {
			for _, s := range spans {
				if i >= s.Start && i < s.End {
					return true
				}
			}
			return false
		}
		if unicode.IsSpace(r) || in(gold) {
			continue
		}
		clean++
		if in(pred) {
			over++
		}
	}
	return clean, over
}

// denseDocs are small documents with many overlapping spans, where greedy
// matchings and maximum matchings differ at low thresholds.
func denseDocs(seed uint64, n int) []testDoc {
	rng := rand.New(rand.NewPCG(seed, 11))
	span := func() record.Span {
		s := rng.IntN(25)
		return sp(s, s+1+rng.IntN(8), testLabels[rng.IntN(len(testLabels))])
	}
	docs := make([]testDoc, n)
	for i := range docs {
		d := testDoc{ID: itoa(i), Language: []string{"en", "fr"}[rng.IntN(2)]}
		for range rng.IntN(6) {
			d.Gold = append(d.Gold, span())
		}
		for range rng.IntN(7) {
			d.Pred = append(d.Pred, span())
		}
		docs[i] = d
	}
	return docs
}

func TestPIIAndGroupViewsAgainstBruteForce(t *testing.T) {
	// The brute force is exponential in the spans of a document: the
	// generated documents with few gold spans, and the small dense ones.
	var docs []testDoc
	for _, d := range genDocs(5, 1500) {
		if len(d.Gold) <= 8 {
			docs = append(docs, d)
		}
	}
	docs = append(docs, denseDocs(6, 600)...)
	texts := withTexts(docs, 9)
	for _, th := range []float64{0.1, 0.25, 1.0 / 3, 0.5, 0.75, 0.9, 1} {
		s := mustScorer(t, ViewSettings{IoU: th})
		got, perDoc := scoreAllText(s, docs, texts)
		var want MatchCounts
		wantGroups := map[string]*GroupCounts{}
		var greedyDiffers bool
		for i, d := range docs {
			g, p := bfDistinct(d.Gold, false), bfDistinct(d.Pred, false)
			m := MatchCounts{Gold: int64(len(g)), Pred: int64(len(p)), TP: int64(bfMaxMatching(g, p, th))}
			if perDoc[i].PII != m {
				t.Fatalf("iou %g, doc %s: pii %+v, brute force %+v (gold %v pred %v)", th, d.ID, perDoc[i].PII, m, d.Gold, d.Pred)
			}
			want.Add(m)
			if m.TP != int64(greedyFirstFit(g, p, th)) {
				greedyDiffers = true
			}
			gg, pg := bfDistinct(bfGroups(d.Gold), true), bfDistinct(bfGroups(d.Pred), true)
			for _, grp := range taxonomy.Groups() {
				gl, pl := bfOnly(gg, grp), bfOnly(pg, grp)
				if len(gl)+len(pl) == 0 {
					continue
				}
				wc := wantGroups[grp]
				if wc == nil {
					wc = &GroupCounts{}
					wantGroups[grp] = wc
				}
				strict := MatchCounts{Gold: int64(len(gl)), Pred: int64(len(pl)), TP: int64(bfMaxMatching(gl, pl, 1))}
				wc.Strict.Add(strict)
				wc.IoU.Add(MatchCounts{Gold: strict.Gold, Pred: strict.Pred, TP: int64(bfMaxMatching(gl, pl, th))})
			}
		}
		if got.PII != want {
			t.Errorf("iou %g: pii %+v, brute force %+v", th, got.PII, want)
		}
		for grp, wc := range wantGroups {
			gc := got.Groups[grp]
			if gc == nil || gc.Strict != wc.Strict || gc.IoU != wc.IoU {
				t.Errorf("iou %g, group %s: got %+v, brute force %+v", th, grp, gc, wc)
			}
		}
		if len(got.Groups) != len(wantGroups) {
			t.Errorf("iou %g: %d groups, brute force %d", th, len(got.Groups), len(wantGroups))
		}
		// The data must make the check meaningful.
		if want.TP == 0 || want.TP == want.Gold || want.TP == want.Pred {
			t.Errorf("iou %g: degenerate data %+v", th, want)
		}
		if th <= 0.25 && !greedyDiffers {
			t.Errorf("iou %g: no document where first-fit greedy matching is below the maximum; the brute force checks little", th)
		}
	}
}

// greedyFirstFit matches each gold span to the first free eligible
// prediction: the test data must show that it can be below the maximum.
func greedyFirstFit(gold, pred []bfSpan, t float64) int {
	used := make([]bool, len(pred))
	n := 0
	for _, g := range gold {
		for j, p := range pred {
			if !used[j] && bfIoU(g.cps, p.cps) >= t {
				used[j] = true
				n++
				break
			}
		}
	}
	return n
}

func TestCharacterViewAgainstBruteForce(t *testing.T) {
	docs := append(genDocs(21, 300), denseDocs(22, 300)...)
	texts := withTexts(docs, 23)
	s := mustScorer(t, ViewSettings{})
	got, _ := scoreAllText(s, docs, texts)
	var clean, over int64
	perClassOver := map[string]int64{}
	perGroupOver := map[string]int64{}
	for i, d := range docs {
		c, o := bfChars(texts[i], d.Gold, d.Pred)
		clean += c
		over += o
		for _, l := range testLabels {
			_, o := bfChars(texts[i], d.Gold, filterLabel(nil, d.Pred, l))
			perClassOver[l] += o
		}
		for _, g := range taxonomy.Groups() {
			_, o := bfChars(texts[i], d.Gold, filterLabel(nil, bfGroups(d.Pred), g))
			perGroupOver[g] += o
		}
	}
	if got.CleanCodePoints != clean || got.OverMaskedCodePoints != over {
		t.Errorf("clean %d over %d, brute force %d %d", got.CleanCodePoints, got.OverMaskedCodePoints, clean, over)
	}
	if over == 0 || over == clean {
		t.Errorf("degenerate data: over-masked %d of %d", over, clean)
	}
	for l, o := range perClassOver {
		if c := got.Classes[l]; c == nil || c.Characters.OverMaskedCodePoints != o {
			t.Errorf("class %s over-masked: got %+v, brute force %d", l, c, o)
		}
	}
	for g, o := range perGroupOver {
		if o == 0 && got.Groups[g] == nil {
			continue
		}
		if gc := got.Groups[g]; gc == nil || gc.Characters.OverMaskedCodePoints != o {
			t.Errorf("group %s over-masked: got %+v, brute force %d", g, gc, o)
		}
	}
	// Per-class leaks add up to at least the total (gold spans of classes
	// can overlap) and every class's leak is within its gold size.
	var leaked int64
	for l, c := range got.Classes {
		ch := c.Characters
		if ch.LeakedCodePoints > ch.GoldCodePoints {
			t.Errorf("class %s: leaked %d > gold %d", l, ch.LeakedCodePoints, ch.GoldCodePoints)
		}
		leaked += ch.LeakedCodePoints
	}
	if leaked < got.LeakedCodePoints {
		t.Errorf("per-class leaks %d below the total %d", leaked, got.LeakedCodePoints)
	}
}

func TestScoreViewsHandComputed(t *testing.T) {
	//        0         1         2         3         4
	//        0123456789012345678901234567890123456789012345
	text := "Ada Lovelace, 12 Main St\nParis. Mail ada@x.io"
	gold := []record.Span{
		sp(0, 3, "FIRSTNAME"), sp(4, 12, "LASTNAME"),
		sp(14, 16, "BUILDINGNUMBER"), sp(17, 24, "STREET"), sp(25, 30, "CITY"),
		sp(37, 45, "EMAIL"),
	}
	pred := []record.Span{
		sp(0, 12, "FIRSTNAME"), // both names as one span
		sp(14, 24, "STREET"),   // number + street
		sp(25, 30, "CITY"),     // exact
		sp(32, 36, "LASTNAME"), // "Mail": over-masks 4 clean code points
		sp(37, 41, "EMAIL"),    // "ada@": IoU 4/8
		sp(37, 41, "USERNAME"), // same bounds, other label: one agnostic span
		sp(5, 9, "PASSWORD"),   // inside LASTNAME
	}
	tests := []struct {
		name     string
		settings ViewSettings
		pii      MatchCounts
		person   MatchCounts // PERSON group, IoU view
		location MatchCounts
	}{
		// Without merging: gold 6 spans; pred 6 distinct bounds. Matches:
		// CITY (1), EMAIL with ada@ (IoU 0.5); "Ada Lovelace" vs
		// "Lovelace" IoU 8/12 ≥ 0.5; 14-24 vs 17-24 IoU 7/10. PERSON
		// predictions: 0-12 and 32-36.
		{"iou 0.5", ViewSettings{IoU: 0.5}, MatchCounts{Gold: 6, Pred: 6, TP: 4}, MatchCounts{Gold: 2, Pred: 2, TP: 1}, MatchCounts{Gold: 3, Pred: 2, TP: 2}},
		{"iou 0.75", ViewSettings{IoU: 0.75}, MatchCounts{Gold: 6, Pred: 6, TP: 1}, MatchCounts{Gold: 2, Pred: 2, TP: 0}, MatchCounts{Gold: 3, Pred: 2, TP: 1}},
		// Merged: gold PERSON 0-12 (" " between), LOCATION 14-30 (" " and
		// "\n" between), CONTACT 37-45; pred PERSON 0-12 and 32-36 (letters
		// between), LOCATION 14-30, CONTACT 37-41, CREDENTIAL 5-9 and 37-41:
		// 5 distinct bounds.
		{"merged 0.5", ViewSettings{IoU: 0.5, MergeAdjacent: true}, MatchCounts{Gold: 3, Pred: 5, TP: 3}, MatchCounts{Gold: 1, Pred: 2, TP: 1}, MatchCounts{Gold: 1, Pred: 1, TP: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustScorer(t, tt.settings).Score(text, gold, pred, "en")
			if d.PII != tt.pii {
				t.Errorf("pii %+v, want %+v", d.PII, tt.pii)
			}
			if got := d.Groups[taxonomy.GroupPerson].IoU; got != tt.person {
				t.Errorf("PERSON iou %+v, want %+v", got, tt.person)
			}
			if got := d.Groups[taxonomy.GroupLocation].IoU; got != tt.location {
				t.Errorf("LOCATION iou %+v, want %+v", got, tt.location)
			}
		})
	}
	d := mustScorer(t, ViewSettings{}).Score(text, gold, pred, "en")
	// Strict per group: PERSON gold 0-3, 4-12, pred 0-12, 5-9 is CREDENTIAL.
	if got, want := d.Groups[taxonomy.GroupPerson].Strict, (MatchCounts{Gold: 2, Pred: 2, TP: 0}); got != want {
		t.Errorf("PERSON strict %+v, want %+v", got, want)
	}
	if got, want := d.Groups[taxonomy.GroupLocation].Strict, (MatchCounts{Gold: 3, Pred: 2, TP: 1}); got != want {
		t.Errorf("LOCATION strict %+v, want %+v", got, want)
	}
	// Clean: 46 code points − 6 spaces/newline... counted by hand:
	// non-space outside gold: ",", "." , "M","a","i","l" = 6 (the space at 3,
	// 13, 16, 24(\n), 31, 36 are whitespace). Over-masked: "Mail" = 4; the
	// "," at 12 and "." at 30 are not covered.
	if d.CleanCodePoints != 6 || d.OverMaskedCodePoints != 4 {
		t.Errorf("clean %d over-masked %d, want 6 and 4", d.CleanCodePoints, d.OverMaskedCodePoints)
	}
	if got := d.Classes["LASTNAME"].Characters.OverMaskedCodePoints; got != 4 {
		t.Errorf("LASTNAME over-masked %d, want 4", got)
	}
	// EMAIL leaks "x.io" (41-45): 4 of 8.
	if got := d.Classes["EMAIL"].Characters; got.GoldCodePoints != 8 || got.LeakedCodePoints != 4 {
		t.Errorf("EMAIL characters %+v, want gold 8 leaked 4", got)
	}
}

func TestMergeAdjacent(t *testing.T) {
	text := []rune("Ada  Lovelace; Paris\n75001 x Bob")
	spans := []record.Span{
		sp(0, 3, "PERSON"), sp(5, 13, "PERSON"), // "  " between: merge
		sp(15, 20, "LOCATION"), sp(21, 26, "LOCATION"), // "\n": merge
		sp(29, 32, "PERSON"), // "Lovelace; Paris\n75001 x" between: no
		sp(13, 15, "LOCATION"),
	}
	got := mergeAdjacent(dedupSorted(spans), text)
	want := []record.Span{sp(0, 13, "PERSON"), sp(13, 26, "LOCATION"), sp(29, 32, "PERSON")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged %v, want %v", got, want)
	}
	// Different groups never merge.
	got = mergeAdjacent(dedupSorted([]record.Span{sp(0, 3, "A"), sp(5, 13, "B")}), text)
	if len(got) != 2 {
		t.Errorf("labels A and B merged: %v", got)
	}
}

func TestTokenizeWords(t *testing.T) {
	text := []rune("Jean-Luc's  e-mail: a@b.fr 12,5€ naïve")
	var got []string
	for _, s := range tokenizeWords(text) {
		got = append(got, string(text[s.Start:s.End]))
	}
	want := []string{"Jean", "-", "Luc", "'", "s", "e", "-", "mail", ":", "a", "@", "b", ".", "fr", "12", ",", "5", "€", "naïve"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tokens %q, want %q", got, want)
	}
}

func tags(s ...string) []bioTag {
	out := make([]bioTag, len(s))
	for i, t := range s {
		if t != "O" {
			out[i] = bioTag{label: t[2:], begin: t[0] == 'B'}
		}
	}
	return out
}

func TestEntitiesSeqevalDefault(t *testing.T) {
	tests := []struct {
		tags []bioTag
		want []tokenEntity
	}{
		{tags("O", "B-PER", "I-PER", "O"), []tokenEntity{{"PER", 1, 2}}},
		{tags("B-PER", "B-PER"), []tokenEntity{{"PER", 0, 0}, {"PER", 1, 1}}},
		// seqeval's default mode starts an entity at an I- after O or after
		// another type.
		{tags("O", "I-LOC", "I-LOC", "I-PER"), []tokenEntity{{"LOC", 1, 2}, {"PER", 3, 3}}},
		{tags("I-LOC"), []tokenEntity{{"LOC", 0, 0}}},
	}
	for _, tt := range tests {
		if got := entities(tt.tags); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("entities(%v) = %v, want %v", tt.tags, got, tt.want)
		}
	}
}

func TestTokenCounts(t *testing.T) {
	//              0123456789012345678901234567
	text := []rune("Call Ada Lovelace on 12 May.")
	gold := []record.Span{sp(5, 8, "FIRSTNAME"), sp(9, 17, "LASTNAME"), sp(21, 27, "DATE")}
	// A prediction of both names as one FIRSTNAME, and the date with a cut
	// start ("2 May": the token "12" shares a code point, so it is tagged).
	pred := []record.Span{sp(5, 17, "FIRSTNAME"), sp(22, 27, "DATE")}
	c := tokenCounts(text, gold, pred)
	// Tokens: Call Ada Lovelace on 12 May . = 7.
	// Gold tags: O B-FIRST B-LAST O B-DATE I-DATE O; pred: O B-FIRST
	// I-FIRST O B-DATE I-DATE O. Entities: the date matches; token labels:
	// Ada, 12 and May agree, Lovelace does not.
	want := TokenCounts{Tokens: 7,
		Entities: MatchCounts{Gold: 3, Pred: 2, TP: 1},
		Labels:   MatchCounts{Gold: 4, Pred: 4, TP: 3}}
	if c != want {
		t.Errorf("token counts %+v, want %+v", c, want)
	}
	// The seqeval README example, on tags: precision 0.5, recall 0.5.
	gt := append(tags("O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"), tags("B-PER", "I-PER", "O")...)
	pt := append(tags("O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"), tags("B-PER", "I-PER", "O")...)
	ge, pe := entities(gt), entities(pt)
	tp := 0
	for _, e := range ge {
		if slices.Contains(pe, e) {
			tp++
		}
	}
	if len(ge) != 2 || len(pe) != 2 || tp != 1 {
		t.Errorf("seqeval example: %d gold, %d pred, %d tp; want 2, 2, 1", len(ge), len(pe), tp)
	}
}

func TestNewScorerSettings(t *testing.T) {
	s := mustScorer(t, ViewSettings{})
	if got := s.Settings(); got.IoU != DefaultIoU || got.Tokenizer != TokenizerWords || got.MergeAdjacent {
		t.Errorf("defaults %+v", got)
	}
	for _, bad := range []ViewSettings{{IoU: -0.1}, {IoU: 1.5}, {Tokenizer: "bert"}} {
		if _, err := NewScorer(bad); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

func TestViewsMergeShardsEqualsSingleRun(t *testing.T) {
	docs := append(genDocs(31, 400), denseDocs(32, 200)...)
	texts := withTexts(docs, 33)
	s := mustScorer(t, ViewSettings{IoU: 0.6, MergeAdjacent: true})
	whole, _ := scoreAllText(s, docs, texts)
	want := whole.Metrics(2)
	wantJSON, _ := json.Marshal(want)
	if want.PIISpans == nil || want.Characters == nil || want.Tokens == nil || len(want.Groups) == 0 {
		t.Fatal("the single run has no views")
	}
	dir := t.TempDir()
	for _, n := range []int{2, 5} {
		cuts := unevenCuts(len(docs), n, uint64(n)+40)
		merged := NewCounts()
		for k := range n {
			shard, _ := scoreAllText(s, docs[cuts[k]:cuts[k+1]], texts[cuts[k]:cuts[k+1]])
			rep := shard.Metrics(2)
			p := filepath.Join(dir, itoa(n), itoa(k), "metrics.json")
			if err := rep.WriteJSON(p); err != nil {
				t.Fatal(err)
			}
			c, err := ReadMetricsCounts(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := merged.Compatible(c); err != nil {
				t.Fatal(err)
			}
			merged.Add(c)
		}
		got := merged.Metrics(2)
		gotJSON, _ := json.Marshal(got)
		if !bytes.Equal(gotJSON, wantJSON) {
			t.Errorf("%d shards: merged metrics JSON differs from the single run", n)
		}
	}
	// Other settings cannot be merged; neither can counts without views.
	other, _ := scoreAllText(mustScorer(t, ViewSettings{IoU: 0.5}), docs[:10], texts[:10])
	if err := whole.Compatible(other); err == nil || !strings.Contains(err.Error(), "different settings") {
		t.Errorf("different iou: error %v", err)
	}
	plain, _ := scoreAll(docs[:10])
	if err := whole.Compatible(plain); err == nil {
		t.Error("views and no views: no error")
	}
}

func TestReadMetricsCountsVersion1(t *testing.T) {
	// A version 1 file (before the views) is read as counts without views.
	c, _ := scoreAll(genDocs(3, 20))
	rep := c.Metrics(2)
	rep.Counts.Version = 1
	p := filepath.Join(t.TempDir(), "metrics.json")
	if err := rep.WriteJSON(p); err != nil {
		t.Fatal(err)
	}
	back, err := ReadMetricsCounts(p)
	if err != nil {
		t.Fatal(err)
	}
	if back.Views != nil || back.Version != CountsVersion || back.TP != c.TP {
		t.Errorf("version 1 read as %+v", back.Totals)
	}
	if m := back.Metrics(2); m.PIISpans != nil || m.Tokens != nil {
		t.Error("a version 1 file reports views")
	}
	data, _ := os.ReadFile(p)
	if bytes.Contains(data, []byte(`"pii_spans"`)) {
		t.Error("metrics without views write a pii_spans section")
	}
}

func TestUnmappedGoldSummedAndReported(t *testing.T) {
	a, b := NewCounts(), NewCounts()
	a.UnmappedGold = map[string]int64{"GIVENNAME": 2, "SURNAME": 1}
	b.UnmappedGold = map[string]int64{"GIVENNAME": 3}
	total := NewCounts()
	total.Add(a)
	total.Add(b)
	want := map[string]int64{"GIVENNAME": 5, "SURNAME": 1}
	if r := total.Metrics(2); !reflect.DeepEqual(r.UnmappedGoldLabels, want) || !reflect.DeepEqual(r.Counts.UnmappedGold, want) {
		t.Errorf("unmapped %v (counts %v), want %v", r.UnmappedGoldLabels, r.Counts.UnmappedGold, want)
	}
	if r := NewCounts().Metrics(2); r.UnmappedGoldLabels != nil {
		t.Errorf("no unmapped label reported as %v", r.UnmappedGoldLabels)
	}
}

func BenchmarkScorerScore(b *testing.B) {
	docs := genDocs(5, 1000)
	texts := withTexts(docs, 6)
	s := mustScorer(b, ViewSettings{MergeAdjacent: true})
	c := s.NewCounts()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(docs)
		dc := s.Score(texts[k], docs[k].Gold, docs[k].Pred, docs[k].Language)
		c.AddDoc(&dc)
	}
}
