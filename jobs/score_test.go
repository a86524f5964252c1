package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/stages/generate"
	"github.com/piimask/piimask/stages/score"
)

const (
	scoreText1 = "Call Anna at 555-0100 in Paris" // FIRSTNAME 5-9, PHONENUMBER 13-21, CITY 25-30
	scoreText2 = "Mail bob@x.org now"             // EMAIL 5-14
)

func writeJSONRows(t *testing.T, path string, rows ...any) string {
	t.Helper()
	var b bytes.Buffer
	for _, r := range rows {
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(append(data, '\n'))
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func mask200k(text string, spans ...[3]any) []map[string]any {
	r := []rune(text)
	var out []map[string]any
	for _, s := range spans {
		start, end := s[0].(int), s[1].(int)
		out = append(out, map[string]any{"value": string(r[start:end]), "start": start, "end": end, "label": s[2]})
	}
	return out
}

var (
	gold1 = [][3]any{{5, 9, "FIRSTNAME"}, {13, 21, "PHONENUMBER"}, {25, 30, "CITY"}}
	gold2 = [][3]any{{5, 14, "EMAIL"}}
)

func TestScoreJoinsPredictionsToEveryGoldSchema(t *testing.T) {
	dir := t.TempDir()
	// Doc d1: one exact match, one boundary error, one wrong type; doc d2
	// has no prediction; "ghost" is in no gold file.
	pred := writeJSONRows(t, filepath.Join(dir, "pred.jsonl"),
		map[string]any{"id": "d1", "spans": []map[string]any{
			{"start": 5, "end": 9, "label": "FIRSTNAME", "score": 0.9},
			{"start": 13, "end": 20, "label": "PHONENUMBER"},
			{"start": 25, "end": 30, "label": "STATE"},
		}},
		map[string]any{"id": "ghost", "spans": []map[string]any{{"start": 0, "end": 2, "label": "CITY"}}},
	)
	withGold := scoreWant{gold: 4, pred: 3, tp: 1, missing: 1, unknown: 1,
		strc:    score.SchemaCounts{COR: 1, INC: 2, MIS: 1},
		exact:   score.SchemaCounts{COR: 2, INC: 1, MIS: 1},
		entType: score.SchemaCounts{COR: 2, INC: 1, MIS: 1}} // ent_type: overlap + same type is COR
	for _, tc := range []struct {
		name, schema string
		gold         func(dir string) string
		want         scoreWant
	}{
		{name: "200k jsonl", schema: "auto", gold: func(dir string) string {
			return writeJSONRows(t, filepath.Join(dir, "gold.jsonl"),
				map[string]any{"source_text": scoreText1, "privacy_mask": mask200k(scoreText1, gold1...), "id": "d1", "language": "en"},
				map[string]any{"source_text": scoreText2, "privacy_mask": mask200k(scoreText2, gold2...), "id": "d2", "language": "fr"})
		}, want: withGold},
		{name: "400k jsonl", schema: "ai4privacy-400k", gold: func(dir string) string {
			return writeJSONRows(t, filepath.Join(dir, "gold.jsonl"),
				map[string]any{"source_text": scoreText1, "privacy_mask": mask200k(scoreText1, gold1...), "uid": "d1", "language": "en", "split": "validation"},
				map[string]any{"source_text": scoreText2, "privacy_mask": mask200k(scoreText2, gold2...), "uid": "d2", "language": "en", "split": "validation"})
		}, want: withGold},
		{name: "43k jsonl", schema: "auto", gold: func(dir string) string {
			return writeJSONRows(t, filepath.Join(dir, "gold.jsonl"),
				map[string]any{"unmasked_text": scoreText1, "masked_text": "…", "privacy_mask": "{}", "span_labels": spanLabels(scoreText1, gold1), "id": "d1"},
				map[string]any{"unmasked_text": scoreText2, "masked_text": "…", "privacy_mask": "{}", "span_labels": spanLabels(scoreText2, gold2), "id": "d2"})
		}, want: withGold},
		{name: "plain: no gold, every prediction spurious", schema: "plain", gold: func(dir string) string {
			return writeJSONRows(t, filepath.Join(dir, "gold.jsonl"),
				map[string]any{"text": scoreText1, "id": "d1"}, map[string]any{"text": scoreText2, "id": "d2"})
		}, want: scoreWant{gold: 0, pred: 3, tp: 0, missing: 1, unknown: 1,
			strc: score.SchemaCounts{SPU: 3}, exact: score.SchemaCounts{SPU: 3}, entType: score.SchemaCounts{SPU: 3}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := t.TempDir()
			gold := tc.gold(d)
			out := filepath.Join(d, "out")
			var stdout bytes.Buffer
			if err := RunScore(context.Background(), ScoreOptions{Gold: []string{gold}, Pred: pred, Schema: tc.schema, Out: out}, testEnv(&stdout)); err != nil {
				t.Fatal(err)
			}
			checkScoreOutput(t, out, stdout.String(), tc.want)
		})
	}
}

// scoreWant are the figures a score run must give.
type scoreWant struct {
	gold, pred, tp       int64
	missing, unknown     int64
	exact, entType, strc score.SchemaCounts
}

// checkScoreOutput checks a score run's metrics.json counts, its
// score_summary.json, its printed output and its doc_counts.jsonl (two
// documents scored, "ghost" unknown).
func checkScoreOutput(t *testing.T, out, stdout string, w scoreWant) {
	t.Helper()
	c, err := score.ReadMetricsCounts(filepath.Join(out, "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Docs != 2 || c.Gold != w.gold || c.Pred != w.pred || c.TP != w.tp {
		t.Errorf("docs/gold/pred/tp = %d/%d/%d/%d, want 2/%d/%d/%d", c.Docs, c.Gold, c.Pred, c.TP, w.gold, w.pred, w.tp)
	}
	if c.Schemas.Strict != w.strc || c.Schemas.Exact != w.exact || c.Schemas.EntType != w.entType {
		t.Errorf("schemas strict %+v exact %+v ent_type %+v, want %+v %+v %+v", c.Schemas.Strict, c.Schemas.Exact, c.Schemas.EntType, w.strc, w.exact, w.entType)
	}
	var sum ScoreSummary
	data, err := os.ReadFile(filepath.Join(out, "score_summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Missing != w.missing || sum.Unknown != w.unknown || sum.GoldDocs != 2 || sum.PredRows != 2 {
		t.Errorf("summary %+v, want missing %d unknown %d", sum, w.missing, w.unknown)
	}
	if len(sum.UnknownIDs) != 1 || sum.UnknownIDs[0] != "ghost" {
		t.Errorf("unknown ids %v, want [ghost]", sum.UnknownIDs)
	}
	for _, s := range []string{"1 gold documents have no prediction", "1 predictions have an id in no gold document", "ent_type", "partial"} {
		if !strings.Contains(stdout, s) {
			t.Errorf("output lacks %q:\n%s", s, stdout)
		}
	}
	if n := countLines(t, filepath.Join(out, "doc_counts.jsonl")); n != 2 {
		t.Errorf("doc_counts.jsonl has %d lines, want 2", n)
	}
}

// spanLabels writes spans as the 43k schema's span_labels string.
func spanLabels(text string, spans [][3]any) string {
	var parts []string
	at := 0
	for i, s := range spans {
		if s[0].(int) > at {
			parts = append(parts, "["+itoa(at)+", "+itoa(s[0].(int))+", 'O']")
		}
		parts = append(parts, "["+itoa(s[0].(int))+", "+itoa(s[1].(int))+", '"+s[2].(string)+"_"+itoa(i+1)+"']")
		at = s[1].(int)
	}
	if n := len([]rune(text)); at < n {
		parts = append(parts, "["+itoa(at)+", "+itoa(n)+", 'O']")
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestScoreMatchesEvaluate scores an evaluate run's own predictions file
// (Parquet) against its Parquet input: the metrics must be those evaluate
// wrote.
func TestScoreMatchesEvaluate(t *testing.T) {
	dir := t.TempDir()
	gold := filepath.Join(dir, "gold.parquet")
	if err := generate.WriteFile(context.Background(), gold, generate.Config{Seed: 4, N: 80}); err != nil {
		t.Fatal(err)
	}
	res := filepath.Join(dir, "res")
	evaluateFile(t, "ev", gold, res)
	// evaluateFile writes JSONL predictions; Parquet is read the same way.
	for _, m := range []string{"rules", "rules-strict"} {
		out := filepath.Join(dir, "score-"+m)
		var stdout bytes.Buffer
		err := RunScore(context.Background(), ScoreOptions{Gold: []string{gold}, Pred: filepath.Join(res, m, "predictions.jsonl"), Out: out, Name: m}, testEnv(&stdout))
		if err != nil {
			t.Fatal(err)
		}
		want, err := score.ReadMetricsCounts(filepath.Join(res, m, "metrics.json"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := score.ReadMetricsCounts(filepath.Join(out, "metrics.json"))
		if err != nil {
			t.Fatal(err)
		}
		wj, _ := json.Marshal(want)
		gj, _ := json.Marshal(got)
		if !bytes.Equal(wj, gj) {
			t.Errorf("%s: score counts differ from evaluate's:\n%s\n%s", m, gj, wj)
		}
	}
	var stdout bytes.Buffer
	err := RunScore(context.Background(), ScoreOptions{Gold: []string{gold}, Pred: writeJSONRows(t, filepath.Join(dir, "dup.jsonl"),
		map[string]any{"id": "x", "spans": []any{}}, map[string]any{"id": "x", "spans": []any{}})}, testEnv(&stdout))
	if err == nil || !strings.Contains(err.Error(), "given again") {
		t.Errorf("duplicate prediction id: got %v", err)
	}
}
