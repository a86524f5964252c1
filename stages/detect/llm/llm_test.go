package llm

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piimask/piimask/internal/llmapi"
	"github.com/piimask/piimask/internal/llmapi/fake"
	"github.com/piimask/piimask/internal/prompt"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
)

// span finds the k-th (0-based) occurrence of value in text, in code points.
func span(t testing.TB, text, value, label string, k int) record.Span {
	t.Helper()
	from := 0
	for {
		i := strings.Index(text[from:], value)
		if i < 0 {
			t.Fatalf("%q not in %q", value, text)
		}
		b := from + i
		if k == 0 {
			off := record.NewOffsets(text)
			return record.Span{Start: off.CodePoint(b), End: off.CodePoint(b + len(value)), Label: label}
		}
		k--
		from = b + len(value)
	}
}

func testDocs(t testing.TB) []record.Record {
	mk := func(id, lang, text string, vals ...[3]string) record.Record {
		r := record.Record{ID: id, Language: lang, Text: text}
		seen := map[string]int{}
		for _, v := range vals {
			r.Gold = append(r.Gold, span(t, text, v[0], v[1], seen[v[0]]))
			seen[v[0]]++
		}
		record.SortSpans(r.Gold)
		return r
	}
	return []record.Record{
		mk("d0", "en", "Contact Jean Dupont at jean.dupont@example.com today.",
			[3]string{"Jean", "FIRSTNAME"}, [3]string{"Dupont", "LASTNAME"}, [3]string{"jean.dupont@example.com", "EMAIL"}),
		mk("d1", "fr", "Élodie Émery habite au 12 rue de la Paix à Paris.",
			[3]string{"Élodie", "FIRSTNAME"}, [3]string{"Émery", "LASTNAME"}, [3]string{"12", "BUILDINGNUMBER"}, [3]string{"Paris", "CITY"}),
		mk("d2", "en", "Call 555-0100, then call 555-0100 again; Anna knows.",
			[3]string{"555-0100", "PHONENUMBER"}, [3]string{"555-0100", "PHONENUMBER"}, [3]string{"Anna", "FIRSTNAME"}),
		mk("d3", "en", "No personal data here.", nil...),
	}
}

func newMethod(t testing.TB, srv *fake.Server, o Options, clock llmapi.Clock) *Method {
	t.Helper()
	o.BaseURL = srv.URL
	if o.Model == "" {
		o.Model = "mistral-small-latest"
	}
	if o.APIKey == "" {
		o.APIKey = "test-key"
	}
	if o.BackoffBase == 0 {
		o.BackoffBase = time.Millisecond
		o.BackoffMax = 10 * time.Millisecond
	}
	if clock == nil {
		clock = fake.NewClock()
	}
	m, err := New(context.Background(), "llm-test", nil, o, Deps{HTTPClient: srv.Client(), Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sameSpans(a, b []record.Span) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}

func TestExactSpans(t *testing.T) {
	docs := testDocs(t)
	seed := int64(7)
	for _, tc := range []struct {
		provider, seedField, absent string
		lang                        string
	}{
		{ProviderMistral, "random_seed", "seed", "auto"},
		{ProviderOpenAI, "seed", "random_seed", "en"},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			srv := fake.New(fake.Options{Oracle: fake.Gold(docs), APIKey: "test-key"})
			defer srv.Close()
			m := newMethod(t, srv, Options{Provider: tc.provider, Seed: &seed, Language: tc.lang, Concurrency: 3,
				Prices: Prices{Input: 1, Output: 3}}, nil)
			preds, err := m.Detect(context.Background(), docs)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range preds {
				if p.Failure != "" || len(p.Diagnostics) > 0 {
					t.Errorf("%s: failure %q diagnostics %v", docs[i].ID, p.Failure, p.Diagnostics)
				}
				if !sameSpans(p.Spans, docs[i].Gold) {
					t.Errorf("%s: spans %v, want %v", docs[i].ID, p.Spans, docs[i].Gold)
				}
				if p.Usage.Requests != 1 || p.Usage.PromptTokens == 0 || p.Usage.CompletionTokens == 0 {
					t.Errorf("%s: usage %+v", docs[i].ID, p.Usage)
				}
				want := (float64(p.Usage.PromptTokens)*1 + float64(p.Usage.CompletionTokens)*3) / 1e6
				if d := p.Usage.CostUSD - want; d > 1e-12 || d < -1e-12 {
					t.Errorf("%s: cost %g, want %g", docs[i].ID, p.Usage.CostUSD, want)
				}
			}
			if got := srv.AuthHeaders(); len(got) != 1 || got[0] != "Bearer test-key" {
				t.Errorf("auth headers %q", got)
			}
			englishForFrench := false
			for _, b := range srv.ChatBodies() {
				var body map[string]any
				if err := json.Unmarshal(b, &body); err != nil {
					t.Fatal(err)
				}
				if body[tc.seedField] != float64(7) || body[tc.absent] != nil {
					t.Errorf("seed fields: %s=%v %s=%v", tc.seedField, body[tc.seedField], tc.absent, body[tc.absent])
				}
				if rf, _ := body["response_format"].(map[string]any); rf["type"] != "json_object" {
					t.Errorf("response_format %v", body["response_format"])
				}
				if strings.Contains(string(b), "Élodie") && !strings.Contains(string(b), "Texte") {
					englishForFrench = true
				}
			}
			// language auto gives the French document French instructions.
			if (tc.lang == "auto") == englishForFrench {
				t.Errorf("language %s: French document prompted in English = %v", tc.lang, englishForFrench)
			}
		})
	}
}

