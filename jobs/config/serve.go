package config

import (
	"fmt"
	"os"
	"time"

	"github.com/goccy/go-yaml/parser"
)

// ServeFile is a `piimask serve` config: the methods to load once and the
// HTTP server's settings. Methods are written as in a job config.
type ServeFile struct {
	// Name names the server in logs (default: the file's base name).
	Name string `yaml:"name"`
	// Labels is the label set handed to methods (default: their own).
	Labels []string `yaml:"labels"`
	// Methods are the detection methods served, in the UI's order.
	Methods []Method `yaml:"methods" required:"true"`
	// Serve holds the server settings.
	Serve Serve `yaml:"serve"`
	// Policy is the default masking policy of POST /v1/mask and what a
	// request may override (servepolicy.go).
	Policy *ServePolicy `yaml:"policy"`
}

// Serve configures the HTTP server. Zero values mean the documented defaults.
type Serve struct {
	// Addr is the listen address (default 127.0.0.1:8080).
	Addr string `yaml:"addr"`
	// MaxBodyBytes caps a request body, uploads included (default 10 MiB).
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// MaxTextChars caps the text to analyse, in code points (default 100000).
	MaxTextChars int `yaml:"max_text_chars"`
	// RequestTimeout bounds one request, queueing included (default 30s).
	RequestTimeout time.Duration `yaml:"request_timeout"`
	// ShutdownTimeout bounds the graceful shutdown (default 20s).
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	// APIKeyEnv names the environment variable holding the API key; when
	// set (and the variable is not empty) /v1 and /metrics require it.
	APIKeyEnv string `yaml:"api_key_env"`
	// CORSOrigins lists origins allowed to call the API from a browser
	// (default none: CORS off).
	CORSOrigins []string `yaml:"cors_origins"`
	// OCR reads uploaded PDF pages without a text layer (scans), in memory:
	// tesseract (default; offline), mistral (the Mistral OCR API, key from
	// MISTRAL_API_KEY; the upload leaves the machine) or off (such pages
	// have no text; "none" is the same).
	OCR string `yaml:"ocr"`
	// OCRLanguages are Tesseract languages (default eng+fra).
	OCRLanguages string `yaml:"ocr_languages"`
	// MistralURL overrides the Mistral OCR API base URL.
	MistralURL string `yaml:"mistral_url"`
	// Limits are the default execution limits of every method.
	Limits ServeLimits `yaml:"limits"`
	// MethodLimits override Limits per method name (an I/O-bound llm method
	// wants more workers and no batching, say).
	MethodLimits map[string]ServeLimits `yaml:"method_limits"`
}

// ServeLimits bound how one method runs requests.
type ServeLimits struct {
	// Workers is the number of Detect calls in flight at once (default:
	// the number of CPUs).
	Workers int `yaml:"workers"`
	// Queue is the number of requests waiting for a worker before the
	// server answers 429 (default 256).
	Queue int `yaml:"queue"`
	// Batching groups concurrent requests into one Detect call (default true).
	Batching *bool `yaml:"batching"`
	// MaxBatch is the largest micro-batch (default 32).
	MaxBatch int `yaml:"max_batch"`
	// BatchWait is how long a worker waits for more requests to fill a
	// batch (default 2ms).
	BatchWait time.Duration `yaml:"batch_wait"`
}

// LoadedServe is a parsed and validated serve config.
type LoadedServe struct {
	Config *ServeFile
	File   string
	// Skipped names methods left out because an env var they require is
	// unset, with the reason.
	Skipped map[string]string
	lines   map[string]int
}

// Line returns the line of a dotted path such as "methods[1].type" (0 if unknown).
func (l *LoadedServe) Line(path string) int { return l.lines[path] }

func (l *LoadedServe) problem(path, format string, args ...any) Problem {
	return Problem{File: l.File, Line: l.lines[path], Path: path, Message: fmt.Sprintf(format, args...)}
}

// LoadServeFile reads and validates a serve config; every problem is
// returned at once as Problems, each with file:line.
func LoadServeFile(path string, env LookupEnv, methodTypes []string) (*LoadedServe, error) {
	return LoadServeFileRules(path, env, Rules{MethodTypes: methodTypes})
}

