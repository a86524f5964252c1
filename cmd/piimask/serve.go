package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/piimask/piimask/internal/server"
	"github.com/piimask/piimask/jobs"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/mask"
	"github.com/piimask/piimask/stages/pdf"
)

type serveFlags struct {
	config        string
	addr          string
	bench         bool
	benchRequests int
	benchTime     time.Duration
	benchClients  []int
}

func newServeCmd(g *globalFlags) *cobra.Command {
	f := &serveFlags{}
	cmd := &cobra.Command{
		Use:   "serve --config serve.yaml",
		Short: "Serve the web UI and the JSON API over the configured methods",
		Long: `Load the methods of a serve config once and serve the single-page UI (embedded,
works offline) and the JSON API: POST /v1/detect, POST /v1/mask, GET /v1/methods,
/healthz, /readyz, /metrics and /openapi.json. SIGTERM or Ctrl-C shuts down
gracefully: requests in flight finish first.

With --bench, nothing is served: the load benchmark starts servers on loopback
(with and without micro-batching) and prints requests/s and p50/p95 latency
per method and client count.`,
		Example: `  piimask serve --config configs/serve.yaml
  piimask serve --config configs/serve.yaml --addr 127.0.0.1:9090
  piimask serve --config configs/serve.yaml --bench --bench-requests 300`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runServe(cmd, g, f)
		},
	}
	cmd.Flags().StringVar(&f.config, "config", "", "serve config (YAML)")
	cmd.Flags().StringVar(&f.addr, "addr", "", "listen address (overrides serve.addr; default 127.0.0.1:8080)")
	cmd.Flags().BoolVar(&f.bench, "bench", false, "run the load benchmark instead of serving")
	cmd.Flags().IntVar(&f.benchRequests, "bench-requests", 400, "requests per benchmark run")
	cmd.Flags().DurationVar(&f.benchTime, "bench-time", 20*time.Second, "time limit per benchmark run")
	cmd.Flags().IntSliceVar(&f.benchClients, "bench-clients", []int{1, 8, 16, 32}, "concurrent clients per benchmark run")
	_ = cmd.MarkFlagRequired("config")
	return cmd
}

func runServe(cmd *cobra.Command, g *globalFlags, f *serveFlags) error {
	env, err := g.env(cmd)
	if err != nil {
		return err
	}
	l, err := config.LoadServeFileRules(f.config, env.LookupEnv, config.Rules{MethodTypes: env.Registry.Types(), MethodOptions: env.Registry.OptionsType})
	if err != nil {
		return err
	}
	sc := l.Config.Serve
	opts := server.Options{
		MaxBodyBytes:    sc.MaxBodyBytes,
		MaxTextChars:    sc.MaxTextChars,
		RequestTimeout:  sc.RequestTimeout,
		ShutdownTimeout: sc.ShutdownTimeout,
		CORSOrigins:     sc.CORSOrigins,
		Logger:          env.Logger,
		Keys:            keysFromEnv(env.LookupEnv),
	}
	if p := l.Config.Policy; p != nil {
		opts.Policy = server.PolicyOptions{Default: p.Policy, Methods: p.Methods, Overridable: p.Overridable,
			MaxEntries: p.Limits.MaxEntries, MaxTermChars: p.Limits.MaxTermChars}
	}
	if sc.APIKeyEnv != "" {
		key, ok := env.LookupEnv(sc.APIKeyEnv)
		if !ok || key == "" {
			return fmt.Errorf("%s: serve.api_key_env names %s, which is not set: set it or remove api_key_env", l.File, sc.APIKeyEnv)
		}
		opts.APIKey = key
	}
	ocr, err := serveOCR(l, env)
	if err != nil {
		return err
	}
	opts.PDF = server.PDFText(ocr, 0)
	if opts.PDF == nil {
		env.Logger.Warn("pdftotext/pdfinfo not found: PDF uploads are refused (scripts/setup-pdf.sh installs them)")
	} else if ocr != nil {
		opts.PDFOCR = ocr.Name()
	}
	ctx := cmd.Context()
	methods, err := loadMethods(ctx, l, env)
	defer func() {
		for _, m := range methods {
			if cerr := m.Detector.Close(); cerr != nil {
				env.Logger.Warn("close method", "method", m.Name, "error", cerr)
			}
		}
	}()
	if err != nil {
		return err
	}
	if f.bench {
		rows, err := server.Bench(ctx, methods, opts, server.BenchConfig{Clients: f.benchClients, Requests: f.benchRequests, MaxDuration: f.benchTime})
		if err != nil {
			return err
		}
		return server.WriteBenchTable(cmd.OutOrStdout(), rows)
	}
	srv, err := server.New(methods, opts)
	if err != nil {
		return err
	}
	addr := f.addr
	if addr == "" {
		addr = sc.Addr
	}
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		_ = srv.Close()
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	names := make([]string, len(methods))
	for i, m := range methods {
		names[i] = m.Name
	}
	env.Logger.Info("serving", "url", "http://"+ln.Addr().String()+"/", "methods", names, "auth", opts.APIKey != "")
	fmt.Fprintf(cmd.OutOrStdout(), "piimask serve: http://%s/ (methods: %v; Ctrl-C stops)\n", ln.Addr(), names)
	err = srv.Serve(ctx, ln)
	if err == nil || errors.Is(err, context.Canceled) {
		env.Logger.Info("stopped")
		return nil
	}
	return err
}

