package train

import (
	"math"

	"github.com/piimask/piimask/internal/onnxgraph"
)

// grads holds one shard's gradient sums and scratch space.
type grads struct {
	dW1, dB1, dAux, dW2, dB2 []float32
	shardSums
	ctx         []int
	x, h, z, dh []float32
}

func newGrads(m *onnxgraph.WindowMLP) *grads {
	return &grads{
		dW1: make([]float32, len(m.W1)), dB1: make([]float32, len(m.B1)), dAux: make([]float32, len(m.Aux)),
		dW2: make([]float32, len(m.W2)), dB2: make([]float32, len(m.B2)),
		shardSums: newShardSums(len(m.Embedding), m.VocabSize),
		ctx:       make([]int, m.Width()), x: make([]float32, m.Width()*m.EmbedDim),
		h: make([]float32, m.Hidden), z: make([]float32, m.NumLabels), dh: make([]float32, m.Hidden),
	}
}

// params pairs the window MLP's dense tensors with g's gradients of them.
func (g *grads) params(m *onnxgraph.WindowMLP) []param {
	return []param{{m.W1, g.dW1}, {m.B1, g.dB1}, {m.Aux, g.dAux}, {m.W2, g.dW2}, {m.B2, g.dB2}}
}

// adam is the optimizer state of one parameter tensor.
type adam struct{ m, v []float32 }

func newAdam(n int) adam { return adam{make([]float32, n), make([]float32, n)} }

type trainer struct {
	w      *Weights
	cfg    Config
	shards []*grads
	*sharded
}

func newTrainer(w *Weights, cfg Config) *trainer {
	t := &trainer{w: w, cfg: cfg}
	m := &w.WindowMLP
	t.shards, t.sharded = newShards(cfg, len(m.Embedding), func() *grads { return newGrads(m) },
		func(g *grads) *shardSums { return &g.shardSums }, func(g *grads) []param { return g.params(m) })
	return t
}

// step runs one optimizer step on batch; it returns the batch's mean loss and
// its number of labelled tokens.
func (t *trainer) step(batch []*Example) (float64, int) {
	m := &t.w.WindowMLP
	compute := func(s int, part []*Example) {
		for _, ex := range part {
			accumulate(m, t.shards[s], ex)
		}
	}
	return t.sharded.step(batch, m.EmbedDim, m.Embedding, compute, func(int) float64 { return t.cfg.LearningRate })
}

// Adam's decay rates and epsilon, shared by both trainers.
const adamB1, adamB2, adamEps = 0.9, 0.999, 1e-8

// adamStep is one Adam update: gradients summed over count labelled tokens
// are scaled to their mean, and the step size carries the bias corrections of
// step (1-based).
type adamStep struct{ scale, alpha float32 }

func newAdamStep(step int, lr float64, count int) adamStep {
	c1 := 1 - math.Pow(adamB1, float64(step))
	c2 := 1 - math.Pow(adamB2, float64(step))
	return adamStep{scale: float32(1 / float64(count)), alpha: float32(lr * math.Sqrt(c2) / c1)}
}

// apply moves p against grad, updating the moment estimates in st.
func (a adamStep) apply(p, grad []float32, st adam) {
	for i, gv := range grad {
		gv *= a.scale
		st.m[i] = adamB1*st.m[i] + (1-adamB1)*gv
		st.v[i] = adamB2*st.v[i] + (1-adamB2)*gv*gv
		p[i] -= a.alpha * st.m[i] / (float32(math.Sqrt(float64(st.v[i]))) + adamEps)
	}
}

func addTo(dst, src []float32) {
	for i, v := range src {
		dst[i] += v
	}
}

// accumulate adds the loss and gradients of one sequence's labelled tokens to g.
func accumulate(m *onnxgraph.WindowMLP, g *grads, ex *Example) {
	d, hd, l, width := m.EmbedDim, m.Hidden, m.NumLabels, m.Width()
	ids := ex.IDs
	for j, label := range ex.Labels {
		if label == IgnoreLabel {
			continue
		}
		// Forward.
		for w := range width {
			p := j - m.Left + w
			id := m.PadID
			if p >= 0 && p < len(ids) {
				id = ids[p]
			}
			g.ctx[w] = id
			copy(g.x[w*d:(w+1)*d], m.Embedding[id*d:(id+1)*d])
		}
		a := 0
		if m.Kind == onnxgraph.Decoder {
			a = min(j, m.AuxRows-1)
		}
		h := g.h
		copy(h, m.B1)
		addTo(h, m.Aux[a*hd:(a+1)*hd])
		for i, xv := range g.x {
			if xv == 0 {
				continue
			}
			row := m.W1[i*hd : (i+1)*hd]
			for k, wv := range row {
				h[k] += xv * wv
			}
		}
		z := g.z
		copy(z, m.B2)
		for k, hv := range h {
			if hv <= 0 {
				continue
			}
			row := m.W2[k*l : (k+1)*l]
			for c, wv := range row {
				z[c] += hv * wv
			}
		}
		// Softmax cross-entropy; z becomes dLoss/dz.
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
		g.loss += math.Log(sum) - zLabel
		g.count++
		inv := float32(1 / sum)
		for c := range z {
			z[c] *= inv
		}
		z[label] -= 1
		// Backward.
		addTo(g.dB2, z)
		dh := g.dh
		for k, hv := range h {
			if hv <= 0 {
				dh[k] = 0
				continue
			}
			row := m.W2[k*l : (k+1)*l]
			drow := g.dW2[k*l : (k+1)*l]
			var s float32
			for c, zv := range z {
				s += row[c] * zv
				drow[c] += hv * zv
			}
			dh[k] = s
		}
		addTo(g.dB1, dh)
		addTo(g.dAux[a*hd:(a+1)*hd], dh)
		for w := range width {
			id := g.ctx[w]
			g.touch(id)
			de := g.dE[id*d : (id+1)*d]
			for i := range d {
				xi := w*d + i
				xv := g.x[xi]
				row := m.W1[xi*hd : (xi+1)*hd]
				drow := g.dW1[xi*hd : (xi+1)*hd]
				var s float32
				for k, dv := range dh {
					s += row[k] * dv
					drow[k] += xv * dv
				}
				de[i] += s
			}
		}
	}
}
