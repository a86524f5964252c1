package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/piimask/piimask/internal/onnxgraph"
	"github.com/piimask/piimask/internal/onnxgraph/onnxpb"
)

// IgnoreLabel marks a token that has no training label (special tokens,
// continuation sub-tokens): it still serves as context for its neighbours.
const IgnoreLabel = -100

// Example is one training sequence: token ids and one label id per token
// (IgnoreLabel to skip the token in the loss).
type Example struct {
	IDs    []int
	Labels []int
}

// Config sets the model size and the training schedule. Zero fields take the
// defaults of Defaults (VocabSize and NumLabels must be set).
type Config struct {
	Kind      onnxgraph.Kind // Encoder (default) or Decoder
	VocabSize int            // tokenizer vocabulary size
	NumLabels int            // label map size
	PadID     int            // the tokenizer's pad id (a vocabulary entry, used outside the sequence)

	EmbedDim int // token embedding size (default 32)
	Hidden   int // hidden layer size (default 128)
	Window   int // k: ±k tokens (Encoder) or the k previous tokens (Decoder); default 2

	TypeVocabSize   int // Encoder: token_type_ids values (default 2)
	PositionBuckets int // Decoder: distinct positions min(position_id, buckets-1) (default Window+1)
	MaxPositions    int // max_position_embeddings written to config.json (default 512)

	Epochs       int           // passes over the examples (default 3)
	BatchSize    int           // sequences per optimizer step (default 32)
	LearningRate float64       // Adam step size (default 3e-3)
	Seed         uint64        // initialisation and batch order
	MaxSteps     int           // stop after this many steps (0: no limit)
	TimeBudget   time.Duration // stop after the step that passes this much time (0: none; not deterministic)

	// Shards is the fixed number of parts a batch's gradient is summed over
	// (default 4). Results depend on Shards, never on Workers.
	Shards  int
	Workers int // goroutines computing shards (default GOMAXPROCS)

	// Progress, when set, is called after every step.
	Progress func(Step)

	// The fields below apply to TrainConv (the ConvTagger) only.

	// Offsets lists each convolution layer's relative token positions
	// (default DefaultOffsets(Kind)).
	Offsets [][]int
	// NumFeatures and Features are the fixed feature table (VocabSize ×
	// NumFeatures, see VocabFeatures).
	NumFeatures int
	Features    []float32
	// FeatureNames names the feature columns (written to config.json).
	FeatureNames []string
	// WordDropout is the probability that a labelled training token's
	// embedding is replaced by UnkID's (its features are kept).
	WordDropout float64
	UnkID       int
	// OWeight weights the loss of tokens labelled 0 ("O"); default 1.
	OWeight float64
	// Schedule is ScheduleConstant (default) or ScheduleLinear.
	Schedule string
}

// Learning-rate schedules.
const (
	// ScheduleConstant keeps LearningRate throughout.
	ScheduleConstant = "constant"
	// ScheduleLinear warms up linearly over the first 5% of the planned
	// steps, then decays linearly to 5% of LearningRate at the last one.
	ScheduleLinear = "linear"
)

// Step reports one optimizer step to Config.Progress.
type Step struct {
	Step, Epoch int
	Loss        float64 // mean cross-entropy of the batch's labelled tokens
	Tokens      int     // labelled tokens in the batch
}

// Defaults returns cfg with zero fields set to their defaults.
func (cfg Config) Defaults() Config {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	if cfg.Kind == "" {
		cfg.Kind = onnxgraph.Encoder
	}
	def(&cfg.EmbedDim, 32)
	def(&cfg.Hidden, 128)
	def(&cfg.Window, 2)
	def(&cfg.TypeVocabSize, 2)
	def(&cfg.PositionBuckets, cfg.Window+1)
	def(&cfg.MaxPositions, 512)
	def(&cfg.Epochs, 3)
	def(&cfg.BatchSize, 32)
	def(&cfg.Shards, 4)
	def(&cfg.Workers, runtime.GOMAXPROCS(0))
	if cfg.LearningRate == 0 {
		cfg.LearningRate = 3e-3
	}
	return cfg
}

// Stats summarises a training run.
type Stats struct {
	Steps           int
	Epochs          int       // epochs started
	Tokens          int64     // labelled tokens processed (counting repeats)
	EpochLoss       []float64 // mean loss of each epoch (the last may be partial)
	Duration        time.Duration
	TokensPerSecond float64
	StoppedBy       string // "epochs", "max_steps" or "time_budget"
}

// Weights is a trained model: the architecture and its parameters.
type Weights struct {
	onnxgraph.WindowMLP
	// MaxPositions is written to config.json as max_position_embeddings.
	MaxPositions int
}

