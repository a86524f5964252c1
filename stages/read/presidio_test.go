package read

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/piimask/piimask/record"
)

// presidioRow builds an InputSample with spans cut from text (code points).
func presidioRow(text string, spans []record.Span, template int) map[string]any {
	off := record.NewOffsets(text)
	list := []map[string]any{}
	for _, s := range spans {
		v, _ := off.Slice(text, s.Start, s.End)
		list = append(list, map[string]any{"entity_type": s.Label, "entity_value": v, "start_position": s.Start, "end_position": s.End})
	}
	return map[string]any{"full_text": text, "masked": "ignored", "spans": list, "template_id": template, "metadata": nil}
}

func TestReadPresidioArrayAndJSONL(t *testing.T) {
	dir := t.TempDir()
	a := presidioRow(textFR, []record.Span{{Start: 0, End: 6, Label: "PERSON"}, {Start: 18, End: 25, Label: "GPE"}}, 7)
	b := presidioRow(textEN, []record.Span{{Start: 13, End: 46, Label: "IBAN_CODE"}}, 9)
	arr, _ := json.MarshalIndent([]any{a, b}, "", "  ")
	files := map[string]string{
		"array.json":  string(arr),
		"lines.jsonl": jsonLine(t, a) + jsonLine(t, b),
	}
	for name, content := range files {
		p := writeFile(t, dir, name, content)
		for _, schema := range []string{SchemaAuto, SchemaPresidio} {
			res := readAll(t, []string{p}, Options{Schema: schema})
			if res.err != nil || len(res.rejs) != 0 || len(res.recs) != 2 {
				t.Fatalf("%s/%s: err %v, rejects %+v, %d records", name, schema, res.err, res.rejs, len(res.recs))
			}
			r := res.recs[0]
			if r.Text != textFR || r.Language != "en" || len(r.Gold) != 2 || r.Gold[0].Label != "PERSON" ||
				cut(t, r.Text, r.Gold[1]) != "Orléans" || r.Extra["template_id"] == nil {
				t.Errorf("%s/%s: record %+v", name, schema, r)
			}
			if res.recs[1].Gold[0].Label != "IBAN_CODE" {
				t.Errorf("%s: second record %+v", name, res.recs[1])
			}
		}
	}
	// The array's second element starts on its own line.
	res := readAll(t, []string{filepath.Join(dir, "array.json")}, Options{})
	if row := res.recs[1].Origin.Row; row < 3 || res.recs[1].ID != res.recs[1].Origin.String() {
		t.Errorf("second element at row %d, id %s", row, res.recs[1].ID)
	}
	// input.language replaces the default.
	res = readAll(t, []string{filepath.Join(dir, "lines.jsonl")}, Options{Language: "fr"})
	if res.recs[0].Language != "fr" {
		t.Errorf("language %q, want fr", res.recs[0].Language)
	}
}

