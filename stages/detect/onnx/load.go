package onnx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/piimask/piimask/internal/calibrate"
	"github.com/piimask/piimask/internal/ortlib"
	"github.com/piimask/piimask/stages/tokenize"
)

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
	return m.newSession(path, threads)
}

// newSession opens the ORT session on path with the method's inputs and
// output, threads intra-op threads and one inter-op thread.
func (m *Method) newSession(path string, threads int) (err error) {
	so, err := ort.NewSessionOptions()
	if err != nil {
		return fmt.Errorf("session options: %w", err)
	}
	defer func() {
		if derr := so.Destroy(); derr != nil {
			err = errors.Join(err, fmt.Errorf("destroy session options: %w", derr))
		}
	}()
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