// TestFaults injects every fault kind and checks nothing is lost: each
// document ends with its exact spans or a recorded failure.
func TestFaults(t *testing.T) {
	docs := testDocs(t)
	type want struct {
		failure  string // substring; "" = spans expected
		requests int64
	}
	for _, tc := range []struct {
		name    string
		inj     fake.Injection
		times   int // faulty attempts per document (0 = always)
		retries int
		timeout time.Duration
		want    want
	}{
		{"429 then ok", fake.Injection{Fault: fake.RateLimited}, 2, 3, 0, want{"", 3}},
		{"429 always", fake.Injection{Fault: fake.RateLimited, RetryAfter: "1"}, 0, 2, 0, want{"gave up after 3 attempts: HTTP 429", 3}},
		{"500 then ok", fake.Injection{Fault: fake.ServerError}, 1, 3, 0, want{"", 2}},
		{"500 always", fake.Injection{Fault: fake.ServerError}, 0, 4, 0, want{"gave up after 5 attempts: HTTP 500", 5}},
		{"slow then ok", fake.Injection{Fault: fake.Slow, Delay: 2 * time.Second}, 1, 2, 100 * time.Millisecond, want{"", 2}},
		{"slow always", fake.Injection{Fault: fake.Slow, Delay: 2 * time.Second}, 0, 1, 50 * time.Millisecond, want{"gave up after 2 attempts: timeout", 2}},
		{"truncated then ok", fake.Injection{Fault: fake.Truncated}, 1, 2, 0, want{"", 2}},
		{"truncated always", fake.Injection{Fault: fake.Truncated}, 0, 1, 0, want{"gave up after 2 attempts: HTTP 200 with invalid JSON body", 2}},
		{"non-JSON then ok", fake.Injection{Fault: fake.NonJSON}, 2, 2, 0, want{"", 3}},
		{"400 not retried", fake.Injection{Fault: fake.BadRequest}, 0, 5, 0, want{"HTTP 400 (bad_request)", 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(fake.Options{Oracle: fake.Gold(docs), Faults: func(c fake.Call) fake.Injection {
				if tc.times == 0 || c.Attempt <= tc.times {
					return tc.inj
				}
				return fake.Injection{}
			}})
			defer srv.Close()
			m := newMethod(t, srv, Options{MaxRetries: tc.retries, Timeout: tc.timeout, Concurrency: 4}, nil)
			if tc.retries == 0 {
				t.Fatal("test needs retries")
			}
			preds, err := m.Detect(context.Background(), docs)
			if err != nil {
				t.Fatal(err)
			}
			if len(preds) != len(docs) {
				t.Fatalf("%d predictions for %d documents", len(preds), len(docs))
			}
			for i, p := range preds {
				if tc.want.failure == "" {
					if p.Failure != "" || !sameSpans(p.Spans, docs[i].Gold) {
						t.Errorf("%s: failure %q spans %v, want %v", docs[i].ID, p.Failure, p.Spans, docs[i].Gold)
					}
				} else if !strings.Contains(p.Failure, tc.want.failure) || p.Spans != nil {
					t.Errorf("%s: failure %q (spans %v), want %q", docs[i].ID, p.Failure, p.Spans, tc.want.failure)
				}
				if p.Usage.Requests != tc.want.requests {
					t.Errorf("%s: %d requests, want %d", docs[i].ID, p.Usage.Requests, tc.want.requests)
				}
			}
			if got, want := srv.ChatRequests(), int(tc.want.requests)*len(docs); got != want {
				t.Errorf("server saw %d requests, want %d", got, want)
			}
		})
	}
}

