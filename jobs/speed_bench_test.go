package jobs

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/piimask/piimask/stages/generate"
)

// BenchmarkEvaluateSpeed runs the evaluate job end to end (read JSONL →
// detect → score → write predictions) on the same generated corpus with the
// default model, builtin:baseline, and with the window MLP it replaced
// (stages/detect/onnx/testdata/legacy-window-mlp), in the same process, and
// reports KB of source text per second of wall time for each. The ratio of
// the two KB/s figures is the speed of the new default against the old one
// on this machine.
//
//	go test ./jobs -run '^$' -bench EvaluateSpeed -benchtime 3x
func BenchmarkEvaluateSpeed(b *testing.B) {
	root, err := filepath.Abs("..") // the jobs package's tests run in jobs/
	if err != nil {
		b.Fatal(err)
	}
	corpus := filepath.Join(b.TempDir(), "corpus.jsonl")
	var gen *generate.Generator
	if err := generate.WriteFile(context.Background(), corpus, generate.Config{Seed: 5, N: 2000}); err != nil {
		b.Fatal(err)
	}
	var textBytes int64
	gen, err = generate.New(generate.Config{Seed: 5, N: 2000})
	if err != nil {
		b.Fatal(err)
	}
	for row := range gen.All() {
		textBytes += int64(len(row.SourceText))
	}
	models := []struct{ name, model string }{
		{"legacy-window-mlp", filepath.Join(root, "stages", "detect", "onnx", "testdata", "legacy-window-mlp")},
		{"default", "builtin:baseline"},
	}
	for _, m := range models {
		b.Run(m.name, func(b *testing.B) {
			dir := b.TempDir()
			cfg := filepath.Join(dir, "job.yaml")
			yaml := fmt.Sprintf(`kind: evaluate
name: speed
input: {paths: [%q]}
methods:
  - name: onnx
    type: onnx
    options: {model: %q, aggregation: first, batch_size: 16, max_length: 128, stride: 16, intra_op_threads: 1}
output: {dir: %q, formats: [parquet]}
concurrency: {workers: 2, batch_size: 32}
`, corpus, m.model, filepath.Join(dir, "out"))
			if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
				b.Fatal(err)
			}
			var wall time.Duration
			for b.Loop() {
				var out bytes.Buffer
				env := testEnv(&out)
				cache := filepath.Join(dir, "cache")
				env.LookupEnv = func(k string) (string, bool) {
					if k == "PIIMASK_CACHE_DIR" {
						return cache, true
					}
					return "", false
				}
				l, err := Load(cfg, env)
				if err != nil {
					b.Fatal(err)
				}
				start := time.Now()
				if err := Run(context.Background(), l, env); err != nil {
					b.Fatalf("%v\n%s", err, out.String())
				}
				wall += time.Since(start)
			}
			b.ReportMetric(float64(textBytes)*float64(b.N)/1000/wall.Seconds(), "KB/s")
		})
	}
}
