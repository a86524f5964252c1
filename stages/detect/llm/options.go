package llm

import (
	"fmt"
	"strings"
	"time"
)

// Providers.
const (
	ProviderMistral = "mistral"
	ProviderOpenAI  = "openai"
)

// Prices are USD per million tokens.
type Prices struct {
	Input  float64 `yaml:"input"`
	Output float64 `yaml:"output"`
	// BatchFactor multiplies the cost of answers from the batch API
	// (default 0.5, Mistral's batch discount).
	BatchFactor float64 `yaml:"batch_factor"`
}

// Options are the llm method's YAML options.
type Options struct {
	// Provider is "mistral" (default) or "openai" (any OpenAI-compatible
	// server: vLLM, llama.cpp, Ollama, OpenAI). It chooses the seed field
	// (random_seed or seed) and the default base URL.
	Provider string `yaml:"provider"`
	// BaseURL is the server root; /v1/chat/completions is appended (a
	// trailing /v1 is accepted).
	BaseURL string `yaml:"base_url"`
	// Model is the model id, a fine-tuned one included.
	Model string `yaml:"model"`
	// APIKey is sent as a Bearer token; write ${MISTRAL_API_KEY} in configs.
	APIKey string `yaml:"api_key"`
	// Temperature (default 0).
	Temperature float64 `yaml:"temperature"`
	// MaxTokens bounds the answer (default 1024).
	MaxTokens int `yaml:"max_tokens"`
	// Seed is sent as random_seed (Mistral) or seed (OpenAI) when set.
	Seed *int64 `yaml:"seed"`
	// JSONMode asks for response_format {"type":"json_object"} (default true).
	JSONMode *bool `yaml:"json_mode"`
	// Timeout bounds one HTTP attempt (default 60s).
	Timeout time.Duration `yaml:"timeout"`

	// Prompt is zero_shot (default) or few_shot.
	Prompt string `yaml:"prompt"`
	// PromptDir overrides the embedded templates (system.<lang>.tmpl, user.<lang>.tmpl).
	PromptDir string `yaml:"prompt_dir"`
	// Language of the instructions: en (default), fr, or auto (the
	// document's language; fr for French documents, en otherwise).
	Language string `yaml:"language"`
	// FewShotK is the number of examples (default 3 with few_shot).
	FewShotK int `yaml:"few_shot_k"`
	// FewShotSeed seeds the draw of examples.
	FewShotSeed int64 `yaml:"few_shot_seed"`
	// FewShotPool is a dataset file whose rows are the example pool. It must
	// be a split separate from the evaluated rows.
	FewShotPool string `yaml:"few_shot_pool"`

	// RequestsPerSecond is the client-side request rate limit (0 = none).
	RequestsPerSecond float64 `yaml:"requests_per_second"`
	// Burst is the request limiter's burst (default 1: evenly paced).
	Burst int `yaml:"burst"`
	// TokensPerMinute is the client-side token rate limit (0 = none). A
	// request is charged its estimated prompt tokens plus max_tokens, as
	// providers count it.
	TokensPerMinute float64 `yaml:"tokens_per_minute"`
	// Concurrency bounds the requests in flight within one Detect call
	// (default 4).
	Concurrency int `yaml:"concurrency"`
	// MaxRetries is the number of retries after the first attempt
	// (default 5; 0 means the default, use -1 for none).
	MaxRetries int `yaml:"max_retries"`
	// BackoffBase and BackoffMax bound the exponential backoff with full
	// jitter (defaults 500ms and 30s).
	BackoffBase time.Duration `yaml:"backoff_base"`
	BackoffMax  time.Duration `yaml:"backoff_max"`
	// CacheDir holds the response cache ("" = no cache).
	CacheDir string `yaml:"cache_dir"`
	// Prices give the cost in Usage.
	Prices Prices `yaml:"prices"`

	// Batch sends the documents of each Detect call as one Mistral batch job.
	Batch bool `yaml:"batch"`
	// BatchPoll is the interval between batch job polls (default 10s).
	BatchPoll time.Duration `yaml:"batch_poll"`
	// BatchTimeoutHours is the batch job's timeout_hours (0 = provider default).
	BatchTimeoutHours int `yaml:"batch_timeout_hours"`
}

