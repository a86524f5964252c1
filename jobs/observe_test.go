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

	"github.com/piimask/piimask/internal/metrics/promtest"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
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

	waitForLiveCounters(t, prom)
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
	checkPushedSummary(t, pg, readSummaryFile(t, filepath.Join(dir, "out", "shard-1-of-2", "summary.json")))
}

// waitForLiveCounters queries Prometheus until every counter of the held
// run has the value it must have mid-run (60 s at most).
func waitForLiveCounters(t *testing.T, prom string) {
	t.Helper()
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
}

// checkPushedSummary checks the end-of-run push in the Pushgateway at pg,
// grouped by job and shard, against the run's summary s.
func checkPushedSummary(t *testing.T, pg string, s Summary) {
	t.Helper()
	resp, err := http.Get(pg + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, line := range []string{
		fmt.Sprintf(`piimask_records_written_total{instance="",job="piimask-live",shard="1-of-2",stage="score+write"} %d`, s.Documents),
		`piimask_last_success_timestamp_seconds{instance="",job="piimask-live",shard="1-of-2"} 1.`,
	} {
		if !strings.Contains(string(body), line) {
			t.Errorf("Pushgateway lacks %s", line)
		}
	}
}

// TestMetricsExportFailureIsAWarning runs a job whose Pushgateway is down and
// whose textfile directory does not exist: the run succeeds with a warning,
// unless FailOnExportError (--fail-on-export-error) is set. A sharded run
// writes its own textfile, with the shard label.
func TestMetricsExportFailureIsAWarning(t *testing.T) {
	dir := t.TempDir()
	write := func(textfile, push string) string {
		cfg := filepath.Join(dir, "job.yaml")
		yaml := fmt.Sprintf(`kind: evaluate
name: exportfail
input: {generate: {n: 20, seed: 3}}
methods:
  - {name: rules, type: rules}
output: {dir: %q, formats: [jsonl]}
metrics:
  textfile: %q
  pushgateway: {url: %q}
`, filepath.Join(dir, "out"), textfile, push)
		if err := os.WriteFile(cfg, []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	closed := "http://" + promtest.FreeAddr(t)
	badTextfile := filepath.Join(dir, "missing-dir", "piimask.prom")
	for _, tt := range []struct {
		name    string
		ov      Overrides
		wantErr bool
	}{
		{"warning by default", Overrides{MaxRejectRatio: -1}, false},
		{"error on request", Overrides{MaxRejectRatio: -1, FailOnExportError: true}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			env := testEnv(&buf)
			l, err := Load(write(badTextfile, closed), env)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.ov.Apply(l, env); err != nil {
				t.Fatal(err)
			}
			err = Run(context.Background(), l, env)
			if tt.wantErr {
				if err == nil || !strings.Contains(err.Error(), "metrics output") {
					t.Fatalf("want a metrics output error, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("a failed export failed the run: %v", err)
			}
			log := buf.String()
			if !strings.Contains(log, `level=WARN msg="metrics output failed"`) || !strings.Contains(log, "missing-dir") || !strings.Contains(log, closed) {
				t.Fatalf("no warning naming both failed exports:\n%s", log)
			}
		})
	}
	t.Run("shard textfile", func(t *testing.T) { checkShardTextfile(t, dir, write) })
}

// checkShardTextfile runs a sharded job with a working Pushgateway: it
// writes its own textfile, with the shard label, not the unsharded one.
func checkShardTextfile(t *testing.T, dir string, write func(textfile, push string) string) {
	t.Helper()
	var buf bytes.Buffer
	env := testEnv(&buf)
	textfile := filepath.Join(dir, "piimask.prom")
	pg := promtest.Pushgateway(t)
	l, err := Load(write(textfile, pg), env)
	if err != nil {
		t.Fatal(err)
	}
	if err := (Overrides{Shard: "1/2", MaxRejectRatio: -1}).Apply(l, env); err != nil {
		t.Fatal(err)
	}
	if err := Run(context.Background(), l, env); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	data, err := os.ReadFile(filepath.Join(dir, "piimask-shard-1-of-2.prom"))
	if err != nil {
		t.Fatalf("no per-shard textfile: %v", err)
	}
	if !strings.Contains(string(data), `piimask_records_read_total{shard="1-of-2",stage="read"}`) || strings.Contains(string(data), "go_goroutines") {
		t.Fatalf("shard textfile:\n%s", data)
	}
	if _, err := os.Stat(textfile); err == nil {
		t.Fatal("the shard wrote the unsharded textfile name")
	}
}
