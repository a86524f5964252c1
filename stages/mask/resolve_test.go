package mask

import (
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
)

// TestResolveEvidence pins the evidence rule: a validated span is never
// split, shortened or relabelled by a model span; a model span that overlaps
// one is dropped whole; model spans elsewhere are kept.
func TestResolveEvidence(t *testing.T) {
	// v is a validated span of method "rules" (rank 0), m a model span of
	// method "model" (rank 1).
	v := func(s, e int, l string, score float64) Candidate {
		return Candidate{Span: record.Span{Start: s, End: e, Label: l, Score: score, Validated: true}, Method: "rules", Rank: 0}
	}
	m := func(s, e int, l string, score float64) Candidate {
		return Candidate{Span: record.Span{Start: s, End: e, Label: l, Score: score}, Method: "model", Rank: 1}
	}
	type out struct {
		s, e      int
		label     string
		validated bool
		method    string
	}
	tests := []struct {
		name   string
		in     []Candidate
		byRank bool
		want   []out
	}{
		{"model inside validated, other class", []Candidate{v(10, 30, "EMAIL", .95), m(12, 18, "USERNAME", .99)}, false,
			[]out{{10, 30, "EMAIL", true, "rules"}}},
		{"model inside validated, same class: no merge, validated kept as is", []Candidate{v(10, 30, "EMAIL", .95), m(10, 15, "EMAIL", .99)}, false,
			[]out{{10, 30, "EMAIL", true, "rules"}}},
		{"model overlapping left edge is dropped, not trimmed", []Candidate{v(10, 30, "EMAIL", .95), m(5, 15, "FIRSTNAME", .9)}, false,
			[]out{{10, 30, "EMAIL", true, "rules"}}},
		{"model overlapping right edge is dropped", []Candidate{v(10, 30, "EMAIL", .95), m(25, 40, "URL", .9)}, false,
			[]out{{10, 30, "EMAIL", true, "rules"}}},
		{"same-class model overlapping an edge does not extend it", []Candidate{v(10, 30, "EMAIL", .95), m(25, 40, "EMAIL", .9)}, false,
			[]out{{10, 30, "EMAIL", true, "rules"}}},
		{"model covering validated is dropped (longer loses)", []Candidate{v(10, 30, "IBAN", .99), m(0, 45, "ACCOUNTNUMBER", .99)}, false,
			[]out{{10, 30, "IBAN", true, "rules"}}},
		{"validated beats an earlier method under priority", []Candidate{m(0, 45, "ACCOUNTNUMBER", .99), {Span: record.Span{Start: 10, End: 30, Label: "IBAN", Score: .99, Validated: true}, Method: "rules", Rank: 5}}, true,
			[]out{{10, 30, "IBAN", true, "rules"}}},
		{"model spans elsewhere kept", []Candidate{v(10, 30, "EMAIL", .95), m(0, 5, "FIRSTNAME", .9), m(31, 40, "CITY", .6)}, false,
			[]out{{0, 5, "FIRSTNAME", false, "model"}, {10, 30, "EMAIL", true, "rules"}, {31, 40, "CITY", false, "model"}}},
		{"touching is not overlapping", []Candidate{v(10, 30, "EMAIL", .95), m(5, 10, "LASTNAME", .9), m(30, 33, "CITY", .6)}, false,
			[]out{{5, 10, "LASTNAME", false, "model"}, {10, 30, "EMAIL", true, "rules"}, {30, 33, "CITY", false, "model"}}},
		{"a dropped model span does not drag a disjoint same-class one with it", []Candidate{v(10, 30, "EMAIL", .95), m(28, 34, "CITY", .6), m(33, 40, "CITY", .6)}, false,
			[]out{{10, 30, "EMAIL", true, "rules"}, {33, 40, "CITY", false, "model"}}},
		{"two validated of different classes: the longer wins", []Candidate{v(0, 30, "URL", .95), v(10, 30, "EMAIL", .95)}, false,
			[]out{{0, 30, "URL", true, "rules"}}},
		{"two validated of the same class merge and stay validated", []Candidate{v(0, 20, "EMAIL", .9), {Span: record.Span{Start: 5, End: 25, Label: "EMAIL", Score: .95, Validated: true}, Method: "other", Rank: 1}}, false,
			[]out{{0, 25, "EMAIL", true, "rules+other"}}},
		{"model spans of the same class still merge among themselves", []Candidate{m(0, 5, "CITY", .5), m(3, 9, "CITY", .9), v(20, 30, "IBAN", .99)}, false,
			[]out{{0, 9, "CITY", false, "model"}, {20, 30, "IBAN", true, "rules"}}},
		{"deny term inside validated is masked as part of it", []Candidate{v(10, 30, "EMAIL", .95), {Span: record.Span{Start: 15, End: 19, Label: "CUSTOM", Score: 1}, Method: "deny_list", Rank: -1}}, false,
			[]out{{10, 30, "EMAIL", true, "rules"}}},
		{"block stops model spans but is not returned", []Candidate{{Span: record.Span{Start: 10, End: 30, Label: "EMAIL", Validated: true}, Method: "rules", Block: true}, m(12, 18, "USERNAME", .99), m(0, 4, "CITY", .9)}, false,
			[]out{{0, 4, "CITY", false, "model"}}},
		{"block does not stop another validated span", []Candidate{{Span: record.Span{Start: 0, End: 30, Label: "URL", Validated: true}, Method: "rules", Block: true}, v(10, 30, "EMAIL", .95)}, false,
			[]out{{10, 30, "EMAIL", true, "rules"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ResolveCandidates(tt.in, 50, tt.byRank)
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Start != w.s || g.End != w.e || g.Label != w.label || g.Validated != w.validated || g.Method != w.method {
					t.Errorf("span %d = %d-%d %s validated=%v method=%s, want %+v", i, g.Start, g.End, g.Label, g.Validated, g.Method, w)
				}
			}
		})
	}
}

