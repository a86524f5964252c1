package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const labelMapBase = `kind: evaluate
input: {paths: [data/*.jsonl], schema: presidio, language: en}
methods: [{name: rules, type: rules}]
output: {dir: out/x}
`

func TestLabelMapShapes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mine.json"), []byte(`{"PER": "FIRSTNAME"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, yaml string
		check      func(*Job) bool
	}{
		{"name", "label_map: ai4privacy-400k\n", func(j *Job) bool { return j.LabelMap.Name == "ai4privacy-400k" && j.LabelMap.Map == nil }},
		{"mapping", "label_map:\n  PERSON: FIRSTNAME\n  GPE: CITY\n", func(j *Job) bool {
			return j.LabelMap.Name == "" && j.LabelMap.Map["PERSON"] == "FIRSTNAME" && j.LabelMap.Map["GPE"] == "CITY"
		}},
		{"flow mapping", "label_map: {PERSON: FIRSTNAME}\n", func(j *Job) bool { return j.LabelMap.Map["PERSON"] == "FIRSTNAME" }},
		{"file", "label_map: mine.json\n", func(j *Job) bool { return j.LabelMap.Map["PER"] == "FIRSTNAME" && j.LabelMap.Name == "" }},
		{"prediction map, groups, ignore", "prediction_label_map: to-presidio\ntaxonomy: groups\nignore_labels: [ORG, LOC]\n", func(j *Job) bool {
			return j.PredictionLabelMap.Name == "to-presidio" && j.Taxonomy == "groups" && strings.Join(j.IgnoreLabels, ",") == "ORG,LOC" && j.LabelMap.IsZero()
		}},
	}
	for _, tc := range tests {
		l, err := Load(filepath.Join(dir, "job.yaml"), []byte(labelMapBase+tc.yaml), envOf(nil), testRules)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !tc.check(l.Job) {
			t.Errorf("%s: job %+v / %+v", tc.name, l.Job.LabelMap, l.Job.PredictionLabelMap)
		}
		if l.Job.Input.Language != "en" || l.Job.Input.Schema != "presidio" {
			t.Errorf("%s: input %+v", tc.name, l.Job.Input)
		}
	}
}

func TestLabelMapProblems(t *testing.T) {
	tests := []struct{ yaml, want string }{
		{"label_map: ai4privacy-999k\n", "job.yaml:5: label_map: unknown label map \"ai4privacy-999k\""},
		{"label_map: [a, b]\n", "job.yaml:5: label_map: want a label map name"},
		{"label_map:\n  PERSON: [FIRSTNAME]\n", "job.yaml:6: label_map.PERSON: want a label"},
		{"taxonomy: tokens\n", "job.yaml:5: taxonomy: unknown taxonomy \"tokens\""},
		{"label_map: to-presidio\nprediction_label_map: to-openpii\n", "disagree"},
		{"label_map: missing.json\n", "label_map"},
		{"ignore_labels: ORG\n", "job.yaml:5: ignore_labels: want a list"},
	}
	for _, tc := range tests {
		_, err := Load("job.yaml", []byte(labelMapBase+tc.yaml), envOf(nil), testRules)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want %q", tc.yaml, err, tc.want)
		}
	}
}
