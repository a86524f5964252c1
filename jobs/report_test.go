package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/piimask/piimask/internal/metrics"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/stages/generate"
	"github.com/piimask/piimask/stages/report"
)

// twoMethodConfig writes an evaluate config with two rules variants on
// generated data and returns it loaded, writing to dir.
func twoMethodConfig(t *testing.T, env *Env, dir string, n int) *config.Loaded {
	t.Helper()
	yaml := fmt.Sprintf(`kind: evaluate
name: reporttest
input:
  generate: {n: %d, seed: 11, languages: [en, fr]}
methods:
  - name: rules
    type: rules
  - name: rules-strict
    type: rules
    options: {min_score: 0.9, exclude: [EMAIL]}
output:
  dir: %s
  formats: [jsonl]
concurrency: {workers: 2, batch_size: 32}
scoring: {beta: 2, bootstrap: 200, seed: 3}
`, n, dir)
	p := filepath.Join(t.TempDir(), "reporttest.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load(p, env)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// goldValues returns the gold PII values (at least minLen characters) of
// the generated documents with the given ids.
func goldValues(t *testing.T, g *config.Generate, ids map[string]bool, minLen int) []string {
	t.Helper()
	gen, err := generate.New(generate.Config{Seed: g.Seed, N: g.N, Languages: g.Languages})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for row := range gen.All() {
		if !ids[row.ID] {
			continue
		}
		for _, e := range row.PrivacyMask {
			if len([]rune(e.Value)) >= minLen {
				out = append(out, e.Value)
			}
		}
	}
	return out
}

func TestReportJobMasksPIIUnlessAllowed(t *testing.T) {
	var out bytes.Buffer
	env := testEnv(&out)
	env.defaults()
	dir := t.TempDir()
	l := twoMethodConfig(t, env, dir, 150)
	ctx := context.Background()
	if err := runEvaluate(ctx, l, env); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		showPII bool
	}{{"masked", false}, {"show_pii", true}} {
		t.Run(tc.name, func(t *testing.T) {
			outDir := t.TempDir()
			job := *l.Job
			job.Output.Dir = outDir
			lr := &config.Loaded{Job: &job, File: l.File}
			if err := runReportSection(ctx, lr, env, &config.Report{Results: []string{dir}, ShowPII: tc.showPII, Examples: 3}); err != nil {
				t.Fatal(err)
			}
			html, err := os.ReadFile(filepath.Join(outDir, ReportHTML))
			if err != nil {
				t.Fatal(err)
			}
			md, err := os.ReadFile(filepath.Join(outDir, ReportMarkdown))
			if err != nil {
				t.Fatal(err)
			}
			ids := map[string]bool{}
			for _, m := range regexp.MustCompile(`· doc ([^\s<]+)`).FindAllSubmatch(html, -1) {
				ids[string(m[1])] = true
			}
			if len(ids) == 0 {
				t.Fatal("the report shows no example error")
			}
			values := goldValues(t, job.Input.Generate, ids, 6)
			if len(values) == 0 {
				t.Fatal("no gold values to look for")
			}
			found := 0
			for _, v := range values {
				if bytes.Contains(html, []byte(v)) || bytes.Contains(md, []byte(v)) {
					found++
				}
			}
			if tc.showPII && found == 0 {
				t.Errorf("show_pii: none of %d gold values of the example documents is shown", len(values))
			}
			if !tc.showPII && found > 0 {
				t.Errorf("masked report shows %d of %d gold PII values of the example documents", found, len(values))
			}
			if !bytes.Contains(md, []byte("| rules-strict |")) || !bytes.Contains(md, []byte("## Paired bootstrap")) {
				t.Errorf("Markdown lacks the method table or the paired test:\n%s", md)
			}
		})
	}
}

// chromium returns the Chromium binary, skipping the test when it is absent
// outside CI (scripts/setup-chromium.sh installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed: run scripts/setup-chromium.sh")
	}
	t.Skip("chromium is not installed: run scripts/setup-chromium.sh")
	return ""
}

