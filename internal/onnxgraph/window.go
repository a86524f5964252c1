package onnxgraph

import (
	"fmt"
	"math"
	"strconv"

	"github.com/piimask/piimask/internal/onnxgraph/onnxpb"
)

// Kind is the input signature and context direction of a WindowMLP.
type Kind string

const (
	// Encoder is the BERT-like baseline: inputs input_ids, attention_mask and
	// token_type_ids (int64 [batch, seq]); each token sees Left tokens before
	// and Right tokens after it.
	Encoder Kind = "encoder"
	// Decoder is the decoder-style variant: inputs input_ids, attention_mask
	// and position_ids (int64 [batch, seq]); each token sees only itself and
	// the Left tokens before it (Right must be 0), as a causal LLM does.
	Decoder Kind = "decoder"
)

// Input and output names, as in a Hugging Face Optimum export.
const (
	InputIDs      = "input_ids"
	AttentionMask = "attention_mask"
	TokenTypeIDs  = "token_type_ids"
	PositionIDs   = "position_ids"
	LogitsName    = "logits"
)

// InputNames lists the graph inputs of a kind, in graph order.
func (k Kind) InputNames() []string {
	if k == Decoder {
		return []string{InputIDs, AttentionMask, PositionIDs}
	}
	return []string{InputIDs, AttentionMask, TokenTypeIDs}
}

// WindowMLP is a windowed-embedding token classifier, the small model piimask
// trains itself. For token j of a sequence:
//
//	c_d   = id[j+d] for d in -Left..Right; PadID outside the sequence or where attention_mask is 0
//	x     = concat(Embedding[c_-Left], …, Embedding[c_Right])           (Width()·EmbedDim)
//	h     = ReLU(x·W1 + B1 + Aux[a_j])                                    (Hidden)
//	logit = h·W2 + B2                                                     (NumLabels)
//
// where Aux is the token-type embedding indexed by token_type_ids (Encoder) or
// the position embedding indexed by min(position_ids, AuxRows-1) (Decoder:
// it tells the first Left positions, whose window reaches before the start,
// from the rest). All matrices are row-major float32.
type WindowMLP struct {
	Kind      Kind
	VocabSize int
	EmbedDim  int
	Hidden    int
	NumLabels int
	Left      int // tokens of left context
	Right     int // tokens of right context (0 for Decoder)
	PadID     int
	AuxRows   int // token types (Encoder, usually 2) or position buckets (Decoder)

	Embedding []float32 // VocabSize × EmbedDim
	W1        []float32 // Width()·EmbedDim × Hidden
	B1        []float32 // Hidden
	Aux       []float32 // AuxRows × Hidden
	W2        []float32 // Hidden × NumLabels
	B2        []float32 // NumLabels
}

// Width is the number of tokens in a window (Left + 1 + Right).
func (m *WindowMLP) Width() int { return m.Left + 1 + m.Right }

// Validate checks the sizes and the kind.
func (m *WindowMLP) Validate() error {
	switch m.Kind {
	case Encoder, Decoder:
	default:
		return fmt.Errorf("onnxgraph: window model: unknown kind %q (want %q or %q)", m.Kind, Encoder, Decoder)
	}
	if m.VocabSize <= 0 || m.EmbedDim <= 0 || m.Hidden <= 0 || m.NumLabels <= 0 || m.AuxRows <= 0 {
		return fmt.Errorf("onnxgraph: window model: vocab %d, embed %d, hidden %d, labels %d, aux rows %d must all be positive",
			m.VocabSize, m.EmbedDim, m.Hidden, m.NumLabels, m.AuxRows)
	}
	if m.Left < 0 || m.Right < 0 {
		return fmt.Errorf("onnxgraph: window model: negative window (left %d, right %d)", m.Left, m.Right)
	}
	if m.Kind == Decoder && m.Right != 0 {
		return fmt.Errorf("onnxgraph: window model: a decoder sees no right context (right %d)", m.Right)
	}
	if m.PadID < 0 || m.PadID >= m.VocabSize {
		return fmt.Errorf("onnxgraph: window model: pad id %d outside vocabulary 0..%d", m.PadID, m.VocabSize-1)
	}
	for _, c := range []struct {
		name string
		got  int
		want int
	}{
		{"embedding", len(m.Embedding), m.VocabSize * m.EmbedDim},
		{"w1", len(m.W1), m.Width() * m.EmbedDim * m.Hidden},
		{"b1", len(m.B1), m.Hidden},
		{"aux", len(m.Aux), m.AuxRows * m.Hidden},
		{"w2", len(m.W2), m.Hidden * m.NumLabels},
		{"b2", len(m.B2), m.NumLabels},
	} {
		if c.got != c.want {
			return fmt.Errorf("onnxgraph: window model: %s has %d values, want %d", c.name, c.got, c.want)
		}
	}
	return nil
}