func (o *Options) defaults() {
	if o.Provider == "" {
		o.Provider = ProviderMistral
	}
	if o.BaseURL == "" {
		switch o.Provider {
		case ProviderMistral:
			o.BaseURL = "https://api.mistral.ai"
		case ProviderOpenAI:
			o.BaseURL = "https://api.openai.com"
		}
	}
	o.BaseURL = strings.TrimSuffix(strings.TrimRight(o.BaseURL, "/"), "/v1")
	if o.MaxTokens == 0 {
		o.MaxTokens = 1024
	}
	if o.JSONMode == nil {
		t := true
		o.JSONMode = &t
	}
	if o.Timeout == 0 {
		o.Timeout = 60 * time.Second
	}
	if o.Prompt == "" {
		o.Prompt = "zero_shot"
	}
	if o.Language == "" {
		o.Language = "en"
	}
	if o.Prompt == "few_shot" && o.FewShotK == 0 {
		o.FewShotK = 3
	}
	if o.Burst <= 0 {
		o.Burst = 1
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	switch {
	case o.MaxRetries == 0:
		o.MaxRetries = 5
	case o.MaxRetries < 0:
		o.MaxRetries = 0
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = 500 * time.Millisecond
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = 30 * time.Second
	}
	if o.Prices.BatchFactor == 0 {
		o.Prices.BatchFactor = 0.5
	}
	if o.BatchPoll <= 0 {
		o.BatchPoll = 10 * time.Second
	}
}

func (o *Options) validate() error {
	var errs []string
	if o.Provider != ProviderMistral && o.Provider != ProviderOpenAI {
		errs = append(errs, fmt.Sprintf("provider %q (want mistral or openai)", o.Provider))
	}
	if o.Model == "" {
		errs = append(errs, "model is required")
	}
	if o.Prompt != "zero_shot" && o.Prompt != "few_shot" {
		errs = append(errs, fmt.Sprintf("prompt %q (want zero_shot or few_shot)", o.Prompt))
	}
	if o.Language != "en" && o.Language != "fr" && o.Language != "auto" {
		errs = append(errs, fmt.Sprintf("language %q (want en, fr or auto)", o.Language))
	}
	if o.Prompt == "few_shot" && o.FewShotPool == "" {
		errs = append(errs, "few_shot needs few_shot_pool (a dataset file of a split other than the evaluated one)")
	}
	if o.Prompt == "zero_shot" && o.FewShotK > 0 {
		errs = append(errs, "few_shot_k is set but prompt is zero_shot")
	}
	if o.RequestsPerSecond < 0 || o.TokensPerMinute < 0 {
		errs = append(errs, "rate limits must not be negative")
	}
	if o.Prices.Input < 0 || o.Prices.Output < 0 || o.Prices.BatchFactor < 0 {
		errs = append(errs, "prices must not be negative")
	}
	if o.BackoffMax < o.BackoffBase {
		errs = append(errs, "backoff_max is below backoff_base")
	}
	if o.Batch && o.Provider != ProviderMistral {
		errs = append(errs, "batch is only supported with provider mistral")
	}
	if len(errs) > 0 {
		return fmt.Errorf("llm options: %s", strings.Join(errs, "; "))
	}
	return nil
}

// cost is the USD price of the given token counts.
func (p Prices) cost(prompt, completion int64, batch bool) float64 {
	c := (float64(prompt)*p.Input + float64(completion)*p.Output) / 1e6
	if batch {
		c *= p.BatchFactor
	}
	return c
}

// Check reports bad option values as the constructor would, with the
// defaults applied (config loading calls it, so validate reports them).
func (o Options) Check() error {
	c := o
	c.defaults()
	return c.validate()
}