// NewWeights initialises a model for cfg (after Defaults) from cfg.Seed.
func NewWeights(cfg Config) (*Weights, error) {
	cfg = cfg.Defaults()
	m := onnxgraph.WindowMLP{
		Kind: cfg.Kind, VocabSize: cfg.VocabSize, EmbedDim: cfg.EmbedDim, Hidden: cfg.Hidden,
		NumLabels: cfg.NumLabels, Left: cfg.Window, PadID: cfg.PadID, AuxRows: cfg.TypeVocabSize,
	}
	if cfg.Kind == onnxgraph.Encoder {
		m.Right = cfg.Window
	} else {
		m.AuxRows = cfg.PositionBuckets
	}
	if cfg.VocabSize <= 0 || cfg.NumLabels <= 0 {
		return nil, fmt.Errorf("train: vocabulary size %d and label count %d must be positive", cfg.VocabSize, cfg.NumLabels)
	}
	r := newInitRNG(cfg.Seed)
	m.Embedding = r.embedding(m.VocabSize, m.EmbedDim)
	m.W1 = r.xavier(m.Width()*m.EmbedDim, m.Hidden)
	m.B1 = make([]float32, m.Hidden)
	m.Aux = make([]float32, m.AuxRows*m.Hidden)
	m.W2 = r.xavier(m.Hidden, m.NumLabels)
	m.B2 = make([]float32, m.NumLabels)
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	return &Weights{WindowMLP: m, MaxPositions: cfg.MaxPositions}, nil
}

// initRNG draws initial weights from a PCG seeded by Config.Seed; both
// trainers draw from it in a fixed order.
type initRNG struct{ r *rand.Rand }

func newInitRNG(seed uint64) initRNG {
	return initRNG{rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))}
}

// embedding is a vocab×d table of N(0, 1/d) values.
func (g initRNG) embedding(vocab, d int) []float32 {
	s := make([]float32, vocab*d)
	std := 1 / math.Sqrt(float64(d))
	for i := range s {
		s[i] = float32(g.r.NormFloat64() * std)
	}
	return s
}

// uniform is n values drawn uniformly from (-a, a).
func (g initRNG) uniform(n int, a float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32((2*g.r.Float64() - 1) * a)
	}
	return s
}

// xavier is an in×out matrix with Xavier-uniform initialisation.
func (g initRNG) xavier(in, out int) []float32 {
	return g.uniform(in*out, math.Sqrt(6/float64(in+out)))
}

// CheckExamples reports the first example whose ids or labels are out of range.
func CheckExamples(examples []Example, vocabSize, numLabels int) error {
	for i, ex := range examples {
		if len(ex.IDs) != len(ex.Labels) {
			return fmt.Errorf("train: example %d: %d ids but %d labels", i, len(ex.IDs), len(ex.Labels))
		}
		for j, id := range ex.IDs {
			if id < 0 || id >= vocabSize {
				return fmt.Errorf("train: example %d, token %d: id %d outside vocabulary 0..%d", i, j, id, vocabSize-1)
			}
			if l := ex.Labels[j]; l != IgnoreLabel && (l < 0 || l >= numLabels) {
				return fmt.Errorf("train: example %d, token %d: label %d outside 0..%d (or %d)", i, j, l, numLabels-1, IgnoreLabel)
			}
		}
	}
	return nil
}

// Train fits a new model to examples with Adam and softmax cross-entropy.
// The same examples and Config (Seed, Shards, sizes) give the same weights,
// bit for bit, unless TimeBudget cuts the run short.
func Train(ctx context.Context, examples []Example, cfg Config) (*Weights, Stats, error) {
	cfg = cfg.Defaults()
	return fit(ctx, examples, cfg, NewWeights, nil, func(w *Weights) stepFunc {
		t := newTrainer(w, cfg)
		return func(batch []*Example, _ int) (float64, int) { return t.step(batch) }
	})
}

// stepFunc runs one optimizer step on a batch, given the planned number of
// steps; it returns the batch's mean loss and labelled token count.
type stepFunc = func(batch []*Example, total int) (float64, int)

// fit is what Train and TrainConv share: it builds the weights for cfg,
// checks the examples, then cfg with check (nil: nothing more to check), and
// runs loop with the step of the trainer newStep makes for the weights.
func fit[W any](ctx context.Context, examples []Example, cfg Config, build func(Config) (W, error), check func() error, newStep func(W) stepFunc) (W, Stats, error) {
	var none W
	w, err := build(cfg)
	if err != nil {
		return none, Stats{}, err
	}
	if err := CheckExamples(examples, cfg.VocabSize, cfg.NumLabels); err != nil {
		return none, Stats{}, err
	}
	if check != nil {
		if err := check(); err != nil {
			return none, Stats{}, err
		}
	}
	st, err := loop(ctx, examples, cfg, newStep(w))
	if err != nil {
		return none, st, err
	}
	return w, st, nil
}

// plannedSteps is the number of steps loop will run unless stopped by time.
func plannedSteps(n int, cfg Config) int {
	steps := cfg.Epochs * ((n + cfg.BatchSize - 1) / max(1, cfg.BatchSize))
	if cfg.MaxSteps > 0 {
		steps = min(steps, cfg.MaxSteps)
	}
	return steps
}

