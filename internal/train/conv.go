package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/piimask/piimask/internal/onnxgraph"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// ConvWeights is a trained onnxgraph.ConvTagger.
type ConvWeights struct {
	onnxgraph.ConvTagger
	// MaxPositions is written to config.json as max_position_embeddings.
	MaxPositions int
	// PadID is written to config.json as pad_token_id (the graph needs no
	// pad id: masked positions are zeroed).
	PadID int
	// FeatureNames names the feature table's columns (config.json).
	FeatureNames []string
}

// DefaultOffsets returns the default convolution offsets of a kind: three
// layers with receptive field ±14 tokens (Encoder) or the 28 previous tokens
// (Decoder).
func DefaultOffsets(kind onnxgraph.Kind) [][]int {
	if kind == onnxgraph.Decoder {
		return [][]int{{-4, -3, -2, -1, 0}, {-8, -6, -4, -2, 0}, {-16, -12, -8, -4, 0}}
	}
	return [][]int{{-2, -1, 0, 1, 2}, {-4, -2, 0, 2, 4}, {-8, -4, 0, 4, 8}}
}

// NewConvWeights initialises a ConvTagger for cfg from cfg.Seed. cfg.Offsets
// (default DefaultOffsets) sets the layers; cfg.Features (VocabSize ×
// cfg.NumFeatures) is copied into the model as its fixed feature table.
func NewConvWeights(cfg Config) (*ConvWeights, error) {
	cfg = cfg.convDefaults()
	if cfg.VocabSize <= 0 || cfg.NumLabels <= 0 {
		return nil, fmt.Errorf("train: vocabulary size %d and label count %d must be positive", cfg.VocabSize, cfg.NumLabels)
	}
	if len(cfg.Features) != cfg.VocabSize*cfg.NumFeatures {
		return nil, fmt.Errorf("train: feature table has %d values, want vocabulary %d × features %d", len(cfg.Features), cfg.VocabSize, cfg.NumFeatures)
	}
	m := onnxgraph.ConvTagger{
		Kind: cfg.Kind, VocabSize: cfg.VocabSize, EmbedDim: cfg.EmbedDim, NumFeatures: cfg.NumFeatures,
		Hidden: cfg.Hidden, NumLabels: cfg.NumLabels, AuxRows: cfg.TypeVocabSize, Offsets: cfg.Offsets,
		Features: append([]float32(nil), cfg.Features...),
	}
	if cfg.Kind == onnxgraph.Decoder {
		m.AuxRows = cfg.PositionBuckets
	}
	r := newInitRNG(cfg.Seed)
	m.Embedding = r.embedding(m.VocabSize, m.EmbedDim)
	for l, offs := range m.Offsets {
		// He-uniform for ReLU layers; the residual layers start smaller so
		// the sum of a layer and its input keeps its scale.
		scale := 1.0
		if l > 0 {
			scale = 0.5
		}
		in := len(offs) * m.InputDim(l)
		m.Layers = append(m.Layers, onnxgraph.ConvLayer{
			W: r.uniform(in*m.Hidden, scale*math.Sqrt(6/float64(in))),
			B: make([]float32, m.Hidden),
		})
	}
	m.Aux = make([]float32, m.AuxRows*m.Hidden)
	m.Wout = r.xavier(m.Hidden, m.NumLabels)
	m.Bout = make([]float32, m.NumLabels)
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	return &ConvWeights{ConvTagger: m, MaxPositions: cfg.MaxPositions, PadID: cfg.PadID, FeatureNames: cfg.FeatureNames}, nil
}

func (cfg Config) convDefaults() Config {
	if cfg.Kind == "" {
		cfg.Kind = onnxgraph.Encoder
	}
	if cfg.Offsets == nil {
		cfg.Offsets = DefaultOffsets(cfg.Kind)
	}
	if cfg.PositionBuckets == 0 {
		cfg.PositionBuckets = 8
	}
	if cfg.EmbedDim == 0 {
		cfg.EmbedDim = 64
	}
	if cfg.Hidden == 0 {
		cfg.Hidden = 128
	}
	if cfg.OWeight == 0 {
		cfg.OWeight = 1
	}
	return cfg.Defaults()
}

