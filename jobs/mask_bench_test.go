package jobs

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/piimask/piimask/stages/generate"
)

// BenchmarkMaskCorpus masks a generated AI4Privacy-200k JSONL corpus with
// the rules method through the piimask binary and reports throughput (input
// MB/s) and the job process's peak RSS. The corpus size in MB comes from
// PIIMASK_BENCH_MB (default 100); the corpus is cached in the system temp
// directory. Run: PIIMASK_BENCH_MB=1000 go test ./jobs -run '^$' -bench MaskCorpus -benchtime 1x
func BenchmarkMaskCorpus(b *testing.B) {
	mb := 100
	if v := os.Getenv("PIIMASK_BENCH_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("PIIMASK_BENCH_MB=%q: want a positive integer", v)
		}
		mb = n
	}
	// About 1.1 KB per generated row with every 200k column.
	rows := mb * 1000 * 1000 / 1100
	corpus := filepath.Join(os.TempDir(), fmt.Sprintf("piimask-bench-%dMB.jsonl", mb))
	if _, err := os.Stat(corpus); err != nil {
		if err := generate.WriteFile(context.Background(), corpus, generate.Config{Seed: 1, N: rows}); err != nil {
			b.Fatal(err)
		}
	}
	st, err := os.Stat(corpus)
	if err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(b.TempDir(), "piimask")
	build := exec.Command("go", "build", "-o", bin, "./cmd/piimask")
	build.Dir = filepath.Join("..")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	dir := b.TempDir()
	cfg := filepath.Join(dir, "bench.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`kind: mask
input: {paths: [%s]}
methods: [{name: rules, type: rules}]
mask: {operator: {type: placeholder}, operators: {EMAIL: {type: pseudonym}, CREDITCARDNUMBER: {type: mask, keep_last: 4}}}
output: {dir: %s}
concurrency: {workers: 2, batch_size: 64}
`, corpus, filepath.Join(dir, "out"))), 0o644)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		os.RemoveAll(filepath.Join(dir, "out"))
		c := exec.Command(bin, "run", "--no-progress", cfg)
		c.Env = binEnv()
		t0 := time.Now()
		if out, err := c.CombinedOutput(); err != nil {
			b.Fatalf("mask: %v\n%s", err, out)
		}
		secs := time.Since(t0).Seconds()
		ru := c.ProcessState.SysUsage().(*syscall.Rusage)
		b.ReportMetric(float64(st.Size())/1e6/secs, "MB/s")
		b.ReportMetric(float64(ru.Maxrss)/1024, "peakRSS_MB")
		b.ReportMetric(float64(st.Size())/1e6, "input_MB")
	}
}