func TestPresidioRejects(t *testing.T) {
	text := "Zoë 😀 vit à Orléans"
	good := map[string]any{"entity_type": "PERSON", "entity_value": "Zoë", "start_position": 0, "end_position": 3}
	tests := []struct {
		name   string
		spans  any
		field  string
		reason string
	}{
		{"value mismatch", []any{map[string]any{"entity_type": "PERSON", "entity_value": "Zoe", "start_position": 0, "end_position": 3}}, "spans[0].entity_value", "does not match"},
		{"end beyond", []any{good, map[string]any{"entity_type": "GPE", "start_position": 12, "end_position": 40}}, "spans[1].end_position", "beyond"},
		{"missing type", []any{map[string]any{"start_position": 0, "end_position": 3}}, "spans[0].entity_type", "missing entity_type"},
		{"missing start", []any{map[string]any{"entity_type": "GPE", "end_position": 3}}, "spans[0].start_position", "missing"},
		{"not a list", map[string]any{"x": 1}, "spans", "want a list"},
		{"element not object", []any{"PERSON"}, "spans[0]", "want an object"},
	}
	dir := t.TempDir()
	for _, tc := range tests {
		row := map[string]any{"full_text": text, "spans": tc.spans}
		after := map[string]any{"full_text": text, "spans": []any{good}}
		arr, _ := json.Marshal([]any{row, after})
		p := writeFile(t, dir, strings.ReplaceAll(tc.name, " ", "_")+".json", string(arr))
		res := readAll(t, []string{p}, Options{})
		if res.err != nil || len(res.rejs) != 1 || len(res.recs) != 1 {
			t.Errorf("%s: err %v, rejects %+v, records %d", tc.name, res.err, res.rejs, len(res.recs))
			continue
		}
		if rj := res.rejs[0]; rj.Field != tc.field || !strings.Contains(rj.Reason, tc.reason) || rj.Origin.File != p {
			t.Errorf("%s: reject %+v, want field %q ~ %q", tc.name, rj, tc.field, tc.reason)
		}
	}
	// An element that is not an object is a reject; the rest is read.
	p := writeFile(t, dir, "mixed.json", "[\n  3,\n  "+strings.TrimSpace(jsonLine(t, map[string]any{"full_text": text, "spans": []any{good}}))+"\n]")
	res := readAll(t, []string{p}, Options{Schema: SchemaPresidio})
	if res.err != nil || len(res.rejs) != 1 || res.rejs[0].Origin.Row != 2 || len(res.recs) != 1 || res.recs[0].Origin.Row != 3 {
		t.Errorf("mixed: err %v, rejects %+v, records %+v", res.err, res.rejs, res.recs)
	}
}

// TestPresidioResearchDataset reads presidio-research's published set and
// checks every span against its entity_value in the original file.
func TestPresidioResearchDataset(t *testing.T) {
	p := filepath.Join("..", "..", "..", "shared", "datasets", "presidio-research", "synth_dataset_v2.json")
	data, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("presidio-research set not available: %v", err)
		}
		t.Fatalf("CI: %v", err)
	}
	var samples []struct {
		FullText string `json:"full_text"`
		Spans    []struct {
			EntityType  string `json:"entity_type"`
			EntityValue string `json:"entity_value"`
			Start       int    `json:"start_position"`
			End         int    `json:"end_position"`
		} `json:"spans"`
	}
	if err := json.Unmarshal(data, &samples); err != nil {
		t.Fatal(err)
	}
	res := readAll(t, []string{p}, Options{})
	if res.err != nil || len(res.rejs) != 0 {
		t.Fatalf("err %v, %d rejects (first %+v)", res.err, len(res.rejs), res.rejs)
	}
	if len(res.recs) != len(samples) || len(samples) < 1000 {
		t.Fatalf("%d records, %d samples", len(res.recs), len(samples))
	}
	spans := 0
	for i, r := range res.recs {
		s := samples[i]
		if r.Text != s.FullText {
			t.Fatalf("record %d: text differs", i)
		}
		if len(r.Gold) != len(s.Spans) {
			t.Fatalf("record %d: %d spans, want %d", i, len(r.Gold), len(s.Spans))
		}
		runes := []rune(s.FullText)
		for _, sp := range s.Spans {
			if got := string(runes[sp.Start:sp.End]); got != sp.EntityValue {
				t.Errorf("record %d: file's own span [%d,%d) is not its entity_value", i, sp.Start, sp.End)
			}
		}
		for _, g := range r.Gold {
			if g.End > utf8.RuneCountInString(r.Text) {
				t.Fatalf("record %d: span %v beyond the text", i, g)
			}
			found := false
			for _, sp := range s.Spans {
				if sp.Start == g.Start && sp.End == g.End && sp.EntityType == g.Label && string(runes[g.Start:g.End]) == sp.EntityValue {
					found = true
				}
			}
			if !found {
				t.Errorf("record %d: span %v not in the file", i, g)
			}
			spans++
		}
	}
	t.Logf("%d records, %d spans, 0 rejects", len(res.recs), spans)
}
