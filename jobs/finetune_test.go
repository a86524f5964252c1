package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/piimask/piimask/internal/llmapi"
	"github.com/piimask/piimask/internal/llmapi/fake"
	"github.com/piimask/piimask/internal/ortlib/ortlibtest"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/stages/detect"
)

func TestFinetuneJob(t *testing.T) {
	dir := t.TempDir()
	line := `{"messages":[{"role":"user","content":"Text:\nHi Ann"},{"role":"assistant","content":"{\"entities\":{\"FIRSTNAME\":[\"Ann\"]}}"}]}` + "\n"
	train := filepath.Join(dir, "train.jsonl")
	val := filepath.Join(dir, "validation.jsonl")
	for _, p := range []string{train, val} {
		if err := os.WriteFile(p, []byte(line+line), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	no := false
	for _, tc := range []struct {
		name      string
		fail      bool
		autoStart *bool
		want      string // in stdout
		wantErr   string
		status    string
	}{
		{"success", false, nil, "fine-tuned model: ft:open-mistral-7b:pii:", "", llmapi.StatusSuccess},
		{"failed", true, nil, "", "ended FAILED", llmapi.StatusFailed},
		{"validated", false, &no, "is validated and waits", "", llmapi.StatusValidated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(fake.Options{APIKey: "sk-test", FailFinetune: tc.fail})
			defer srv.Close()
			out := filepath.Join(dir, tc.name)
			l := &config.Loaded{File: "finetune.yaml", Job: &config.Job{Kind: "finetune", Name: "ft-test",
				Input: config.Input{Paths: []string{train}}, Output: config.Output{Dir: out}}}
			fc := &config.FinetuneJob{BaseURL: srv.URL, APIKey: "sk-test", Model: "open-mistral-7b", Suffix: "pii",
				ValidationFiles: []string{val}, AutoStart: tc.autoStart, PollInterval: time.Hour,
				Hyperparameters: config.FinetuneHyperparameters{TrainingSteps: 20, LearningRate: 1e-4}}
			var stdout, logs bytes.Buffer
			env := &Env{Stdout: &stdout, Stderr: io.Discard, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
			err := finetuneJob(context.Background(), l, fc, env, finetuneDeps{http: srv.Client(),
				sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(stdout.String(), tc.want) {
				t.Errorf("stdout %q, want %q", stdout.String(), tc.want)
			}
			if strings.Contains(stdout.String()+logs.String(), "sk-test") {
				t.Error("the API key is printed or logged")
			}
			data, err := os.ReadFile(filepath.Join(out, "finetune.json"))
			if err != nil {
				t.Fatal(err)
			}
			var sum FinetuneSummary
			if err := json.Unmarshal(data, &sum); err != nil {
				t.Fatal(err)
			}
			if sum.Status != tc.status || sum.JobID == "" || len(sum.TrainingFiles) != 1 || len(sum.ValidationFiles) != 1 {
				t.Errorf("finetune.json %+v", sum)
			}
			if got := srv.Requests("POST /v1/files"); got != 2 {
				t.Errorf("%d uploads, want 2", got)
			}
		})
	}
}

func TestFinetuneJobConfigErrors(t *testing.T) {
	l := &config.Loaded{File: "f.yaml", Job: &config.Job{Kind: "finetune", Input: config.Input{Paths: []string{"/nonexistent/train.jsonl"}}, Output: config.Output{Dir: t.TempDir()}}}
	env := &Env{Stdout: io.Discard, Logger: slog.New(slog.DiscardHandler)}
	for _, tc := range []struct {
		name string
		fc   *config.FinetuneJob
		want string
	}{
		{"no section", nil, "needs a finetune section"},
		{"steps and epochs", &config.FinetuneJob{Model: "m", APIKey: "k", Hyperparameters: config.FinetuneHyperparameters{TrainingSteps: 1, Epochs: 2}}, "not both"},
		{"missing input", &config.FinetuneJob{Model: "m", APIKey: "k"}, "input.paths"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := finetuneJob(context.Background(), l, tc.fc, env, finetuneDeps{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
}

// TestCompareMethodsConfig: without MISTRAL_API_KEY the llm method is
// skipped with a reason and the config still loads; with it, both run.
func TestCompareMethodsConfig(t *testing.T) {
	reg := NewRegistry(nil)
	path := filepath.Join("..", "configs", "compare-methods.yaml")
	for _, tc := range []struct {
		name    string
		env     map[string]string
		skipped bool
	}{
		{"no key", map[string]string{}, true},
		{"key", map[string]string{"MISTRAL_API_KEY": "sk-x"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
			l, err := config.LoadFile(path, lookup, config.Rules{Kinds: []string{"evaluate"}, MethodTypes: reg.Types()})
			if err != nil {
				t.Fatal(err)
			}
			why, skipped := l.Skipped["mistral-small"]
			if skipped != tc.skipped || (skipped && !strings.Contains(why, "MISTRAL_API_KEY")) {
				t.Errorf("skipped %v (%q), want %v", skipped, why, tc.skipped)
			}
			if tc.skipped {
				return
			}
			ortlibtest.Require(t) // the config's onnx method loads the embedded model
			for _, mc := range l.Job.Methods {
				m, err := reg.New(context.Background(), detect.Spec{Name: mc.Name, Type: mc.Type, Options: mc.Options, Labels: l.Job.Labels})
				if err != nil {
					t.Fatalf("method %s: %v", mc.Name, err)
				}
				m.Close()
			}
		})
	}
}
