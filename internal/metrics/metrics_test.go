package metrics

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"

	"github.com/piimask/piimask/internal/metrics/promtest"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
)

// exercise records a small run's worth of everything.
func exercise(m *Metrics) {
	m.Read(StageRead, 10)
	m.Rejected(StageRead, 2)
	m.Read("detect/rules", 8)
	m.Written("score+write", 8)
	m.ItemDone("detect/rules", 3*time.Millisecond)
	m.InFlight("detect/rules", 1)
	m.QueueDepth("detect/rules", 4)
	p := detect.Prediction{Spans: []record.Span{{Label: "EMAIL"}, {Label: "EMAIL"}, {Label: "john.doe@example.com"}},
		Usage: detect.Usage{PromptTokens: 100, CompletionTokens: 7, Requests: 1, CostUSD: 0.002}}
	m.Prediction("rules", &p)
	m.Prediction("not-configured", &detect.Prediction{Failure: "x", Spans: []record.Span{{Label: "EMAIL"}}})
	m.Request("rules", 200, time.Second, false)
	m.Request("rules", 503, time.Second, true)
	m.Request("rules", 0, time.Second, true)
}

func TestCountsAndBoundedLabels(t *testing.T) {
	m := New(Options{Methods: []string{"rules"}, Classes: []string{"EMAIL", "PHONE"}, Version: "v1", Kind: "evaluate"})
	exercise(m)
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"read", testutil.ToFloat64(m.recordsRead.WithLabelValues("read")), 10},
		{"rejected", testutil.ToFloat64(m.recordsRejected.WithLabelValues("read")), 2},
		{"detect read", testutil.ToFloat64(m.recordsRead.WithLabelValues("detect/rules")), 8},
		{"written", testutil.ToFloat64(m.recordsWritten.WithLabelValues("score+write")), 8},
		{"email spans", testutil.ToFloat64(m.spans.WithLabelValues("rules", "EMAIL")), 2},
		// a label outside the class list (here PII itself) is folded into "other".
		{"other class", testutil.ToFloat64(m.spans.WithLabelValues("rules", OtherClass)), 1},
		{"other method", testutil.ToFloat64(m.spans.WithLabelValues(OtherClass, "EMAIL")), 1},
		{"other method failure", testutil.ToFloat64(m.failures.WithLabelValues(OtherClass)), 1},
		{"prompt tokens", testutil.ToFloat64(m.tokens.WithLabelValues("rules", "prompt")), 100},
		{"cost", testutil.ToFloat64(m.cost.WithLabelValues("rules")), 0.002},
		{"requests 2xx", testutil.ToFloat64(m.llmRequests.WithLabelValues("rules", "2xx")), 1},
		{"errors 5xx", testutil.ToFloat64(m.llmErrors.WithLabelValues("rules", "5xx")), 1},
		{"errors network", testutil.ToFloat64(m.llmErrors.WithLabelValues("rules", "network")), 1},
		{"retries", testutil.ToFloat64(m.llmRetries.WithLabelValues("rules")), 2},
		{"in flight", testutil.ToFloat64(m.inFlight.WithLabelValues("detect/rules")), 1},
		{"queue", testutil.ToFloat64(m.queueDepth.WithLabelValues("detect/rules")), 4},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %g, want %g", tt.name, tt.got, tt.want)
		}
	}
	var buf bytes.Buffer
	fams, err := m.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		expfmt.MetricFamilyToText(&buf, f)
	}
	if strings.Contains(buf.String(), "john.doe") {
		t.Fatal("a span label that is data leaked into the exposition")
	}
	if strings.Contains(buf.String(), "piimask_last_success_timestamp_seconds 0") == false {
		t.Fatal("last success should be 0 before MarkSuccess")
	}
	tot := m.Totals()
	if tot.Read != 10 || tot.Rejected != 2 || tot.Written != 8 {
		t.Fatalf("totals %+v", tot)
	}
}

func TestNilMetricsIsNoop(t *testing.T) {
	var m *Metrics
	exercise(m)
	m.MarkSuccess(time.Now())
	if (m.Totals() != Totals{}) {
		t.Fatal("nil metrics counted something")
	}
}

