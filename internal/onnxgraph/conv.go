package onnxgraph

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/piimask/piimask/internal/onnxgraph/onnxpb"
)

// ConvTagger is a stacked (dilated) convolutional token classifier, the
// larger model piimask trains itself. For token j of a sequence of n tokens
// with mask m_j (attention_mask):
//
//	x0[j]  = concat(Embedding[id_j], Features[id_j]) · m_j          (EmbedDim+NumFeatures)
//	h_l[j] = (ReLU(B_l + Σ_k h_{l-1}[j+o_k]·W_l[k] [+ Aux[a_j] if l = 1]) [+ h_{l-1}[j] if l > 1]) · m_j
//	logits = h_L[j]·Wout + Bout                                     (NumLabels)
//
// where o_k runs over Offsets[l-1], h_{l-1}[p] is zero outside 0..n-1, W_l[k]
// is the k-th block of rows of layer l's weight (In_l × Hidden, In_1 =
// EmbedDim+NumFeatures, In_l = Hidden after), and the residual h_{l-1} is
// added from the second layer on. Multiplying by the mask after every layer
// makes a padded position contribute nothing, so a padded batch gives each
// sequence the logits it has alone (either padding side). Features is a fixed
// per-vocabulary-token table (word shape, dictionary membership) computed when
// the model is trained and stored as an initializer: the model computes these
// inputs from input_ids. Aux is the token-type embedding indexed by
// token_type_ids (Encoder) or the position embedding indexed by
// min(max(position_ids, 0), AuxRows-1) (Decoder). A Decoder's offsets are all
// ≤ 0: token j sees itself and the tokens before it only. Matrices are
// row-major float32.
type ConvTagger struct {
	Kind        Kind
	VocabSize   int
	EmbedDim    int
	NumFeatures int
	Hidden      int
	NumLabels   int
	AuxRows     int
	// Offsets lists, per layer, the relative token positions the layer reads.
	Offsets [][]int

	Embedding []float32 // VocabSize × EmbedDim
	Features  []float32 // VocabSize × NumFeatures (fixed)
	Layers    []ConvLayer
	Aux       []float32 // AuxRows × Hidden, added inside the first layer
	Wout      []float32 // Hidden × NumLabels
	Bout      []float32 // NumLabels
}

// ConvLayer is one convolution: W is (len(offsets)·In) × Hidden, the block of
// In rows k applying to the input at offset k; B is Hidden.
type ConvLayer struct {
	W []float32
	B []float32
}

// InputDim is the width of layer l's input (0-based): EmbedDim+NumFeatures for
// the first layer, Hidden for the others.
func (m *ConvTagger) InputDim(l int) int {
	if l == 0 {
		return m.EmbedDim + m.NumFeatures
	}
	return m.Hidden
}

// Context returns the receptive field: how many tokens before and after a
// token can change its logits.
func (m *ConvTagger) Context() (left, right int) {
	for _, offs := range m.Offsets {
		if len(offs) == 0 {
			continue
		}
		left += max(0, -slices.Min(offs))
		right += max(0, slices.Max(offs))
	}
	return left, right
}

