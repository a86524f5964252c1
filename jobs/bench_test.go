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
