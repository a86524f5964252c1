package score

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"

	"github.com/piimask/piimask/record"
)

// TestAgainstPythonReference scores 2,000 generated documents here and with
// scripts/score_reference.py (Python 3, stdlib only) and requires the same
// counts. Skipped when python3 is absent, unless CI is set.
func TestAgainstPythonReference(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 not found; CI needs it for the independent scorer check")
		}
		t.Skip("python3 not found; install Python 3 to run the independent scorer check")
	}
	_, file, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(file), "..", "..", "scripts", "score_reference.py")

	docs := genDocs(2026, 2000)
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, d := range docs {
		row := map[string]any{"id": d.ID, "language": d.Language, "gold": triples(d.Gold), "pred": triples(d.Pred)}
		if err := enc.Encode(row); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "docs.jsonl")
	if err := os.WriteFile(path, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, script, path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, stderr.String())
	}
	var want Counts
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("reference output: %v", err)
	}
	got, _ := scoreAll(docs)
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("totals: got %+v\nwant %+v", got.Totals, want.Totals)
		for l, c := range want.Classes {
			if !reflect.DeepEqual(got.Classes[l], c) {
				t.Errorf("class %s: got %+v, want %+v", l, got.Classes[l], c)
			}
		}
		if !reflect.DeepEqual(got.Confusion, want.Confusion) {
			t.Errorf("confusion: got %v\nwant %v", got.Confusion, want.Confusion)
		}
		if !reflect.DeepEqual(got.Languages, want.Languages) {
			t.Errorf("languages differ")
		}
	}
	// Derived metrics agree too (same counts, same formulas).
	if !reflect.DeepEqual(got.Metrics(2), want.Metrics(2)) {
		t.Error("reports derived from the two counts differ")
	}
}

func triples(spans []record.Span) [][]any {
	out := make([][]any, len(spans))
	for i, s := range spans {
		out[i] = []any{s.Start, s.End, s.Label}
	}
	return out
}