// TrainConv fits a new ConvTagger to examples with Adam and softmax
// cross-entropy (label 0, "O", weighted by cfg.OWeight), word dropout
// cfg.WordDropout (a labelled token's embedding row replaced by cfg.UnkID's,
// its feature row kept) and cfg.Schedule. Each layer is one matrix product
// over all tokens of a shard (im2col over the offsets). The same examples and
// Config give the same weights, bit for bit, unless TimeBudget cuts the run
// short.
func TrainConv(ctx context.Context, examples []Example, cfg Config) (*ConvWeights, Stats, error) {
	cfg = cfg.convDefaults()
	check := func() error {
		if cfg.WordDropout < 0 || cfg.WordDropout >= 1 {
			return fmt.Errorf("train: word dropout %g outside [0, 1)", cfg.WordDropout)
		}
		if cfg.WordDropout > 0 && (cfg.UnkID < 0 || cfg.UnkID >= cfg.VocabSize) {
			return fmt.Errorf("train: word dropout needs an unknown-token id in the vocabulary, got %d", cfg.UnkID)
		}
		return nil
	}
	return fit(ctx, examples, cfg, NewConvWeights, check, func(w *ConvWeights) stepFunc { return newConvTrainer(w, cfg).step })
}

// convPass is the forward state of one shard: the tokens of its sequences
// laid end to end, and each layer's im2col input, pre-activation and output.
type convPass struct {
	n         int
	emb, feat []int       // embedding row (after word dropout) and feature row per token
	lo, hi    []int       // bounds of the token's sequence in the pass
	aux       []int       // Aux row per token
	labels    []int       // label per token (IgnoreLabel: none)
	acts      [][]float32 // acts[0] = x0 (n × In_1), acts[l+1] = h_{l+1} (n × Hidden)
	cols, zs  [][]float32
	logits    []float32
	dh, dprev []float32
	dcol      []float32
}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

