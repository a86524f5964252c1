package config

import (
	"strings"
	"testing"
)

func TestScoringViewKeys(t *testing.T) {
	const base = "kind: evaluate\ninput:\n  paths: [x.jsonl]\nmethods:\n  - {name: rules, type: rules}\noutput:\n  dir: out\nscoring:\n"
	l, err := Load("v.yaml", []byte(base+"  iou: 0.75\n  merge_adjacent: true\n"), envOf(nil), testRules)
	if err != nil {
		t.Fatal(err)
	}
	if s := l.Job.Scoring; s.IoU != 0.75 || !s.MergeAdjacent {
		t.Errorf("scoring %+v, want iou 0.75 and merge_adjacent", s)
	}
	for _, tc := range []struct{ yaml, want string }{
		{"  iou: 1.5\n", "v.yaml:9: scoring.iou: must be in (0, 1]"},
		{"  iou: -0.2\n", "scoring.iou: must be in (0, 1]"},
		{"  merge_adjacent: maybe\n", "v.yaml:9"},
		{"  beta: -1\n", "scoring.beta: must be positive"},
	} {
		_, err := Load("v.yaml", []byte(base+tc.yaml), envOf(nil), testRules)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.yaml, err, tc.want)
		}
	}
}