func runChromium(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.Bytes()
}

// figure returns the markup of <figure id="id">…</figure> in the DOM.
func figure(t *testing.T, dom, id string) string {
	t.Helper()
	start := strings.Index(dom, `<figure id="`+id+`"`)
	if start < 0 {
		t.Fatalf("rendered DOM has no figure %s", id)
	}
	end := strings.Index(dom[start:], "</figure>")
	if end < 0 {
		t.Fatalf("figure %s is not closed", id)
	}
	return dom[start : start+end]
}

var fillRe = regexp.MustCompile(`<path [^>]*style="fill:(#[0-9A-F]{6})"`)

func fills(markup string) map[string]int {
	out := map[string]int{}
	for _, m := range fillRe.FindAllStringSubmatch(markup, -1) {
		out[m[1]]++
	}
	return out
}

// TestReportRendersInChromium runs a real evaluate job, writes its report
// and loads it in headless Chromium: the charts' SVG must be in the rendered
// DOM with one bar per class and method and one heatmap cell per class and
// method. The screenshot is kept as a test artefact (go test -artifacts).
func TestReportRendersInChromium(t *testing.T) {
	bin := chromium(t)
	var out bytes.Buffer
	env := testEnv(&out)
	env.defaults()
	dir := t.TempDir()
	l := twoMethodConfig(t, env, dir, 300)
	ctx := context.Background()
	if err := runEvaluate(ctx, l, env); err != nil {
		t.Fatal(err)
	}
	if err := runReportSection(ctx, l, env, nil); err != nil {
		t.Fatal(err)
	}
	htmlPath := filepath.Join(dir, ReportHTML)
	raw, err := os.ReadFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, remote := range []string{`src="http`, `href="http`, `url(http`, "@import", "<script", "<link"} {
		if bytes.Contains(raw, []byte(remote)) {
			t.Errorf("report is not self-contained: it contains %q", remote)
		}
	}
	methods, err := report.LoadResults(dir)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := report.Build(ctx, report.Inputs{Methods: methods})
	if err != nil {
		t.Fatal(err)
	}
	nClasses := len(rep.Classes)
	if nClasses < 5 {
		t.Fatalf("only %d classes in the run", nClasses)
	}

	dom := string(runChromium(t, bin, "--dump-dom", "file://"+htmlPath))
	if !strings.Contains(dom, "Method comparison") {
		t.Fatalf("rendered DOM lacks the report body:\n%.500s", dom)
	}
	checkRenderedCharts(t, dom, rep)
	checkScreenshot(t, bin, htmlPath)
}

// checkRenderedCharts checks the rendered DOM of rep's report: one bar per
// class and method, one heatmap cell per class and method, the class
// distribution, example errors and the paired bootstrap table.
func checkRenderedCharts(t *testing.T, dom string, rep *report.Report) {
	t.Helper()
	nClasses := len(rep.Classes)
	bars := fills(figure(t, dom, "chart-f1"))
	for i, m := range rep.Methods {
		// One bar per class plus the legend's swatch.
		if got := bars[rep.Colors[i]]; got != nClasses+1 {
			t.Errorf("F1 chart: method %s has %d shapes in its colour %s, want %d bars + 1 legend swatch", m.Name, got, rep.Colors[i], nClasses)
		}
	}
	heat := fills(figure(t, dom, "chart-heatmap"))
	cells := 0
	for c, n := range heat {
		if c != "#FFFFFF" {
			cells += n
		}
	}
	if want := nClasses * len(rep.Methods); cells != want {
		t.Errorf("heatmap has %d coloured cells, want %d classes × %d methods = %d", cells, nClasses, len(rep.Methods), want)
	}
	if got := fills(figure(t, dom, "chart-distribution"))["#767676"]; got != nClasses {
		t.Errorf("class distribution has %d bars, want %d", got, nClasses)
	}
	if n := strings.Count(dom, `class="ex"`); n == 0 {
		t.Error("rendered DOM shows no example error")
	}
	if !strings.Contains(dom, `id="paired-table"`) {
		t.Error("rendered DOM has no paired bootstrap table")
	}
}