// serveOCR is the OCR engine for uploaded PDF pages without a text layer
// (nil: off). By default Tesseract, when installed; `serve.ocr: tesseract`
// requires it; mistral takes its key from MISTRAL_API_KEY.
func serveOCR(l *config.LoadedServe, env *jobs.Env) (pdf.OCR, error) {
	sc := l.Config.Serve
	switch sc.OCR {
	case "off", pdf.OCRNone:
		return nil, nil
	case "", pdf.OCRTesseract:
		if !pdf.TesseractAvailable() {
			if sc.OCR == "" {
				env.Logger.Warn("tesseract/pdftoppm not found: scanned PDF pages are not read (scripts/setup-pdf.sh installs them)")
				return nil, nil
			}
			return nil, fmt.Errorf("%s:%d: serve.ocr is tesseract, but tesseract or pdftoppm is not installed (scripts/setup-pdf.sh)", l.File, l.Line("serve.ocr"))
		}
		return pdf.Tesseract{Languages: sc.OCRLanguages}, nil
	case pdf.OCRMistral:
		k, _ := env.LookupEnv(pdf.EnvMistralKey)
		if k == "" {
			return nil, fmt.Errorf("%s:%d: serve.ocr is mistral: set %s", l.File, l.Line("serve.ocr"), pdf.EnvMistralKey)
		}
		return &pdf.Mistral{BaseURL: sc.MistralURL, APIKey: k}, nil
	}
	return nil, fmt.Errorf("%s:%d: unknown serve.ocr %q", l.File, l.Line("serve.ocr"), sc.OCR)
}

// loadMethods builds every method of the config once, skipping those whose
// required environment variables are unset.
func loadMethods(ctx context.Context, l *config.LoadedServe, env *jobs.Env) ([]server.Method, error) {
	sc := l.Config.Serve
	var out []server.Method
	for i, mc := range l.Config.Methods {
		if why, skip := l.Skipped[mc.Name]; skip {
			env.Logger.Warn("method skipped", "method", mc.Name, "reason", why)
			continue
		}
		m, err := env.Registry.New(ctx, detect.Spec{Name: mc.Name, Type: mc.Type, Options: mc.Options, Labels: l.Config.Labels, Resources: env.Resources()})
		if err != nil {
			return out, fmt.Errorf("%s:%d: %w", l.File, l.Line(fmt.Sprintf("methods[%d]", i)), err)
		}
		lim := limitsFor(server.DefaultLimits(), sc.Limits)
		if ml, ok := sc.MethodLimits[mc.Name]; ok {
			lim = limitsFor(lim, ml)
		}
		out = append(out, server.Method{Name: mc.Name, Type: mc.Type, Detector: m, Limits: lim})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: every method was skipped; nothing to serve", l.File)
	}
	return out, nil
}

// limitsFor overlays the non-zero fields of c on base.
func limitsFor(base server.Limits, c config.ServeLimits) server.Limits {
	if c.Workers > 0 {
		base.Workers = c.Workers
	}
	if c.Queue > 0 {
		base.Queue = c.Queue
	}
	if c.Batching != nil {
		base.Batching = *c.Batching
	}
	if c.MaxBatch > 0 {
		base.MaxBatch = c.MaxBatch
	}
	if c.BatchWait > 0 {
		base.BatchWait = c.BatchWait
	}
	return base
}

// keysFromEnv reads the keyed operators' secrets (absent: those operators are
// not offered).
func keysFromEnv(lookup config.LookupEnv) mask.Keys {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	get := func(name string) []byte {
		if v, ok := lookup(name); ok && v != "" {
			return []byte(v)
		}
		return nil
	}
	return mask.Keys{Hash: get(mask.EnvHashKey), Pseudonym: get(mask.EnvPseudonymKey), Encrypt: get(mask.EnvEncryptKey)}
}