// loop runs the epochs: a seeded shuffle per epoch, batches of cfg.BatchSize,
// one call of step per batch (with the planned number of steps), and the
// stopping rules.
func loop(ctx context.Context, examples []Example, cfg Config, step stepFunc) (Stats, error) {
	if len(examples) == 0 {
		return Stats{}, fmt.Errorf("train: no examples")
	}
	if cfg.Epochs < 0 || cfg.BatchSize < 0 || cfg.Shards < 0 || cfg.LearningRate < 0 {
		return Stats{}, fmt.Errorf("train: negative epochs, batch size, shards or learning rate")
	}
	total := plannedSteps(len(examples), cfg)
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	r := rand.New(rand.NewPCG(cfg.Seed, 0x2545f4914f6cdd1d))
	var st Stats
	start := time.Now()
	st.StoppedBy = "epochs"
epochs:
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		st.Epochs++
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var lossSum float64
		var lossN int
		for lo := 0; lo < len(order); lo += cfg.BatchSize {
			if err := ctx.Err(); err != nil {
				return st, fmt.Errorf("train: step %d: %w", st.Steps, err)
			}
			batch := make([]*Example, 0, cfg.BatchSize)
			for _, i := range order[lo:min(lo+cfg.BatchSize, len(order))] {
				batch = append(batch, &examples[i])
			}
			loss, n := step(batch, total)
			st.Steps++
			st.Tokens += int64(n)
			lossSum += loss * float64(n)
			lossN += n
			if cfg.Progress != nil {
				cfg.Progress(Step{Step: st.Steps, Epoch: epoch, Loss: loss, Tokens: n})
			}
			if cfg.MaxSteps > 0 && st.Steps >= cfg.MaxSteps {
				st.StoppedBy = "max_steps"
			} else if cfg.TimeBudget > 0 && time.Since(start) >= cfg.TimeBudget {
				st.StoppedBy = "time_budget"
			}
			if st.StoppedBy != "epochs" {
				st.EpochLoss = append(st.EpochLoss, lossSum/math.Max(1, float64(lossN)))
				break epochs
			}
		}
		st.EpochLoss = append(st.EpochLoss, lossSum/math.Max(1, float64(lossN)))
	}
	st.Duration = time.Since(start)
	if s := st.Duration.Seconds(); s > 0 {
		st.TokensPerSecond = float64(st.Tokens) / s
	}
	return st, nil
}

// Logits runs the model on one sequence of token ids (no padding; token type
// 0, positions 0..n-1) and returns one row of NumLabels logits per token.
func (w *Weights) Logits(ids []int) [][]float32 {
	ids64 := make([]int64, len(ids))
	for i, id := range ids {
		ids64[i] = int64(id)
	}
	flat := w.Forward(ids64, nil, nil)
	out := make([][]float32, len(ids))
	for i := range out {
		out[i] = flat[i*w.NumLabels : (i+1)*w.NumLabels : (i+1)*w.NumLabels]
	}
	return out
}

// Predict returns the arg-max label of each token.
func (w *Weights) Predict(ids []int) []int {
	logits := w.Logits(ids)
	out := make([]int, len(ids))
	for i, row := range logits {
		best := 0
		for c, v := range row {
			if v > row[best] {
				best = c
			}
		}
		out[i] = best
	}
	return out
}

// Eval is token-level accuracy over labelled tokens.
type Eval struct {
	Tokens, Correct int
	// Entity* count only tokens whose gold label is not 0 (label 0 is "O" in
	// piimask label maps).
	EntityTokens, EntityCorrect int
}

// Accuracy is Correct/Tokens.
func (e Eval) Accuracy() float64 { return float64(e.Correct) / math.Max(1, float64(e.Tokens)) }

// EntityRecall is EntityCorrect/EntityTokens.
func (e Eval) EntityRecall() float64 {
	return float64(e.EntityCorrect) / math.Max(1, float64(e.EntityTokens))
}

// Evaluate measures token accuracy on examples (IgnoreLabel tokens skipped).
func (w *Weights) Evaluate(examples []Example) Eval {
	var e Eval
	for _, ex := range examples {
		pred := w.Predict(ex.IDs)
		for j, gold := range ex.Labels {
			e.add(gold, pred[j])
		}
	}
	return e
}

// add counts one token with gold label gold and prediction pred.
func (e *Eval) add(gold, pred int) {
	if gold == IgnoreLabel {
		return
	}
	e.Tokens++
	ok := pred == gold
	if ok {
		e.Correct++
	}
	if gold != 0 {
		e.EntityTokens++
		if ok {
			e.EntityCorrect++
		}
	}
}

// ExportONNX writes the model as an ONNX file at path (atomically).
func (w *Weights) ExportONNX(path string) error { return exportONNX(path, w.Model) }

// exportONNX writes the graph model builds as an ONNX file at path.
func exportONNX(path string, model func() (*onnxpb.ModelProto, error)) error {
	m, err := model()
	if err != nil {
		return fmt.Errorf("train: export %s: %w", path, err)
	}
	return onnxgraph.WriteFile(path, m)
}