func TestStatusClass(t *testing.T) {
	for _, tt := range []struct {
		in   int
		want string
	}{{200, "2xx"}, {204, "2xx"}, {429, "4xx"}, {503, "5xx"}, {0, "network"}, {99, "network"}, {600, "network"}} {
		if got := detect.StatusClass(tt.in); got != tt.want {
			t.Errorf("StatusClass(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTextfilePassesPromtool writes a shard's textfile from a run whose
// registry has the Go and process collectors: promtool accepts it, it holds
// no go_/process_ series (node_exporter rejects those), every series carries
// the shard label, and the collectors still serve on /metrics.
func TestTextfilePassesPromtool(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "piimask.prom")
	m := New(Options{Methods: []string{"rules"}, Classes: []string{"EMAIL"}, Process: true})
	exercise(m)
	e, err := Start(m, Outputs{Textfile: path, Shard: "1-of-3", Listen: "127.0.0.1:0"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	endpoint := scrape(t, "http://"+e.Addr())
	if err := e.Finish(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(endpoint, "\ngo_goroutines ") || !strings.Contains(endpoint, "\nprocess_cpu_seconds_total ") {
		t.Fatalf("/metrics lacks the Go and process collectors:\n%s", endpoint)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := promtest.Promtool(t, data); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
	if !strings.Contains(string(data), `piimask_records_read_total{shard="1-of-3",stage="read"} 10`) {
		t.Fatalf("textfile lacks the read counter with its shard label:\n%s", data)
	}
	samples := 0
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		samples++
		if strings.HasPrefix(line, "go_") || strings.HasPrefix(line, "process_") {
			t.Errorf("textfile holds a runtime series: %s", line)
		}
		if !strings.Contains(line, `shard="1-of-3"`) {
			t.Errorf("series without the shard label: %s", line)
		}
	}
	if samples < 20 {
		t.Fatalf("only %d samples in the textfile:\n%s", samples, data)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Fatalf("temporary files left beside the textfile: %v", ents)
	}
	// A failed run keeps the previous last-success timestamp.
	first := lastSuccess(t, data)
	if first <= 0 {
		t.Fatal("successful run wrote no last-success timestamp")
	}
	m2 := New(Options{})
	if err := WriteTextfile(path, m2, false, ""); err != nil {
		t.Fatal(err)
	}
	data2, _ := os.ReadFile(path)
	if got := lastSuccess(t, data2); got != first {
		t.Fatalf("after a failure last success = %v, want the previous %v", got, first)
	}
	if err := WriteTextfile(filepath.Join(dir, "x.txt"), m2, true, ""); err == nil {
		t.Fatal("a textfile not ending in .prom was accepted")
	}
}

// TestNodeExporterReadsShardTextfiles puts three shards' textfiles in one
// directory, as the pods of an Indexed Job on one node do, and scrapes a
// real node_exporter: no textfile error, and each shard's series apart.
func TestNodeExporterReadsShardTextfiles(t *testing.T) {
	dir := t.TempDir()
	for i := range 3 {
		shard := ShardLabel(i, 3)
		m := New(Options{Methods: []string{"rules"}, Classes: []string{"EMAIL"}, Process: true})
		m.Read(StageRead, 10+i)
		if err := WriteTextfile(ShardTextfile(filepath.Join(dir, "piimask-mask.prom"), shard), m, true, shard); err != nil {
			t.Fatal(err)
		}
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 3 {
		t.Fatalf("want one textfile per shard, got %v", ents)
	}
	text := scrape(t, promtest.NodeExporter(t, dir))
	if got := gaugeValue(t, text, "node_textfile_scrape_error"); got != 0 {
		t.Fatalf("node_exporter reports a textfile error:\n%s", text)
	}
	for i := range 3 {
		line := fmt.Sprintf(`piimask_records_read_total{shard="%d-of-3",stage="read"} %d`, i, 10+i)
		if !strings.Contains(text, line) {
			t.Errorf("node_exporter lacks %s", line)
		}
	}
}

func TestShardTextfile(t *testing.T) {
	for _, tt := range []struct{ path, shard, want string }{
		{"/textfile/piimask.prom", "", "/textfile/piimask.prom"},
		{"/textfile/piimask.prom", "2-of-8", "/textfile/piimask-shard-2-of-8.prom"},
		{"/textfile/piimask-shard-2-of-8.prom", "2-of-8", "/textfile/piimask-shard-2-of-8.prom"},
		{"/textfile/piimask-shard-2-of-8.prom", "3-of-8", "/textfile/piimask-shard-2-of-8-shard-3-of-8.prom"},
	} {
		if got := ShardTextfile(tt.path, tt.shard); got != tt.want {
			t.Errorf("ShardTextfile(%q, %q) = %q, want %q", tt.path, tt.shard, got, tt.want)
		}
	}
}

func lastSuccess(t *testing.T, data []byte) float64 {
	t.Helper()
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "piimask_last_success_timestamp_seconds"); ok && (rest[0] == ' ' || rest[0] == '{') {
			v := rest[strings.LastIndexByte(rest, ' ')+1:]
			var f float64
			if _, err := fmtSscan(v, &f); err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	return -1
}

func TestEndpointServesWhileRunning(t *testing.T) {
	m := New(Options{Methods: []string{"rules"}})
	m.Read(StageRead, 3)
	e, err := Start(m, Outputs{Listen: "127.0.0.1:0"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + e.Addr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `piimask_records_read_total{stage="read"} 3`) {
		t.Fatalf("endpoint body lacks the counter:\n%s", body)
	}
	if out, err := promtest.Promtool(t, body); err != nil {
		t.Fatalf("promtool check metrics on /metrics: %v\n%s", err, out)
	}
	if err := e.Finish(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := http.Get("http://" + e.Addr() + "/metrics"); err == nil {
		t.Fatal("endpoint still serving after Finish")
	}
}

// TestPushgateway pushes to a real Pushgateway: periodic pushes while the run
// lasts, a final push grouped by job and shard, and a failed run that keeps
// the previous last-success timestamp.
func TestPushgateway(t *testing.T) {
	pg := promtest.Pushgateway(t)
	push := func(success bool, read int) {
		m := New(Options{Methods: []string{"rules"}, Process: true})
		m.Read(StageRead, read)
		e, err := Start(m, Outputs{Shard: "1-of-3", Push: &Push{URL: pg, Job: "piimask-nightly", Interval: 50 * time.Millisecond}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // a few periodic pushes
		var runErr error
		if !success {
			runErr = io.ErrUnexpectedEOF
		}
		if err := e.Finish(context.Background(), runErr); err != nil {
			t.Fatal(err)
		}
	}
	push(true, 7)
	text := scrape(t, pg)
	line := `piimask_records_read_total{instance="",job="piimask-nightly",shard="1-of-3",stage="read"} 7`
	if !strings.Contains(text, line) {
		t.Fatalf("pushgateway lacks %s:\n%s", line, text)
	}
	ok := gaugeValue(t, text, `piimask_last_success_timestamp_seconds{instance="",job="piimask-nightly",shard="1-of-3"}`)
	if ok <= 0 {
		t.Fatal("no last-success timestamp after a successful push")
	}
	for _, l := range strings.Split(text, "\n") {
		if (strings.HasPrefix(l, "go_") || strings.HasPrefix(l, "process_")) && strings.Contains(l, `job="piimask-nightly"`) {
			t.Errorf("the push carried a runtime series: %s", l)
		}
	}
	push(false, 5)
	text = scrape(t, pg)
	if !strings.Contains(text, strings.Replace(line, "} 7", "} 5", 1)) {
		t.Fatalf("failed run's counters not pushed:\n%s", text)
	}
	if got := gaugeValue(t, text, `piimask_last_success_timestamp_seconds{instance="",job="piimask-nightly",shard="1-of-3"}`); got != ok {
		t.Fatalf("last success after a failed run = %v, want it kept at %v", got, ok)
	}
}

func scrape(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func gaugeValue(t *testing.T, text, series string) float64 {
	t.Helper()
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			var f float64
			if _, err := fmtSscan(v, &f); err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatalf("series %s not found:\n%s", series, text)
	return 0
}
