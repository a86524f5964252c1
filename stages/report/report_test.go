package report

import (
	"context"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/score"
)

func segText(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Focus {
			b.WriteString("<" + s.Text + ">")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestCollectorMasksGoldPII(t *testing.T) {
	rec := record.Record{ID: "d1", Language: "en", Text: "Call Anna Smith at 555-0100 in Paris today",
		Gold: []record.Span{{Start: 5, End: 9, Label: "FIRSTNAME"}, {Start: 10, End: 15, Label: "LASTNAME"}, {Start: 19, End: 27, Label: "PHONENUMBER"}, {Start: 31, End: 36, Label: "CITY"}}}
	pred := []record.Span{
		{Start: 5, End: 9, Label: "FIRSTNAME"},     // correct
		{Start: 19, End: 24, Label: "PHONENUMBER"}, // boundary error: FP + FN
		{Start: 37, End: 42, Label: "DATE"},        // FP outside gold
		{Start: 31, End: 36, Label: "STATE"},       // wrong type: FP + FN
	}
	for _, tc := range []struct {
		name    string
		showPII bool
		want    map[string]string // kind/label → rendered snippet
	}{
		{"masked", false, map[string]string{
			"false_positive/PHONENUMBER": "Call [FIRSTNAME] [LASTNAME] at <[PHONENUMBER]>[PHONENUMBER] in [CITY] today",
			"false_positive/DATE":        "Call [FIRSTNAME] [LASTNAME] at [PHONENUMBER] in [CITY] <today>",
			"false_positive/STATE":       "Call [FIRSTNAME] [LASTNAME] at [PHONENUMBER] in <[CITY]> today",
			"false_negative/LASTNAME":    "Call [FIRSTNAME] <[LASTNAME]> at [PHONENUMBER] in [CITY] today",
		}},
		{"show_pii", true, map[string]string{
			"false_positive/PHONENUMBER": "Call Anna Smith at <555-0>100 in Paris today",
			"false_negative/CITY":        "Call Anna Smith at 555-0100 in <Paris> today",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCollector(CollectorOptions{PerMethod: 10, Context: 40, ShowPII: tc.showPII})
			c.Add("m", rec, pred)
			got := map[string]string{}
			for _, e := range c.Examples() {
				got[e.Kind+"/"+e.Label] = segText(e.Segments)
				if !tc.showPII {
					for _, v := range []string{"Anna", "Smith", "555", "Paris"} {
						if strings.Contains(segText(e.Segments), v) {
							t.Errorf("%s/%s shows PII %q", e.Kind, e.Label, v)
						}
					}
				}
			}
			if len(got) != 6 {
				t.Errorf("got %d examples, want 3 false positives and 3 false negatives: %v", len(got), got)
			}
			for k, want := range tc.want {
				if got[k] != want {
					t.Errorf("%s:\n got  %q\n want %q", k, got[k], want)
				}
			}
		})
	}
}

func TestCollectorLimitsAndContext(t *testing.T) {
	c := NewCollector(CollectorOptions{PerMethod: 2, Context: 3})
	text := "xxxxxxxxxx a@b.co yyyyyyyyyy"
	for i := range 5 {
		rec := record.Record{ID: string(rune('a' + i)), Text: text, Gold: []record.Span{{Start: 11, End: 17, Label: []string{"EMAIL", "URL", "EMAIL", "IP", "X"}[i]}}}
		c.Add("m", rec, nil)
	}
	ex := c.Examples()
	if len(ex) != 2 || ex[0].Label != "EMAIL" || ex[1].Label != "URL" {
		t.Fatalf("kept %+v, want EMAIL then URL (two, distinct labels)", ex)
	}
	if got := segText(ex[0].Segments); got != "…xx <[EMAIL]> yy…" {
		t.Errorf("context %q", got)
	}
}

// docs builds per-document counts from (gold, pred) span lists.
func docs(pairs ...[2][]record.Span) []score.DocCounts {
	var out []score.DocCounts
	for i, p := range pairs {
		d := score.ScoreDocument(p[0], p[1], "en")
		d.ID = string(rune('a' + i))
		out = append(out, d)
	}
	return out
}

func method(name string, dc []score.DocCounts) Method {
	c := score.NewCounts()
	for i := range dc {
		c.AddDoc(&dc[i])
	}
	return Method{Name: name, Metrics: c.Metrics(2), DocCounts: dc, Stats: &RunStats{Documents: int64(len(dc)), CostUSD: 0.5, DocsPerSecond: 100}}
}

func TestBuild(t *testing.T) {
	s := func(a, b int, l string) record.Span { return record.Span{Start: a, End: b, Label: l} }
	gold := [][]record.Span{{s(0, 4, "CITY"), s(5, 9, "EMAIL")}, {s(0, 3, "CITY")}, {s(2, 6, "IP")}}
	good := docs([2][]record.Span{gold[0], gold[0]}, [2][]record.Span{gold[1], gold[1]}, [2][]record.Span{gold[2], nil})
	bad := docs([2][]record.Span{gold[0], {s(0, 4, "STATE")}}, [2][]record.Span{gold[1], {s(0, 3, "STATE")}}, [2][]record.Span{gold[2], nil})
	other := docs([2][]record.Span{gold[0], nil})
	rep, err := Build(context.Background(), Inputs{Title: "t", Methods: []Method{method("good", good), method("bad", bad), method("other", other)},
		Bootstrap: score.BootstrapOptions{Iterations: 50, Seed: 1}, WorstClasses: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Classes) != 4 { // CITY, EMAIL, IP, STATE
		t.Errorf("classes %+v", rep.Classes)
	}
	if w := rep.Worst["bad"]; len(w) != 2 || w[0].Label != "CITY" || w[0].ConfusedWith != "STATE" || w[0].ConfusedN != 2 {
		t.Errorf("worst classes of bad: %+v", w)
	}
	if len(rep.Pairs) != 3 || rep.Pairs[0].Skipped != "" || rep.Pairs[0].Result.Delta <= 0 || rep.Pairs[1].Skipped == "" {
		t.Errorf("pairs %+v", rep.Pairs)
	}
	if rep.Methods[0].CI == nil || rep.Methods[0].F2CI == nil {
		t.Error("no bootstrap interval computed from the document counts")
	}
	md := string(rep.Markdown())
	for _, want := range []string{"| good | 1.0000 [", "$166.6667", "skipped: different documents (3 vs 1)", "| CITY | 2 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	html, err := rep.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(html), "<svg"); n != 3 {
		t.Errorf("HTML has %d inline SVG charts, want 3", n)
	}
	if _, err := Build(context.Background(), Inputs{Methods: []Method{method("a", good), method("a", bad)}}); err == nil {
		t.Error("duplicate method names accepted")
	}
}
