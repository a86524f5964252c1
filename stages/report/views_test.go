package report

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/score"
)

// viewMethod scores docs with their text (so the metrics have the views)
// and returns a method that can produce classes (nil = unknown).
func viewMethod(t *testing.T, name string, texts []string, gold, pred [][]record.Span, classes []string) Method {
	t.Helper()
	sc, err := score.NewScorer(score.ViewSettings{IoU: 0.5, MergeAdjacent: true})
	if err != nil {
		t.Fatal(err)
	}
	c := sc.NewCounts()
	var dcs []score.DocCounts
	for i := range texts {
		d := sc.Score(texts[i], gold[i], pred[i], []string{"en", "fr"}[i%2])
		d.ID = string(rune('a' + i))
		c.AddDoc(&d)
		dcs = append(dcs, d)
	}
	return Method{Name: name, Metrics: c.Metrics(2), DocCounts: dcs, Stats: &RunStats{Documents: int64(len(texts)), Classes: classes}}
}

func TestBuildWithViews(t *testing.T) {
	s := func(a, b int, l string) record.Span { return record.Span{Start: a, End: b, Label: l} }
	texts := []string{"Ada Lovelace mailed ada@x.io", "Rue de Rivoli, Paris"}
	gold := [][]record.Span{{s(0, 3, "FIRSTNAME"), s(4, 12, "LASTNAME"), s(20, 28, "EMAIL")}, {s(0, 13, "STREET"), s(15, 20, "CITY")}}
	rules := viewMethod(t, "rules", texts, gold, [][]record.Span{{s(20, 28, "EMAIL")}, {s(0, 3, "EMAIL")}}, []string{"EMAIL", "IPV4"})
	model := viewMethod(t, "model", texts, gold, [][]record.Span{{s(0, 12, "FIRSTNAME"), s(20, 26, "EMAIL")}, {s(0, 13, "STREET"), s(15, 20, "CITY")}}, nil)
	model.Metrics.UnmappedGoldLabels = map[string]int64{"GIVENNAME": 3}
	model.Metrics.Counts.UnmappedGold = map[string]int64{"GIVENNAME": 3}
	rep, err := Build(context.Background(), Inputs{Title: "views", Methods: []Method{rules, model}, Bootstrap: score.BootstrapOptions{Iterations: 20, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	// rules cannot produce FIRSTNAME: NaN and marked; model's classes are
	// unknown, so its 0s stay numbers.
	for _, c := range rep.Classes {
		switch c.Label {
		case "FIRSTNAME":
			if !c.Cannot[0] || !math.IsNaN(c.F1[0]) || c.Cannot[1] || math.IsNaN(c.F1[1]) {
				t.Errorf("FIRSTNAME row %+v", c)
			}
		case "EMAIL":
			if c.Cannot[0] || math.IsNaN(c.F1[0]) {
				t.Errorf("EMAIL row %+v: rules can produce it", c)
			}
		}
	}
	for _, w := range rep.Worst["rules"] {
		if w.Label != "EMAIL" {
			t.Errorf("rules' worst classes list %s, which it cannot produce", w.Label)
		}
	}
	v := rep.Views
	if !v.HasPII || v.IoU != 0.5 || !v.MergeAdjacent || len(v.Tokens) != 2 || len(v.Schemas) != 8 || len(v.Languages) != 4 {
		t.Errorf("views %+v", v)
	}
	if len(v.Unmapped) != 1 || v.Unmapped[0] != (LabelCount{"GIVENNAME", 3}) || v.UnmappedSpans != 3 {
		t.Errorf("unmapped %+v", v.Unmapped)
	}
	var person *GroupRow
	for i := range v.Groups {
		if v.Groups[i].Group == "PERSON" {
			person = &v.Groups[i]
		}
	}
	if person == nil || !person.Cells[0].Cannot || person.Cells[1].Cannot || person.Support != 2 {
		t.Errorf("PERSON group row %+v", person)
	}
	// model: merged gold PERSON 0-12 = pred 0-12; EMAIL 20-26 vs 20-28 IoU
	// 0.75; STREET+CITY merge into one LOCATION on both sides: 3 of 3.
	if p := rep.Methods[1].PII; p == nil || p.Precision != 1 || p.Recall != 1 {
		t.Errorf("model PII view %+v", p)
	}
	md := string(rep.Markdown())
	for _, want := range []string{"## Headline", "| model | ", "WARNING: 3 gold spans", "GIVENNAME: 3", "## Entity groups",
		"## Per language", "## nervaluate schemas", "## Token level", "| PERSON | 2 | – | – |", "character IoU ≥ 0.5, after merging"} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	html, err := rep.HTML()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`id="headline-table"`, `id="unmapped-warning"`, `id="groups-table"`, `id="language-table"`,
		`id="schemas-table"`, `id="tokens-table"`, `<td class="na">–</td>`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("HTML lacks %s", want)
		}
	}
	if strings.Contains(string(html), "Liberation Serif") {
		t.Error("charts still name Liberation Serif: text is measured in one font and shown in another")
	}
}

func TestReportWithoutViews(t *testing.T) {
	// Metrics written before the views: no PII column figures, no warning.
	s := func(a, b int, l string) record.Span { return record.Span{Start: a, End: b, Label: l} }
	m := method("old", docs([2][]record.Span{{s(0, 4, "CITY")}, {s(0, 4, "CITY")}}))
	rep, err := Build(context.Background(), Inputs{Methods: []Method{m}, Bootstrap: score.BootstrapOptions{Iterations: 10}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Views.HasPII || len(rep.Views.Groups) != 0 || len(rep.Views.Tokens) != 0 || len(rep.Views.Unmapped) != 0 {
		t.Errorf("views from metrics without them: %+v", rep.Views)
	}
	md := string(rep.Markdown())
	if !strings.Contains(md, "| old | 1.0000 | – | – | – | 0.00% | – |") {
		t.Errorf("headline row without views:\n%s", md)
	}
}

func TestCountTicks(t *testing.T) {
	for _, top := range []float64{0, 1, 7, 44, 769, 1000, 12345} {
		ticks, step := countTicks(top)
		var labelled []plotTick
		for _, tk := range ticks {
			if tk.Label != "" {
				labelled = append(labelled, plotTick{tk.Value, tk.Label})
				if strings.Contains(tk.Label, ".") {
					t.Errorf("top %g: tick label %q is not a whole number", top, tk.Label)
				}
			}
		}
		last := labelled[len(labelled)-1]
		if last.v < top || last.v-step >= top || len(labelled) > 7 {
			t.Errorf("top %g: labelled ticks %v (step %g)", top, labelled, step)
		}
		if tk := ticks[len(ticks)-1]; tk.Value != last.v {
			t.Errorf("top %g: a tick %v past the last label", top, tk)
		}
	}
}

type plotTick struct {
	v     float64
	label string
}

func TestBoundaryExampleShowsShapes(t *testing.T) {
	rec := record.Record{ID: "d", Text: "login from 10.20.30.40 at noon, card 4111 1111 1111 1111.",
		Gold: []record.Span{{Start: 11, End: 22, Label: "IPV4"}, {Start: 26, End: 30, Label: "TIME"}, {Start: 37, End: 56, Label: "CREDITCARDNUMBER"}}}
	pred := []record.Span{{Start: 11, End: 16, Label: "IPV4"}, {Start: 17, End: 22, Label: "IPV4"}, {Start: 26, End: 30, Label: "TIME"},
		{Start: 37, End: 56, Label: "CREDITCARDNUMBER"}}
	c := NewCollector(CollectorOptions{PerMethod: 5, Context: 12})
	c.Add("m", rec, pred)
	var fn *Example
	for _, e := range c.Examples() {
		var shown strings.Builder
		for _, s := range e.Segments {
			shown.WriteString(s.Shown())
		}
		for _, v := range []string{"10.20", "30.40", "4111", "noon"} {
			if strings.Contains(shown.String(), v) {
				t.Errorf("%s %s shows PII %q: %s", e.Kind, e.Label, v, shown.String())
			}
		}
		if e.Kind == FalseNegative {
			ex := e
			fn = &ex
		}
	}
	if fn == nil {
		t.Fatal("no false negative for the split IPV4")
	}
	// The gold IPV4 is shown by its shape, split where the two predictions
	// begin and end; the TIME further away stays [TIME].
	var got []string
	starts := 0
	for _, s := range fn.Segments {
		if s.Focus {
			got = append(got, s.Shown())
		}
		if s.OtherStart {
			starts++
		}
	}
	if strings.Join(got, "|") != "99.99|.|99.99" || starts != 2 {
		t.Errorf("focus pieces %q with %d prediction starts, want 99.99|.|99.99 and 2", got, starts)
	}
	timeMasked := false
	for _, s := range fn.Segments {
		if s.Gold == "TIME" {
			timeMasked = s.Shown() == "[TIME]"
		}
	}
	if !timeMasked {
		t.Errorf("the TIME span away from the error should stay [TIME]: %+v", fn.Segments)
	}
	var ends int
	for _, s := range fn.Segments {
		if s.End == "IPV4" {
			ends++
		}
	}
	if ends != 1 {
		t.Errorf("the IPV4 label is named %d times after its shape, want once", ends)
	}
	if got := shape([]rune("Zoé O'Neil 12-B")); got != "Xxx X'Xxxx 99-X" {
		t.Errorf("shape = %q", got)
	}
}
