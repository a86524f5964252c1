package onnxgraph_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/piimask/piimask/internal/onnxgraph"
	"github.com/piimask/piimask/internal/onnxgraph/onnxgraphtest"
)

func randomConv(kind onnxgraph.Kind, offsets [][]int, features int, seed uint64) *onnxgraph.ConvTagger {
	r := rand.New(rand.NewPCG(seed, 9))
	m := &onnxgraph.ConvTagger{Kind: kind, VocabSize: 40, EmbedDim: 5, NumFeatures: features, Hidden: 7,
		NumLabels: 4, AuxRows: 3, Offsets: offsets}
	fill := func(n int, std float64) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(r.NormFloat64() * std)
		}
		return s
	}
	m.Embedding = fill(m.VocabSize*m.EmbedDim, 1)
	m.Features = make([]float32, m.VocabSize*m.NumFeatures)
	for i := range m.Features {
		m.Features[i] = float32(r.IntN(2))
	}
	for l, offs := range offsets {
		in := m.InputDim(l)
		m.Layers = append(m.Layers, onnxgraph.ConvLayer{W: fill(len(offs)*in*m.Hidden, 1/math.Sqrt(float64(len(offs)*in))), B: fill(m.Hidden, 0.5)})
	}
	m.Aux = fill(m.AuxRows*m.Hidden, 0.5)
	m.Wout = fill(m.Hidden*m.NumLabels, 1)
	m.Bout = fill(m.NumLabels, 1)
	return m
}

var (
	encOffsets = [][]int{{-2, -1, 0, 1, 2}, {-4, -2, 0, 2, 4}, {-8, 0, 8}}
	decOffsets = [][]int{{-4, -3, -2, -1, 0}, {-8, -4, 0}, {-16, -8, 0}}
)

func TestConvValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(m *onnxgraph.ConvTagger)
		want   string
	}{
		{"ok", func(*onnxgraph.ConvTagger) {}, ""},
		{"kind", func(m *onnxgraph.ConvTagger) { m.Kind = "lstm" }, "unknown kind"},
		{"decoder right", func(m *onnxgraph.ConvTagger) { m.Kind = onnxgraph.Decoder }, "no right context"},
		{"unsorted", func(m *onnxgraph.ConvTagger) { m.Offsets = [][]int{{0, -1}, {0}, {0}} }, "strictly increasing"},
		{"empty layer", func(m *onnxgraph.ConvTagger) { m.Offsets = [][]int{{0}, {}, {0}} }, "no offsets"},
		{"layers", func(m *onnxgraph.ConvTagger) { m.Layers = m.Layers[:2] }, "2 layers of weights"},
		{"w size", func(m *onnxgraph.ConvTagger) { m.Layers[1].W = m.Layers[1].W[1:] }, "layer 2 weight"},
		{"features size", func(m *onnxgraph.ConvTagger) { m.Features = m.Features[1:] }, "features has"},
		{"zero hidden", func(m *onnxgraph.ConvTagger) { m.Hidden = 0 }, "must be positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := randomConv(onnxgraph.Encoder, encOffsets, 3, 1)
			tc.change(m)
			checkValidate(t, m, tc.want)
		})
	}
}

// The ONNX graph must compute what the Go forward pass (the function training
// optimizes) computes, in the real runtime, and a padded batch must give
// each sequence its logits alone: right padding (encoders) and left padding
// (decoders, the onnx method's side for them; encoders too).
func TestConvGraphMatchesForwardInORT(t *testing.T) {
	onnxgraphtest.Init(t)
	tests := []struct {
		kind     onnxgraph.Kind
		offsets  [][]int
		features int
		leftPad  bool
	}{
		{onnxgraph.Encoder, encOffsets, 3, false},
		{onnxgraph.Encoder, encOffsets, 3, true},
		{onnxgraph.Encoder, [][]int{{0}}, 0, false},
		{onnxgraph.Decoder, decOffsets, 4, true},
		{onnxgraph.Decoder, decOffsets, 4, false},
	}
	for i, tc := range tests {
		t.Run(fmt.Sprintf("%s_%d_leftpad_%v", tc.kind, len(tc.offsets), tc.leftPad), func(t *testing.T) {
			m := randomConv(tc.kind, tc.offsets, tc.features, uint64(i+1))
			seqs := [][]int64{
				{2, 5, 9, 39, 0, 3, 12, 17, 21, 22, 8, 4, 6, 30, 31, 33, 1, 2, 3, 4, 5},
				{7, 8, 1, 30},
				{11},
			}
			maxDiff := ortMaxDiff(t, m, tc.kind, m.NumLabels, seqs, 13, tc.leftPad) // any pad id: padding is masked out
			if maxDiff > 1e-4 {
				t.Fatalf("ORT and Go forward differ by %g", maxDiff)
			}
		})
	}
}

// A conv decoder's logit at j must not depend on tokens after j; an encoder's
// must depend on tokens up to its receptive field to the right, not beyond.
func TestConvCausalityAndReceptiveField(t *testing.T) {
	l := 4
	dec := randomConv(onnxgraph.Decoder, decOffsets, 2, 3)
	base := []int64{4, 5, 6, 7, 8, 9, 10, 11, 12, 13}
	changed := append([]int64(nil), base...)
	changed[6], changed[9] = 20, 21
	a, b := dec.Forward(base, nil, nil), dec.Forward(changed, nil, nil)
	for j := range 6 {
		for c := range l {
			if a[j*l+c] != b[j*l+c] {
				t.Fatalf("decoder position %d changed when later tokens changed", j)
			}
		}
	}
	if a[6*l] == b[6*l] {
		t.Fatal("decoder position 6 ignored its own token")
	}
	enc := randomConv(onnxgraph.Encoder, encOffsets, 2, 3)
	if left, right := enc.Context(); left != 14 || right != 14 {
		t.Fatalf("receptive field ±%d/%d, want ±14", left, right)
	}
	long := make([]int64, 40)
	for i := range long {
		long[i] = int64(1 + i%30)
	}
	for _, tc := range []struct {
		pos  int
		want bool
	}{{19, true}, {14 + 14, true}, {14 + 15, false}} {
		alt := append([]int64(nil), long...)
		alt[tc.pos] = 39
		x, y := enc.Forward(long, nil, nil), enc.Forward(alt, nil, nil)
		differs := false
		for c := range l {
			differs = differs || x[14*l+c] != y[14*l+c]
		}
		if differs != tc.want {
			t.Errorf("changing token %d: logits of token 14 changed %v, want %v", tc.pos, differs, tc.want)
		}
	}
}
