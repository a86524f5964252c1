// Package onnx is the `onnx` detection method: a token-classification model
// exported to ONNX (the Hugging Face Optimum layout: model.onnx,
// tokenizer.json, config.json with id2label, optional tokenizer_config.json)
// run with ONNX Runtime, its token logits turned into character spans with
// the Hugging Face TokenClassificationPipeline aggregation strategies.
//
// Works for encoder exports (BERT, DistilBERT, RoBERTa, DeBERTa, XLM-R: inputs
// input_ids, attention_mask, optional token_type_ids) and decoder exports
// (Llama/Mistral/Qwen …ForTokenClassification: input_ids, attention_mask,
// optional position_ids, often left padding). The input names and integer
// types are read from the model, never guessed.
//
// Speed: one ONNX Runtime session per method, reused by every Detect call
// (ORT sessions are safe for concurrent Run). Within a Detect batch, texts are
// tokenized by a producer goroutine while the previous model batch runs;
// rows (one per window) are sorted by length within a bounded buffer
// (sort_buffer rows), cut into batches of batch_size rows padded to the
// longest row, and the results are put back in input order.
//
// Long texts: content tokens (special tokens excluded) are cut into windows of
// max_length minus the special tokens; each window is wrapped in the
// tokenizer's leading and trailing special tokens. With stride S, windows
// overlap by S tokens and each overlap is split at its middle (see
// tokenize.Windows); with right_context M (models that look ahead), every
// window sees M tokens past the part it owns; with left_context M (causal
// decoders, which see only the left context), every window but the first
// starts M tokens before the part it owns. Each token's
// logits come from exactly one window (its core), and aggregation then runs
// over the whole text as if it were one pass.
//
// Calibration: when the model directory holds a thresholds.json (written by
// the calibrate job, see internal/calibrate) and the thresholds option is
// model (the default), every entity's score is replaced by its class's
// calibrated probability and entities below their class threshold are
// dropped — the "no PII" outcome; the threshold option is then a global
// floor on the calibrated score. thresholds: none keeps the raw scores.
package onnx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"golang.org/x/sync/errgroup"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"
	"unicode"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/piimask/piimask/internal/calibrate"
	"github.com/piimask/piimask/internal/ortlib"
	"github.com/piimask/piimask/record"
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

// inputKind is one model input the method knows how to fill.
type inputKind int

const (
	inInputIDs inputKind = iota
	inAttentionMask
	inTokenTypeIDs
	inPositionIDs
)

var knownInputs = map[string]inputKind{
	"input_ids":      inInputIDs,
	"attention_mask": inAttentionMask,
	"token_type_ids": inTokenTypeIDs,
	"position_ids":   inPositionIDs,
}

type modelInput struct {
	name  string
	kind  inputKind
	int32 bool
}

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

// modelFiles are the files New reads from the model directory.
type modelFiles struct {
	model, tokenizer, config, tokenizerConfig string
}

func findFiles(dir string) (modelFiles, error) {
	if dir == "" {
		return modelFiles{}, errors.New("option model: not set (want a directory with model.onnx, tokenizer.json, config.json)")
	}
	f := modelFiles{
		model:           filepath.Join(dir, "model.onnx"),
		tokenizer:       filepath.Join(dir, "tokenizer.json"),
		config:          filepath.Join(dir, "config.json"),
		tokenizerConfig: filepath.Join(dir, "tokenizer_config.json"),
	}
	for _, p := range []string{f.model, f.tokenizer, f.config} {
		if _, err := os.Stat(p); err != nil {
			return f, fmt.Errorf("option model: %w", err)
		}
	}
	return f, nil
}

