package jobs

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/llmapi/fake"
	"github.com/piimask/piimask/internal/prompt"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/detect/llm"
	"github.com/piimask/piimask/stages/detect/rules"
)

// TestEvaluateWithLLM runs an evaluate job whose llm method talks to the
// fake server; the oracle answers what the rules method finds, so the llm
// method's predictions must equal the rules method's. Every fifth request
// first gets a 500. A rerun with the cache makes zero requests.
func TestEvaluateWithLLM(t *testing.T) {
	rm, err := rules.New(rules.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := fake.New(fake.Options{
		Oracle: func(user string) string {
			text := strings.TrimPrefix(strings.TrimPrefix(user, "Text:\n"), "Texte :\n")
			return prompt.AnswerFromSpans(text, rm.Find(text)).String()
		},
		Faults: func(c fake.Call) fake.Injection {
			if c.N%5 == 0 && c.Attempt == 1 {
				return fake.Injection{Fault: fake.ServerError}
			}
			return fake.Injection{}
		},
	})
	defer srv.Close()
	dir := t.TempDir()
	cfg := llmEvaluateConfig(srv.URL, dir)
	s := runLLMEvaluate(t, cfg, dir)
	if len(s.Methods) != 2 || s.Documents != 30 {
		t.Fatalf("summary %+v", s)
	}
	m := s.Methods[1]
	if m.Documents != 30 || m.Failures != 0 || m.Requests != int64(srv.ChatRequests()) || m.Requests <= 30 || m.CostUSD <= 0 {
		t.Errorf("llm summary %+v (server saw %d requests)", m, srv.ChatRequests())
	}
	// Same spans as the rules method: compare the metrics files.
	a, _ := os.ReadFile(filepath.Join(dir, "out", "rules", "metrics.json"))
	b, _ := os.ReadFile(filepath.Join(dir, "out", "llm", "metrics.json"))
	if len(a) == 0 || !sameMetrics(t, a, b) {
		t.Errorf("llm metrics differ from rules metrics")
	}
	before := srv.ChatRequests()
	s2 := runLLMEvaluate(t, cfg, dir)
	if srv.ChatRequests() != before || s2.Methods[1].Requests != 0 || s2.Methods[1].CostUSD != 0 {
		t.Errorf("rerun with the cache: %d new requests, summary %+v", srv.ChatRequests()-before, s2.Methods[1])
	}
}

// llmEvaluateConfig is an evaluate job comparing the rules method with an
// llm method served at url, caching under dir and writing to dir/out.
func llmEvaluateConfig(url, dir string) string {
	return `kind: evaluate
input:
  generate: {n: 30, seed: 3, languages: [en, fr]}
methods:
  - name: rules
    type: rules
  - name: llm
    type: llm
    options:
      base_url: ` + url + `
      model: mistral-small-latest
      api_key: ${TEST_LLM_KEY}
      language: auto
      backoff_base: 1ms
      backoff_max: 2ms
      cache_dir: ` + filepath.Join(dir, "cache") + `
      prices: {input: 0.1, output: 0.3}
output:
  dir: ` + filepath.Join(dir, "out") + `
  formats: [jsonl]
concurrency: {workers: 2, batch_size: 8}
`
}

// runLLMEvaluate loads and runs cfg (TEST_LLM_KEY set) and returns the
// summary.json it wrote under dir/out.
func runLLMEvaluate(t *testing.T, cfg, dir string) Summary {
	t.Helper()
	reg := detect.NewRegistry()
	rules.Register(reg)
	llm.Register(reg)
	env := &Env{Stdout: io.Discard, Stderr: io.Discard, Logger: slog.New(slog.DiscardHandler), Registry: reg}
	lookup := func(k string) (string, bool) {
		if k == "TEST_LLM_KEY" {
			return "sk-test", true
		}
		return "", false
	}
	l, err := config.Load("llm.yaml", []byte(cfg), lookup, config.Rules{Kinds: []string{"evaluate"}, MethodTypes: reg.Types()})
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(context.Background(), l, env); err != nil {
		t.Fatal(err)
	}
	return readSummaryFile(t, filepath.Join(dir, "out", "summary.json"))
}

// sameMetrics compares the scores of two metrics.json files.
func sameMetrics(t *testing.T, a, b []byte) bool {
	t.Helper()
	var ma, mb map[string]any
	if json.Unmarshal(a, &ma) != nil || json.Unmarshal(b, &mb) != nil {
		return false
	}
	for _, k := range []string{"metrics", "per_class_metrics"} {
		ja, _ := json.Marshal(ma[k])
		jb, _ := json.Marshal(mb[k])
		if ma[k] == nil || string(ja) != string(jb) {
			return false
		}
	}
	return true
}
