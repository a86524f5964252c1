package jobs

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/piimask/piimask/internal/llmapi/fake"
)

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The llm method logs to the job's logger (detect.Resources), tagged with
// its name: with --log-level debug its set-up and its retries show.
func TestLLMLogsReachJobLogger(t *testing.T) {
	srv := fake.New(fake.Options{Faults: func(c fake.Call) fake.Injection {
		if c.N == 1 {
			return fake.Injection{Fault: fake.ServerError}
		}
		return fake.Injection{}
	}})
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "job.yaml")
	cfg := `kind: evaluate
input: {generate: {n: 3, seed: 3}}
methods:
  - name: remote
    type: llm
    options:
      base_url: ` + srv.URL + `
      model: mistral-small-latest
      api_key: ${TEST_LLM_KEY}
      backoff_base: 1ms
      backoff_max: 2ms
output:
  dir: ` + filepath.Join(dir, "out") + `
  formats: [jsonl]
report: {disabled: true}
`
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs syncBuffer
	env := &Env{Stdout: io.Discard, Stderr: io.Discard,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		LookupEnv: func(k string) (string, bool) {
			if k == "TEST_LLM_KEY" {
				return "sk-test", true
			}
			if k == "PIIMASK_CACHE_DIR" {
				return dir, true
			}
			return "", false
		}}
	l, err := Load(path, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(context.Background(), l, env); err != nil {
		t.Fatalf("run: %v\n%s", err, logs.String())
	}
	out := logs.String()
	for _, want := range []string{
		`level=DEBUG msg="llm method ready" method=remote provider=mistral model=mistral-small-latest`,
		`level=DEBUG msg="llm request retry" method=remote status=500 attempt=1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("job log lacks %q:\n%s", want, out)
		}
	}
}
