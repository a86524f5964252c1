package llmapi

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/llmapi/fake"
)

func writeJSONL(t *testing.T, dir, name string, lines int) string {
	t.Helper()
	var b strings.Builder
	for range lines {
		b.WriteString(`{"messages":[{"role":"user","content":"Text:\nHi Ann"},{"role":"assistant","content":"{\"entities\":{\"FIRSTNAME\":[\"Ann\"]}}"}]}` + "\n")
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFineTuneFlow(t *testing.T) {
	dir := t.TempDir()
	train := writeJSONL(t, dir, "train.jsonl", 5)
	val := writeJSONL(t, dir, "validation.jsonl", 2)
	for _, tc := range []struct {
		name       string
		fail       bool
		autoStart  bool
		wantStatus string
		wantErr    string
	}{
		{"success", false, true, StatusSuccess, ""},
		{"failed", true, true, StatusFailed, "ended FAILED"},
		{"validated only", false, false, StatusValidated, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(fake.Options{APIKey: "k", FailFinetune: tc.fail})
			defer srv.Close()
			c := New(Config{BaseURL: srv.URL + "/v1", APIKey: "k", HTTPClient: srv.Client()})
			var statuses []string
			clock := fake.NewClock()
			res, err := c.FineTune(context.Background(), FineTuneSpec{
				Model: "open-mistral-7b", Training: []string{train}, Validation: []string{val},
				Hyperparameters: Hyperparameters{TrainingSteps: 10, LearningRate: 1e-4}, Suffix: "pii",
				AutoStart: tc.autoStart, Wait: true,
				Poller: Poller{Sleep: clock.Sleep, OnStatus: func(s string) { statuses = append(statuses, s) }},
			})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if res.Job.Status != tc.wantStatus {
				t.Errorf("status %s, want %s (seen %v)", res.Job.Status, tc.wantStatus, statuses)
			}
			if tc.wantStatus == StatusSuccess && !strings.HasPrefix(res.Job.FineTunedModel, "ft:open-mistral-7b:pii:") {
				t.Errorf("fine-tuned model %q", res.Job.FineTunedModel)
			}
			if len(statuses) < 2 || statuses[0] != StatusValidating {
				t.Errorf("statuses seen %v", statuses)
			}
			// What reached the server: files with purpose fine-tune, and the job body.
			if len(res.TrainingFiles) != 1 || len(res.ValidationFiles) != 1 {
				t.Fatalf("files %+v", res)
			}
			got, _ := srv.FileData(res.TrainingFiles[0].ID)
			want, _ := os.ReadFile(train)
			if string(got) != string(want) {
				t.Error("uploaded training file differs")
			}
			req, ok := srv.FinetuneRequest(res.Job.ID)
			if !ok {
				t.Fatal("job unknown to the server")
			}
			b, _ := json.Marshal(req)
			for _, s := range []string{`"training_steps":10`, `"learning_rate":0.0001`, `"validation_files":["` + res.ValidationFiles[0].ID + `"]`} {
				if !strings.Contains(string(b), s) {
					t.Errorf("job %s lacks %s", b, s)
				}
			}
		})
	}
}

func TestFineTuneErrors(t *testing.T) {
	dir := t.TempDir()
	train := writeJSONL(t, dir, "train.jsonl", 1)
	srv := fake.New(fake.Options{APIKey: "right"})
	defer srv.Close()
	for _, tc := range []struct {
		name string
		key  string
		spec FineTuneSpec
		want string
	}{
		{"bad key", "wrong-secret", FineTuneSpec{Model: "m", Training: []string{train}}, "HTTP 401"},
		{"missing file", "right", FineTuneSpec{Model: "m", Training: []string{filepath.Join(dir, "nope.jsonl")}}, "no such file"},
		{"steps and epochs", "right", FineTuneSpec{Model: "m", Training: []string{train}, Hyperparameters: Hyperparameters{TrainingSteps: 1, Epochs: 1}}, "not both"},
		{"weights", "right", FineTuneSpec{Model: "m", Training: []string{train}, Weights: []float64{1, 2}}, "weights"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := New(Config{BaseURL: srv.URL, APIKey: tc.key, HTTPClient: srv.Client()})
			_, err := c.FineTune(context.Background(), tc.spec)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), tc.key) && tc.key != "right" {
				t.Errorf("error leaks the key: %v", err)
			}
		})
	}
}
