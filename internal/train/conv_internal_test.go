package train

import (
	"math"
	"testing"

	"github.com/piimask/piimask/internal/onnxgraph"
)

// convLossOf is the weighted cross-entropy of the examples under w, in
// float64 from the independent reference forward pass onnxgraph.Forward.
func convLossOf(w *ConvWeights, exs []*Example, oWeight float64) float64 {
	var loss float64
	for _, ex := range exs {
		ids := make([]int64, len(ex.IDs))
		for i, id := range ex.IDs {
			ids[i] = int64(id)
		}
		flat := w.Forward(ids, nil, nil)
		l := w.NumLabels
		for j := range ex.IDs {
			label := ex.Labels[j]
			if label == IgnoreLabel {
				continue
			}
			row := flat[j*l : (j+1)*l]
			zmax := math.Inf(-1)
			for _, v := range row {
				zmax = math.Max(zmax, float64(v))
			}
			var s float64
			for _, v := range row {
				s += math.Exp(float64(v) - zmax)
			}
			wt := 1.0
			if label == 0 {
				wt = oWeight
			}
			loss += wt * (math.Log(s) + zmax - float64(row[label]))
		}
	}
	return loss
}

func smallConv(t *testing.T, kind onnxgraph.Kind) *ConvWeights {
	t.Helper()
	const vocab, feats = 12, 3
	f := make([]float32, vocab*feats)
	for i := range f {
		f[i] = float32((i * 7) % 3 % 2)
	}
	offs := [][]int{{-1, 0, 1}, {-2, 0, 2}, {-3, 0}}
	if kind == onnxgraph.Decoder {
		offs = [][]int{{-1, 0}, {-2, 0}, {-3, 0}}
	}
	w, err := NewConvWeights(Config{Kind: kind, VocabSize: vocab, NumLabels: 4, EmbedDim: 3, Hidden: 6,
		NumFeatures: feats, Features: f, Offsets: offs, PositionBuckets: 3, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	for l := range w.Layers { // keep most hidden units active so ReLU kinks are rare
		for i := range w.Layers[l].B {
			w.Layers[l].B[i] = 0.5
		}
	}
	for i := range w.Aux {
		w.Aux[i] = 0.1 * float32(i%5)
	}
	return w
}

// The GEMM backward pass must agree with finite differences of the reference
// forward pass for every parameter group, both kinds, two sequences laid end
// to end in one pass (so context must not leak from one into the other) and
// a down-weighted "O" class.
func TestConvGradientsMatchFiniteDifferences(t *testing.T) {
	for _, kind := range []onnxgraph.Kind{onnxgraph.Encoder, onnxgraph.Decoder} {
		t.Run(string(kind), func(t *testing.T) {
			w := smallConv(t, kind)
			exs := []*Example{
				{IDs: []int{3, 7, 7, 1, 11, 2}, Labels: []int{1, IgnoreLabel, 3, 0, 2, 1}},
				{IDs: []int{4, 9, 0, 5, 6}, Labels: []int{0, 2, 0, 3, IgnoreLabel}},
			}
			const oWeight = 0.6
			g := newConvGrads(&w.ConvTagger)
			g.pass.load(&w.ConvTagger, exs, nil, 0)
			g.pass.forward(&w.ConvTagger)
			g.lossAndBackward(&w.ConvTagger, oWeight)
			base := convLossOf(w, exs, oWeight)
			if math.Abs(g.loss-base) > 1e-4*math.Max(1, base) {
				t.Fatalf("training loss %g, reference forward loss %g", g.loss, base)
			}
			params := []gradCheck{{"embedding", w.Embedding, g.dE}, {"aux", w.Aux, g.dAux}, {"wout", w.Wout, g.dWo}, {"bout", w.Bout, g.dBo}}
			for l := range w.Layers {
				params = append(params,
					gradCheck{"w" + string(rune('1'+l)), w.Layers[l].W, g.dW[l]},
					gradCheck{"b" + string(rune('1'+l)), w.Layers[l].B, g.dB[l]})
			}
			checkFiniteDifferences(t, params, 30, func() float64 { return convLossOf(w, exs, oWeight) })
			if len(g.touched) == 0 {
				t.Fatal("no embedding rows touched")
			}
		})
	}
}

// The batched forward pass used in training equals the reference one.
func TestConvPassMatchesForward(t *testing.T) {
	w := smallConv(t, onnxgraph.Encoder)
	ids := []int{3, 7, 7, 1, 11, 2, 0, 9}
	got := w.Logits(ids)
	ids64 := make([]int64, len(ids))
	for i, id := range ids {
		ids64[i] = int64(id)
	}
	want := w.Forward(ids64, nil, nil)
	for j := range ids {
		for c := range w.NumLabels {
			if d := math.Abs(float64(got[j][c] - want[j*w.NumLabels+c])); d > 1e-5 {
				t.Fatalf("token %d label %d: pass %g, reference %g", j, c, got[j][c], want[j*w.NumLabels+c])
			}
		}
	}
}

func TestLRSchedule(t *testing.T) {
	cfg := Config{LearningRate: 1, Schedule: ScheduleLinear}
	if got := lrAt(cfg, 1, 100); got != 0.2 {
		t.Errorf("step 1 of 100: %g, want 0.2 (warm-up over 5 steps)", got)
	}
	if got := lrAt(cfg, 5, 100); got != 1 {
		t.Errorf("end of warm-up: %g, want 1", got)
	}
	if got := lrAt(cfg, 100, 100); math.Abs(got-0.05) > 1e-12 {
		t.Errorf("last step: %g, want 0.05", got)
	}
	if got := lrAt(Config{LearningRate: 0.3}, 50, 100); got != 0.3 {
		t.Errorf("constant schedule: %g", got)
	}
}
