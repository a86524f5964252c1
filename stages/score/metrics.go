package score

import (
	"maps"
	"slices"
)

// DefaultBeta is the F-beta reported when none is configured: F2, which
// weighs recall over precision as privacy teams do.
const DefaultBeta = 2.0

// GlobalMetrics are the micro-averaged strict metrics over all classes: the
// "metrics" object of metrics.json.
type GlobalMetrics struct {
	Precision          float64 `json:"precision"`
	Recall             float64 `json:"recall"`
	F1                 float64 `json:"f1_score"`
	F2                 float64 `json:"f2_score"`
	FBeta              float64 `json:"fbeta_score"`
	ExactMatchAccuracy float64 `json:"exact_match_accuracy"`
	Support            int64   `json:"support"`
	Predicted          int64   `json:"predicted"`
	TruePositives      int64   `json:"true_positives"`
}

// ClassMetrics are the strict metrics of one class.
type ClassMetrics struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1_score"`
	F2        float64 `json:"f2_score"`
	FBeta     float64 `json:"fbeta_score"`
	Support   int64   `json:"support"`
	Predicted int64   `json:"predicted"`
}

// SchemaMetrics are one nervaluate schema's counts and scores.
type SchemaMetrics struct {
	SchemaCounts
	Possible  int64   `json:"possible"`
	Actual    int64   `json:"actual"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	F2        float64 `json:"f2"`
	FBeta     float64 `json:"fbeta"`
}

// Averages are macro-averaged strict metrics: the unweighted mean over the
// classes seen in gold or predictions of each class's precision, recall and
// F-scores (the F-scores are averaged, not recomputed from the averaged
// precision and recall, as scikit-learn and seqeval do). All 0 with no class.
type Averages struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1_score"`
	F2        float64 `json:"f2_score"`
	FBeta     float64 `json:"fbeta_score"`
	Classes   int     `json:"classes"`
}

// LanguageMetrics are strict micro metrics and the leak rate for the
// documents of one language.
type LanguageMetrics struct {
	Documents          int64   `json:"documents"`
	Precision          float64 `json:"precision"`
	Recall             float64 `json:"recall"`
	F1                 float64 `json:"f1_score"`
	F2                 float64 `json:"f2_score"`
	FBeta              float64 `json:"fbeta_score"`
	ExactMatchAccuracy float64 `json:"exact_match_accuracy"`
	Support            int64   `json:"support"`
	LeakRate           float64 `json:"leak_rate"`
}

// ConfusionMatrix is the dense label confusion matrix: Cells[i][j] counts
// overlapping pairs of gold label Rows[i] and predicted label Columns[j]. Rows
// are the labels plus SPURIOUS; Columns the same labels plus MISSED.
type ConfusionMatrix struct {
	Rows    []string  `json:"rows"`
	Columns []string  `json:"columns"`
	Cells   [][]int64 `json:"cells"`
}

// Report holds every metric of one method on one dataset. Its JSON form is
// metrics.json; the first four fields keep the seed's shape.
type Report struct {
	ExperimentName string                  `json:"experiment_name"`
	ModelName      string                  `json:"model_name"`
	Metrics        GlobalMetrics           `json:"metrics"`
	PerClass       map[string]ClassMetrics `json:"per_class_metrics"`

	// Beta is the beta of every fbeta field.
	Beta            float64                             `json:"beta"`
	Documents       int64                               `json:"documents"`
	LeakRate        float64                             `json:"leak_rate"`
	Macro           Averages                            `json:"macro"`
	Schemas         map[string]SchemaMetrics            `json:"schemas"`
	PerClassSchemas map[string]map[string]SchemaMetrics `json:"per_class_schemas"`
	PerLanguage     map[string]LanguageMetrics          `json:"per_language"`
	Confusion       ConfusionMatrix                     `json:"confusion"`
	// The views (views.go); nil when the counts have none.
	PIISpans   *PIISpanMetrics         `json:"pii_spans,omitempty"`
	Groups     map[string]GroupMetrics `json:"groups,omitempty"`
	Characters *CharacterMetrics       `json:"characters,omitempty"`
	Tokens     *TokenMetrics           `json:"tokens,omitempty"`
	// UnmappedGoldLabels counts gold spans by label that no taxonomy map
	// knew (Counts.UnmappedGold); absent when every gold label was mapped.
	UnmappedGoldLabels map[string]int64 `json:"unmapped_gold_labels,omitempty"`
	// ConfidenceIntervals is set by the caller from Bootstrap.
	ConfidenceIntervals *ConfidenceIntervals `json:"confidence_intervals,omitempty"`
	// Counts are the raw mergeable counts everything above derives from.
	Counts *Counts `json:"counts"`
}

// NamedReport pairs a report with the method name shown in tables.
type NamedReport struct {
	Name   string
	Report Report
}

func ratio(num, den float64) float64 {
	if den == 0 {
		return 0
	}
	return num / den
}

// FBeta is the weighted harmonic mean (1+β²)·P·R / (β²·P + R); 0 when the
// denominator is 0.
func FBeta(precision, recall, beta float64) float64 {
	b2 := beta * beta
	den := b2*precision + recall
	if den == 0 {
		return 0
	}
	return (1 + b2) * precision * recall / den
}

