package jobs

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/metrics"
)

// TestBenchWritesResult runs a small bench with the rules method and checks
// the structure of bench.json and the ratios' baselines (not timings).
func TestBenchWritesResult(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bench.yaml")
	yaml := fmt.Sprintf(`kind: bench
name: tiny
input: {generate: {n: 50, seed: 1}}
methods:
  - {name: rules, type: rules}
output: {dir: %q}
bench:
  lengths: [{name: short, concat: 1}, {name: long, concat: 8}]
  docs: 20
  workers: [1, 2]
  concurrency_docs: 30
  concurrency_length: long
  warmup: 2
`, filepath.Join(dir, "out"))
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	env := testEnv(&buf)
	l, err := Load(cfg, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(context.Background(), l, env); err != nil {
		t.Fatalf("bench: %v\n%s", err, buf.String())
	}
	r, err := metrics.ReadBench(filepath.Join(dir, "out", "bench.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Methods) != 1 || len(r.Methods[0].Lengths) != 2 || len(r.Methods[0].Concurrency) != 2 {
		t.Fatalf("bench.json shape: %+v", r)
	}
	m := r.Methods[0]
	short, long := m.Lengths[0], m.Lengths[1]
	if short.LatencyRatio != 1 || m.Concurrency[0].Speedup != 1 {
		t.Errorf("baselines should have ratio 1: %+v %+v", short, m.Concurrency[0])
	}
	// long documents are 8 short rows joined: about 8× the characters and tokens.
	if ratio := long.MeanChars / short.MeanChars; ratio < 6 || ratio > 10 {
		t.Errorf("long/short chars = %.1f, want about 8", ratio)
	}
	if long.MeanTokens <= short.MeanTokens || short.MeanTokens <= 0 {
		t.Errorf("token counts short %.1f long %.1f", short.MeanTokens, long.MeanTokens)
	}
	if got := long.P50Ms / short.P50Ms; got != long.LatencyRatio {
		t.Errorf("latency ratio %.3f, want p50 long/short %.3f", long.LatencyRatio, got)
	}
	if m.Concurrency[1].Docs != 30 || m.Concurrency[1].DocsPerSecond <= 0 {
		t.Errorf("concurrency level: %+v", m.Concurrency[1])
	}
	for _, want := range []string{"Speed by text length", "Sequential vs concurrent (long documents", "bench.json"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, buf.String())
		}
	}
}

// A bench reads files through the job's input path like every other job:
// filters keep their rows, bad rows go to rejects.jsonl, and
// max_reject_ratio fails the run.
func TestBenchReadsFilesThroughTheInputPath(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data.jsonl")
	writeLines(t, data,
		`{"id":"a","language":"en","source_text":"mail bob@example.com","privacy_mask":[{"value":"bob@example.com","start":5,"end":20,"label":"EMAIL"}]}`,
		`{"id":"b","language":"fr","source_text":"Écrivez à élodie@exemple.fr","privacy_mask":[]}`,
		`{"id":"c", this is not json`,
		`{"id":"d","language":"en","source_text":"call 555 0100","privacy_mask":[]}`,
	)
	bench := func(name, extra string) (string, error) {
		cfg := filepath.Join(dir, name+".yaml")
		writeLines(t, cfg, "kind: bench", "input: {paths: ["+data+"]}", "filters: {languages: [en]}",
			"methods: [{name: rules, type: rules}]", "output: {dir: "+filepath.Join(dir, name)+"}",
			"bench: {lengths: [{name: short, concat: 1}, {name: long, concat: 2}], docs: 3, workers: [1, 2], concurrency_docs: 5, warmup: 1}", extra)
		var buf bytes.Buffer
		env := testEnv(&buf)
		l, err := Load(cfg, env)
		if err != nil {
			t.Fatal(err)
		}
		return buf.String(), Run(context.Background(), l, env)
	}
	out, err := bench("ok", "")
	if err != nil {
		t.Fatalf("bench: %v\n%s", err, out)
	}
	r, err := metrics.ReadBench(filepath.Join(dir, "ok", "bench.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Methods) != 1 || len(r.Methods[0].Lengths) != 2 || r.Methods[0].Concurrency[1].Docs != 5 {
		t.Fatalf("bench.json shape: %+v", r)
	}
	// Only the English rows a and d are kept: a short document is one of
	// them, a long one both joined.
	short, long := r.Methods[0].Lengths[0], r.Methods[0].Lengths[1]
	wantShort := float64(len("mail bob@example.com")+len("call 555 0100")+len("mail bob@example.com")) / 3
	if short.MeanChars != wantShort {
		t.Errorf("short documents average %.2f characters, want %.2f (the English rows only)", short.MeanChars, wantShort)
	}
	if want := float64(len("mail bob@example.com\n\ncall 555 0100")); long.MeanChars != want {
		t.Errorf("long documents average %.2f characters, want %.0f", long.MeanChars, want)
	}
	rej, err := os.ReadFile(filepath.Join(dir, "ok", "rejects.jsonl"))
	if err != nil || strings.Count(string(rej), "\n") != 1 || !strings.Contains(string(rej), `"row":3`) {
		t.Fatalf("rejects.jsonl = %q (%v), want the invalid row 3", rej, err)
	}
	if _, err := bench("strict", "max_reject_ratio: 0.1"); err == nil || !strings.Contains(err.Error(), "above max_reject_ratio") {
		t.Fatalf("bench with max_reject_ratio 0.1 and 1 of 4 rows rejected: %v", err)
	}
}
