package report

import (
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/metrics"
)

func TestBenchSection(t *testing.T) {
	b := &metrics.BenchResult{Name: "bench", CPUs: 2, GoVersion: "go1.26", Tokenizer: "builtin:baseline",
		Methods: []metrics.BenchMethod{{Name: "rules<x>", Type: "rules",
			Lengths:     []metrics.LengthResult{{Bucket: "short", Docs: 10, P50Ms: 0.026, DocsPerSecond: 30307, LatencyRatio: 1}, {Bucket: "long", Docs: 10, P50Ms: 0.383, LatencyRatio: 14.94}},
			Concurrency: []metrics.WorkerResult{{Workers: 1, Docs: 100, DocsPerSecond: 7053.3, Speedup: 1}, {Workers: 8, Docs: 100, DocsPerSecond: 10220.7, Speedup: 1.45}}}}}
	s, err := BenchSection(b)
	if err != nil {
		t.Fatal(err)
	}
	html := string(s.HTML)
	for _, want := range []string{"rules&lt;x&gt;", "<td class=\"num\">14.94</td>", "1.45×", "30307.0"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(html, "rules<x>") {
		t.Error("method name not escaped in HTML")
	}
	if got := strings.Count(html, "<tr><td>"); got != 4 {
		t.Errorf("%d table rows, want 4 (2 buckets + 2 worker levels)", got)
	}
	if !strings.Contains(s.Markdown, "| rules<x> | 8 | 100 |") {
		t.Errorf("Markdown lacks the 8-worker row:\n%s", s.Markdown)
	}
}
