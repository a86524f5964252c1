package score

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/piimask/piimask/record"
)

func sp(start, end int, label string) record.Span {
	return record.Span{Start: start, End: end, Label: label}
}

// sc builds SchemaCounts from COR, INC, PAR, MIS, SPU.
func sc(cor, inc, par, mis, spu int64) SchemaCounts {
	return SchemaCounts{COR: cor, INC: inc, PAR: par, MIS: mis, SPU: spu}
}

type conf = map[string]map[string]int64

func TestScoreDocumentHandComputed(t *testing.T) {
	tests := []struct {
		name             string
		gold, pred       []record.Span
		nGold, nPred, tp int64
		exactMatch       bool
		strict, exact    SchemaCounts
		partial, entType SchemaCounts
		confusion        conf
		goldCP, leaked   int64
	}{
		{
			name:  "perfect",
			gold:  []record.Span{sp(0, 5, "EMAIL"), sp(10, 15, "PHONENUMBER")},
			pred:  []record.Span{sp(10, 15, "PHONENUMBER"), sp(0, 5, "EMAIL")},
			nGold: 2, nPred: 2, tp: 2, exactMatch: true,
			strict: sc(2, 0, 0, 0, 0), exact: sc(2, 0, 0, 0, 0), partial: sc(2, 0, 0, 0, 0), entType: sc(2, 0, 0, 0, 0),
			confusion: conf{"EMAIL": {"EMAIL": 1}, "PHONENUMBER": {"PHONENUMBER": 1}},
			goldCP:    10,
		},
		{
			name:  "duplicate predictions count once",
			gold:  []record.Span{sp(0, 5, "EMAIL")},
			pred:  []record.Span{sp(0, 5, "EMAIL"), {Start: 0, End: 5, Label: "EMAIL", Score: 0.4}},
			nGold: 1, nPred: 1, tp: 1, exactMatch: true,
			strict: sc(1, 0, 0, 0, 0), exact: sc(1, 0, 0, 0, 0), partial: sc(1, 0, 0, 0, 0), entType: sc(1, 0, 0, 0, 0),
			confusion: conf{"EMAIL": {"EMAIL": 1}},
			goldCP:    5,
		},
		{
			name:       "empty gold and empty predictions match",
			exactMatch: true,
		},
		{
			name:   "empty predictions",
			gold:   []record.Span{sp(0, 5, "EMAIL"), sp(10, 12, "PHONENUMBER"), sp(10, 12, "PHONENUMBER")},
			nGold:  2,
			strict: sc(0, 0, 0, 2, 0), exact: sc(0, 0, 0, 2, 0), partial: sc(0, 0, 0, 2, 0), entType: sc(0, 0, 0, 2, 0),
			confusion: conf{"EMAIL": {Missed: 1}, "PHONENUMBER": {Missed: 1}},
			goldCP:    7, leaked: 7,
		},
		{
			name:   "empty gold",
			pred:   []record.Span{sp(0, 5, "EMAIL")},
			nPred:  1,
			strict: sc(0, 0, 0, 0, 1), exact: sc(0, 0, 0, 0, 1), partial: sc(0, 0, 0, 0, 1), entType: sc(0, 0, 0, 0, 1),
			confusion: conf{Spurious: {"EMAIL": 1}},
		},
		{
			name:  "wrong type, same boundaries",
			gold:  []record.Span{sp(0, 5, "EMAIL")},
			pred:  []record.Span{sp(0, 5, "URL")},
			nGold: 1, nPred: 1,
			strict: sc(0, 1, 0, 0, 0), exact: sc(1, 0, 0, 0, 0), partial: sc(1, 0, 0, 0, 0), entType: sc(0, 1, 0, 0, 0),
			confusion: conf{"EMAIL": {"URL": 1}},
			goldCP:    5,
		},
		{
			name:  "partial overlap, same type",
			gold:  []record.Span{sp(0, 10, "EMAIL")},
			pred:  []record.Span{sp(2, 10, "EMAIL")},
			nGold: 1, nPred: 1,
			strict: sc(0, 1, 0, 0, 0), exact: sc(0, 1, 0, 0, 0), partial: sc(0, 0, 1, 0, 0), entType: sc(1, 0, 0, 0, 0),
			confusion: conf{"EMAIL": {"EMAIL": 1}},
			goldCP:    10, leaked: 2,
		},
		{
			name:  "partial overlap, other type",
			gold:  []record.Span{sp(0, 10, "EMAIL")},
			pred:  []record.Span{sp(5, 12, "URL")},
			nGold: 1, nPred: 1,
			strict: sc(0, 1, 0, 0, 0), exact: sc(0, 1, 0, 0, 0), partial: sc(0, 0, 1, 0, 0), entType: sc(0, 1, 0, 0, 0),
			confusion: conf{"EMAIL": {"URL": 1}},
			goldCP:    10, leaked: 5,
		},
		{
			name:  "one prediction overlapping two gold spans",
			gold:  []record.Span{sp(5, 10, "LASTNAME"), sp(0, 4, "FIRSTNAME")},
			pred:  []record.Span{sp(0, 10, "FIRSTNAME")},
			nGold: 2, nPred: 1,
			strict: sc(0, 1, 0, 1, 0), exact: sc(0, 1, 0, 1, 0), partial: sc(0, 0, 1, 1, 0), entType: sc(1, 0, 0, 1, 0),
			confusion: conf{"FIRSTNAME": {"FIRSTNAME": 1}, "LASTNAME": {"FIRSTNAME": 1}},
			goldCP:    9,
		},
		{
			name:  "greedy order: an earlier overlap claims the gold span",
			gold:  []record.Span{sp(0, 5, "EMAIL")},
			pred:  []record.Span{sp(0, 5, "EMAIL"), sp(0, 3, "EMAIL")},
			nGold: 1, nPred: 2, tp: 1,
			strict: sc(0, 1, 0, 0, 1), exact: sc(0, 1, 0, 0, 1), partial: sc(0, 0, 1, 0, 1), entType: sc(1, 0, 0, 0, 1),
			confusion: conf{"EMAIL": {"EMAIL": 2}},
			goldCP:    5,
		},
		{
			name:  "overlapping (nested) gold spans",
			gold:  []record.Span{sp(0, 20, "STREET"), sp(0, 3, "BUILDINGNUMBER")},
			pred:  []record.Span{sp(0, 3, "BUILDINGNUMBER")},
			nGold: 2, nPred: 1, tp: 1,
			strict: sc(1, 0, 0, 1, 0), exact: sc(1, 0, 0, 1, 0), partial: sc(1, 0, 0, 1, 0), entType: sc(1, 0, 0, 1, 0),
			confusion: conf{"BUILDINGNUMBER": {"BUILDINGNUMBER": 1}, "STREET": {"BUILDINGNUMBER": 1}},
			goldCP:    20, leaked: 17,
		},
		{
			name:  "adjacent spans do not overlap",
			gold:  []record.Span{sp(0, 5, "EMAIL")},
			pred:  []record.Span{sp(5, 10, "EMAIL")},
			nGold: 1, nPred: 1,
			strict: sc(0, 0, 0, 1, 1), exact: sc(0, 0, 0, 1, 1), partial: sc(0, 0, 0, 1, 1), entType: sc(0, 0, 0, 1, 1),
			confusion: conf{"EMAIL": {Missed: 1}, Spurious: {"EMAIL": 1}},
			goldCP:    5, leaked: 5,
		},
		{
			name:  "overlap under 1% of the gold span is not an overlap for the schemas",
			gold:  []record.Span{sp(0, 200, "STREET")},
			pred:  []record.Span{sp(199, 205, "STREET")},
			nGold: 1, nPred: 1,
			strict: sc(0, 0, 0, 1, 1), exact: sc(0, 0, 0, 1, 1), partial: sc(0, 0, 0, 1, 1), entType: sc(0, 0, 0, 1, 1),
			confusion: conf{"STREET": {"STREET": 1}},
			goldCP:    200, leaked: 199,
		},
		{
			name:  "overlap of exactly 1% counts",
			gold:  []record.Span{sp(0, 200, "STREET")},
			pred:  []record.Span{sp(198, 205, "STREET")},
			nGold: 1, nPred: 1,
			strict: sc(0, 1, 0, 0, 0), exact: sc(0, 1, 0, 0, 0), partial: sc(0, 0, 1, 0, 0), entType: sc(1, 0, 0, 0, 0),
			confusion: conf{"STREET": {"STREET": 1}},
			goldCP:    200, leaked: 198,
		},
		{
			// ent_type picks the overlapping gold span with the closest
			// boundaries: (2,12) takes (6,12), leaving (0,5) for (4,5).
			name:  "ent_type matches the closest boundaries",
			gold:  []record.Span{sp(0, 5, "CITY"), sp(6, 12, "CITY")},
			pred:  []record.Span{sp(2, 12, "CITY"), sp(4, 5, "CITY")},
			nGold: 2, nPred: 2,
			strict: sc(0, 1, 0, 1, 1), exact: sc(0, 1, 0, 1, 1), partial: sc(0, 0, 1, 1, 1), entType: sc(2, 0, 0, 0, 0),
			confusion: conf{"CITY": {"CITY": 3}},
			goldCP:    11, leaked: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			goldCopy := append([]record.Span(nil), tt.gold...)
			d := ScoreDocument(tt.gold, tt.pred, "en")
			if !reflect.DeepEqual(goldCopy, tt.gold) && len(goldCopy) > 0 {
				t.Fatalf("ScoreDocument modified its gold input")
			}
			if d.Docs != 1 || d.Gold != tt.nGold || d.Pred != tt.nPred || d.TP != tt.tp {
				t.Errorf("docs/gold/pred/tp = %d/%d/%d/%d, want 1/%d/%d/%d", d.Docs, d.Gold, d.Pred, d.TP, tt.nGold, tt.nPred, tt.tp)
			}
			if got := d.ExactMatchDocs == 1; got != tt.exactMatch {
				t.Errorf("exact match = %v, want %v", got, tt.exactMatch)
			}
			want := SchemaSet{Strict: tt.strict, Exact: tt.exact, Partial: tt.partial, EntType: tt.entType}
			if d.Schemas != want {
				t.Errorf("schemas = %+v\nwant      %+v", d.Schemas, want)
			}
			if len(tt.confusion) == 0 {
				tt.confusion = nil
			}
			if !reflect.DeepEqual(d.Confusion, tt.confusion) {
				t.Errorf("confusion = %v, want %v", d.Confusion, tt.confusion)
			}
			if d.GoldCodePoints != tt.goldCP || d.LeakedCodePoints != tt.leaked {
				t.Errorf("gold/leaked code points = %d/%d, want %d/%d", d.GoldCodePoints, d.LeakedCodePoints, tt.goldCP, tt.leaked)
			}
			// Per-class strict counts always add up to the document's.
			var g, p, tp int64
			for _, c := range d.Classes {
				g, p, tp = g+c.Gold, p+c.Pred, tp+c.TP
			}
			if g != d.Gold || p != d.Pred || tp != d.TP {
				t.Errorf("per-class sums %d/%d/%d differ from totals %d/%d/%d", g, p, tp, d.Gold, d.Pred, d.TP)
			}
		})
	}
}

