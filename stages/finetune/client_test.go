package finetune

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

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
			c := NewClient(srv.URL+"/v1", "k", srv.Client())
			var statuses []string
			res, err := c.FineTune(context.Background(), Spec{
				Model: "open-mistral-7b", Training: []string{train}, Validation: []string{val},
				Hyperparameters: Hyperparameters{TrainingSteps: 10, LearningRate: 1e-4}, Suffix: "pii",
				AutoStart: tc.autoStart, Wait: true,
				Poller: Poller{Interval: time.Second, Sleep: noSleep, OnStatus: func(s string) { statuses = append(statuses, s) }},
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
		spec Spec
		want string
	}{
		{"bad key", "wrong-secret", Spec{Model: "m", Training: []string{train}}, "HTTP 401"},
		{"missing file", "right", Spec{Model: "m", Training: []string{filepath.Join(dir, "nope.jsonl")}}, "no such file"},
		{"steps and epochs", "right", Spec{Model: "m", Training: []string{train}, Hyperparameters: Hyperparameters{TrainingSteps: 1, Epochs: 1}}, "not both"},
		{"weights", "right", Spec{Model: "m", Training: []string{train}, Weights: []float64{1, 2}}, "weights"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewClient(srv.URL, tc.key, srv.Client()).FineTune(context.Background(), tc.spec)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), tc.key) && tc.key != "right" {
				t.Errorf("error leaks the key: %v", err)
			}
		})
	}
}

func TestBatchFlow(t *testing.T) {
	srv := fake.New(fake.Options{Oracle: func(user string) string { return `{"entities":{"CITY":["Paris"]}}` }})
	defer srv.Close()
	c := NewClient(srv.URL, "", srv.Client())
	ctx := context.Background()
	in, err := EncodeBatchInput([]BatchInput{
		{CustomID: "a", Body: json.RawMessage(`{"messages":[{"role":"user","content":"in Paris"}],"max_tokens":10}`)},
		{CustomID: "b", Body: json.RawMessage(`{"messages":[{"role":"user","content":"in Paris too"}],"max_tokens":10}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.UploadBytes(ctx, "in.jsonl", in, PurposeBatch)
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.CreateBatch(ctx, BatchRequest{InputFiles: []string{f.ID}, Endpoint: "/v1/chat/completions", Model: "mistral-small-latest"})
	if err != nil {
		t.Fatal(err)
	}
	job, err = c.WaitBatch(ctx, job.ID, Poller{Sleep: noSleep})
	if err != nil || job.Status != StatusSuccess || job.OutputFile == "" {
		t.Fatalf("job %+v, err %v", job, err)
	}
	res, bad, err := c.CollectBatch(ctx, job)
	if err != nil || bad != 0 || len(res) != 2 {
		t.Fatalf("results %d bad %d err %v", len(res), bad, err)
	}
	for _, r := range res {
		if r.Failed() || !strings.Contains(string(r.Response.Body), "Paris") {
			t.Errorf("%s: %+v", r.CustomID, r)
		}
	}
	if _, err := c.CreateBatch(ctx, BatchRequest{InputFiles: []string{"nope"}, Endpoint: "/v1/chat/completions", Model: "m"}); !IsStatus(err, 422) {
		t.Errorf("unknown input file: %v", err)
	}
}

func TestParseBatchResults(t *testing.T) {
	data := []byte(`{"id":"1","custom_id":"a","response":{"status_code":200,"body":{"choices":[]}}}
not json
{"id":"2","custom_id":"b","error":{"message":"x","code":500}}

{"id":"3","response":{"status_code":200,"body":{}}}
`)
	res, bad := ParseBatchResults(data)
	if len(res) != 2 || bad != 2 {
		t.Fatalf("%d results, %d bad", len(res), bad)
	}
	if res[0].Failed() || !res[1].Failed() {
		t.Errorf("failed flags: %v %v", res[0].Failed(), res[1].Failed())
	}
}

func TestPollerTolerance(t *testing.T) {
	calls := 0
	errs := []error{&APIError{Status: 503}, &APIError{Status: 429}, nil}
	err := Poller{Sleep: noSleep, MaxErrors: 2}.poll(context.Background(), func() (string, error) {
		e := errs[calls]
		calls++
		return StatusSuccess, e
	}, Terminal)
	if err != nil || calls != 3 {
		t.Errorf("transient errors: err %v after %d calls", err, calls)
	}
	calls = 0
	err = Poller{Sleep: noSleep}.poll(context.Background(), func() (string, error) {
		calls++
		return "", &APIError{Status: 404}
	}, Terminal)
	if !IsStatus(err, 404) || calls != 1 {
		t.Errorf("404: err %v after %d calls", err, calls)
	}
}