// checkScreenshot screenshots the report in headless Chromium and keeps it
// as a test artefact; it must be a plausible PNG.
func checkScreenshot(t *testing.T, bin, htmlPath string) {
	t.Helper()
	shot := filepath.Join(t.ArtifactDir(), "report.png")
	runChromium(t, bin, "--screenshot="+shot, "--window-size=1280,2400", "--hide-scrollbars", "file://"+htmlPath)
	info, err := os.Stat(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	png, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() < 10_000 || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("screenshot %s is not a plausible PNG (%d bytes)", shot, info.Size())
	}
	t.Logf("screenshot: %s", shot)
}

func TestWriteEvaluateReport(t *testing.T) {
	var out bytes.Buffer
	env := testEnv(&out)
	env.defaults()
	dir := t.TempDir()
	l := twoMethodConfig(t, env, dir, 60)
	ctx := context.Background()
	if err := runEvaluate(ctx, l, env); err != nil {
		t.Fatal(err)
	}
	c := newReportCollector(&config.Report{Examples: 2})
	if err := writeEvaluateReport(ctx, l.Job, env, nil, c); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{ReportHTML, ReportMarkdown} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	off := t.TempDir()
	job := *l.Job
	job.Output.Dir = off
	if err := writeEvaluateReport(ctx, &job, env, &config.Report{Disabled: true}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(off, ReportHTML)); err == nil {
		t.Error("disabled report was written")
	}
	if newReportCollector(&config.Report{Disabled: true}) != nil || newReportCollector(&config.Report{Examples: -1}) != nil {
		t.Error("collector made although the report or its examples are off")
	}
}

// A bench.json listed in report.bench becomes a section of the report.
func TestReportIncludesBenchSection(t *testing.T) {
	var out bytes.Buffer
	env := testEnv(&out)
	env.defaults()
	dir := t.TempDir()
	l := twoMethodConfig(t, env, dir, 60)
	ctx := context.Background()
	if err := runEvaluate(ctx, l, env); err != nil {
		t.Fatal(err)
	}
	bench := metrics.BenchResult{Name: "bench", CPUs: 2, GoVersion: "go1.26", Tokenizer: "builtin:baseline",
		Methods: []metrics.BenchMethod{{Name: "rules", Type: "rules",
			Lengths:     []metrics.LengthResult{{Bucket: "short", Docs: 200, DocsPerSecond: 30307, LatencyRatio: 1}},
			Concurrency: []metrics.WorkerResult{{Workers: 1, Docs: 2000, DocsPerSecond: 7053.3, Speedup: 1}, {Workers: 8, Docs: 2000, DocsPerSecond: 10220.7, Speedup: 1.45}}}}}
	data, _ := json.Marshal(bench)
	benchPath := filepath.Join(t.TempDir(), "bench.json")
	if err := os.WriteFile(benchPath, data, 0o644); err != nil {
		t.Fatal(err)
	}
	outDir := t.TempDir()
	job := *l.Job
	job.Output.Dir = outDir
	lr := &config.Loaded{Job: &job, File: l.File}
	if err := runReportSection(ctx, lr, env, &config.Report{Results: []string{dir}, Bench: []string{benchPath}}); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(outDir, ReportHTML))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Speed and concurrency", "1.45×", "7053.3"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("report lacks %q", want)
		}
	}
	// A missing bench file is an error naming the section.
	err = runReportSection(ctx, lr, env, &config.Report{Results: []string{dir}, Bench: []string{filepath.Join(outDir, "nope.json")}})
	if err == nil || !strings.Contains(err.Error(), "report.bench") {
		t.Fatalf("err = %v, want a report.bench error", err)
	}
}
