package score

// MatchMetrics are precision, recall and F-scores of one MatchCounts.
type MatchMetrics struct {
	Precision     float64 `json:"precision"`
	Recall        float64 `json:"recall"`
	F1            float64 `json:"f1_score"`
	F2            float64 `json:"f2_score"`
	FBeta         float64 `json:"fbeta_score"`
	Support       int64   `json:"support"`
	Predicted     int64   `json:"predicted"`
	TruePositives int64   `json:"true_positives"`
}

// Metrics derives precision, recall and the F-scores from the counts.
func (m MatchCounts) Metrics(beta float64) MatchMetrics {
	out := MatchMetrics{Support: m.Gold, Predicted: m.Pred, TruePositives: m.TP}
	out.Precision, out.Recall, out.F1, out.F2, out.FBeta = prf(float64(m.TP), float64(m.Pred), float64(m.Gold), beta)
	return out
}

// PIISpanMetrics is the label-agnostic span view ("pii_spans").
type PIISpanMetrics struct {
	IoU           float64 `json:"iou"`
	MergeAdjacent bool    `json:"merge_adjacent"`
	MatchMetrics
	PerLanguage map[string]MatchMetrics `json:"per_language"`
}

// GroupMetrics are one entity group's strict and IoU views.
type GroupMetrics struct {
	Strict MatchMetrics `json:"strict"`
	IoU    MatchMetrics `json:"iou"`
}

// CharRates are leak and over-mask rates with the counts behind them.
type CharRates struct {
	// LeakRate = LeakedCodePoints / GoldCodePoints.
	LeakRate float64 `json:"leak_rate"`
	// OverMaskRate = OverMaskedCodePoints / CleanCodePoints.
	OverMaskRate         float64 `json:"over_mask_rate"`
	GoldCodePoints       int64   `json:"gold_code_points"`
	LeakedCodePoints     int64   `json:"leaked_code_points"`
	CleanCodePoints      int64   `json:"clean_code_points"`
	OverMaskedCodePoints int64   `json:"over_masked_code_points"`
}

func charRates(gold, leaked, clean, over int64) CharRates {
	return CharRates{
		LeakRate: ratio(float64(leaked), float64(gold)), OverMaskRate: ratio(float64(over), float64(clean)),
		GoldCodePoints: gold, LeakedCodePoints: leaked, CleanCodePoints: clean, OverMaskedCodePoints: over,
	}
}

// CharacterMetrics is the character view ("characters"). Per class and per
// group, CleanCodePoints is the documents' total (see views.go).
type CharacterMetrics struct {
	CharRates
	PerClass    map[string]CharRates `json:"per_class"`
	PerGroup    map[string]CharRates `json:"per_group"`
	PerLanguage map[string]CharRates `json:"per_language"`
}

// TokenViewMetrics are the token view's entity-level (seqeval) and
// token-level scores.
type TokenViewMetrics struct {
	Entities MatchMetrics `json:"entities"`
	Labels   MatchMetrics `json:"token_labels"`
	Tokens   int64        `json:"tokens"`
}

// TokenMetrics is the token view ("tokens").
type TokenMetrics struct {
	Tokenizer string `json:"tokenizer"`
	TokenViewMetrics
	PerLanguage map[string]TokenViewMetrics `json:"per_language"`
}

func tokenViewMetrics(t TokenCounts, beta float64) TokenViewMetrics {
	return TokenViewMetrics{Entities: t.Entities.Metrics(beta), Labels: t.Labels.Metrics(beta), Tokens: t.Tokens}
}

// viewMetrics fills the report's view sections from c (which has Views).
func (c *Counts) viewMetrics(r *Report, beta float64) {
	v := c.Views
	r.PIISpans = &PIISpanMetrics{IoU: v.IoU, MergeAdjacent: v.MergeAdjacent, MatchMetrics: c.PII.Metrics(beta),
		PerLanguage: map[string]MatchMetrics{}}
	r.Groups = map[string]GroupMetrics{}
	r.Characters = &CharacterMetrics{
		CharRates: charRates(c.GoldCodePoints, c.LeakedCodePoints, c.CleanCodePoints, c.OverMaskedCodePoints),
		PerClass:  map[string]CharRates{}, PerGroup: map[string]CharRates{}, PerLanguage: map[string]CharRates{},
	}
	r.Tokens = &TokenMetrics{Tokenizer: v.Tokenizer, TokenViewMetrics: tokenViewMetrics(c.Tokens, beta),
		PerLanguage: map[string]TokenViewMetrics{}}
	for name, g := range c.Groups {
		r.Groups[name] = GroupMetrics{Strict: g.Strict.Metrics(beta), IoU: g.IoU.Metrics(beta)}
		ch := g.Characters
		r.Characters.PerGroup[name] = charRates(ch.GoldCodePoints, ch.LeakedCodePoints, c.CleanCodePoints, ch.OverMaskedCodePoints)
	}
	for label, cc := range c.Classes {
		ch := cc.Characters
		r.Characters.PerClass[label] = charRates(ch.GoldCodePoints, ch.LeakedCodePoints, c.CleanCodePoints, ch.OverMaskedCodePoints)
	}
	for lang, t := range c.Languages {
		r.PIISpans.PerLanguage[lang] = t.PII.Metrics(beta)
		r.Characters.PerLanguage[lang] = charRates(t.GoldCodePoints, t.LeakedCodePoints, t.CleanCodePoints, t.OverMaskedCodePoints)
		r.Tokens.PerLanguage[lang] = tokenViewMetrics(t.Tokens, beta)
	}
}