func TestFatalStatusStopsRun(t *testing.T) {
	docs := testDocs(t)
	for _, tc := range []struct {
		name string
		opts fake.Options
		want string
	}{
		{"wrong key", fake.Options{APIKey: "the-right-key"}, "HTTP 401"},
		{"403", fake.Options{Faults: func(fake.Call) fake.Injection { return fake.Injection{Fault: fake.Unauthorized} }}, "HTTP 401"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := fake.New(tc.opts)
			defer srv.Close()
			m := newMethod(t, srv, Options{APIKey: "a-wrong-key-123"}, nil)
			_, err := m.Detect(context.Background(), docs)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "a-wrong-key-123") {
				t.Errorf("the error leaks the API key: %v", err)
			}
		})
	}
}

func TestRetryAfterHonoured(t *testing.T) {
	docs := testDocs(t)[:1]
	for _, tc := range []struct {
		name  string
		value func(now time.Time) string
		want  time.Duration
	}{
		{"seconds", func(time.Time) string { return "7" }, 7 * time.Second},
		{"fraction", func(time.Time) string { return "1.5" }, 1500 * time.Millisecond},
		{"http date", func(now time.Time) string { return now.Add(42 * time.Second).Format(http.TimeFormat) }, 42 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := fake.NewClock()
			srv := fake.New(fake.Options{Oracle: fake.Gold(docs), Faults: func(c fake.Call) fake.Injection {
				if c.Attempt == 1 {
					return fake.Injection{Fault: fake.RateLimited, RetryAfter: tc.value(clock.Now())}
				}
				return fake.Injection{}
			}})
			defer srv.Close()
			// A backoff far below Retry-After: only the header explains a long sleep.
			m := newMethod(t, srv, Options{MaxRetries: 2, BackoffBase: time.Millisecond, BackoffMax: 2 * time.Millisecond}, clock)
			preds, err := m.Detect(context.Background(), docs)
			if err != nil {
				t.Fatal(err)
			}
			if !sameSpans(preds[0].Spans, docs[0].Gold) {
				t.Fatalf("spans %v", preds[0].Spans)
			}
			if got := clock.Sleeps(); len(got) != 1 || got[0] != tc.want {
				t.Errorf("sleeps %v, want [%v]", got, tc.want)
			}
		})
	}
}

// TestAnswerProblems: the model returns values that occur twice or not at
// all, unknown labels and malformed JSON; spans follow prompt.Locate and the
// problems are counted.
func TestAnswerProblems(t *testing.T) {
	docs := testDocs(t)
	answers := map[string]string{
		// 555-0100 returned once: only its first occurrence is marked.
		docs[2].Text: `{"entities":{"PHONENUMBER":["555-0100"],"FIRSTNAME":["Anna","Bob"],"PET":["Rex"]}}`,
		docs[0].Text: "Sure! Here you go: {\"entities\": {\"EMAIL\": [\"jean.dupont@example.com\", \"jean.dupont@example.com\"]",
		docs[1].Text: "```json\n{\"entities\":{\"CITY\":[\"Paris\"]}}\n```",
		docs[3].Text: "I cannot help with that.",
	}
	texts := []string{docs[0].Text, docs[1].Text, docs[2].Text, docs[3].Text}
	srv := fake.New(fake.Options{Oracle: fake.ByText(texts, func(t string) string { return answers[t] })})
	defer srv.Close()
	m := newMethod(t, srv, Options{}, nil)
	preds, err := m.Detect(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		spans []record.Span
		diag  map[string]int
	}{
		{nil, map[string]int{DiagMalformedJSON: 1}},
		{[]record.Span{span(t, docs[1].Text, "Paris", "CITY", 0)}, nil},
		{[]record.Span{span(t, docs[2].Text, "555-0100", "PHONENUMBER", 0), span(t, docs[2].Text, "Anna", "FIRSTNAME", 0)},
			map[string]int{prompt.DiagValueNotFound: 1, prompt.DiagUnknownLabel: 1}},
		{nil, map[string]int{DiagMalformedJSON: 1}},
	}
	for i, p := range preds {
		if p.Failure != "" {
			t.Errorf("%s: failure %q: a bad answer is not a failure", docs[i].ID, p.Failure)
		}
		if !sameSpans(p.Spans, want[i].spans) {
			t.Errorf("%s: spans %v, want %v", docs[i].ID, p.Spans, want[i].spans)
		}
		if len(p.Diagnostics)+len(want[i].diag) > 0 && !reflect.DeepEqual(p.Diagnostics, want[i].diag) {
			t.Errorf("%s: diagnostics %v, want %v", docs[i].ID, p.Diagnostics, want[i].diag)
		}
	}
}

