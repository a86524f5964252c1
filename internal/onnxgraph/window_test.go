package onnxgraph_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/onnxgraph"
	"github.com/piimask/piimask/internal/onnxgraph/onnxgraphtest"
	"github.com/piimask/piimask/internal/onnxgraph/onnxpb"
)

func randomModel(kind onnxgraph.Kind, left, right int, seed uint64) *onnxgraph.WindowMLP {
	r := rand.New(rand.NewPCG(seed, 7))
	m := &onnxgraph.WindowMLP{Kind: kind, VocabSize: 40, EmbedDim: 5, Hidden: 9, NumLabels: 4,
		Left: left, Right: right, PadID: 1, AuxRows: 3}
	fill := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(r.NormFloat64())
		}
		return s
	}
	m.Embedding = fill(m.VocabSize * m.EmbedDim)
	m.W1 = fill(m.Width() * m.EmbedDim * m.Hidden)
	m.B1 = fill(m.Hidden)
	m.Aux = fill(m.AuxRows * m.Hidden)
	m.W2 = fill(m.Hidden * m.NumLabels)
	m.B2 = fill(m.NumLabels)
	return m
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(m *onnxgraph.WindowMLP)
		want   string
	}{
		{"ok", func(*onnxgraph.WindowMLP) {}, ""},
		{"kind", func(m *onnxgraph.WindowMLP) { m.Kind = "lstm" }, "unknown kind"},
		{"decoder right", func(m *onnxgraph.WindowMLP) { m.Kind = onnxgraph.Decoder }, "no right context"},
		{"pad", func(m *onnxgraph.WindowMLP) { m.PadID = 40 }, "pad id 40"},
		{"w1 size", func(m *onnxgraph.WindowMLP) { m.W1 = m.W1[1:] }, "w1 has"},
		{"zero hidden", func(m *onnxgraph.WindowMLP) { m.Hidden = 0 }, "must all be positive"},
		{"negative", func(m *onnxgraph.WindowMLP) { m.Left = -1 }, "negative window"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := randomModel(onnxgraph.Encoder, 2, 1, 1)
			tc.change(m)
			checkValidate(t, m, tc.want)
		})
	}
}

// The pure-Go forward pass is what training optimizes; the ONNX graph must
// compute exactly the same thing in the real runtime, with dynamic batch and
// sequence sizes and padding on either side.
func TestGraphMatchesForwardInORT(t *testing.T) {
	onnxgraphtest.Init(t)
	tests := []struct {
		kind        onnxgraph.Kind
		left, right int
		leftPad     bool
	}{
		{onnxgraph.Encoder, 2, 2, false},
		{onnxgraph.Encoder, 3, 1, false},
		{onnxgraph.Encoder, 0, 0, false},
		{onnxgraph.Decoder, 3, 0, true},
		{onnxgraph.Decoder, 1, 0, false},
	}
	for i, tc := range tests {
		t.Run(fmt.Sprintf("%s_left%d_right%d", tc.kind, tc.left, tc.right), func(t *testing.T) {
			m := randomModel(tc.kind, tc.left, tc.right, uint64(i+1))
			// Three sequences of lengths 7, 4 and 1, padded to 7 with the pad id.
			seqs := [][]int64{{2, 5, 9, 39, 0, 3, 12}, {7, 8, 1, 30}, {11}}
			maxDiff := ortMaxDiff(t, m, tc.kind, m.NumLabels, seqs, int64(m.PadID), tc.leftPad)
			if maxDiff > 1e-5 {
				t.Fatalf("ORT and Go forward differ by %g", maxDiff)
			}
		})
	}
}

