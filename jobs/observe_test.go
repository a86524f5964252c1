package jobs

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/metrics/promtest"
	"github.com/piimask/piimask/stages/record"
)

// pausedMethod answers its first batch at once, then holds every other batch
// until release is closed, so a job stays running while Prometheus scrapes.
type pausedMethod struct {
	release <-chan struct{}
	once    sync.Once
	first   chan struct{}
}

func (m *pausedMethod) Name() string { return "paused" }
func (m *pausedMethod) Close() error { return nil }
func (m *pausedMethod) Detect(ctx context.Context, batch []record.Record) ([]detect.Prediction, error) {
	firstCall := false
	m.once.Do(func() { firstCall = true; close(m.first) })
	if !firstCall {
		select {
		case <-m.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	out := make([]detect.Prediction, len(batch))
	for i, r := range batch {
		out[i].Spans = r.Gold
	}
	return out, nil
}

// TestPrometheusScrapesLiveRun starts a real Prometheus scraping the job's
// /metrics endpoint, holds the job mid-run until Prometheus's query API
// returns its counters, then lets it finish and checks the end-of-run push
// landed in a real Pushgateway, grouped by job and shard.
func TestPrometheusScrapesLiveRun(t *testing.T) {
	promtest.Need(t, promtest.PrometheusBin)
	pg := promtest.Pushgateway(t)
	addr := promtest.FreeAddr(t)
	prom := promtest.Prometheus(t, "piimask", 200*time.Millisecond, addr)

	release := make(chan struct{})
	pm := &pausedMethod{release: release, first: make(chan struct{})}
	var buf bytes.Buffer
	env := testEnv(&buf)
	env.Registry = NewRegistry(env.LookupEnv)
	env.Registry.Register("paused", func(context.Context, detect.Spec) (detect.Method, error) { return pm, nil })
	dir := t.TempDir()
	cfg := filepath.Join(dir, "job.yaml")
	yaml := fmt.Sprintf(`kind: evaluate
name: live
input: {generate: {n: 400, seed: 3}}
methods:
  - {name: paused, type: paused}
output: {dir: %q, formats: [jsonl]}
concurrency: {workers: 1, batch_size: 10}
metrics:
  listen: %q
  pushgateway: {url: %q, job: piimask-live, interval: 100ms}
`, filepath.Join(dir, "out"), addr, pg)
	if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load(cfg, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := (Overrides{Shard: "1/2", MaxRejectRatio: -1}).Apply(l, env); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- Run(context.Background(), l, env) }()
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	<-pm.first

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	want := map[string]func(float64) bool{
		`piimask_records_read_total{job="piimask",stage="read"}`:                    func(v float64) bool { return v > 0 },
		`piimask_records_read_total{job="piimask",stage="detect/paused"}`:           func(v float64) bool { return v == 10 },
		`sum(piimask_spans_detected_total{job="piimask",method="paused"})`:          func(v float64) bool { return v > 0 },
		`piimask_stage_in_flight{job="piimask",stage="detect/paused"}`:              func(v float64) bool { return v == 1 },
		`piimask_stage_duration_seconds_count{job="piimask",stage="detect/paused"}`: func(v float64) bool { return v == 1 },
		`piimask_build_info{job="piimask",kind="evaluate"}`:                         func(v float64) bool { return v == 1 },
		`piimask_last_success_timestamp_seconds{job="piimask"}`:                     func(v float64) bool { return v == 0 },
	}
	for q, ok := range want {
		for {
			s, err := promtest.Query(ctx, prom, q)
			if err == nil && len(s) == 1 && ok(s[0].Value) {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("Prometheus never returned %s as expected (last: %v, %v)", q, s, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	select {
	case err := <-done:
		t.Fatalf("job ended while held: %v", err)
	default:
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("job: %v\n%s", err, buf.String())
	}
	if !strings.Contains(buf.String(), `msg="job finished" job=live kind=evaluate`) || !strings.Contains(buf.String(), "shard=1/2") {
		t.Fatalf("no final summary line:\n%s", buf.String())
	}
	resp, err := http.Get(pg + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	s := readSummaryFile(t, filepath.Join(dir, "out", "shard-1-of-2", "summary.json"))
	for _, line := range []string{
		fmt.Sprintf(`piimask_records_written_total{instance="",job="piimask-live",shard="1-of-2",stage="score+write"} %d`, s.Documents),
		`piimask_last_success_timestamp_seconds{instance="",job="piimask-live",shard="1-of-2"} 1.`,
	} {
		if !strings.Contains(string(body), line) {
			t.Errorf("Pushgateway lacks %s", line)
		}
	}
}