// Validate checks the sizes, the kind and the offsets.
func (m *ConvTagger) Validate() error {
	switch m.Kind {
	case Encoder, Decoder:
	default:
		return fmt.Errorf("onnxgraph: conv model: unknown kind %q (want %q or %q)", m.Kind, Encoder, Decoder)
	}
	if m.VocabSize <= 0 || m.EmbedDim <= 0 || m.Hidden <= 0 || m.NumLabels <= 0 || m.AuxRows <= 0 || m.NumFeatures < 0 {
		return fmt.Errorf("onnxgraph: conv model: vocab %d, embed %d, hidden %d, labels %d, aux rows %d must be positive, features %d not negative",
			m.VocabSize, m.EmbedDim, m.Hidden, m.NumLabels, m.AuxRows, m.NumFeatures)
	}
	if len(m.Offsets) == 0 {
		return fmt.Errorf("onnxgraph: conv model: no layers")
	}
	if len(m.Layers) != len(m.Offsets) {
		return fmt.Errorf("onnxgraph: conv model: %d layers of weights but %d of offsets", len(m.Layers), len(m.Offsets))
	}
	for l, offs := range m.Offsets {
		if len(offs) == 0 {
			return fmt.Errorf("onnxgraph: conv model: layer %d has no offsets", l+1)
		}
		for k, o := range offs {
			if k > 0 && o <= offs[k-1] {
				return fmt.Errorf("onnxgraph: conv model: layer %d offsets %v are not strictly increasing", l+1, offs)
			}
			if m.Kind == Decoder && o > 0 {
				return fmt.Errorf("onnxgraph: conv model: layer %d offset %d: a decoder sees no right context", l+1, o)
			}
		}
	}
	checks := []struct {
		name      string
		got, want int
	}{
		{"embedding", len(m.Embedding), m.VocabSize * m.EmbedDim},
		{"features", len(m.Features), m.VocabSize * m.NumFeatures},
		{"aux", len(m.Aux), m.AuxRows * m.Hidden},
		{"wout", len(m.Wout), m.Hidden * m.NumLabels},
		{"bout", len(m.Bout), m.NumLabels},
	}
	for l, layer := range m.Layers {
		checks = append(checks,
			struct {
				name      string
				got, want int
			}{fmt.Sprintf("layer %d weight", l+1), len(layer.W), len(m.Offsets[l]) * m.InputDim(l) * m.Hidden},
			struct {
				name      string
				got, want int
			}{fmt.Sprintf("layer %d bias", l+1), len(layer.B), m.Hidden})
	}
	for _, c := range checks {
		if c.got != c.want {
			return fmt.Errorf("onnxgraph: conv model: %s has %d values, want %d", c.name, c.got, c.want)
		}
	}
	return nil
}

// FormatOffsets writes offsets as "-2,-1,0,1,2;-4,-2,0,2,4" (layers split by ';').
func FormatOffsets(offsets [][]int) string {
	layers := make([]string, len(offsets))
	for l, offs := range offsets {
		s := make([]string, len(offs))
		for k, o := range offs {
			s[k] = strconv.Itoa(o)
		}
		layers[l] = strings.Join(s, ",")
	}
	return strings.Join(layers, ";")
}

// Model builds the ONNX graph: inputs of Kind.InputNames() (int64 [batch,
// seq], both dynamic), output float "logits" [batch, seq, NumLabels].
func (m *ConvTagger) Model() (*onnxpb.ModelProto, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	b, ids, mask, aux := newModelBuilder("piimask_conv_tagger_", m.Kind)

	v, d, f, h, l := int64(m.VocabSize), int64(m.EmbedDim), int64(m.NumFeatures), int64(m.Hidden), int64(m.NumLabels)
	emb := b.FloatInit("embedding.weight", []int64{v, d}, m.Embedding)
	auxW := b.auxEmbedding(m.Kind, m.AuxRows, m.Hidden, m.Aux)
	wout := b.FloatInit("classifier.weight", []int64{h, l}, m.Wout)
	bout := b.FloatInit("classifier.bias", []int64{l}, m.Bout)

	// [batch, seq, 1] float mask.
	maskF := b.Op("Unsqueeze", []string{b.Op("Cast", []string{mask}, AttrInt("to", int64(Float))), b.Int64Const([]int64{1}, 2)})
	x := b.Op("Gather", []string{emb, ids}, AttrInt("axis", 0))
	if m.NumFeatures > 0 {
		feat := b.FloatInit("features.weight", []int64{v, f}, m.Features)
		x = b.Op("Concat", []string{x, b.Op("Gather", []string{feat, ids}, AttrInt("axis", 0))}, AttrInt("axis", -1))
	}
	x = b.Op("Mul", []string{x, maskF})

	auxIdx := aux
	if m.Kind == Decoder {
		lo := b.Int64Init("position_min", nil, 0)
		hi := b.Int64Init("position_max", nil, int64(m.AuxRows-1))
		auxIdx = b.Op("Clip", []string{aux, lo, hi})
	}
	auxRows := b.Op("Gather", []string{auxW, auxIdx}, AttrInt("axis", 0))
	axis1 := b.Int64Init("axis1", []int64{1}, 1)
	for li, offs := range m.Offsets {
		in := int64(m.InputDim(li))
		w := b.FloatInit(fmt.Sprintf("conv%d.weight", li+1), []int64{int64(len(offs)) * in, h}, m.Layers[li].W)
		bias := b.FloatInit(fmt.Sprintf("conv%d.bias", li+1), []int64{h}, m.Layers[li].B)
		left, right := max(0, -offs[0]), max(0, offs[len(offs)-1])
		padded := x
		if left+right > 0 {
			pads := b.Int64Const([]int64{6}, 0, int64(left), 0, 0, int64(right), 0)
			padded = b.Op("Pad", []string{x, pads})
		}
		var parts []string
		for _, o := range offs {
			if left+right == 0 {
				parts = append(parts, x)
				continue
			}
			start := int64(left + o)
			end := int64(math.MaxInt64)
			if rest := right - o; rest > 0 {
				end = -int64(rest)
			}
			parts = append(parts, b.Op("Slice", []string{padded, b.Int64Const([]int64{1}, start), b.Int64Const([]int64{1}, end), axis1}))
		}
		col := parts[0]
		if len(parts) > 1 {
			col = b.Op("Concat", parts, AttrInt("axis", -1))
		}
		z := b.Op("Add", []string{b.Op("MatMul", []string{col, w}), bias})
		if li == 0 {
			z = b.Op("Add", []string{z, auxRows})
		}
		act := b.Op("Relu", []string{z})
		if li > 0 {
			act = b.Op("Add", []string{act, x})
		}
		x = b.Op("Mul", []string{act, maskF})
	}
	b.OpTo(LogitsName, "Add", []string{b.Op("MatMul", []string{x, wout}), bout})
	b.Output(LogitsName, Float, Sym("batch"), Sym("sequence"), Fixed(l))
	left, right := m.Context()
	return b.Model("piimask", map[string]string{
		"piimask.architecture": "conv-tagger",
		"piimask.kind":         string(m.Kind),
		"piimask.offsets":      FormatOffsets(m.Offsets),
		"piimask.left":         strconv.Itoa(left),
		"piimask.right":        strconv.Itoa(right),
	})
}

