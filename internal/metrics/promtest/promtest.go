package promtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Binaries the helpers run.
const (
	PrometheusBin  = "/usr/bin/prometheus"
	PushgatewayBin = "/usr/bin/prometheus-pushgateway"
	PromtoolBin    = "/usr/bin/promtool"
	// NodeExporterBin is Debian's prometheus-node-exporter.
	NodeExporterBin = "/usr/bin/prometheus-node-exporter"
)

// Need skips (or under CI fails) the test when bin is absent.
func Need(t testing.TB, bin string) {
	t.Helper()
	if _, err := os.Stat(bin); err == nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing: run scripts/setup-prometheus.sh", bin)
	}
	t.Skipf("%s is missing (run scripts/setup-prometheus.sh)", bin)
}

// FreeAddr returns a loopback host:port that was free a moment ago.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// start runs bin with args until the test ends and waits for ready (an HTTP
// GET answering 200).
func start(t testing.TB, bin string, args []string, ready string) {
	t.Helper()
	log, err := os.Create(filepath.Join(t.TempDir(), filepath.Base(bin)+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait() // the process is killed at clean-up; its exit status says nothing
		close(exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // fails only when it has already exited
		<-exited
		log.Close()
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			data, _ := os.ReadFile(log.Name())
			t.Fatalf("%s exited early:\n%s", bin, data)
		default:
		}
		resp, err := http.Get(ready)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	data, _ := os.ReadFile(log.Name())
	t.Fatalf("%s not ready at %s after 30s:\n%s", bin, ready, data)
}

// Pushgateway starts a Pushgateway and returns its base URL.
func Pushgateway(t testing.TB) string {
	t.Helper()
	Need(t, PushgatewayBin)
	addr := FreeAddr(t)
	start(t, PushgatewayBin, []string{"--web.listen-address=" + addr}, "http://"+addr+"/-/ready")
	return "http://" + addr
}

// NodeExporter starts a node_exporter with only the textfile collector,
// reading *.prom files from dir, and returns its base URL.
func NodeExporter(t testing.TB, dir string) string {
	t.Helper()
	Need(t, NodeExporterBin)
	addr := FreeAddr(t)
	start(t, NodeExporterBin, []string{
		"--web.listen-address=" + addr,
		"--collector.disable-defaults",
		"--collector.textfile",
		"--collector.textfile.directory=" + dir,
	}, "http://"+addr+"/metrics")
	return "http://" + addr
}

// Prometheus starts a Prometheus that scrapes targets (host:port, path
// /metrics) every interval under job name job, and returns its base URL.
func Prometheus(t testing.TB, job string, interval time.Duration, targets ...string) string {
	t.Helper()
	Need(t, PrometheusBin)
	dir := t.TempDir()
	quoted := make([]string, len(targets))
	for i, tg := range targets {
		quoted[i] = strconv.Quote(tg)
	}
	cfg := fmt.Sprintf(`global:
  scrape_interval: %s
  scrape_timeout: %s
scrape_configs:
  - job_name: %q
    static_configs:
      - targets: [%s]
`, interval, interval, job, strings.Join(quoted, ", "))
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := FreeAddr(t)
	start(t, PrometheusBin, []string{
		"--config.file=" + cfgPath,
		"--storage.tsdb.path=" + filepath.Join(dir, "data"),
		"--web.listen-address=" + addr,
	}, "http://"+addr+"/-/ready")
	return "http://" + addr
}

// Sample is one series of an instant query result.
type Sample struct {
	Labels map[string]string
	Value  float64
}

// Query runs an instant PromQL query through Prometheus's HTTP API.
func Query(ctx context.Context, base, q string) ([]Sample, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/query?query="+url.QueryEscape(q), nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, fmt.Errorf("query %q: %w", q, err)
	}
	if body.Status != "success" {
		return nil, fmt.Errorf("query %q: %s", q, body.Error)
	}
	var out []Sample
	for _, r := range body.Data.Result {
		s, _ := r.Value[1].(string)
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, fmt.Errorf("query %q: value %q: %w", q, s, err)
		}
		out = append(out, Sample{Labels: r.Metric, Value: v})
	}
	return out, nil
}

// Promtool runs `promtool check metrics` on exposition text and returns its
// combined output and error.
func Promtool(t testing.TB, exposition []byte) (string, error) {
	t.Helper()
	Need(t, PromtoolBin)
	cmd := exec.Command(PromtoolBin, "check", "metrics")
	cmd.Stdin = strings.NewReader(string(exposition))
	out, err := cmd.CombinedOutput()
	return string(out), err
}