// Model builds the ONNX graph: inputs of Kind.InputNames() (int64 [batch,
// seq], both dynamic), output float "logits" [batch, seq, NumLabels].
func (m *WindowMLP) Model() (*onnxpb.ModelProto, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	b, ids, mask, aux := newModelBuilder("piimask_window_mlp_", m.Kind)

	v, d, h, l := int64(m.VocabSize), int64(m.EmbedDim), int64(m.Hidden), int64(m.NumLabels)
	emb := b.FloatInit("embedding.weight", []int64{v, d}, m.Embedding)
	w1 := b.FloatInit("dense.weight", []int64{int64(m.Width()) * d, h}, m.W1)
	b1 := b.FloatInit("dense.bias", []int64{h}, m.B1)
	auxW := b.auxEmbedding(m.Kind, m.AuxRows, m.Hidden, m.Aux)
	w2 := b.FloatInit("classifier.weight", []int64{h, l}, m.W2)
	b2 := b.FloatInit("classifier.bias", []int64{l}, m.B2)
	pad := b.Int64Init("pad_id", nil, int64(m.PadID))

	// Masked-out tokens (padding, either side) read as the pad id.
	keep := b.Op("Cast", []string{mask}, AttrInt("to", int64(Bool)))
	idsM := b.Op("Where", []string{keep, ids, pad})

	// Pad the sequence axis with Left/Right pad ids; the batch size is dynamic.
	parts := []string{}
	padBlock := func(n int) string {
		shape := b.Op("Shape", []string{idsM})
		batch := b.Op("Slice", []string{shape, b.Int64Const([]int64{1}, 0), b.Int64Const([]int64{1}, 1)})
		full := b.Op("Concat", []string{batch, b.Int64Const([]int64{1}, int64(n))}, AttrInt("axis", 0))
		value, err := Int64Tensor("value", []int64{1}, []int64{int64(m.PadID)})
		if err != nil {
			b.fail("%v", err)
		}
		return b.Op("ConstantOfShape", []string{full}, AttrTensor("value", value))
	}
	if m.Left > 0 {
		parts = append(parts, padBlock(m.Left))
	}
	parts = append(parts, idsM)
	if m.Right > 0 {
		parts = append(parts, padBlock(m.Right))
	}
	padded := idsM
	if len(parts) > 1 {
		padded = b.Op("Concat", parts, AttrInt("axis", 1))
	}
	axis1 := b.Int64Init("axis1", []int64{1}, 1)
	var embs []string
	for off := -m.Left; off <= m.Right; off++ {
		start := int64(m.Left + off)
		end := int64(math.MaxInt64)
		if rest := m.Right - off; rest > 0 {
			end = -int64(rest)
		}
		shifted := padded
		if m.Left+m.Right > 0 {
			s := b.Int64Const([]int64{1}, start)
			e := b.Int64Const([]int64{1}, end)
			shifted = b.Op("Slice", []string{padded, s, e, axis1})
		}
		embs = append(embs, b.Op("Gather", []string{emb, shifted}, AttrInt("axis", 0)))
	}
	x := embs[0]
	if len(embs) > 1 {
		x = b.Op("Concat", embs, AttrInt("axis", -1))
	}
	hidden := b.Op("Add", []string{b.Op("MatMul", []string{x, w1}), b1})
	auxIdx := aux
	if m.Kind == Decoder {
		lo := b.Int64Init("position_min", nil, 0)
		hi := b.Int64Init("position_max", nil, int64(m.AuxRows-1))
		auxIdx = b.Op("Clip", []string{aux, lo, hi})
	}
	hidden = b.Op("Add", []string{hidden, b.Op("Gather", []string{auxW, auxIdx}, AttrInt("axis", 0))})
	act := b.Op("Relu", []string{hidden})
	b.OpTo(LogitsName, "Add", []string{b.Op("MatMul", []string{act, w2}), b2})
	b.Output(LogitsName, Float, Sym("batch"), Sym("sequence"), Fixed(l))
	return b.Model("piimask", map[string]string{
		"piimask.kind":  string(m.Kind),
		"piimask.left":  strconv.Itoa(m.Left),
		"piimask.right": strconv.Itoa(m.Right),
	})
}