func TestPerClassSchemasFilterByLabel(t *testing.T) {
	// A wrong-type prediction is a MIS for the gold class and a SPU for the
	// predicted class (nervaluate 1.0 re-runs each strategy per class).
	d := ScoreDocument([]record.Span{sp(0, 5, "EMAIL")}, []record.Span{sp(0, 5, "URL")}, "")
	miss, spu := sc(0, 0, 0, 1, 0), sc(0, 0, 0, 0, 1)
	if got := d.Classes["EMAIL"].Schemas; got != (SchemaSet{miss, miss, miss, miss}) {
		t.Errorf("EMAIL schemas = %+v", got)
	}
	if got := d.Classes["URL"].Schemas; got != (SchemaSet{spu, spu, spu, spu}) {
		t.Errorf("URL schemas = %+v", got)
	}
	// One prediction over first and last name: per class, the FIRSTNAME
	// prediction only sees the FIRSTNAME gold span.
	d = ScoreDocument([]record.Span{sp(0, 4, "FIRSTNAME"), sp(5, 10, "LASTNAME")}, []record.Span{sp(0, 10, "FIRSTNAME")}, "")
	want := SchemaSet{Strict: sc(0, 1, 0, 0, 0), Exact: sc(0, 1, 0, 0, 0), Partial: sc(0, 0, 1, 0, 0), EntType: sc(1, 0, 0, 0, 0)}
	if got := d.Classes["FIRSTNAME"].Schemas; got != want {
		t.Errorf("FIRSTNAME schemas = %+v, want %+v", got, want)
	}
	if got := d.Classes["LASTNAME"].Schemas; got != (SchemaSet{miss, miss, miss, miss}) {
		t.Errorf("LASTNAME schemas = %+v", got)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestMetricsHandComputed(t *testing.T) {
	c := NewCounts()
	docs := []DocCounts{
		ScoreDocument([]record.Span{sp(0, 5, "EMAIL"), sp(10, 15, "PHONENUMBER")}, []record.Span{sp(0, 5, "EMAIL")}, "en"),
		ScoreDocument(nil, []record.Span{sp(0, 3, "PHONENUMBER")}, "fr"),
		ScoreDocument(nil, nil, "fr"),
	}
	for i := range docs {
		c.AddDoc(&docs[i])
	}
	r := c.Metrics(0)
	checks := []struct {
		name      string
		got, want float64
	}{
		{"beta", r.Beta, 2},
		{"precision", r.Metrics.Precision, 0.5},
		{"recall", r.Metrics.Recall, 0.5},
		{"f1", r.Metrics.F1, 0.5},
		{"f2", r.Metrics.F2, 0.5},
		{"exact match", r.Metrics.ExactMatchAccuracy, 1.0 / 3},
		{"leak rate", r.LeakRate, 0.5},
		{"EMAIL f1", r.PerClass["EMAIL"].F1, 1},
		{"PHONENUMBER precision", r.PerClass["PHONENUMBER"].Precision, 0},
		{"PHONENUMBER recall", r.PerClass["PHONENUMBER"].Recall, 0},
		{"macro precision", r.Macro.Precision, 0.5},
		{"macro f1", r.Macro.F1, 0.5},
		{"en precision", r.PerLanguage["en"].Precision, 1},
		{"en recall", r.PerLanguage["en"].Recall, 0.5},
		{"en f1", r.PerLanguage["en"].F1, 2.0 / 3},
		{"en f2", r.PerLanguage["en"].F2, 2.5 / 4.5},
		{"fr precision (no TP)", r.PerLanguage["fr"].Precision, 0},
		{"fr recall (no gold)", r.PerLanguage["fr"].Recall, 0},
		{"fr exact match", r.PerLanguage["fr"].ExactMatchAccuracy, 0.5},
		{"fr leak (no gold)", r.PerLanguage["fr"].LeakRate, 0},
		{"schemas.partial precision", r.Schemas["partial"].Precision, 0.5},
	}
	for _, ch := range checks {
		if !near(ch.got, ch.want) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if r.Metrics.Support != 2 || r.PerClass["EMAIL"].Support != 1 || r.Documents != 3 || r.Macro.Classes != 2 {
		t.Errorf("support %d, EMAIL support %d, documents %d, macro classes %d", r.Metrics.Support, r.PerClass["EMAIL"].Support, r.Documents, r.Macro.Classes)
	}
	wantConf := ConfusionMatrix{
		Rows:    []string{"EMAIL", "PHONENUMBER", Spurious},
		Columns: []string{"EMAIL", "PHONENUMBER", Missed},
		Cells:   [][]int64{{1, 0, 0}, {0, 0, 1}, {0, 1, 0}},
	}
	if !reflect.DeepEqual(r.Confusion, wantConf) {
		t.Errorf("confusion = %+v, want %+v", r.Confusion, wantConf)
	}
	// beta is configurable: F0.5 of P=1, R=0.5 for English.
	r = c.Metrics(0.5)
	if got, want := r.PerLanguage["en"].FBeta, 1.25*0.5/(0.25+0.5); !near(got, want) {
		t.Errorf("en F0.5 = %v, want %v", got, want)
	}
}

func TestSchemaMetricsFormulas(t *testing.T) {
	s := sc(3, 1, 2, 4, 2) // POS 10, ACT 8
	tests := []struct {
		schema Schema
		p, r   float64
	}{
		{SchemaStrict, 3.0 / 8, 3.0 / 10},
		{SchemaExact, 3.0 / 8, 3.0 / 10},
		{SchemaPartial, 4.0 / 8, 4.0 / 10},
		{SchemaEntType, 4.0 / 8, 4.0 / 10},
	}
	for _, tt := range tests {
		m := s.Metrics(tt.schema, 2)
		if m.Possible != 10 || m.Actual != 8 || !near(m.Precision, tt.p) || !near(m.Recall, tt.r) ||
			!near(m.F1, 2*tt.p*tt.r/(tt.p+tt.r)) || !near(m.F2, 5*tt.p*tt.r/(4*tt.p+tt.r)) {
			t.Errorf("%v: %+v, want P=%v R=%v", tt.schema, m, tt.p, tt.r)
		}
	}
}

func TestEmptyCountsHaveNoNaN(t *testing.T) {
	r := NewCounts().Metrics(2)
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("marshal empty report: %v", err)
	}
	if r.Metrics != (GlobalMetrics{}) || r.LeakRate != 0 || r.Macro != (Averages{}) {
		t.Errorf("empty report not all zero: %s", data)
	}
	var zero Counts // a zero Counts (not from NewCounts) must also work
	zero.AddDoc(&DocCounts{Totals: Totals{Docs: 1, ExactMatchDocs: 1}})
	if got := zero.Metrics(2).Metrics.ExactMatchAccuracy; got != 1 {
		t.Errorf("exact match of one empty document = %v, want 1", got)
	}
}
