package report

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/piimask/piimask/internal/metrics"
)

var benchTemplate = template.Must(template.New("bench").Parse(`
<p>{{.Name}}: {{.CPUs}} CPUs, {{.GoVersion}}; tokens counted with {{.Tokenizer}}. Every ratio is measured in the same run against its baseline (the first length bucket; one worker).</p>
<h3>Speed by text length (one document per call)</h3>
<table class="bench-lengths">
<thead><tr><th>method</th><th>bucket</th><th class="num">docs</th><th class="num">chars</th><th class="num">tokens</th><th class="num">p50 ms</th><th class="num">p95 ms</th><th class="num">docs/s</th><th class="num">tokens/s</th><th class="num">p50 ×</th><th class="num">tokens/s ×</th></tr></thead>
<tbody>{{range $m := .Methods}}{{range .Lengths}}
<tr><td>{{$m.Name}}</td><td>{{.Bucket}}</td><td class="num">{{.Docs}}</td><td class="num">{{printf "%.0f" .MeanChars}}</td><td class="num">{{printf "%.0f" .MeanTokens}}</td><td class="num">{{printf "%.3f" .P50Ms}}</td><td class="num">{{printf "%.3f" .P95Ms}}</td><td class="num">{{printf "%.1f" .DocsPerSecond}}</td><td class="num">{{printf "%.0f" .TokensPerSec}}</td><td class="num">{{printf "%.2f" .LatencyRatio}}</td><td class="num">{{printf "%.2f" .TokensPerSecRatio}}</td></tr>{{end}}{{end}}
</tbody></table>
<h3>Sequential vs concurrent</h3>
<table class="bench-workers">
<thead><tr><th>method</th><th class="num">workers</th><th class="num">docs</th><th class="num">seconds</th><th class="num">docs/s</th><th class="num">speed-up</th></tr></thead>
<tbody>{{range $m := .Methods}}{{range .Concurrency}}
<tr><td>{{$m.Name}}</td><td class="num">{{.Workers}}</td><td class="num">{{.Docs}}</td><td class="num">{{printf "%.3f" .Seconds}}</td><td class="num">{{printf "%.1f" .DocsPerSecond}}</td><td class="num">{{printf "%.2f" .Speedup}}×</td></tr>{{end}}{{end}}
</tbody></table>`))

// BenchSection renders a `piimask bench` result (bench.json) as a report
// section: speed by text length and the speed-up of concurrent workers.
func BenchSection(b *metrics.BenchResult) (Section, error) {
	var h bytes.Buffer
	if err := benchTemplate.Execute(&h, b); err != nil {
		return Section{}, fmt.Errorf("render bench section: %w", err)
	}
	var md strings.Builder
	fmt.Fprintf(&md, "%s: %d CPUs, %s; tokens counted with %s. Ratios are against the first bucket and one worker, same run.\n\n", b.Name, b.CPUs, b.GoVersion, b.Tokenizer)
	md.WriteString("| method | bucket | docs | p50 ms | p95 ms | docs/s | tokens/s | p50 × | tokens/s × |\n|---|---|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, m := range b.Methods {
		for _, l := range m.Lengths {
			fmt.Fprintf(&md, "| %s | %s | %d | %.3f | %.3f | %.1f | %.0f | %.2f | %.2f |\n", m.Name, l.Bucket, l.Docs, l.P50Ms, l.P95Ms, l.DocsPerSecond, l.TokensPerSec, l.LatencyRatio, l.TokensPerSecRatio)
		}
	}
	md.WriteString("\n| method | workers | docs | seconds | docs/s | speed-up |\n|---|--:|--:|--:|--:|--:|\n")
	for _, m := range b.Methods {
		for _, c := range m.Concurrency {
			fmt.Fprintf(&md, "| %s | %d | %d | %.3f | %.1f | %.2f× |\n", m.Name, c.Workers, c.Docs, c.Seconds, c.DocsPerSecond, c.Speedup)
		}
	}
	return Section{ID: "bench", Title: "Speed and concurrency (piimask bench)", HTML: template.HTML(h.String()), Markdown: md.String()}, nil
}