// TestCacheResume: a first run where one document gives up fills the cache
// for the others; the second run asks only for that one; a third makes
// zero calls and reports no cost.
func TestCacheResume(t *testing.T) {
	docs := testDocs(t)
	dir := t.TempDir()
	failD1 := true
	var mu sync.Mutex
	srv := fake.New(fake.Options{Oracle: fake.Gold(docs), Faults: func(c fake.Call) fake.Injection {
		mu.Lock()
		defer mu.Unlock()
		if failD1 && strings.Contains(c.User, docs[1].Text) {
			return fake.Injection{Fault: fake.ServerError}
		}
		return fake.Injection{}
	}})
	defer srv.Close()
	run := func() []detect.Prediction {
		m := newMethod(t, srv, Options{CacheDir: dir, MaxRetries: 1, Prices: Prices{Input: 1, Output: 1}}, nil)
		preds, err := m.Detect(context.Background(), docs)
		if err != nil {
			t.Fatal(err)
		}
		return preds
	}
	first := run()
	if first[1].Failure == "" {
		t.Fatal("d1 should have failed in the first run")
	}
	n1 := srv.ChatRequests()
	if n1 != 3+2 {
		t.Fatalf("first run: %d requests, want 5", n1)
	}
	mu.Lock()
	failD1 = false
	mu.Unlock()
	second := run()
	if got := srv.ChatRequests() - n1; got != 1 {
		t.Errorf("second run: %d requests, want 1 (only the failed document)", got)
	}
	for i, p := range second {
		if !sameSpans(p.Spans, docs[i].Gold) || p.Failure != "" {
			t.Errorf("second run %s: %v %q", docs[i].ID, p.Spans, p.Failure)
		}
		if paid := p.Usage.Requests > 0; paid != (i == 1) {
			t.Errorf("second run %s: usage %+v", docs[i].ID, p.Usage)
		}
	}
	n2 := srv.ChatRequests()
	third := run()
	if got := srv.ChatRequests() - n2; got != 0 {
		t.Errorf("rerun with a full cache made %d requests, want 0", got)
	}
	for i, p := range third {
		if !sameSpans(p.Spans, docs[i].Gold) || p.Usage != (detect.Usage{}) {
			t.Errorf("third run %s: spans %v usage %+v", docs[i].ID, p.Spans, p.Usage)
		}
	}
	// The cache holds the raw bodies, one file per document.
	n := 0
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && strings.HasSuffix(p, ".json") {
			n++
		}
		return nil
	})
	if n != len(docs) {
		t.Errorf("%d cache files, want %d", n, len(docs))
	}
	// A different temperature is a different key.
	m := newMethod(t, srv, Options{CacheDir: dir, Temperature: 0.7}, nil)
	if _, err := m.Detect(context.Background(), docs[:1]); err != nil {
		t.Fatal(err)
	}
	if got := srv.ChatRequests() - n2; got != 1 {
		t.Errorf("changed temperature: %d requests, want 1", got)
	}
}

