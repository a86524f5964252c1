package config

// ScoringViews are the scoring keys of the evaluation views (stages/score
// views.go), inlined in the scoring section.
type ScoringViews struct {
	// IoU is the character IoU a prediction needs with a gold span to match
	// it in the label-agnostic PII span view and the group IoU view, in
	// (0, 1] (default 0.5).
	IoU float64 `yaml:"iou"`
	// MergeAdjacent merges, before IoU matching, spans of the same entity
	// group separated only by whitespace and punctuation, in the gold and
	// the predictions alike (default false).
	MergeAdjacent bool `yaml:"merge_adjacent"`
}

// checkViews checks the scoring view keys.
func (l *Loaded) checkViews() Problems {
	var ps Problems
	if v := l.Job.Scoring.IoU; v != 0 && !(v > 0 && v <= 1) {
		ps = append(ps, l.Problem("scoring.iou", "must be in (0, 1], got %g", v))
	}
	if v := l.Job.Scoring.Beta; v < 0 {
		ps = append(ps, l.Problem("scoring.beta", "must be positive, got %g", v))
	}
	return ps
}