func growInt(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

// load lays out batch; drop decides, per labelled token, whether its
// embedding becomes unk's (nil: never).
func (p *convPass) load(m *onnxgraph.ConvTagger, batch []*Example, drop func() bool, unk int) {
	n := 0
	for _, ex := range batch {
		n += len(ex.IDs)
	}
	p.n = n
	p.emb, p.feat, p.lo, p.hi = growInt(p.emb, n), growInt(p.feat, n), growInt(p.lo, n), growInt(p.hi, n)
	p.aux, p.labels = growInt(p.aux, n), growInt(p.labels, n)
	j := 0
	for _, ex := range batch {
		lo, hi := j, j+len(ex.IDs)
		for i, id := range ex.IDs {
			p.feat[j], p.emb[j], p.lo[j], p.hi[j], p.labels[j] = id, id, lo, hi, ex.Labels[i]
			if drop != nil && ex.Labels[i] != IgnoreLabel && drop() {
				p.emb[j] = unk
			}
			p.aux[j] = 0
			if m.Kind == onnxgraph.Decoder {
				p.aux[j] = min(i, m.AuxRows-1)
			}
			j++
		}
	}
}

func gemm(tA, tB blas.Transpose, a []float32, ar, ac int, b []float32, br, bc int, beta float32, c []float32, cr, cc int) {
	blas32.Gemm(tA, tB, 1,
		blas32.General{Rows: ar, Cols: ac, Stride: ac, Data: a},
		blas32.General{Rows: br, Cols: bc, Stride: bc, Data: b},
		beta, blas32.General{Rows: cr, Cols: cc, Stride: cc, Data: c})
}

// forward computes every layer and the logits of the loaded tokens.
func (p *convPass) forward(m *onnxgraph.ConvTagger) {
	n, d, f, hd := p.n, m.EmbedDim, m.NumFeatures, m.Hidden
	layers := len(m.Offsets)
	if len(p.acts) != layers+1 {
		p.acts = make([][]float32, layers+1)
		p.cols = make([][]float32, layers)
		p.zs = make([][]float32, layers)
	}
	in := d + f
	x := grow(p.acts[0], n*in)
	for j := range n {
		row := x[j*in : (j+1)*in]
		copy(row[:d], m.Embedding[p.emb[j]*d:(p.emb[j]+1)*d])
		copy(row[d:], m.Features[p.feat[j]*f:(p.feat[j]+1)*f])
	}
	p.acts[0] = x
	for l, offs := range m.Offsets {
		in = m.InputDim(l)
		k := len(offs)
		col := grow(p.cols[l], n*k*in)
		for j := range n {
			for ko, o := range offs {
				dst := col[(j*k+ko)*in : (j*k+ko+1)*in]
				if q := j + o; q >= p.lo[j] && q < p.hi[j] {
					copy(dst, x[q*in:(q+1)*in])
				} else {
					clear(dst)
				}
			}
		}
		p.cols[l] = col
		z := grow(p.zs[l], n*hd)
		layer := m.Layers[l]
		for j := range n {
			row := z[j*hd : (j+1)*hd]
			copy(row, layer.B)
			if l == 0 {
				addTo(row, m.Aux[p.aux[j]*hd:(p.aux[j]+1)*hd])
			}
		}
		if n > 0 {
			gemm(blas.NoTrans, blas.NoTrans, col, n, k*in, layer.W, k*in, hd, 1, z, n, hd)
		}
		p.zs[l] = z
		h := grow(p.acts[l+1], n*hd)
		for i, v := range z {
			h[i] = max(v, 0)
		}
		if l > 0 {
			addTo(h, x)
		}
		p.acts[l+1] = h
		x = h
	}
	nl := m.NumLabels
	p.logits = grow(p.logits, n*nl)
	for j := range n {
		copy(p.logits[j*nl:(j+1)*nl], m.Bout)
	}
	if n > 0 {
		gemm(blas.NoTrans, blas.NoTrans, x, n, hd, m.Wout, hd, nl, 1, p.logits, n, nl)
	}
}

// convGrads is one shard's gradient sums.
type convGrads struct {
	dW, dB         [][]float32
	dAux, dWo, dBo []float32
	shardSums
	pass convPass
}

func newConvGrads(m *onnxgraph.ConvTagger) *convGrads {
	g := &convGrads{dAux: make([]float32, len(m.Aux)), dWo: make([]float32, len(m.Wout)), dBo: make([]float32, len(m.Bout)),
		shardSums: newShardSums(len(m.Embedding), m.VocabSize)}
	for _, layer := range m.Layers {
		g.dW = append(g.dW, make([]float32, len(layer.W)))
		g.dB = append(g.dB, make([]float32, len(layer.B)))
	}
	return g
}

// params pairs every dense parameter tensor of m with g's gradient of it.
func (g *convGrads) params(m *onnxgraph.ConvTagger) []param {
	var out []param
	for l := range m.Layers {
		out = append(out, param{m.Layers[l].W, g.dW[l]}, param{m.Layers[l].B, g.dB[l]})
	}
	return append(out, param{m.Aux, g.dAux}, param{m.Wout, g.dWo}, param{m.Bout, g.dBo})
}

// lossAndBackward turns the pass's logits into the loss of its labelled
// tokens and adds the gradients of every parameter to g.
func (g *convGrads) lossAndBackward(m *onnxgraph.ConvTagger, oWeight float32) {
	p := &g.pass
	n, hd, nl, d := p.n, m.Hidden, m.NumLabels, m.EmbedDim
	if n == 0 {
		return
	}
	for j := range n {
		z := p.logits[j*nl : (j+1)*nl]
		label := p.labels[j]
		if label == IgnoreLabel {
			clear(z)
			continue
		}
		wt := float32(1)
		if label == 0 {
			wt = oWeight
		}
		zmax := z[0]
		for _, v := range z {
			zmax = max(zmax, v)
		}
		zLabel := float64(z[label] - zmax)
		var sum float64
		for c, v := range z {
			e := math.Exp(float64(v - zmax))
			z[c] = float32(e)
			sum += e
		}
		g.loss += float64(wt) * (math.Log(sum) - zLabel)
		g.count++
		inv := float32(1/sum) * wt
		for c := range z {
			z[c] *= inv
		}
		z[label] -= wt
	}
	dlog := p.logits
	layers := len(m.Offsets)
	hL := p.acts[layers]
	gemm(blas.Trans, blas.NoTrans, hL, n, hd, dlog, n, nl, 1, g.dWo, hd, nl)
	for j := range n {
		addTo(g.dBo, dlog[j*nl:(j+1)*nl])
	}
	p.dh = grow(p.dh, n*hd)
	gemm(blas.NoTrans, blas.Trans, dlog, n, nl, m.Wout, hd, nl, 0, p.dh, n, hd)
	for l := layers - 1; l >= 0; l-- {
		offs := m.Offsets[l]
		k, in := len(offs), m.InputDim(l)
		dz := p.zs[l] // overwritten: dLoss/dz
		for i, v := range dz {
			if v > 0 {
				dz[i] = p.dh[i]
			} else {
				dz[i] = 0
			}
		}
		gemm(blas.Trans, blas.NoTrans, p.cols[l], n, k*in, dz, n, hd, 1, g.dW[l], k*in, hd)
		for j := range n {
			row := dz[j*hd : (j+1)*hd]
			addTo(g.dB[l], row)
			if l == 0 {
				addTo(g.dAux[p.aux[j]*hd:(p.aux[j]+1)*hd], row)
			}
		}
		p.dcol = grow(p.dcol, n*k*in)
		gemm(blas.NoTrans, blas.Trans, dz, n, hd, m.Layers[l].W, k*in, hd, 0, p.dcol, n, k*in)
		p.dprev = grow(p.dprev, n*in)
		if l > 0 {
			copy(p.dprev, p.dh) // the residual path
		} else {
			clear(p.dprev)
		}
		for j := range n {
			for ko, o := range offs {
				if q := j + o; q >= p.lo[j] && q < p.hi[j] {
					addTo(p.dprev[q*in:(q+1)*in], p.dcol[(j*k+ko)*in:(j*k+ko+1)*in])
				}
			}
		}
		p.dh, p.dprev = p.dprev, p.dh
	}
	// p.dh is now dLoss/dx0; its first d columns go to the embedding rows used.
	in0 := m.InputDim(0)
	for j := range n {
		id := p.emb[j]
		g.touch(id)
		addTo(g.dE[id*d:(id+1)*d], p.dh[j*in0:j*in0+d])
	}
}

type convTrainer struct {
	w      *ConvWeights
	cfg    Config
	shards []*convGrads
	*sharded
}

func newConvTrainer(w *ConvWeights, cfg Config) *convTrainer {
	t := &convTrainer{w: w, cfg: cfg}
	m := &w.ConvTagger
	t.shards, t.sharded = newShards(cfg, len(m.Embedding), func() *convGrads { return newConvGrads(m) },
		func(g *convGrads) *shardSums { return &g.shardSums }, func(g *convGrads) []param { return g.params(m) })
	return t
}

// lrAt is the learning rate of step s (1-based) under cfg.Schedule.
func lrAt(cfg Config, s, total int) float64 {
	lr := cfg.LearningRate
	if cfg.Schedule != ScheduleLinear || total <= 0 {
		return lr
	}
	warm := max(1, total/20)
	if s <= warm {
		return lr * float64(s) / float64(warm)
	}
	frac := float64(total-s) / float64(max(1, total-warm))
	return lr * (0.05 + 0.95*max(0, frac))
}

func (t *convTrainer) step(batch []*Example, total int) (float64, int) {
	m := &t.w.ConvTagger
	oWeight := float32(t.cfg.OWeight)
	compute := func(s int, part []*Example) {
		g := t.shards[s]
		var drop func() bool
		if p := t.cfg.WordDropout; p > 0 {
			r := rand.New(rand.NewPCG(t.cfg.Seed^0x5bd1e995, uint64(t.steps)<<16|uint64(s)))
			drop = func() bool { return r.Float64() < p }
		}
		g.pass.load(m, part, drop, t.cfg.UnkID)
		g.pass.forward(m)
		g.lossAndBackward(m, oWeight)
	}
	return t.sharded.step(batch, m.EmbedDim, m.Embedding, compute, func(step int) float64 { return lrAt(t.cfg, step, total) })
}

// Logits runs the model on one sequence of token ids (no padding; token type
// 0, positions 0..n-1) and returns one row of NumLabels logits per token.
func (w *ConvWeights) Logits(ids []int) [][]float32 {
	var p convPass
	p.load(&w.ConvTagger, []*Example{{IDs: ids, Labels: make([]int, len(ids))}}, nil, 0)
	p.forward(&w.ConvTagger)
	out := make([][]float32, len(ids))
	l := w.NumLabels
	for i := range out {
		out[i] = p.logits[i*l : (i+1)*l : (i+1)*l]
	}
	return out
}

// Evaluate measures token accuracy on examples (IgnoreLabel tokens skipped),
// 32 sequences per matrix product.
func (w *ConvWeights) Evaluate(examples []Example) Eval {
	var e Eval
	var p convPass
	m := &w.ConvTagger
	for lo := 0; lo < len(examples); lo += 32 {
		var batch []*Example
		for i := lo; i < min(lo+32, len(examples)); i++ {
			batch = append(batch, &examples[i])
		}
		p.load(m, batch, nil, 0)
		p.forward(m)
		for j := range p.n {
			row := p.logits[j*m.NumLabels : (j+1)*m.NumLabels]
			best := 0
			for c, v := range row {
				if v > row[best] {
					best = c
				}
			}
			e.add(p.labels[j], best)
		}
	}
	return e
}

// ExportONNX writes the model as an ONNX file at path (atomically).
func (w *ConvWeights) ExportONNX(path string) error { return exportONNX(path, w.Model) }