// TestRateLimit checks request pacing on an injected clock: the fake server
// stamps each request with the same clock.
func TestRateLimit(t *testing.T) {
	docs := testDocs(t)
	var many []record.Record
	for i := range 24 {
		d := docs[i%len(docs)]
		d.Text = fmt.Sprintf("%s (copy %d)", d.Text, i)
		many = append(many, d)
	}
	for _, tc := range []struct {
		name string
		opts Options
		// the token bucket: rate per second, burst, and each request's cost.
		rate, burst float64
		tokens      bool
	}{
		{"5 rps", Options{RequestsPerSecond: 5}, 5, 1, false},
		{"2 rps burst 4", Options{RequestsPerSecond: 2, Burst: 4}, 2, 4, false},
		{"tokens per minute", Options{TokensPerMinute: 6000, MaxTokens: 900}, 100, 6000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := fake.NewClock()
			srv := fake.New(fake.Options{Now: clock.Now})
			defer srv.Close()
			o := tc.opts
			o.Concurrency = 1
			m := newMethod(t, srv, o, clock)
			start := clock.Now()
			if _, err := m.Detect(context.Background(), many); err != nil {
				t.Fatal(err)
			}
			times := srv.ChatTimes()
			if len(times) != len(many) {
				t.Fatalf("%d requests", len(times))
			}
			// Requests go in document order at concurrency 1: the bucket
			// invariant is sum(cost[0..k]) <= burst + rate*(t_k - start),
			// and the limiter is no stricter than that.
			sum := 0.0
			for k, at := range times {
				cost := 1.0
				if tc.tokens {
					q, err := m.prepare(many[k])
					if err != nil {
						t.Fatal(err)
					}
					cost = float64(q.tokens)
				}
				sum += cost
				allowed := tc.burst + tc.rate*at.Sub(start).Seconds()
				if sum > allowed+1e-6 {
					t.Fatalf("request %d at +%v: %g sent, bucket allows %g", k, at.Sub(start), sum, allowed)
				}
				// A request that waited was sent as soon as the bucket allowed it.
				if waited := k > 0 && at.After(times[k-1]); waited && sum < allowed-1e-3*allowed {
					t.Fatalf("request %d at +%v: only %g sent, bucket allows %g: too strict", k, at.Sub(start), sum, allowed)
				}
			}
			if tc.tokens {
				// Over a minute after the first burst, the token rate holds.
				if d := times[len(times)-1].Sub(start); d < time.Minute {
					t.Errorf("%g tokens sent in %v with %v tokens/min", sum, d, tc.opts.TokensPerMinute)
				}
			}
		})
	}
	m := newMethod(t, fake.New(fake.Options{}), Options{RequestsPerSecond: 3, Burst: 2, TokensPerMinute: 1200}, nil)
	if rps, burst, tpm := m.Limits(); rps != 3 || burst != 2 || tpm != 1200 {
		t.Errorf("Limits() = %v, %v, %v", rps, burst, tpm)
	}
}

func TestBatch(t *testing.T) {
	docs := testDocs(t)
	for _, tc := range []struct {
		name      string
		opts      fake.Options
		failed    map[int]string
		allFailed string
	}{
		{"ok", fake.Options{}, nil, ""},
		{"failed line", fake.Options{Faults: func(c fake.Call) fake.Injection {
			if strings.Contains(c.User, "Anna") {
				return fake.Injection{Fault: fake.ServerError}
			}
			return fake.Injection{}
		}}, map[int]string{2: "batch: request failed (code 500)"}, ""},
		{"job failed", fake.Options{FailBatch: true}, nil, "batch job FAILED: no result"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := tc.opts
			o.Oracle = fake.Gold(docs)
			srv := fake.New(o)
			defer srv.Close()
			dir := t.TempDir()
			clock := fake.NewClock()
			m := newMethod(t, srv, Options{Batch: true, BatchPoll: time.Minute, CacheDir: dir, Prices: Prices{Input: 2, Output: 2}}, clock)
			preds, err := m.Detect(context.Background(), docs)
			if err != nil {
				t.Fatal(err)
			}
			if srv.ChatRequests() != 0 || srv.Requests("POST /v1/files") != 1 || srv.Requests("POST /v1/batch/jobs") != 1 {
				t.Errorf("requests: chat %d, upload %d, batch %d", srv.ChatRequests(), srv.Requests("POST /v1/files"), srv.Requests("POST /v1/batch/jobs"))
			}
			if s := clock.Sleeps(); len(s) == 0 || s[0] != time.Minute {
				t.Errorf("poll sleeps %v", s)
			}
			for i, p := range preds {
				switch {
				case tc.allFailed != "":
					if !strings.Contains(p.Failure, tc.allFailed) {
						t.Errorf("%s: failure %q, want %q", docs[i].ID, p.Failure, tc.allFailed)
					}
				case tc.failed[i] != "":
					if p.Failure != tc.failed[i] {
						t.Errorf("%s: failure %q, want %q", docs[i].ID, p.Failure, tc.failed[i])
					}
				default:
					if p.Failure != "" || !sameSpans(p.Spans, docs[i].Gold) {
						t.Errorf("%s: %q %v, want %v", docs[i].ID, p.Failure, p.Spans, docs[i].Gold)
					}
					want := float64(p.Usage.PromptTokens+p.Usage.CompletionTokens) * 2 / 1e6 * 0.5
					if p.Usage.Requests != 1 || p.Usage.CostUSD != want {
						t.Errorf("%s: usage %+v, want cost %g (batch discount)", docs[i].ID, p.Usage, want)
					}
				}
			}
			checkBatchInput(t, srv)
			// Rerun: answered documents come from the cache, no new batch when all are cached.
			before := srv.TotalRequests()
			m2 := newMethod(t, srv, Options{Batch: true, BatchPoll: time.Minute, CacheDir: dir}, clock)
			if _, err := m2.Detect(context.Background(), docs); err != nil {
				t.Fatal(err)
			}
			if tc.failed == nil && tc.allFailed == "" && srv.TotalRequests() != before {
				t.Errorf("rerun made %d requests, want 0", srv.TotalRequests()-before)
			}
		})
	}
}

// checkBatchInput checks the batch input file is Mistral's {custom_id, body} JSONL.
func checkBatchInput(t *testing.T, srv *fake.Server) {
	t.Helper()
	for _, f := range srv.Files() {
		if f.Purpose != "batch" {
			continue
		}
		data, _ := srv.FileData(f.ID)
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			var in struct {
				CustomID string         `json:"custom_id"`
				Body     map[string]any `json:"body"`
			}
			if err := json.Unmarshal([]byte(line), &in); err != nil || in.CustomID == "" || in.Body["messages"] == nil {
				t.Errorf("batch line %q: %v", line, err)
			}
		}
	}
}

func TestFewShot(t *testing.T) {
	docs := testDocs(t)
	pool := filepath.Join(t.TempDir(), "pool.jsonl")
	var b strings.Builder
	for i, text := range []string{"Mail bob@example.org now.", "Ring Carla on 0611223344.", "Meet Zoé in Lyon."} {
		row := map[string]any{"id": fmt.Sprint("p", i), "language": "en", "source_text": text, "privacy_mask": []any{}}
		line, _ := json.Marshal(row)
		b.Write(line)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(pool, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := fake.New(fake.Options{Oracle: fake.Gold(docs)})
	defer srv.Close()
	m := newMethod(t, srv, Options{Prompt: "few_shot", FewShotK: 2, FewShotSeed: 3, FewShotPool: pool}, nil)
	preds, err := m.Detect(context.Background(), docs[:1])
	if err != nil {
		t.Fatal(err)
	}
	if !sameSpans(preds[0].Spans, docs[0].Gold) {
		t.Errorf("spans %v", preds[0].Spans)
	}
	var body struct {
		Messages []prompt.Message `json:"messages"`
	}
	if err := json.Unmarshal(srv.ChatBodies()[0], &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Messages) != 1+2*2+1 {
		t.Errorf("%d messages, want system + 2 examples + user", len(body.Messages))
	}
}

func TestRegisterOptions(t *testing.T) {
	reg := detect.NewRegistry()
	Register(reg)
	for _, tc := range []struct {
		name    string
		opts    detect.Options
		wantErr string
	}{
		{"ok", detect.Options{"model": "m", "timeout": "30s", "backoff_base": "200ms", "backoff_max": "5s", "prices": map[string]any{"input": 0.1, "output": 0.3}}, ""},
		{"no model", detect.Options{}, "model is required"},
		{"unknown key", detect.Options{"model": "m", "temprature": 0.5}, "temprature"},
		{"bad provider", detect.Options{"model": "m", "provider": "acme"}, "provider"},
		{"few shot without pool", detect.Options{"model": "m", "prompt": "few_shot"}, "few_shot_pool"},
		{"batch on openai", detect.Options{"model": "m", "provider": "openai", "batch": true}, "batch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := reg.New(context.Background(), detect.Spec{Name: "x", Type: Type, Options: tc.opts})
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				lm := m.(*Method)
				if lm.opts.Timeout != 30*time.Second || lm.opts.BackoffMax != 5*time.Second || lm.opts.Prices.Output != 0.3 {
					t.Errorf("decoded %+v", lm.opts)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err %v, want %q", err, tc.wantErr)
			}
		})
	}
}