// Forward is the reference forward pass of one sequence in pure Go, the same
// computation as the ONNX graph: ids, mask and aux (token type ids or
// position ids) have one value per token; mask may be nil (all ones) and aux
// nil (all zeros for Encoder, 0..n-1 for Decoder). It returns n×NumLabels
// logits, row-major. Call Validate first; ids must lie in the vocabulary.
func (m *ConvTagger) Forward(ids, mask, aux []int64) []float32 {
	n := len(ids)
	d, f, hd := m.EmbedDim, m.NumFeatures, m.Hidden
	keep := func(j int) float32 {
		if mask != nil && mask[j] == 0 {
			return 0
		}
		return 1
	}
	in := d + f
	x := make([]float32, n*in)
	for j, id := range ids {
		row := x[j*in : (j+1)*in]
		copy(row[:d], m.Embedding[int(id)*d:int(id)*d+d])
		copy(row[d:], m.Features[int(id)*f:int(id)*f+f])
		k := keep(j)
		for i := range row {
			row[i] *= k
		}
	}
	for li, offs := range m.Offsets {
		layer := m.Layers[li]
		y := make([]float32, n*hd)
		for j := range n {
			z := y[j*hd : (j+1)*hd]
			copy(z, layer.B)
			if li == 0 {
				a := auxIndex(m.Kind, aux, j, m.AuxRows)
				for k, v := range m.Aux[a*hd : (a+1)*hd] {
					z[k] += v
				}
			}
			for ko, o := range offs {
				p := j + o
				if p < 0 || p >= n {
					continue
				}
				src := x[p*in : (p+1)*in]
				for i, xv := range src {
					if xv == 0 {
						continue
					}
					row := layer.W[(ko*in+i)*hd : (ko*in+i+1)*hd]
					for k, wv := range row {
						z[k] += xv * wv
					}
				}
			}
			kj := keep(j)
			for k := range z {
				v := max(z[k], 0)
				if li > 0 {
					v += x[j*in+k]
				}
				z[k] = v * kj
			}
		}
		x, in = y, hd
	}
	l := m.NumLabels
	out := make([]float32, n*l)
	for j := range n {
		z := out[j*l : (j+1)*l]
		copy(z, m.Bout)
		for k, hv := range x[j*hd : (j+1)*hd] {
			if hv == 0 {
				continue
			}
			for c, wv := range m.Wout[k*l : (k+1)*l] {
				z[c] += hv * wv
			}
		}
	}
	return out
}