// TestMajorityKeepsEvidence: a validated span survives a majority vote it
// would lose, and the vote's overlapping spans are dropped.
func TestMajorityKeepsEvidence(t *testing.T) {
	preds := []MethodSpans{
		{Method: "rules", Spans: []record.Span{{Start: 10, End: 30, Label: "EMAIL", Score: .95, Validated: true}}},
		{Method: "m1", Spans: []record.Span{{Start: 10, End: 15, Label: "USERNAME", Score: .9}, {Start: 0, End: 4, Label: "CITY", Score: .8}}},
		{Method: "m2", Spans: []record.Span{{Start: 10, End: 16, Label: "USERNAME", Score: .9}, {Start: 0, End: 4, Label: "CITY", Score: .7}}},
	}
	cands, err := Combine(EnsembleMajority, preds)
	if err != nil {
		t.Fatal(err)
	}
	got := ResolveCandidates(cands, 40, false)
	var b strings.Builder
	for _, c := range got {
		b.WriteString(c.Label + ":" + c.Method + " ")
	}
	if b.String() != "CITY:majority EMAIL:rules " {
		t.Errorf("got %q, want the CITY vote and the whole EMAIL", b.String())
	}
	if got[1].Start != 10 || got[1].End != 30 {
		t.Errorf("EMAIL = %d-%d, want 10-30", got[1].Start, got[1].End)
	}
}

// TestSelectionKeepsEvidenceAsBlock: excluding (or allow-listing) a
// validated span's value does not let model fragments of it be masked.
func TestSelectionKeepsEvidenceAsBlock(t *testing.T) {
	text := "Write to support@acme.example now, Anna."
	email := record.Span{Start: 9, End: 29, Label: "EMAIL", Score: .95, Validated: true}
	preds := []MethodSpans{
		{Method: "rules", Spans: []record.Span{email}},
		{Method: "model", Spans: []record.Span{{Start: 9, End: 16, Label: "USERNAME", Score: .9}, {Start: 17, End: 29, Label: "URL", Score: .9}, {Start: 35, End: 39, Label: "FIRSTNAME", Score: .9}}},
	}
	for _, sel := range []Selection{{Exclude: []string{"EMAIL"}}, {Allow: []string{"support@acme.example"}}} {
		res := mustMask(t, Config{Selection: sel}, text, preds)
		if want := "Write to support@acme.example now, [FIRSTNAME_1]."; res.Text != want {
			t.Errorf("selection %+v: got %q, want %q", sel, res.Text, want)
		}
	}
}