// LoadServeFileRules is LoadServeFile with the method types and their
// declared options shapes of rules (the checks a job config gets).
func LoadServeFileRules(path string, env LookupEnv, rules Rules) (*LoadedServe, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read serve config: %w", err)
	}
	return loadServe(path, data, env, rules)
}

// LoadServe validates serve config bytes; file names the source in messages.
// methodTypes, when not empty, are the method types the caller can build.
func LoadServe(file string, data []byte, env LookupEnv, methodTypes []string) (*LoadedServe, error) {
	return loadServe(file, data, env, Rules{MethodTypes: methodTypes})
}

func loadServe(file string, data []byte, env LookupEnv, rules Rules) (*LoadedServe, error) {
	if env == nil {
		env = os.LookupEnv
	}
	var sf ServeFile
	lines, missing, err := decodeChecked(file, data, env, &sf, rules.MethodOptions)
	if err != nil {
		return nil, err
	}
	if sf.Name == "" {
		sf.Name = nameFromFile(file)
	}
	l := &LoadedServe{Config: &sf, File: file, lines: lines, Skipped: map[string]string{}}
	if ps := l.semantic(rules, missing, env); len(ps) > 0 {
		return nil, ps
	}
	return l, nil
}

func (l *LoadedServe) semantic(rules Rules, missing []MissingVar, env LookupEnv) Problems {
	var ps Problems
	sf := l.Config
	if len(sf.Methods) == 0 {
		ps = append(ps, l.problem("methods", "list at least one method"))
	}
	mps, names, excused := checkMethods(l.File, l.lines, sf.Methods, rules.MethodTypes, env, l.Skipped)
	ps = append(ps, mps...)
	ps = append(ps, checkMethodOptions(rules.MethodOptions, l.File, l.lines, sf.Methods, l.Skipped)...)
	ps = append(ps, l.checkPolicy(names)...)
	s := sf.Serve
	if s.MaxBodyBytes < 0 {
		ps = append(ps, l.problem("serve.max_body_bytes", "must not be negative"))
	}
	if s.MaxTextChars < 0 {
		ps = append(ps, l.problem("serve.max_text_chars", "must not be negative"))
	}
	if s.RequestTimeout < 0 || s.ShutdownTimeout < 0 {
		ps = append(ps, l.problem("serve", "timeouts must not be negative"))
	}
	switch s.OCR {
	case "", "tesseract", "off", "none":
	case "mistral":
		if k, ok := env("MISTRAL_API_KEY"); !ok || k == "" {
			ps = append(ps, l.problem("serve.ocr", "ocr: mistral needs MISTRAL_API_KEY in the environment"))
		}
	default:
		ps = append(ps, l.problem("serve.ocr", "unknown OCR engine %q (tesseract, mistral, off)", s.OCR))
	}
	ps = append(ps, l.checkLimits("serve.limits", s.Limits)...)
	for name, lim := range s.MethodLimits {
		path := "serve.method_limits." + name
		if !names[name] {
			ps = append(ps, l.problem(path, "no method named %q", name))
		}
		ps = append(ps, l.checkLimits(path, lim)...)
	}
	ps = append(ps, missingVarProblems(l.File, missing, excused)...)
	return ps
}

func (l *LoadedServe) checkLimits(path string, lim ServeLimits) Problems {
	var ps Problems
	if lim.Workers < 0 || lim.Queue < 0 || lim.MaxBatch < 0 {
		ps = append(ps, l.problem(path, "workers, queue and max_batch must not be negative"))
	}
	if lim.BatchWait < 0 || lim.BatchWait > time.Second {
		ps = append(ps, l.problem(path+".batch_wait", "must be in [0, 1s], got %s", lim.BatchWait))
	}
	return ps
}

// IsServeConfig reports whether data is a serve config (a top-level serve
// or policy key and no kind) rather than a job config.
func IsServeConfig(data []byte) bool {
	f, err := parser.ParseBytes(data, 0)
	if err != nil || len(f.Docs) != 1 {
		return false
	}
	serve, kind := false, false
	for _, mv := range mappingValues(f.Docs[0].Body) {
		switch mv.Key.String() {
		case "serve", "policy":
			serve = true
		case "kind":
			kind = true
		}
	}
	return serve && !kind
}
