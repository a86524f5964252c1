package onnx

import (
	"context"
	"errors"
	"fmt"
	"slices"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/piimask/piimask/internal/calibrate"
	"github.com/piimask/piimask/internal/ortlib"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/tokenize"
)

// Type is the method type name in job configs.
const Type = "onnx"

// TokenizerLoader loads a tokenizer.json (jobs pass hf.Load).
type TokenizerLoader func(path string) (tokenize.Tokenizer, error)

// Options configures the method. Field tags are the YAML option names.
type Options struct {
	// Model is the model directory (model.onnx, tokenizer.json, config.json).
	Model string `yaml:"model"`
	// Aggregation is none, simple (default), first, average or max.
	Aggregation string `yaml:"aggregation"`
	// Threshold drops entities scoring below it (default 0). With a
	// calibration table in use it is a global floor on the calibrated score.
	Threshold float64 `yaml:"threshold"`
	// Thresholds is model (default: apply the model directory's
	// thresholds.json when there is one) or none (raw scores, no per-class
	// thresholds). See internal/calibrate.
	Thresholds string `yaml:"thresholds"`
	// Plausibility drops model spans whose text cannot be of their class
	// (an EMAIL without '@', a name made only of common lower-case words;
	// see Plausible in plausible.go). Default true; false keeps every span.
	Plausibility *bool `yaml:"plausibility"`
	// IgnoreLabels are dropped (default ["O"]).
	IgnoreLabels []string `yaml:"ignore_labels"`
	// BatchSize is the number of rows (windows) per model call (default 8).
	BatchSize int `yaml:"batch_size"`
	// MaxLength is the longest row in tokens, special tokens included
	// (default 512, or tokenizer_config.json's model_max_length when smaller).
	MaxLength int `yaml:"max_length"`
	// Stride is the overlap in tokens between windows of a long text
	// (default max_length/8; -1 for no overlap).
	Stride int `yaml:"stride"`
	// RightContext, when > 0, cuts windows with that many tokens of right
	// context past each window's core instead of a symmetric stride (models
	// whose answer for a token looks ahead: bidirectional, or trained with a
	// label lag).
	RightContext int `yaml:"right_context"`
	// LeftContext, when > 0, cuts windows that start that many tokens before
	// each window's core instead of a symmetric stride: the remedy for causal
	// decoders, whose answer for a token depends only on the tokens before it.
	// right_context and left_context exclude each other; either replaces stride.
	LeftContext int `yaml:"left_context"`
	// IntraOpThreads is ORT's intra-op thread count (default 1: the engine
	// runs methods in parallel; 0 here is replaced by 1, -1 means ORT's own
	// default of one thread per core).
	IntraOpThreads int `yaml:"intra_op_threads"`
	// SortBuffer is how many rows are sorted by length together (default 4 ×
	// batch_size); larger buffers pad less but delay the first Run.
	SortBuffer int `yaml:"sort_buffer"`
	// PaddingSide overrides tokenizer_config.json's padding_side (left|right).
	PaddingSide string `yaml:"padding_side"`
	// ORTLib is an explicit path to libonnxruntime (else PIIMASK_ORT_LIB …).
	ORTLib string `yaml:"ort_lib"`

	// Tokenizer loads tokenizer.json; required.
	Tokenizer TokenizerLoader `yaml:"-"`
	// Runtime, when set, is used instead of one the method opens (and the
	// method does not close it).
	Runtime *ortlib.Runtime `yaml:"-"`
}

// Register adds the `onnx` method type to reg.
//
// resolve, when not nil, maps the `model` option before loading (jobs use it
// to turn `builtin:NAME` into the directory of an embedded model).
func Register(reg *detect.Registry, loader TokenizerLoader, resolve ModelResolver) {
	reg.Register(Type, func(ctx context.Context, spec detect.Spec) (detect.Method, error) {
		var o Options
		if err := detect.DecodeOptions(spec.Options, &o); err != nil {
			return nil, err
		}
		if resolve != nil && o.Model != "" {
			dir, err := resolve(ctx, o.Model)
			if err != nil {
				return nil, fmt.Errorf("model %s: %w", o.Model, err)
			}
			o.Model = dir
		}
		o.Tokenizer = loader
		m, err := New(ctx, o)
		if err != nil {
			return nil, err
		}
		m.name = spec.Name
		return m, nil
	})
}

// ModelResolver maps a `model` option value to a model directory (ctx
// cancels a download).
type ModelResolver func(ctx context.Context, ref string) (dir string, err error)

// Method is the loaded model. Safe for concurrent Detect calls.
type Method struct {
	name       string
	tok        tokenize.Tokenizer
	id2label   []string
	inputs     []modelInput
	output     string
	session    *ort.DynamicAdvancedSession
	rt         *ortlib.Runtime
	ownRuntime bool

	agg          AggregateOptions
	dir          string           // the model directory
	cal          *calibrate.Table // nil: raw scores
	floor        float64          // global minimum calibrated score (with cal)
	batchSize    int
	maxLength    int
	stride       int
	rightContext int
	leftContext  int
	sortBuffer   int
	leftPad      bool
	wordAware    bool
	unkID        int
	plausible    bool // option plausibility (default true)

	stats statCounters
}

// Calibrated reports whether the method applies a thresholds.json table.
func (m *Method) Calibrated() bool { return m.cal != nil }

// ModelDir is the directory the model was loaded from (a builtin or
// downloaded model's cache directory).
func (m *Method) ModelDir() string { return m.dir }

// Name implements detect.Method.
func (m *Method) Name() string { return m.name }

// Labels returns the model's id2label.
func (m *Method) Labels() []string { return slices.Clone(m.id2label) }

// Close releases the session (and the runtime when the method opened it).
func (m *Method) Close() error {
	var errs []error
	if m.session != nil {
		if err := m.session.Destroy(); err != nil {
			errs = append(errs, fmt.Errorf("destroy session: %w", err))
		}
		m.session = nil
	}
	if m.ownRuntime && m.rt != nil {
		if err := m.rt.Close(); err != nil {
			errs = append(errs, err)
		}
		m.rt = nil
	}
	return errors.Join(errs...)
}

var _ detect.Method = (*Method)(nil)
