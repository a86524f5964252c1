package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/stages/score"
	"github.com/piimask/piimask/stages/taxonomy"
)

// cp returns the code-point offsets of sub in text.
func cp(t *testing.T, text, sub string) (int, int) {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in %q", sub, text)
	}
	start := len([]rune(text[:i]))
	return start, start + len([]rune(sub))
}

func writeText(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func scoreCounts(t *testing.T, opts ScoreOptions) (*score.Counts, *ScoreSummary, string) {
	t.Helper()
	opts.Out = filepath.Join(t.TempDir(), "out")
	var stdout bytes.Buffer
	if err := RunScore(context.Background(), opts, testEnv(&stdout)); err != nil {
		t.Fatalf("score: %v\n%s", err, stdout.String())
	}
	c, err := score.ReadMetricsCounts(filepath.Join(opts.Out, "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum ScoreSummary
	data, err := os.ReadFile(filepath.Join(opts.Out, "score_summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	return c, &sum, stdout.String()
}

// TestScorePresidioResults scores Presidio analyzer results against a
// presidio-research-style gold set, joined by id and by position.
func TestScorePresidioResults(t *testing.T) {
	dir := t.TempDir()
	gold, predIDs, predLists := writePresidioFixture(t, dir)
	for _, pred := range []string{predIDs, predLists} {
		// Entity groups: PERSON 1/1, CONTACT 1 of 2 (the phone's boundary is
		// off), LOCATION spurious.
		c, sum, out := scoreCounts(t, ScoreOptions{Gold: []string{gold}, Pred: pred, PredFormat: "presidio",
			LabelMap: "presidio", PredLabelMap: "presidio", Taxonomy: "groups"})
		if c.Docs != 3 || c.Gold != 3 || c.Pred != 4 || c.TP != 2 {
			t.Errorf("%s groups: docs/gold/pred/tp = %d/%d/%d/%d, want 3/3/4/2\n%s", pred, c.Docs, c.Gold, c.Pred, c.TP, out)
		}
		if pc := c.Classes[taxonomy.GroupPerson]; pc == nil || pc.TP != 1 || pc.Gold != 1 {
			t.Errorf("%s: PERSON %+v", pred, pc)
		}
		if cc := c.Classes[taxonomy.GroupContact]; cc == nil || cc.TP != 1 || cc.Gold != 2 || cc.Pred != 2 {
			t.Errorf("%s: CONTACT %+v", pred, cc)
		}
		if lc := c.Classes[taxonomy.GroupLocation]; lc == nil || lc.Pred != 1 || lc.TP != 0 {
			t.Errorf("%s: LOCATION %+v", pred, lc)
		}
		if sum.Positional != (pred == predLists) || sum.Missing != 0 || len(sum.UnmappedGold) != 0 || strings.Contains(out, "WARNING") {
			t.Errorf("%s: summary %+v\n%s", pred, sum, out)
		}
	}

	// Classes: Presidio's EMAIL_ADDRESS is the 200k EMAIL; PERSON has no
	// 200k class and is reported on both sides.
	c, sum, out := scoreCounts(t, ScoreOptions{Gold: []string{gold}, Pred: predIDs, LabelMap: "presidio", PredLabelMap: "presidio"})
	if ec := c.Classes["EMAIL"]; ec == nil || ec.TP != 1 || ec.Gold != 1 {
		t.Errorf("classes: EMAIL %+v", ec)
	}
	if len(sum.UnmappedGold) != 1 || sum.UnmappedGold[0] != (taxonomy.LabelCount{Label: "PERSON", Count: 1}) ||
		!strings.Contains(out, "WARNING: 1 gold spans") || !strings.Contains(out, "LOCATION (1), PERSON (1)") {
		t.Errorf("classes: unmapped gold %v pred %v\n%s", sum.UnmappedGold, sum.UnmappedPredictions, out)
	}

	// Positional rows must match the gold's count.
	short := writeText(t, filepath.Join(dir, "short.jsonl"), "[]\n[]\n")
	var stdout bytes.Buffer
	err := RunScore(context.Background(), ScoreOptions{Gold: []string{gold}, Pred: short}, testEnv(&stdout))
	if err == nil || !strings.Contains(err.Error(), "2 rows without ids") || !strings.Contains(err.Error(), "gold has 3 rows") {
		t.Errorf("short positional file: %v", err)
	}
}

// writePresidioFixture writes, in dir, a presidio-research-style gold set
// of three samples (s1-s3) and the same Presidio analyzer results twice:
// with ids (predIDs) and as bare lists, one a line (predLists).
func writePresidioFixture(t *testing.T, dir string) (gold, predIDs, predLists string) {
	t.Helper()
	texts := []string{
		"Reach Ingrid Solberg at ingrid.s@fjordpost.no today",
		"Phone +47 412 33 908 after nine",
		"No personal data in this line",
	}
	type sp struct {
		typ, value string
	}
	goldSpans := [][]sp{{{"PERSON", "Ingrid Solberg"}, {"EMAIL_ADDRESS", "ingrid.s@fjordpost.no"}}, {{"PHONE_NUMBER", "+47 412 33 908"}}, nil}
	var samples []map[string]any
	for i, text := range texts {
		spans := []map[string]any{}
		for _, s := range goldSpans[i] {
			a, b := cp(t, text, s.value)
			spans = append(spans, map[string]any{"entity_type": s.typ, "entity_value": s.value, "start_position": a, "end_position": b})
		}
		samples = append(samples, map[string]any{"full_text": text, "spans": spans, "template_id": i, "id": []string{"s1", "s2", "s3"}[i]})
	}
	arr, _ := json.MarshalIndent(samples, "", " ")
	gold = writeText(t, filepath.Join(dir, "gold.json"), string(arr))

	result := func(text, typ, value string, shift int, score float64) map[string]any {
		a, b := cp(t, text, value)
		return map[string]any{"entity_type": typ, "start": a + shift, "end": b, "score": score}
	}
	res := [][]map[string]any{
		{result(texts[0], "PERSON", "Ingrid Solberg", 0, 0.85), result(texts[0], "EMAIL_ADDRESS", "ingrid.s@fjordpost.no", 0, 1)},
		{result(texts[1], "PHONE_NUMBER", "+47 412 33 908", 1, 0.4)}, // boundary error
		{result(texts[2], "LOCATION", "line", 0, 0.6)},               // spurious
	}
	var withIDs, lists strings.Builder
	for i, r := range res {
		b, _ := json.Marshal(map[string]any{"id": []string{"s1", "s2", "s3"}[i], "results": r})
		withIDs.Write(append(b, '\n'))
		b, _ = json.Marshal(r)
		lists.Write(append(b, '\n'))
	}
	predIDs = writeText(t, filepath.Join(dir, "presidio-results.jsonl"), withIDs.String())
	predLists = writeText(t, filepath.Join(dir, "presidio-batch.jsonl"), lists.String())
	return gold, predIDs, predLists
}

// TestScoreHFPipeline scores Hugging Face token-classification output
// (token level, B-/I- tags, one list per sentence) against a CoNLL file,
// with user maps from a JSON file and ignore_labels.
func TestScoreHFPipeline(t *testing.T) {
	dir := t.TempDir()
	gold := writeText(t, filepath.Join(dir, "gold.conll"), strings.Join([]string{
		"-DOCSTART-\tO", "",
		"Marguerite\tB-PER", "Vasseur\tI-PER", "ouvre\tO", "à\tO", "Quimper\tB-LOC", "",
		"The\tO", "Helvoria\tB-ORG", "Trust\tI-ORG", "hired\tO", "Tomasz\tB-PER", "",
	}, "\n"))
	s1 := "Marguerite Vasseur ouvre à Quimper"
	s2 := "The Helvoria Trust hired Tomasz"
	tok := func(text, word, tag string, index int) map[string]any {
		a, b := cp(t, text, word)
		return map[string]any{"entity": tag, "score": 0.9, "index": index, "word": word, "start": a, "end": b}
	}
	lines := [][]map[string]any{
		{tok(s1, "Marguerite", "B-PER", 1), tok(s1, "Vasseur", "I-PER", 2), tok(s1, "Quimper", "B-LOC", 5)},
		{tok(s2, "Helvoria", "B-ORG", 2), tok(s2, "Trust", "I-ORG", 3), tok(s2, "Tomasz", "B-LOC", 5)}, // Tomasz: wrong type
	}
	var b strings.Builder
	for _, l := range lines {
		d, _ := json.Marshal(l)
		b.Write(append(d, '\n'))
	}
	pred := writeText(t, filepath.Join(dir, "hf.jsonl"), b.String())
	maps := writeText(t, filepath.Join(dir, "ner-map.json"), `{"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION"}`)

	// ORG ignored: neither Helvoria Trust nor its prediction counts. Gold
	// PERSON 2, LOCATION 1; predicted PERSON 1, LOCATION 2; TP 2.
	c, sum, out := scoreCounts(t, ScoreOptions{Gold: []string{gold}, Pred: pred, PredFormat: "hf", Language: "fr",
		LabelMap: maps, PredLabelMap: maps, Taxonomy: "groups", IgnoreLabels: []string{"ORG"}})
	if c.Docs != 2 || c.Gold != 3 || c.Pred != 3 || c.TP != 2 {
		t.Errorf("docs/gold/pred/tp = %d/%d/%d/%d, want 2/3/3/2\n%s", c.Docs, c.Gold, c.Pred, c.TP, out)
	}
	if c.Classes[taxonomy.GroupOrganization] != nil {
		t.Errorf("ignored ORG scored: %+v", c.Classes[taxonomy.GroupOrganization])
	}
	if c.Languages["fr"] == nil || c.Languages["fr"].Docs != 2 {
		t.Errorf("languages %+v", c.Languages)
	}
	if !sum.Positional || len(sum.UnmappedGold) != 0 {
		t.Errorf("summary %+v", sum)
	}

	// Without ignore_labels, ORG is scored and right.
	c, _, _ = scoreCounts(t, ScoreOptions{Gold: []string{gold}, Pred: pred, LabelMap: maps, PredLabelMap: maps, Taxonomy: "groups"})
	if oc := c.Classes[taxonomy.GroupOrganization]; oc == nil || oc.TP != 1 || c.TP != 3 {
		t.Errorf("ORG not ignored: %+v, tp %d", oc, c.TP)
	}
}