// A decoder's logit at position j must not depend on tokens after j.
func TestDecoderIsCausal(t *testing.T) {
	m := randomModel(onnxgraph.Decoder, 2, 0, 3)
	a := m.Forward([]int64{4, 5, 6, 7, 8}, nil, nil)
	b := m.Forward([]int64{4, 5, 6, 20, 21}, nil, nil)
	l := m.NumLabels
	for j := range 3 {
		for c := range l {
			if a[j*l+c] != b[j*l+c] {
				t.Fatalf("position %d changed when later tokens changed", j)
			}
		}
	}
	if a[3*l] == b[3*l] {
		t.Fatal("position 3 ignored its own token")
	}
	e := randomModel(onnxgraph.Encoder, 2, 2, 3)
	x := e.Forward([]int64{4, 5, 6, 7, 8}, nil, nil)
	y := e.Forward([]int64{4, 5, 6, 20, 21}, nil, nil)
	if x[2*l] == y[2*l] {
		t.Fatal("encoder position 2 ignored its right context")
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// forwardModel is a model with a Go forward pass and its ONNX graph.
type forwardModel interface {
	Model() (*onnxpb.ModelProto, error)
	Forward(ids, mask, aux []int64) []float32
}

// ortMaxDiff writes m's graph, runs it in ONNX Runtime on seqs padded to the
// longest (with padID, on the left when leftPad; padded positions get aux 1,
// the position HF puts on left padding), the encoder's token types
// alternating 0, 1 to exercise both, and returns the largest difference
// from the Go forward pass of each sequence alone. It fails the test unless
// the logits have shape [batch, seq, labels].
func ortMaxDiff(t *testing.T, m forwardModel, kind onnxgraph.Kind, labels int, seqs [][]int64, padID int64, leftPad bool) float64 {
	t.Helper()
	model, err := m.Model()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.onnx")
	if err := onnxgraph.WriteFile(path, model); err != nil {
		t.Fatal(err)
	}
	seq := 0
	for _, s := range seqs {
		seq = max(seq, len(s))
	}
	batch := len(seqs)
	ids := make([]int64, batch*seq)
	mask := make([]int64, batch*seq)
	aux := make([]int64, batch*seq)
	offset := func(s []int64) int {
		if leftPad {
			return seq - len(s)
		}
		return 0
	}
	for b, s := range seqs {
		off := offset(s)
		for j := range seq {
			ids[b*seq+j] = padID
			aux[b*seq+j] = 1
		}
		for j, id := range s {
			ids[b*seq+off+j] = id
			mask[b*seq+off+j] = 1
			if kind == onnxgraph.Decoder {
				aux[b*seq+off+j] = int64(j)
			} else {
				aux[b*seq+off+j] = int64(j % 2)
			}
		}
	}
	got, shape := onnxgraphtest.Run(t, path, kind.InputNames(), batch, seq, [][]int64{ids, mask, aux}, onnxgraph.LogitsName)
	if want := []int64{int64(batch), int64(seq), int64(labels)}; !equal(shape, want) {
		t.Fatalf("logits shape %v, want %v", shape, want)
	}
	maxDiff := 0.0
	for b, s := range seqs {
		off := offset(s)
		var a []int64
		if kind == onnxgraph.Encoder {
			a = make([]int64, len(s))
			for j := range a {
				a[j] = int64(j % 2)
			}
		}
		want := m.Forward(s, nil, a)
		for j := range s {
			for c := range labels {
				g := got[((b*seq)+off+j)*labels+c]
				w := want[j*labels+c]
				maxDiff = math.Max(maxDiff, math.Abs(float64(g-w)))
			}
		}
	}
	t.Logf("max |ORT - Go| = %.2g", maxDiff)
	return maxDiff
}

// checkValidate fails unless m.Validate reports an error mentioning want
// (none when want is empty) and, for an invalid m, Model refuses to build.
func checkValidate(t *testing.T, m interface {
	Validate() error
	Model() (*onnxpb.ModelProto, error)
}, want string) {
	t.Helper()
	err := m.Validate()
	if want == "" {
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v, want it to mention %q", err, want)
	}
	if _, err := m.Model(); err == nil {
		t.Fatal("Model built an invalid model")
	}
}
