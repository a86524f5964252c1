package jobs

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"sort"

	"github.com/piimask/piimask/internal/hub"
	"github.com/piimask/piimask/internal/metrics"
	"github.com/piimask/piimask/internal/storage"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/models"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/detect/ensemble"
	"github.com/piimask/piimask/stages/detect/gold"
	"github.com/piimask/piimask/stages/detect/llm"
	"github.com/piimask/piimask/stages/detect/onnx"
	"github.com/piimask/piimask/stages/detect/pattern"
	"github.com/piimask/piimask/stages/detect/rules"
	"github.com/piimask/piimask/stages/tokenize"
	"github.com/piimask/piimask/stages/tokenize/hf"
)

// Env is what a job needs from its surroundings. Nothing is reached through
// globals: the CLI builds one Env per invocation.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	Logger *slog.Logger
	// LookupEnv reads environment variables (os.LookupEnv by default).
	LookupEnv config.LookupEnv
	// Registry builds detection methods by type.
	Registry *detect.Registry
	// Progress enables the progress bar (stderr is a terminal).
	Progress bool
	// Version is piimask's version (piimask_build_info).
	Version string
	// Metrics is the running job's instrumentation, set by Run for the job's
	// duration (nil-safe: nil records nothing).
	Metrics *metrics.Metrics
	// FailOnExportError turns a failed metrics export into a run error
	// (default: a warning; the run's own outcome decides the exit status).
	FailOnExportError bool
}

func (e *Env) defaults() {
	if e.Stdout == nil {
		e.Stdout = os.Stdout
	}
	if e.Stderr == nil {
		e.Stderr = os.Stderr
	}
	if e.Logger == nil {
		e.Logger = slog.New(slog.NewTextHandler(e.Stderr, nil))
	}
	if e.LookupEnv == nil {
		e.LookupEnv = os.LookupEnv
	}
	if e.Registry == nil {
		e.Registry = NewRegistry(e.LookupEnv)
	}
}

// Resources are what every method constructor gets from the job: its
// logger, its metrics as request events and piimask's cache directory.
func (e *Env) Resources() detect.Resources {
	e.defaults()
	res := detect.Resources{Logger: e.Logger, CacheDir: models.DefaultCacheDir(e.LookupEnv)}
	if e.Metrics != nil {
		res.Events = e.Metrics
	}
	return res
}

// NewRegistry returns a registry with every method type piimask ships.
// lookup reads environment variables (PIIMASK_CACHE_DIR for builtin models).
func NewRegistry(lookup config.LookupEnv) *detect.Registry {
	if lookup == nil {
		lookup = os.LookupEnv
	}
	reg := detect.NewRegistry()
	rules.Register(reg)
	pattern.Register(reg)
	gold.Register(reg)
	llm.Register(reg)
	onnx.Register(reg, loadTokenizer, func(ctx context.Context, ref string) (string, error) {
		switch {
		case models.IsBuiltin(ref):
			return models.Materialize(ref, models.DefaultCacheDir(lookup))
		case hub.IsRef(ref):
			r, err := hub.ParseRef(ref)
			if err != nil {
				return "", err
			}
			return hub.FromEnv(lookup, models.DefaultCacheDir(lookup)).Model(ctx, r)
		}
		return ref, nil
	})
	ensemble.Register(reg)
	// onnx and ensemble register with Register; their options are declared
	// here so config loading checks them like every other method's.
	reg.DeclareOptions(onnx.Type, onnxOptions{})
	reg.DeclareOptions(ensemble.Type, ensemble.Options{})
	return reg
}

// loadTokenizer adapts hf.Load to the tokenizer interface (a nil
// *hf.Tokenizer must not become a non-nil interface).
func loadTokenizer(path string) (tokenize.Tokenizer, error) {
	t, err := hf.Load(path)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// Runner runs one kind of job.
type Runner func(ctx context.Context, l *config.Loaded, env *Env) error

// kinds maps job kinds to runners.
func kinds() map[string]Runner {
	return map[string]Runner{
		"bench":     runBench,
		"calibrate": runCalibrate,
		"evaluate":  runEvaluate,
		"prepare":   runPrepare,
		"train":     runTrain,
		"finetune":  runFinetune,
		"mask":      runMask,
		"report": func(ctx context.Context, l *config.Loaded, env *Env) error {
			return runReportSection(ctx, l, env, l.Job.Report)
		},
	}
}

// Kinds lists the job kinds, sorted.
func Kinds() []string {
	out := []string{}
	for k := range kinds() {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Load reads and validates a job config against the job kinds and the
// registry's method types.
func Load(path string, env *Env) (*config.Loaded, error) {
	env.defaults()
	l, err := config.LoadFile(path, env.LookupEnv, loadRules(env))
	if err != nil {
		return nil, err
	}
	if err := inputChecks(l); err != nil {
		return nil, err
	}
	return l, nil
}

// inputChecks are the checks of a loaded config that need its input files
// (Load and Validate both run them).
func inputChecks(l *config.Loaded) error {
	// Object-storage inputs (s3://, file://) are fetched when the job runs
	// (piimask run stages them, internal/storage): only local paths are
	// checked here.
	paths := slices.DeleteFunc(slices.Clone(l.Job.Input.Paths), storage.IsURL)
	if l.Job.Kind != "mask" || len(paths) == 0 {
		return nil
	}
	inputs, err := expandMaskInputs(paths)
	if err != nil {
		return err
	}
	return checkMaskFilters(l, inputs)
}

// loadRules are the checks config loading applies for this build: job kinds,
// method types and the options each method type declared.
func loadRules(env *Env) config.Rules {
	return config.Rules{Kinds: Kinds(), MethodTypes: env.Registry.Types(), NoInput: []string{"train"}, MethodOptions: env.Registry.OptionsType}
}

// Run executes a loaded job.
func Run(ctx context.Context, l *config.Loaded, env *Env) error {
	env.defaults()
	run, ok := kinds()[l.Job.Kind]
	if !ok {
		return fmt.Errorf("%s: unknown job kind %q", l.File, l.Job.Kind)
	}
	return observed(ctx, l, env, run)
}

func runFinetune(ctx context.Context, l *config.Loaded, env *Env) error {
	return finetuneJob(ctx, l, l.Job.Finetune, env, finetuneDeps{})
}

// Validation is what Validate learned about a config.
type Validation struct {
	// Kind is the job kind, or "serve" for a serve config.
	Kind string
	// Methods is the number of methods configured.
	Methods int
	// Skipped names methods a run would skip, with the reason.
	Skipped map[string]string
	// Notes are reported without failing (secrets referenced but unset).
	Notes []string
}

// Validate checks a job or serve config with the same pass Load and
// `piimask serve` use — every problem at once, at its file:line — except
// that a secret referenced but unset is a note, not a problem: validate
// needs no secrets.
func Validate(path string, env *Env) (*Validation, error) {
	env.defaults()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	r := loadRules(env)
	r.AllowUnsetSecrets = true
	if config.IsServeConfig(data) {
		r.Kinds, r.NoInput = nil, nil
		l, err := config.LoadServeFileRules(path, env.LookupEnv, r)
		if err != nil {
			return nil, err
		}
		return &Validation{Kind: "serve", Methods: len(l.Config.Methods), Skipped: l.Skipped}, nil
	}
	l, err := config.Load(path, data, env.LookupEnv, r)
	if err != nil {
		return nil, err
	}
	if err := inputChecks(l); err != nil {
		return nil, err
	}
	return &Validation{Kind: l.Job.Kind, Methods: len(l.Job.Methods), Skipped: l.Skipped, Notes: l.Notes}, nil
}
