package train

import (
	"math"
	"testing"

	"github.com/piimask/piimask/internal/onnxgraph"
)

// lossOf is the summed cross-entropy of ex under w, in float64 from the
// float32 reference forward pass.
func lossOf(w *Weights, ex *Example) float64 {
	var loss float64
	for j, row := range w.Logits(ex.IDs) {
		if ex.Labels[j] == IgnoreLabel {
			continue
		}
		zmax := math.Inf(-1)
		for _, v := range row {
			zmax = math.Max(zmax, float64(v))
		}
		var s float64
		for _, v := range row {
			s += math.Exp(float64(v) - zmax)
		}
		loss += math.Log(s) + zmax - float64(row[ex.Labels[j]])
	}
	return loss
}

// The hand-written backward pass must agree with finite differences of the
// forward pass, for every parameter tensor and both kinds (values next to a
// ReLU kink, where one-sided differences disagree, are skipped).
func TestGradientsMatchFiniteDifferences(t *testing.T) {
	for _, kind := range []onnxgraph.Kind{onnxgraph.Encoder, onnxgraph.Decoder} {
		t.Run(string(kind), func(t *testing.T) {
			w, err := NewWeights(Config{Kind: kind, VocabSize: 12, NumLabels: 4, PadID: 0, EmbedDim: 3, Hidden: 6,
				Window: 2, PositionBuckets: 3, Seed: 5})
			if err != nil {
				t.Fatal(err)
			}
			for i := range w.B1 { // keep most hidden units active so ReLU kinks are rare
				w.B1[i] = 0.5
			}
			ex := &Example{IDs: []int{3, 7, 7, 1, 11, 2}, Labels: []int{1, IgnoreLabel, 3, 0, 2, 1}}
			g := newGrads(&w.WindowMLP)
			accumulate(&w.WindowMLP, g, ex)
			if want := lossOf(w, ex); math.Abs(g.loss-want) > 1e-4*math.Max(1, want) {
				t.Fatalf("training loss %g, forward loss %g", g.loss, want)
			}
			params := []gradCheck{
				{"embedding", w.Embedding, g.dE}, {"w1", w.W1, g.dW1}, {"b1", w.B1, g.dB1},
				{"aux", w.Aux, g.dAux}, {"w2", w.W2, g.dW2}, {"b2", w.B2, g.dB2},
			}
			checkFiniteDifferences(t, params, 25, func() float64 { return lossOf(w, ex) })
			if len(g.touched) == 0 {
				t.Fatal("no embedding rows touched")
			}
		})
	}
}

// gradCheck is one parameter tensor and the backward pass's gradient of it.
type gradCheck struct {
	name string
	p, g []float32
}

// checkFiniteDifferences compares, for about samples values of every tensor,
// the gradient with the central finite difference of loss. Values next to a
// ReLU kink, where the one-sided differences disagree, are skipped, but no
// more than a quarter of those checked.
func checkFiniteDifferences(t *testing.T, params []gradCheck, samples int, loss func() float64) {
	t.Helper()
	base := loss()
	for _, p := range params {
		checked, kinks := 0, 0
		for i := 0; i < len(p.p); i += 1 + len(p.p)/samples {
			const eps = 1e-3
			old := p.p[i]
			p.p[i] = old + eps
			up := loss()
			p.p[i] = old - eps
			down := loss()
			p.p[i] = old
			num := (up - down) / (2 * eps)
			if math.Abs((up-base)/eps-(base-down)/eps) > 5e-3+2e-2*math.Abs(num) {
				kinks++ // a ReLU switches inside ±eps: the loss is not differentiable here
				continue
			}
			if diff := math.Abs(num - float64(p.g[i])); diff > 5e-3+2e-2*math.Abs(num) {
				t.Errorf("%s[%d]: backward %g, finite difference %g", p.name, i, p.g[i], num)
			}
			checked++
		}
		if checked == 0 || kinks > checked/4 {
			t.Fatalf("%s: %d values checked, %d skipped at ReLU kinks", p.name, checked, kinks)
		}
	}
}
