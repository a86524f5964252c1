package detect

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"sort"

	"github.com/piimask/piimask/record"
)

// Prediction is one method's answer for one document.
type Prediction struct {
	Spans []record.Span
	// Failure, when set, records why the method gave no answer for this
	// document (an LLM that gave up after retries, say). It is not a run error.
	Failure string
	// Diagnostics counts per-kind problems met while producing this answer
	// (e.g. "value_not_found"), for error analysis.
	Diagnostics map[string]int
	// Usage is the cost of this answer (LLM tokens); zero for local methods.
	Usage Usage
}

// Usage counts tokens an API method consumed.
type Usage struct {
	PromptTokens     int64
	CompletionTokens int64
	Requests         int64
	CostUSD          float64
}

// Method detects PII spans in documents. Detect receives a batch and returns
// one prediction per input record, in order. An error fails the whole run;
// per-document failures belong in Prediction.Failure.
type Method interface {
	Name() string
	Detect(ctx context.Context, batch []record.Record) ([]Prediction, error)
	Close() error
}

// Options is a method's raw option map from the job config, decoded by the
// method's constructor.
type Options map[string]any

// Spec is one entry of a job's `methods` list.
type Spec struct {
	Name    string
	Type    string
	Options Options
	// Labels is the job's label set (may be empty: the method's own).
	Labels []string
	// Resources are the job's shared resources. The registry completes
	// them before calling a constructor (see Registry.New).
	Resources Resources
}

// Resources are what a job lends every method constructor, in one shape:
// where to log, where to report request events, where to cache.
type Resources struct {
	// Logger is the job's logger (the registry adds method=<name>; it is
	// never nil in a constructor: a discard logger when the job gave none).
	Logger *slog.Logger
	// Events receives request events (never nil in a constructor: a no-op
	// when the job gave none). Detect calls also find the run's Events in
	// their context (EventsFrom).
	Events Events
	// CacheDir is piimask's cache directory (embedded models, downloads);
	// "" when the job gave none.
	CacheDir string
}

type resourcesKey struct{}

// complete fills what r leaves unset from the resources of an enclosing
// constructor (a method built by another, such as an ensemble's members),
// then with no-ops.
func (r Resources) complete(ctx context.Context) Resources {
	if outer, ok := ctx.Value(resourcesKey{}).(Resources); ok {
		if r.Logger == nil {
			r.Logger = outer.Logger
		}
		if r.Events == nil {
			r.Events = outer.Events
		}
		if r.CacheDir == "" {
			r.CacheDir = outer.CacheDir
		}
	}
	if r.Logger == nil {
		r.Logger = slog.New(slog.DiscardHandler)
	}
	if r.Events == nil {
		r.Events = noEvents{}
	}
	return r
}

// Factory builds a Method from its config entry.
type Factory func(ctx context.Context, spec Spec) (Method, error)

// Registry maps method types to constructors. It is built by the caller (jobs)
// rather than held in a global.
type Registry struct {
	factories map[string]Factory
	options   map[string]reflect.Type
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{factories: map[string]Factory{}, options: map[string]reflect.Type{}}
}

// RegisterOptions adds a method type whose options have the shape of
// options (a struct value with yaml tags, its doc comments the options'
// documentation; struct{}{} for a type that takes none). Config loading
// checks every method's options against it — unknown keys, wrong types,
// with file:line — before any constructor runs, and when the struct (or a
// pointer to it) has a Check() error method, its values too.
func (r *Registry) RegisterOptions(typ string, options any, f Factory) {
	r.Register(typ, f)
	r.DeclareOptions(typ, options)
}

// DeclareOptions records the options shape of a type registered with
// Register (see RegisterOptions).
func (r *Registry) DeclareOptions(typ string, options any) {
	t := reflect.TypeOf(options)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("detect: options of method type %q must be a struct, not %v", typ, t))
	}
	r.options[typ] = t
}

// OptionsType is the options struct type declared for typ (nil when the
// type declared none: its options are free-form, checked by its constructor).
func (r *Registry) OptionsType(typ string) reflect.Type { return r.options[typ] }

// Register adds a method type. Registering the same type twice panics: it is a
// programming error.
func (r *Registry) Register(typ string, f Factory) {
	if _, dup := r.factories[typ]; dup {
		panic(fmt.Sprintf("detect: method type %q registered twice", typ))
	}
	r.factories[typ] = f
}

// Types lists the registered method types, sorted.
func (r *Registry) Types() []string {
	out := make([]string, 0, len(r.factories))
	for t := range r.factories {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Has reports whether a type is registered.
func (r *Registry) Has(typ string) bool { _, ok := r.factories[typ]; return ok }

// New builds the method described by spec. The constructor receives
// spec.Resources completed: unset fields come from the constructor that
// is building this method, if any (an ensemble's members get the job's
// logger), else no-ops; the logger gets method=<spec.Name>.
func (r *Registry) New(ctx context.Context, spec Spec) (Method, error) {
	f, ok := r.factories[spec.Type]
	if !ok {
		return nil, fmt.Errorf("method %q: unknown type %q (known: %v)", spec.Name, spec.Type, r.Types())
	}
	res := spec.Resources.complete(ctx)
	ctx = context.WithValue(ctx, resourcesKey{}, res)
	spec.Resources = res
	spec.Resources.Logger = res.Logger.With("method", spec.Name)
	m, err := f(ctx, spec)
	if err != nil {
		return nil, fmt.Errorf("method %q (type %s): %w", spec.Name, spec.Type, err)
	}
	return m, nil
}
