package report

import (
	"cmp"
	"maps"
	"slices"

	"github.com/piimask/piimask/stages/score"
	"github.com/piimask/piimask/stages/taxonomy"
)

// Views are the report's tables of the views metrics.json holds next to the
// strict figures: entity groups, per language, nervaluate schemas, tokens,
// and the unmapped gold labels.
type Views struct {
	// HasPII is set when a method has the label-agnostic span view; IoU and
	// MergeAdjacent are its settings (the first such method's) and
	// MixedSettings says that methods differ.
	HasPII        bool
	IoU           float64
	MergeAdjacent bool
	MixedSettings bool
	Groups        []GroupRow
	Languages     []LanguageRow
	Schemas       []SchemaRow
	Tokens        []TokenRow
	// Unmapped are the gold labels no taxonomy map knew, with their span
	// counts (the largest any method reports), sorted by label.
	Unmapped []LabelCount
	// UnmappedSpans is the sum of the Unmapped counts.
	UnmappedSpans int64
}

// LabelCount is a label and a count.
type LabelCount struct {
	Label string
	Count int64
}

// GroupRow is one entity group: gold support and, per method (same order
// as Report.Methods), its strict and IoU figures and character rates; a
// method without the view has Has false.
type GroupRow struct {
	Group   string
	Support int64
	Cells   []GroupCell
}

// GroupCell is one method's figures for one group.
type GroupCell struct {
	Has bool
	// Cannot says the method cannot produce any class of the group (and
	// predicted none): its F1s are shown as "–".
	Cannot            bool
	StrictF1, IoUF1   float64
	LeakRate, OverMsk float64
}

// LanguageRow is one method on the documents of one language.
type LanguageRow struct {
	Language, Method  string
	Documents         int64
	Precision, Recall float64
	F1                float64
	LeakRate          float64
	// PIIF2 and OverMaskRate are set when HasViews.
	HasViews     bool
	PIIF2        float64
	OverMaskRate float64
}

// SchemaRow is one method's nervaluate counts and scores for one schema.
type SchemaRow struct {
	Method, Schema string
	score.SchemaMetrics
}

// TokenRow is one method's token view.
type TokenRow struct {
	Method    string
	Tokenizer string
	Tokens    int64
	Entities  score.MatchMetrics
	Labels    score.MatchMetrics
}

func buildViews(methods []Method) Views {
	var v Views
	groupSupport := map[string]int64{}
	unmapped := map[string]int64{}
	for _, m := range methods {
		r := m.Metrics
		if p := r.PIISpans; p != nil {
			if !v.HasPII {
				v.HasPII, v.IoU, v.MergeAdjacent = true, p.IoU, p.MergeAdjacent
			} else if p.IoU != v.IoU || p.MergeAdjacent != v.MergeAdjacent {
				v.MixedSettings = true
			}
		}
		for g, gm := range r.Groups {
			groupSupport[g] = max(groupSupport[g], gm.Strict.Support)
		}
		for _, lang := range slices.Sorted(maps.Keys(r.PerLanguage)) {
			lm := r.PerLanguage[lang]
			row := LanguageRow{Language: lang, Method: m.Name, Documents: lm.Documents, Precision: lm.Precision,
				Recall: lm.Recall, F1: lm.F1, LeakRate: lm.LeakRate}
			if r.PIISpans != nil && r.Characters != nil {
				row.HasViews = true
				row.PIIF2 = r.PIISpans.PerLanguage[lang].F2
				row.OverMaskRate = r.Characters.PerLanguage[lang].OverMaskRate
			}
			v.Languages = append(v.Languages, row)
		}
		for _, sc := range score.Schemas() {
			if sm, ok := r.Schemas[sc.String()]; ok {
				v.Schemas = append(v.Schemas, SchemaRow{Method: m.Name, Schema: sc.String(), SchemaMetrics: sm})
			}
		}
		if t := r.Tokens; t != nil {
			v.Tokens = append(v.Tokens, TokenRow{Method: m.Name, Tokenizer: t.Tokenizer, Tokens: t.Tokens, Entities: t.Entities, Labels: t.Labels})
		}
		for l, n := range r.UnmappedGoldLabels {
			unmapped[l] = max(unmapped[l], n)
		}
	}
	slices.SortStableFunc(v.Languages, func(a, b LanguageRow) int { return cmp.Compare(a.Language, b.Language) })
	order := map[string]int{}
	for i, g := range taxonomy.Groups() {
		order[g] = i
	}
	groups := slices.SortedFunc(maps.Keys(groupSupport), func(a, b string) int {
		oa, okA := order[a]
		ob, okB := order[b]
		if okA != okB {
			if okA {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(oa, ob), cmp.Compare(a, b))
	})
	for _, g := range groups {
		row := GroupRow{Group: g, Support: groupSupport[g]}
		for _, m := range methods {
			gm, ok := m.Metrics.Groups[g]
			cell := GroupCell{Has: ok, StrictF1: gm.Strict.F1, IoUF1: gm.IoU.F1, Cannot: cannotProduceGroup(m, g) && gm.Strict.Predicted == 0}
			if ch := m.Metrics.Characters; ok && ch != nil {
				cell.LeakRate, cell.OverMsk = ch.PerGroup[g].LeakRate, ch.PerGroup[g].OverMaskRate
			}
			row.Cells = append(row.Cells, cell)
		}
		v.Groups = append(v.Groups, row)
	}
	for _, l := range slices.Sorted(maps.Keys(unmapped)) {
		v.Unmapped = append(v.Unmapped, LabelCount{Label: l, Count: unmapped[l]})
		v.UnmappedSpans += unmapped[l]
	}
	return v
}

// cannotProduceGroup reports whether the method's run lists its classes and
// none of them is in group g.
func cannotProduceGroup(m Method, g string) bool {
	if m.Stats == nil || m.Stats.Classes == nil {
		return false
	}
	for _, c := range m.Stats.Classes {
		if taxonomy.GroupOf(c) == g {
			return false
		}
	}
	return true
}
