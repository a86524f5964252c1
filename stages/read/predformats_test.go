package read

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
)

func readPredsWith(t *testing.T, path, format string) ([]PredictionRow, error) {
	t.Helper()
	var out []PredictionRow
	err := ReadPredictionsWith(context.Background(), path, PredictionOptions{Format: format}, func(p PredictionRow) error { out = append(out, p); return nil })
	return out, err
}

func TestPredictionFormats(t *testing.T) {
	dir := t.TempDir()
	presidioLines := `{"id": "a", "results": [{"entity_type": "PERSON", "start": 0, "end": 4, "score": 0.85}, {"entity_type": "EMAIL_ADDRESS", "start": 10, "end": 20, "score": 1.0}]}
{"id": "b", "results": []}
`
	presidioLists := `[{"entity_type": "PERSON", "start": 0, "end": 4, "score": 0.85}]

[]
`
	// HF aggregated (entity_group) and token level (entity with B-/I-,
	// index): "Ana Lu" joined, a gap (index 5 after 3) and a type change
	// start new entities.
	hfGroups := `{"id": "a", "entities": [{"entity_group": "PER", "score": 0.99, "word": "Ana Lu", "start": 0, "end": 6}]}
`
	hfTokens := `[{"entity": "B-PER", "score": 0.9, "index": 1, "word": "Ana", "start": 0, "end": 3}, {"entity": "I-PER", "score": 0.7, "index": 2, "word": "Lu", "start": 4, "end": 6}, {"entity": "I-PER", "score": 0.5, "index": 3, "word": "##s", "start": 6, "end": 7}, {"entity": "I-PER", "score": 0.6, "index": 5, "word": "Bo", "start": 11, "end": 13}, {"entity": "I-LOC", "score": 0.8, "index": 6, "word": "Rome", "start": 14, "end": 18}, {"entity": "B-LOC", "score": 0.4, "index": 7, "word": "Oslo", "start": 19, "end": 23}]
`
	hfNoIndex := `[{"entity": "B-PER", "score": 1, "start": 0, "end": 3}, {"entity": "I-PER", "score": 1, "start": 4, "end": 6}, {"entity": "I-PER", "score": 1, "start": 9, "end": 11}]
`
	tests := []struct {
		name, content, format string
		want                  []PredictionRow
	}{
		{"presidio.jsonl", presidioLines, "", []PredictionRow{
			{ID: "a", Spans: []record.Span{{Start: 0, End: 4, Label: "PERSON", Score: 0.85}, {Start: 10, End: 20, Label: "EMAIL_ADDRESS", Score: 1}}, Index: 0},
			{ID: "b", Index: 1},
		}},
		{"presidio-lists.jsonl", presidioLists, PredPresidio, []PredictionRow{
			{Spans: []record.Span{{Start: 0, End: 4, Label: "PERSON", Score: 0.85}}, NoID: true, Index: 0},
			{NoID: true, Index: 1},
		}},
		{"hf-groups.jsonl", hfGroups, PredHF, []PredictionRow{
			{ID: "a", Spans: []record.Span{{Start: 0, End: 6, Label: "PER", Score: 0.99}}},
		}},
		{"hf-tokens.jsonl", hfTokens, "", []PredictionRow{
			{NoID: true, Spans: []record.Span{{Start: 0, End: 7, Label: "PER", Score: 0.7}, {Start: 11, End: 13, Label: "PER", Score: 0.6}, {Start: 14, End: 18, Label: "LOC", Score: 0.8}, {Start: 19, End: 23, Label: "LOC", Score: 0.4}}},
		}},
		{"hf-noindex.jsonl", hfNoIndex, PredHF, []PredictionRow{
			{NoID: true, Spans: []record.Span{{Start: 0, End: 6, Label: "PER", Score: 1}, {Start: 9, End: 11, Label: "PER", Score: 1}}},
		}},
	}
	for _, tc := range tests {
		p := writeFile(t, dir, tc.name, tc.content)
		got, err := readPredsWith(t, p, tc.format)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for i := range got {
			got[i].Origin = record.Origin{}
			for j := range got[i].Spans {
				got[i].Spans[j].Score = float64(int(got[i].Spans[j].Score*1000+0.5)) / 1000
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}

	bad := []struct{ name, content, format, want string }{
		{"mixed.jsonl", `{"id": "a", "results": []}` + "\n[]\n", "", ":2: the file mixes rows with an id and bare lists"},
		{"wrongkey.jsonl", `[{"label": "PER", "start": 0, "end": 2}]` + "\n", PredPresidio, "field [][0].entity_type: missing entity_type"},
		{"badformat.jsonl", "[]\n", "spacy", "unknown predictions format"},
		{"badlist.jsonl", "[{\n", "", ":1: invalid JSON list"},
	}
	for _, tc := range bad {
		p := writeFile(t, dir, tc.name, tc.content)
		if _, err := readPredsWith(t, p, tc.format); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want %q", tc.name, err, tc.want)
		}
	}
}