// prf computes precision, recall, F1, F2 and F-beta from a correct count
// (possibly with halves) and the predicted and gold denominators.
func prf(correct, predicted, gold, beta float64) (p, r, f1, f2, fb float64) {
	p = ratio(correct, predicted)
	r = ratio(correct, gold)
	return p, r, FBeta(p, r, 1), FBeta(p, r, 2), FBeta(p, r, beta)
}

// Strict returns strict micro precision, recall, F1 and F-beta of t.
func (t *Totals) Strict(beta float64) (p, r, f1, fb float64) {
	p, r, f1, _, fb = prf(float64(t.TP), float64(t.Pred), float64(t.Gold), beta)
	return p, r, f1, fb
}

// LeakRate is LeakedCodePoints/GoldCodePoints, 0 when there is no gold.
func (t *Totals) LeakRate() float64 {
	return ratio(float64(t.LeakedCodePoints), float64(t.GoldCodePoints))
}

// Metrics derives the schema's precision, recall and F-scores from its counts.
func (s SchemaCounts) Metrics(sc Schema, beta float64) SchemaMetrics {
	correct := float64(s.COR)
	if sc == SchemaPartial || sc == SchemaEntType {
		correct += 0.5 * float64(s.PAR)
	}
	m := SchemaMetrics{SchemaCounts: s, Possible: s.Possible(), Actual: s.Actual()}
	m.Precision, m.Recall, m.F1, m.F2, m.FBeta = prf(correct, float64(m.Actual), float64(m.Possible), beta)
	return m
}

func schemaMetrics(set SchemaSet, beta float64) map[string]SchemaMetrics {
	out := make(map[string]SchemaMetrics, numSchemas)
	for _, sc := range Schemas() {
		out[sc.String()] = set.Get(sc).Metrics(sc, beta)
	}
	return out
}

// Metrics derives every metric from the counts. beta <= 0 means DefaultBeta.
// The report's Counts is a copy of c.
func (c *Counts) Metrics(beta float64) Report {
	if beta <= 0 {
		beta = DefaultBeta
	}
	c.init()
	r := Report{
		Beta:            beta,
		Documents:       c.Docs,
		LeakRate:        c.LeakRate(),
		PerClass:        map[string]ClassMetrics{},
		Schemas:         schemaMetrics(c.Schemas, beta),
		PerClassSchemas: map[string]map[string]SchemaMetrics{},
		PerLanguage:     map[string]LanguageMetrics{},
		Counts:          c.Clone(),
	}
	g := &r.Metrics
	g.Precision, g.Recall, g.F1, g.F2, g.FBeta = prf(float64(c.TP), float64(c.Pred), float64(c.Gold), beta)
	g.ExactMatchAccuracy = ratio(float64(c.ExactMatchDocs), float64(c.Docs))
	g.Support, g.Predicted, g.TruePositives = c.Gold, c.Pred, c.TP

	labels := c.Labels()
	for _, label := range labels {
		cc := c.Classes[label]
		var m ClassMetrics
		m.Precision, m.Recall, m.F1, m.F2, m.FBeta = prf(float64(cc.TP), float64(cc.Pred), float64(cc.Gold), beta)
		m.Support, m.Predicted = cc.Gold, cc.Pred
		r.PerClass[label] = m
		r.PerClassSchemas[label] = schemaMetrics(cc.Schemas, beta)
		r.Macro.Precision += m.Precision
		r.Macro.Recall += m.Recall
		r.Macro.F1 += m.F1
		r.Macro.F2 += m.F2
		r.Macro.FBeta += m.FBeta
	}
	if n := len(labels); n > 0 {
		r.Macro.Classes = n
		fn := float64(n)
		r.Macro.Precision /= fn
		r.Macro.Recall /= fn
		r.Macro.F1 /= fn
		r.Macro.F2 /= fn
		r.Macro.FBeta /= fn
	}

	for lang, t := range c.Languages {
		var m LanguageMetrics
		m.Documents = t.Docs
		m.Precision, m.Recall, m.F1, m.F2, m.FBeta = prf(float64(t.TP), float64(t.Pred), float64(t.Gold), beta)
		m.ExactMatchAccuracy = ratio(float64(t.ExactMatchDocs), float64(t.Docs))
		m.Support = t.Gold
		m.LeakRate = t.LeakRate()
		r.PerLanguage[lang] = m
	}
	r.Confusion = denseConfusion(c.Confusion)
	if c.Views != nil {
		c.viewMetrics(&r, beta)
	}
	if len(c.UnmappedGold) > 0 {
		r.UnmappedGoldLabels = maps.Clone(c.UnmappedGold)
	}
	return r
}

func denseConfusion(conf map[string]map[string]int64) ConfusionMatrix {
	set := map[string]bool{}
	for g, row := range conf {
		if g != Spurious {
			set[g] = true
		}
		for p := range row {
			if p != Missed {
				set[p] = true
			}
		}
	}
	labels := slices.Sorted(maps.Keys(set))
	m := ConfusionMatrix{
		Rows:    append(slices.Clone(labels), Spurious),
		Columns: append(slices.Clone(labels), Missed),
	}
	m.Cells = make([][]int64, len(m.Rows))
	for i, g := range m.Rows {
		m.Cells[i] = make([]int64, len(m.Columns))
		for j, p := range m.Columns {
			m.Cells[i][j] = conf[g][p]
		}
	}
	return m
}