// readID2Label reads config.json's id2label.
func readID2Label(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cfg struct {
		ID2Label  map[string]string `json:"id2label"`
		NumLabels int               `json:"num_labels"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(cfg.ID2Label) == 0 {
		return nil, fmt.Errorf("%s: field id2label missing or empty", path)
	}
	lm, err := tokenize.LabelMapFromID2Label(cfg.ID2Label)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if cfg.NumLabels != 0 && cfg.NumLabels != lm.Len() {
		return nil, fmt.Errorf("%s: num_labels is %d but id2label has %d entries", path, cfg.NumLabels, lm.Len())
	}
	return lm.ID2Label, nil
}

// tokenizerMeta is what the aggregation needs from tokenizer.json.
type tokenizerMeta struct {
	Model struct {
		Type                    string  `json:"type"`
		UnkToken                *string `json:"unk_token"`
		ContinuingSubwordPrefix *string `json:"continuing_subword_prefix"`
	} `json:"model"`
}

func readTokenizerMeta(path string) (tokenizerMeta, error) {
	var m tokenizerMeta
	raw, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// tokenizerConfig is the part of tokenizer_config.json the method uses.
type tokenizerConfig struct {
	PaddingSide    string  `json:"padding_side"`
	ModelMaxLength float64 `json:"model_max_length"`
}

func readTokenizerConfig(path string) (tokenizerConfig, error) {
	var c tokenizerConfig
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// New loads the model described by o.
func New(ctx context.Context, o Options) (*Method, error) {
	l, err := loadModelDir(ctx, o)
	if err != nil {
		return nil, err
	}
	m := &Method{
		name:         Type,
		dir:          o.Model,
		tok:          l.tok,
		id2label:     l.id2label,
		agg:          AggregateOptions{Strategy: l.strategy, IgnoreLabels: o.IgnoreLabels, Threshold: o.Threshold},
		batchSize:    o.BatchSize,
		maxLength:    o.MaxLength,
		stride:       o.Stride,
		rightContext: o.RightContext,
		leftContext:  o.LeftContext,
		sortBuffer:   o.SortBuffer,
		unkID:        -1,
		plausible:    o.Plausibility == nil || *o.Plausibility,
	}
	if l.cal != nil {
		// Per-class thresholds apply to calibrated scores; the threshold
		// option becomes a floor on them.
		m.cal, m.floor, m.agg.Threshold = l.cal, o.Threshold, 0
	}
	if c := l.meta.Model.ContinuingSubwordPrefix; c != nil && *c != "" {
		m.wordAware = true
	}
	if u := l.meta.Model.UnkToken; u != nil {
		if id, ok := l.tok.TokenToID(*u); ok {
			m.unkID = id
		}
	}
	if err := m.applyWindowing(o, l.tcfg); err != nil {
		return nil, err
	}
	if err := m.start(o, l.files.model); err != nil {
		return nil, err
	}
	return m, nil
}

// loadedDir is what New reads from a model directory before it opens a
// session.
type loadedDir struct {
	files    modelFiles
	strategy Strategy
	id2label []string
	meta     tokenizerMeta
	tcfg     tokenizerConfig
	cal      *calibrate.Table
	tok      tokenize.Tokenizer
}

// loadModelDir reads the model directory's config, tokenizer files and
// thresholds table, and loads the tokenizer.
func loadModelDir(ctx context.Context, o Options) (loadedDir, error) {
	var l loadedDir
	if o.Tokenizer == nil {
		return l, errors.New("onnx: no tokenizer loader given (jobs pass hf.Load)")
	}
	var err error
	if l.files, err = findFiles(o.Model); err != nil {
		return l, err
	}
	if l.strategy, err = ParseStrategy(o.Aggregation); err != nil {
		return l, fmt.Errorf("option %w", err)
	}
	if l.id2label, err = readID2Label(l.files.config); err != nil {
		return l, err
	}
	if l.meta, err = readTokenizerMeta(l.files.tokenizer); err != nil {
		return l, err
	}
	if l.tcfg, err = readTokenizerConfig(l.files.tokenizerConfig); err != nil {
		return l, err
	}
	if l.cal, err = loadThresholds(o.Model, o.Thresholds); err != nil {
		return l, err
	}
	if l.tok, err = o.Tokenizer(l.files.tokenizer); err != nil {
		return l, fmt.Errorf("load %s: %w", l.files.tokenizer, err)
	}
	return l, ctx.Err()
}

// applyWindowing sets the padding side, batch size, max length, stride,
// contexts and sort buffer from the options and tokenizer_config.json, with
// their defaults, and checks them.
func (m *Method) applyWindowing(o Options, tcfg tokenizerConfig) error {
	switch side := firstNonEmpty(o.PaddingSide, tcfg.PaddingSide, "right"); side {
	case "left":
		m.leftPad = true
	case "right":
	default:
		return fmt.Errorf("padding_side %q: want left or right", side)
	}
	if m.batchSize <= 0 {
		m.batchSize = 8
	}
	if m.maxLength <= 0 {
		m.maxLength = 512
		if l := int(tcfg.ModelMaxLength); l > 0 && l < m.maxLength {
			m.maxLength = l
		}
	}
	if m.stride == 0 {
		m.stride = m.maxLength / 8
	} else if m.stride == -1 {
		m.stride = 0
	}
	if m.stride < 0 || m.stride >= m.maxLength || m.rightContext >= m.maxLength || m.rightContext < 0 ||
		m.leftContext >= m.maxLength || m.leftContext < 0 {
		return fmt.Errorf("options stride (%d), right_context (%d) and left_context (%d) must be in [0, max_length=%d)", m.stride, m.rightContext, m.leftContext, m.maxLength)
	}
	if m.rightContext > 0 && m.leftContext > 0 {
		return fmt.Errorf("options right_context (%d) and left_context (%d): set one, not both", m.rightContext, m.leftContext)
	}
	if m.sortBuffer <= 0 {
		m.sortBuffer = 4 * m.batchSize
	}
	if m.sortBuffer < m.batchSize {
		m.sortBuffer = m.batchSize
	}
	return nil
}

// start initialises ONNX Runtime (the options' runtime, or one the method
// owns) and opens the session on model.
func (m *Method) start(o Options, model string) error {
	threads := o.IntraOpThreads
	if threads == 0 {
		threads = 1
	}
	m.rt = o.Runtime
	if m.rt == nil {
		m.rt = ortlib.New(ortlib.Search{Explicit: o.ORTLib})
		m.ownRuntime = true
	}
	if err := m.rt.Init(); err != nil {
		return err
	}
	if err := m.openSession(model, threads); err != nil {
		return errors.Join(err, m.Close())
	}
	return nil
}

// loadThresholds reads dir's thresholds.json when mode is model (the
// default) and the file exists; none ignores it.
func loadThresholds(dir, mode string) (*calibrate.Table, error) {
	switch mode {
	case "", "model":
	case "none":
		return nil, nil
	default:
		return nil, fmt.Errorf("option thresholds: %q: want model or none", mode)
	}
	path := filepath.Join(dir, calibrate.FileName)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	t, err := calibrate.Load(path)
	if err != nil {
		return nil, fmt.Errorf("calibration table: %w", err)
	}
	if err := t.CheckModel(filepath.Join(dir, "model.onnx")); err != nil {
		return nil, fmt.Errorf("calibration table %s: %w", path, err)
	}
	return t, nil
}

// Calibrated reports whether the method applies a thresholds.json table.
func (m *Method) Calibrated() bool { return m.cal != nil }

// ModelDir is the directory the model was loaded from (a builtin or
// downloaded model's cache directory).
func (m *Method) ModelDir() string { return m.dir }

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// openSession reads the model's inputs and outputs and creates the session.
func (m *Method) openSession(path string, threads int) error {
	ins, outs, err := ort.GetInputOutputInfo(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	seen := map[inputKind]bool{}
	for _, in := range ins {
		kind, ok := knownInputs[in.Name]
		if !ok {
			return fmt.Errorf("%s: unsupported model input %q (supported: input_ids, attention_mask, token_type_ids, position_ids)", path, in.Name)
		}
		if in.OrtValueType != ort.ONNXTypeTensor {
			return fmt.Errorf("%s: input %q is not a tensor", path, in.Name)
		}
		var is32 bool
		switch in.DataType {
		case ort.TensorElementDataTypeInt64:
		case ort.TensorElementDataTypeInt32:
			is32 = true
		default:
			return fmt.Errorf("%s: input %q has element type %s, want int64 or int32", path, in.Name, in.DataType)
		}
		if len(in.Dimensions) != 2 {
			return fmt.Errorf("%s: input %q has shape %v, want [batch, sequence]", path, in.Name, in.Dimensions)
		}
		seen[kind] = true
		m.inputs = append(m.inputs, modelInput{name: in.Name, kind: kind, int32: is32})
	}
	if !seen[inInputIDs] {
		return fmt.Errorf("%s: model has no input_ids input", path)
	}
	var out *ort.InputOutputInfo
	for i := range outs {
		if outs[i].Name == "logits" {
			out = &outs[i]
		}
	}
	if out == nil && len(outs) == 1 {
		out = &outs[0]
	}
	if out == nil {
		names := make([]string, len(outs))
		for i, o := range outs {
			names[i] = o.Name
		}
		return fmt.Errorf("%s: no output named logits among %v", path, names)
	}
	if out.DataType != ort.TensorElementDataTypeFloat || len(out.Dimensions) != 3 {
		return fmt.Errorf("%s: output %q is %s %v, want float [batch, sequence, num_labels]", path, out.Name, out.DataType, out.Dimensions)
	}
	if d := out.Dimensions[2]; d > 0 && int(d) != len(m.id2label) {
		return fmt.Errorf("%s: output %q has %d labels but config.json id2label has %d", path, out.Name, d, len(m.id2label))
	}
	m.output = out.Name

	so, err := ort.NewSessionOptions()
	if err != nil {
		return fmt.Errorf("session options: %w", err)
	}
	defer so.Destroy()
	if threads > 0 {
		if err := so.SetIntraOpNumThreads(threads); err != nil {
			return fmt.Errorf("intra_op_threads %d: %w", threads, err)
		}
	}
	if err := so.SetInterOpNumThreads(1); err != nil {
		return fmt.Errorf("inter-op threads: %w", err)
	}
	names := make([]string, len(m.inputs))
	for i, in := range m.inputs {
		names[i] = in.name
	}
	m.session, err = ort.NewDynamicAdvancedSession(path, names, []string{m.output}, so)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	return nil
}

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

// doc is one text being processed.
type doc struct {
	idx int // position in the Detect batch
	// pending counts windows whose logits have not been scattered yet.
	pending atomic.Int32
	runes   []rune
	enc     *tokenize.Encoding
	prefix  int // leading special tokens
	suffix  int // trailing special tokens
	// logits of the content tokens, len(content) × labels, filled by window cores.
	logits []float32
}

func (d *doc) contentLen() int { return d.enc.Len() - d.prefix - d.suffix }

// row is one window of one doc: what one line of a model batch holds.
type row struct {
	doc *doc
	win tokenize.Window
}

func (r row) length() int { return r.doc.prefix + (r.win.End - r.win.Start) + r.doc.suffix }

// Detect implements detect.Method. Three steps overlap in an errgroup: a
// producer tokenizes and packs rows, a runner runs the model on them, and an
// aggregator turns each finished document's logits into spans. The first
// error cancels the others.
func (m *Method) Detect(ctx context.Context, batch []record.Record) ([]detect.Prediction, error) {
	start := time.Now()
	docs := make([]*doc, len(batch))
	preds := make([]detect.Prediction, len(batch))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	g, gctx := errgroup.WithContext(ctx)
	finished := make(chan int, len(batch)) // never blocks: one send a doc
	g.Go(func() error {
		defer close(finished) // the producer and the runner are done sending
		batches := make(chan []row, 2)
		var producer errgroup.Group
		producer.Go(func() error {
			defer close(batches)
			return m.produce(gctx, batch, docs, batches, finished)
		})
		runErr := m.runAll(gctx, cancel, batches, finished)
		return firstErr(runErr, producer.Wait())
	})
	g.Go(func() error {
		for i := range finished {
			t0 := time.Now()
			spans, err := m.aggregate(docs[i])
			if err != nil {
				return fmt.Errorf("record %s (%s): %w", batch[i].ID, batch[i].Origin, err)
			}
			preds[i].Spans = spans
			m.stats.aggregate.Add(int64(time.Since(t0)))
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return nil, err
	}
	m.stats.docs.Add(int64(len(batch)))
	m.stats.wall.Add(int64(time.Since(start)))
	return preds, nil
}

// runAll runs the model on every batch the producer sends. After an error
// it cancels the producer and keeps draining batches so the producer can
// return; the first error is returned.
func (m *Method) runAll(ctx context.Context, cancel context.CancelFunc, batches <-chan []row, finished chan<- int) error {
	var runErr error
	for rows := range batches {
		if runErr != nil {
			continue // drain so the producer can finish
		}
		if err := ctx.Err(); err != nil {
			runErr = err
			cancel()
			continue
		}
		if err := m.run(rows, finished); err != nil {
			runErr = err
			cancel()
		}
	}
	return runErr
}

// firstErr returns the first non-nil error: the root cause before the
// cancellations it triggered.
func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil && !errors.Is(e, context.Canceled) {
			return e
		}
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// produce tokenizes the records, cuts windows and sends length-sorted batches.
func (m *Method) produce(ctx context.Context, batch []record.Record, docs []*doc, out chan<- []row, finished chan<- int) error {
	var buf []row
	flush := func() error {
		slices.SortStableFunc(buf, func(a, b row) int { return a.length() - b.length() })
		for len(buf) > 0 {
			n := min(m.batchSize, len(buf))
			select {
			case out <- buf[:n:n]:
			case <-ctx.Done():
				return ctx.Err()
			}
			buf = buf[n:]
		}
		buf = nil
		return nil
	}
	for i := range batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		t0 := time.Now()
		d, err := m.prepare(i, batch[i].Text)
		if err != nil {
			return fmt.Errorf("record %s (%s): tokenize: %w", batch[i].ID, batch[i].Origin, err)
		}
		docs[i] = d
		n := d.contentLen()
		m.stats.tokens.Add(int64(n))
		maxTokens := max(m.maxLength-d.prefix-d.suffix, 1)
		var wins []tokenize.Window
		if n > 0 {
			switch {
			case m.rightContext > 0:
				wins, err = tokenize.WindowsWithRightContext(n, maxTokens, min(m.rightContext, maxTokens-1))
			case m.leftContext > 0:
				wins, err = tokenize.WindowsWithLeftContext(n, maxTokens, min(m.leftContext, maxTokens-1))
			default:
				wins, err = tokenize.Windows(n, maxTokens, min(m.stride, maxTokens-1))
			}
			if err != nil {
				return fmt.Errorf("record %s (%s): %w", batch[i].ID, batch[i].Origin, err)
			}
		}
		d.pending.Store(int32(len(wins)))
		if len(wins) == 0 {
			finished <- i
		}
		for _, w := range wins {
			buf = append(buf, row{doc: d, win: w})
		}
		m.stats.tokenize.Add(int64(time.Since(t0)))
		if len(buf) >= m.sortBuffer {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// prepare tokenizes one text and finds its leading/trailing special tokens.
func (m *Method) prepare(idx int, text string) (*doc, error) {
	enc, err := m.tok.Encode(text, true)
	if err != nil {
		return nil, err
	}
	n := enc.Len()
	if len(enc.Offsets) != n || len(enc.SpecialTokensMask) != n {
		return nil, fmt.Errorf("tokenizer returned %d ids, %d offsets, %d special flags", n, len(enc.Offsets), len(enc.SpecialTokensMask))
	}
	d := &doc{idx: idx, runes: []rune(text), enc: enc}
	for d.prefix < n && enc.SpecialTokensMask[d.prefix] == 1 {
		d.prefix++
	}
	for d.suffix < n-d.prefix && enc.SpecialTokensMask[n-1-d.suffix] == 1 {
		d.suffix++
	}
	if d.contentLen() == 0 { // only special tokens: nothing to classify
		d.prefix, d.suffix = n, 0
	}
	d.logits = make([]float32, d.contentLen()*len(m.id2label))
	return d, nil
}

// packed is one batch of rows as padded B×T input columns.
type packed struct {
	B, T                  int
	ids, mask, types, pos []int64
	offsets               []int // where each row's first token sits (left padding)
}

// pack lays rows out as padded B×T inputs: ids, attention mask, token type
// ids and position ids (cumsum(attention_mask) - 1, 1 where masked, as HF).
func (m *Method) pack(rows []row) packed {
	p := packed{B: len(rows)}
	for _, r := range rows {
		p.T = max(p.T, r.length())
	}
	size := p.B * p.T
	p.ids, p.mask, p.types, p.pos = make([]int64, size), make([]int64, size), make([]int64, size), make([]int64, size)
	p.offsets = make([]int, p.B)
	pad := int64(m.tok.PadID())
	for b, r := range rows {
		off := 0
		if m.leftPad {
			off = p.T - r.length()
		}
		p.offsets[b] = off
		base := b * p.T
		for t := 0; t < p.T; t++ {
			p.ids[base+t] = pad
			p.pos[base+t] = 1 // HF masked_fill for padding positions
		}
		enc := r.doc.enc
		n := enc.Len()
		t := base + off
		put := func(src int) {
			p.ids[t] = int64(enc.IDs[src])
			p.mask[t] = 1
			if enc.TypeIDs != nil {
				p.types[t] = int64(enc.TypeIDs[src])
			}
			t++
		}
		for i := 0; i < r.doc.prefix; i++ {
			put(i)
		}
		for i := r.win.Start; i < r.win.End; i++ {
			put(r.doc.prefix + i)
		}
		for i := n - r.doc.suffix; i < n; i++ {
			put(i)
		}
		var c int64
		for t := base; t < base+p.T; t++ {
			c += p.mask[t]
			if p.mask[t] == 1 {
				p.pos[t] = c - 1
			}
		}
	}
	return p
}

// inputTensors makes the session's input tensors from p, in the model's
// input order and element types. The caller destroys them
// (destroyValues), also after an error.
func (m *Method) inputTensors(p packed) ([]ort.Value, error) {
	shape := ort.NewShape(int64(p.B), int64(p.T))
	inputs := make([]ort.Value, len(m.inputs))
	for i, in := range m.inputs {
		var data []int64
		switch in.kind {
		case inInputIDs:
			data = p.ids
		case inAttentionMask:
			data = p.mask
		case inTokenTypeIDs:
			data = p.types
		case inPositionIDs:
			data = p.pos
		}
		var err error
		if in.int32 {
			d32 := make([]int32, len(data))
			for j, v := range data {
				d32[j] = int32(v)
			}
			inputs[i], err = ort.NewTensor(shape, d32)
		} else {
			inputs[i], err = ort.NewTensor(shape, data)
		}
		if err != nil {
			return inputs, fmt.Errorf("input %s: %w", in.name, err)
		}
	}
	return inputs, nil
}

// destroyValues releases ORT values, joining their errors.
func destroyValues(vs []ort.Value) error {
	var errs []error
	for _, v := range vs {
		if v != nil {
			if err := v.Destroy(); err != nil {
				errs = append(errs, fmt.Errorf("destroy tensor: %w", err))
			}
		}
	}
	return errors.Join(errs...)
}

// run builds the padded tensors for rows, runs the session and scatters the
// logits of each window's core back to its doc.
// Each doc whose last window this was is sent on finished.
func (m *Method) run(rows []row, finished chan<- int) (err error) {
	t0 := time.Now()
	p := m.pack(rows)
	inputs, err := m.inputTensors(p)
	defer func() { err = errors.Join(err, destroyValues(inputs)) }()
	if err != nil {
		return err
	}
	outputs := []ort.Value{nil}
	t1 := time.Now()
	err = m.session.Run(inputs, outputs)
	t2 := time.Now()
	m.stats.run.Add(int64(t2.Sub(t1)))
	m.stats.pack.Add(int64(t1.Sub(t0)))
	if err != nil {
		return fmt.Errorf("run model on a batch of %d×%d: %w", p.B, p.T, err)
	}
	defer func() { err = errors.Join(err, destroyValues(outputs)) }()
	if err := m.scatter(rows, p, outputs[0], finished); err != nil {
		return err
	}
	m.stats.scatter.Add(int64(time.Since(t2)))
	m.stats.rows.Add(int64(p.B))
	m.stats.batches.Add(1)
	m.stats.paddedTokens.Add(int64(p.B * p.T))
	return nil
}

// scatter copies each row's core logits from the output into its doc and
// sends on finished each doc whose last window this was.
func (m *Method) scatter(rows []row, p packed, out ort.Value, finished chan<- int) error {
	logits, ok := out.(*ort.Tensor[float32])
	if !ok {
		return fmt.Errorf("output %s: got %T, want a float32 tensor", m.output, out)
	}
	B, T, L := p.B, p.T, len(m.id2label)
	if s := logits.GetShape(); len(s) != 3 || s[0] != int64(B) || s[1] != int64(T) || s[2] != int64(L) {
		return fmt.Errorf("output %s has shape %v, want [%d %d %d] (config.json id2label has %d labels)", m.output, s, B, T, L, L)
	}
	data := logits.GetData()
	for b, r := range rows {
		base := b*T + p.offsets[b] + r.doc.prefix - r.win.Start
		for j := r.win.CoreStart; j < r.win.CoreEnd; j++ {
			copy(r.doc.logits[j*L:(j+1)*L], data[(base+j)*L:(base+j+1)*L])
		}
		if r.doc.pending.Add(-1) == 0 {
			finished <- r.doc.idx
		}
	}
	return nil
}

// aggregate turns one doc's logits into spans.
func (m *Method) aggregate(d *doc) ([]record.Span, error) {
	L := len(m.id2label)
	n := d.contentLen()
	pre := make([]PreEntity, 0, n)
	scores := make([]float64, n*L) // one allocation for every token's probabilities
	for j := 0; j < n; j++ {
		i := d.prefix + j
		if d.enc.SpecialTokensMask[i] == 1 {
			continue
		}
		off := d.enc.Offsets[i]
		var token string
		wordAware := m.wordAware
		if d.enc.Tokens != nil {
			token = d.enc.Tokens[i]
		} else {
			wordAware = false
		}
		pre = append(pre, PreEntity{
			Start:   off[0],
			End:     off[1],
			Subword: IsSubword(d.runes, token, off[0], off[1], wordAware, d.enc.IDs[i] == m.unkID),
			Scores:  Softmax(scores[j*L:j*L:(j+1)*L], d.logits[j*L:(j+1)*L]),
		})
	}
	ents, err := Aggregate(pre, m.id2label, m.agg)
	if err != nil {
		return nil, err
	}
	spans := make([]record.Span, 0, len(ents))
	for _, e := range ents {
		start, end := trimSpace(d.runes, e.Start, e.End)
		if start >= end || (m.plausible && !plausibleSpan(e.Label, d.runes, start, end)) {
			continue // empty, or "no PII": text that cannot be of its class
		}
		score := e.Score
		if m.cal != nil {
			p, th := m.cal.Score(e.Label, score)
			if p < th || p < m.floor {
				continue // "no PII": below its class threshold
			}
			score = p
		}
		spans = append(spans, record.Span{Start: start, End: end, Label: e.Label, Score: score})
	}
	return spans, nil
}

// trimSpace narrows [start, end) to exclude leading and trailing whitespace.
// SentencePiece-style (Metaspace, "▁John") and byte-level BPE ("Ġjohn")
// tokens cover the space before a word in their offsets, exactly as the Rust
// tokenizers report them, so an entity aggregated from such tokens would start
// at that space; a PII span never does.
func trimSpace(text []rune, start, end int) (int, int) {
	end = min(end, len(text))
	for start < end && unicode.IsSpace(text[start]) {
		start++
	}
	for end > start && unicode.IsSpace(text[end-1]) {
		end--
	}
	return start, end
}

// statCounters accumulate time and volume across Detect calls (atomics: the
// engine may call Detect concurrently).
type statCounters struct {
	docs, tokens, rows, batches, paddedTokens     atomic.Int64
	wall, tokenize, pack, run, scatter, aggregate atomic.Int64
}

// Stats is a snapshot of the method's counters since it was opened.
type Stats struct {
	Docs, Tokens, Rows, Batches int64
	// PaddedTokens is the number of token slots sent to the model (rows ×
	// padded length); Tokens/PaddedTokens is the padding efficiency.
	PaddedTokens int64
	// Wall is the summed wall time of Detect calls. Tokenize runs in a
	// producer goroutine overlapping Run, so the parts need not add up.
	Wall, Tokenize, Pack, Run, Scatter, Aggregate time.Duration
}

// OutsideRunShare is the share of Detect wall time not spent in session.Run.
func (s Stats) OutsideRunShare() float64 {
	if s.Wall <= 0 {
		return 0
	}
	return 1 - float64(s.Run)/float64(s.Wall)
}

// Stats returns the counters accumulated so far.
func (m *Method) Stats() Stats {
	c := &m.stats
	return Stats{
		Docs: c.docs.Load(), Tokens: c.tokens.Load(), Rows: c.rows.Load(), Batches: c.batches.Load(),
		PaddedTokens: c.paddedTokens.Load(),
		Wall:         time.Duration(c.wall.Load()), Tokenize: time.Duration(c.tokenize.Load()),
		Pack: time.Duration(c.pack.Load()), Run: time.Duration(c.run.Load()),
		Scatter: time.Duration(c.scatter.Load()), Aggregate: time.Duration(c.aggregate.Load()),
	}
}

var _ detect.Method = (*Method)(nil)
