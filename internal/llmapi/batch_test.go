package llmapi

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/piimask/piimask/internal/llmapi/fake"
)

func TestBatchFlow(t *testing.T) {
	srv := fake.New(fake.Options{Oracle: func(user string) string { return `{"entities":{"CITY":["Paris"]}}` }})
	defer srv.Close()
	c := New(Config{BaseURL: srv.URL, HTTPClient: srv.Client()})
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
	errs := []error{&Error{Status: 503}, &Error{Status: 429}, nil}
	err := Poller{Sleep: noSleep, MaxErrors: 2, Until: Terminal}.poll(context.Background(), func() (string, error) {
		e := errs[calls]
		calls++
		return StatusSuccess, e
	})
	if err != nil || calls != 3 {
		t.Errorf("transient errors: err %v after %d calls", err, calls)
	}
	calls = 0
	err = Poller{Sleep: noSleep, Until: Terminal}.poll(context.Background(), func() (string, error) {
		calls++
		return "", &Error{Status: 404}
	})
	if !IsStatus(err, 404) || calls != 1 {
		t.Errorf("404: err %v after %d calls", err, calls)
	}
}

func noSleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }
