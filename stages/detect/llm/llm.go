package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"

	"github.com/piimask/piimask/internal/llmapi"
	"github.com/piimask/piimask/internal/prompt"
	"github.com/piimask/piimask/labels"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/read"
)

// Type is the method type in job configs.
const Type = "llm"

// Diagnostic kinds the method adds to prompt.Locate's.
const (
	DiagMalformedJSON   = "malformed_json"
	DiagAnswerTruncated = "answer_truncated"
)

// Deps are what the method takes from its caller besides options.
type Deps struct {
	// HTTPClient sends requests (default: a new client; per-attempt
	// timeouts come from Options.Timeout).
	HTTPClient *http.Client
	// Clock paces rate limits, backoff and batch polls (default llmapi.RealClock).
	Clock llmapi.Clock
	// Logger receives retry and batch progress at debug level (default: discard).
	Logger *slog.Logger
}

// Method is the llm detection method. It is safe for concurrent use.
type Method struct {
	name     string
	opts     Options
	builders map[string]*prompt.Builder
	known    map[string]bool
	api      *llmapi.Client
	cache    *cache
	log      *slog.Logger
}

// New builds the method. classes is the label set (nil: every AI4Privacy
// class).
func New(ctx context.Context, name string, classes []string, o Options, d Deps) (*Method, error) {
	o.defaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	if len(classes) == 0 {
		classes = labels.All()
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if name == "" {
		name = Type
	}
	m := &Method{name: name, opts: o, builders: map[string]*prompt.Builder{}, known: map[string]bool{},
		log: d.Logger}
	m.log.Debug("llm method ready", "provider", o.Provider, "model", o.Model, "prompt", o.Prompt,
		"cache", o.CacheDir != "", "batch", o.Batch)
	for _, c := range classes {
		m.known[c] = true
	}
	var pool []record.Record
	if o.Prompt == "few_shot" {
		err := read.Read(ctx, []string{o.FewShotPool}, read.Options{}, func(r record.Record) error {
			pool = append(pool, r)
			return nil
		}, nil)
		if err != nil {
			return nil, fmt.Errorf("llm: few-shot pool: %w", err)
		}
	}
	langs := []string{o.Language}
	if o.Language == "auto" {
		langs = []string{"en", "fr"}
	}
	for _, lang := range langs {
		b, err := prompt.New(prompt.Options{Language: lang, Classes: classes, Shots: o.FewShotK,
			Pool: examples(pool, lang, o.FewShotK), Seed: o.FewShotSeed, Dir: o.PromptDir})
		if err != nil {
			return nil, fmt.Errorf("llm: %w", err)
		}
		m.builders[lang] = b
	}
	m.api = llmapi.New(llmapi.Config{BaseURL: o.BaseURL, APIKey: o.APIKey, HTTPClient: d.HTTPClient,
		Timeout: o.Timeout, Clock: d.Clock, Logger: d.Logger,
		Retry:  llmapi.Retry{Max: o.MaxRetries, Base: o.BackoffBase, Ceiling: o.BackoffMax},
		Limits: llmapi.Limits{RequestsPerSecond: o.RequestsPerSecond, Burst: o.Burst, TokensPerMinute: o.TokensPerMinute},
		OnAttempt: func(ctx context.Context, a llmapi.Attempt) {
			if a.Endpoint == llmapi.PathChat {
				detect.EventsFrom(ctx).Request(name, a.Status, a.Took, a.Retry)
			}
		}})
	if o.CacheDir != "" {
		m.cache = &cache{dir: o.CacheDir}
	}
	return m, nil
}

// examples picks the pool rows in lang when there are at least k of them,
// else the whole pool.
func examples(pool []record.Record, lang string, k int) []prompt.Example {
	var same, all []prompt.Example
	for _, r := range pool {
		ex := prompt.Example{Text: r.Text, Spans: r.Gold}
		all = append(all, ex)
		if r.Language == lang {
			same = append(same, ex)
		}
	}
	if len(same) >= k {
		return same
	}
	return all
}

// Register adds the "llm" method type to reg. The job's label set, when
// given, is the list of classes in the prompt.
func Register(reg *detect.Registry) {
	reg.RegisterOptions(Type, Options{}, func(ctx context.Context, spec detect.Spec) (detect.Method, error) {
		var o Options
		if err := detect.DecodeOptions(spec.Options, &o); err != nil {
			return nil, err
		}
		return New(ctx, spec.Name, spec.Labels, o, Deps{Logger: spec.Resources.Logger})
	})
}

// Name is the method's name in the job.
func (m *Method) Name() string { return m.name }

// Close releases nothing; it exists for the Method interface.
func (m *Method) Close() error { return nil }

// Limits reports the configured client-side limits (requests/s, burst,
// tokens/min), 0 when off.
func (m *Method) Limits() (rps float64, burst int, tpm float64) { return m.api.Limits() }

// request is one document's prepared request.
type request struct {
	text   string
	body   []byte // with model: the synchronous request and the cache key input
	key    string
	tokens int // estimated tokens charged to the token limiter
	msgs   []prompt.Message
}

func (m *Method) builder(lang string) *prompt.Builder {
	if b, ok := m.builders[lang]; ok {
		return b
	}
	if b, ok := m.builders["en"]; ok && m.opts.Language == "auto" {
		return b
	}
	return m.builders[m.opts.Language]
}

func (m *Method) chatBody(msgs []prompt.Message, withModel bool) llmapi.ChatRequest {
	b := llmapi.ChatRequest{Messages: msgs, Temperature: m.opts.Temperature, MaxTokens: m.opts.MaxTokens}
	if withModel {
		b.Model = m.opts.Model
	}
	if *m.opts.JSONMode {
		b.ResponseFormat = &llmapi.ResponseFormat{Type: "json_object"}
	}
	if m.opts.Seed != nil {
		if m.opts.Provider == ProviderMistral {
			b.RandomSeed = m.opts.Seed
		} else {
			b.Seed = m.opts.Seed
		}
	}
	return b
}

func (m *Method) prepare(r record.Record) (request, error) {
	msgs, err := m.builder(r.Language).Messages(r.Text)
	if err != nil {
		return request{}, fmt.Errorf("llm %s: %w", m.name, err)
	}
	body, err := json.Marshal(m.chatBody(msgs, true))
	if err != nil {
		return request{}, fmt.Errorf("llm %s: encode request: %w", m.name, err)
	}
	tokens := m.opts.MaxTokens
	for _, msg := range msgs {
		tokens += approxTokens(msg.Content) + 4
	}
	return request{text: r.Text, body: body, key: cacheKey(m.opts.BaseURL, body), tokens: tokens, msgs: msgs}, nil
}

// Detect asks the model about every document of batch.
func (m *Method) Detect(ctx context.Context, batch []record.Record) ([]detect.Prediction, error) {
	preds := make([]detect.Prediction, len(batch))
	reqs := make([]request, len(batch))
	var pending []int
	for i, r := range batch {
		q, err := m.prepare(r)
		if err != nil {
			return nil, err
		}
		reqs[i] = q
		if data, ok := m.cache.get(q.key); ok {
			m.fill(&preds[i], q.text, data, true, false)
			continue
		}
		pending = append(pending, i)
	}
	if len(pending) == 0 {
		return preds, nil
	}
	if m.opts.Batch {
		if err := m.detectBatch(ctx, reqs, pending, preds); err != nil {
			return nil, err
		}
		return preds, nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(m.opts.Concurrency)
	for _, i := range pending {
		g.Go(func() error { return m.detectOne(gctx, reqs[i], &preds[i]) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return preds, nil
}

// detectOne sends one document's request and fills its prediction. A
// document that gets no usable answer (retries spent, a 4xx such as 400)
// gets a Failure; a refused key, an unknown model or URL (401, 403, 404) or
// cancellation stops the run.
func (m *Method) detectOne(ctx context.Context, q request, p *detect.Prediction) error {
	data, attempts, err := m.api.ChatCompletion(ctx, q.body, q.tokens)
	p.Usage.Requests = int64(attempts)
	var ae *llmapi.Error
	switch {
	case err == nil:
	case !errors.As(err, &ae):
		return fmt.Errorf("llm %s: %w", m.name, err)
	case ae.Status == http.StatusUnauthorized || ae.Status == http.StatusForbidden:
		return fmt.Errorf("llm %s: %w: the API key was refused (check the method's api_key)", m.name, err)
	case ae.Status == http.StatusNotFound:
		return fmt.Errorf("llm %s: %w: unknown model or wrong base_url", m.name, err)
	default:
		m.log.Debug("llm document failed", "method", m.name, "attempts", attempts, "failure", ae.Reason())
		p.Failure = ae.Reason()
		return nil
	}
	if err := m.cache.put(q.key, data); err != nil {
		return fmt.Errorf("llm %s: %w", m.name, err)
	}
	m.fill(p, q.text, data, false, false)
	return nil
}

// fill turns a response body into the prediction's spans, usage and
// diagnostics. cached answers cost nothing in this run.
func (m *Method) fill(p *detect.Prediction, text string, data []byte, cached, batch bool) {
	resp, content, err := llmapi.DecodeChat(data)
	if err != nil {
		p.Failure = "unusable response: " + err.Error()
		return
	}
	if !cached {
		p.Usage.PromptTokens += resp.Usage.PromptTokens
		p.Usage.CompletionTokens += resp.Usage.CompletionTokens
		p.Usage.CostUSD += m.opts.Prices.cost(resp.Usage.PromptTokens, resp.Usage.CompletionTokens, batch)
	}
	diag := map[string]int{}
	if resp.Choices[0].FinishReason == "length" {
		diag[DiagAnswerTruncated]++
	}
	ans, err := prompt.ParseAnswer(content)
	if err != nil {
		diag[DiagMalformedJSON]++
	} else {
		spans, d := prompt.Locate(text, ans, func(l string) bool { return m.known[l] })
		p.Spans = spans
		for k, v := range d {
			if v > 0 {
				diag[k] += v
			}
		}
	}
	if len(diag) > 0 {
		p.Diagnostics = diag
	}
}

// approxTokens estimates a text's tokens as ceil(code points / 4), as
// dataset.ApproxTokens does.
func approxTokens(s string) int { return (utf8.RuneCountInString(s) + 3) / 4 }