// Forward is the reference forward pass of one sequence in pure Go, the same
// computation as the ONNX graph: ids, mask and aux (token type ids or
// position ids) have one value per token; mask may be nil (all ones) and aux
// nil (all zeros for Encoder, 0..n-1 for Decoder). It returns n×NumLabels
// logits, row-major. Call Validate first; ids must lie in the vocabulary.
func (m *WindowMLP) Forward(ids, mask, aux []int64) []float32 {
	n := len(ids)
	eff := make([]int64, n)
	for j, id := range ids {
		eff[j] = id
		if mask != nil && mask[j] == 0 {
			eff[j] = int64(m.PadID)
		}
	}
	d, hd, l := m.EmbedDim, m.Hidden, m.NumLabels
	out := make([]float32, n*l)
	h := make([]float32, hd)
	for j := 0; j < n; j++ {
		copy(h, m.B1)
		for w := 0; w < m.Width(); w++ {
			p := j - m.Left + w
			id := int64(m.PadID)
			if p >= 0 && p < n {
				id = eff[p]
			}
			e := m.Embedding[int(id)*d : int(id)*d+d]
			for i, xv := range e {
				row := m.W1[(w*d+i)*hd : (w*d+i+1)*hd]
				for k, wv := range row {
					h[k] += xv * wv
				}
			}
		}
		a := auxIndex(m.Kind, aux, j, m.AuxRows)
		auxRow := m.Aux[a*hd : (a+1)*hd]
		z := out[j*l : (j+1)*l]
		copy(z, m.B2)
		for k := range h {
			hv := h[k] + auxRow[k]
			if hv <= 0 {
				continue
			}
			row := m.W2[k*l : (k+1)*l]
			for c, wv := range row {
				z[c] += hv * wv
			}
		}
	}
	return out
}

// newModelBuilder starts the graph of a model of kind: a builder named
// prefix+kind and the three int64 [batch, sequence] inputs (both axes
// dynamic) of kind.InputNames().
func newModelBuilder(prefix string, kind Kind) (b *Builder, ids, mask, aux string) {
	b = NewBuilder(prefix + string(kind))
	bs := []Dim{Sym("batch"), Sym("sequence")}
	names := kind.InputNames()
	return b, b.Input(names[0], Int64, bs...), b.Input(names[1], Int64, bs...), b.Input(names[2], Int64, bs...)
}

// auxEmbedding adds the rows × hidden table the third input indexes: token
// type embeddings (Encoder) or position embeddings (Decoder).
func (b *Builder) auxEmbedding(kind Kind, rows, hidden int, data []float32) string {
	name := "token_type_embeddings.weight"
	if kind == Decoder {
		name = "position_embeddings.weight"
	}
	return b.FloatInit(name, []int64{int64(rows), int64(hidden)}, data)
}

// auxIndex is the aux table row of token j in the Go forward passes: aux[j]
// when aux is given, else the position j for a decoder (0 for an encoder);
// a decoder's position is clipped to the table's rows, as the graph's Clip
// does.
func auxIndex(kind Kind, aux []int64, j, rows int) int {
	a := 0
	switch {
	case aux != nil:
		a = int(aux[j])
	case kind == Decoder:
		a = j
	}
	if kind == Decoder {
		a = max(0, min(a, rows-1))
	}
	return a
}
