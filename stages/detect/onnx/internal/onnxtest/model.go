package onnxtest

import (
	"encoding/binary"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// ONNX TensorProto data types used here.
const (
	Float = 1
	Int32 = 6
	Int64 = 7
)

// Spec describes a model. Weight slices are row-major.
type Spec struct {
	Vocab, Dim, Labels int
	// IDType is the element type of every integer input (Int64 or Int32).
	IDType int
	// Emb is the token embedding, Vocab×Dim.
	Emb []float32
	// TypeEmb, when set, adds a token_type_ids input and embedding (2×Dim).
	TypeEmb []float32
	// PosEmb, when set, adds a position_ids input and embedding (MaxPos×Dim).
	PosEmb []float32
	// Hidden > 0 adds W1 (Dim×Hidden) and B1 (Hidden) with a ReLU.
	Hidden int
	W1, B1 []float32
	// W2 is (Hidden or Dim)×Labels, B2 is Labels.
	W2, B2 []float32
	// OutputName defaults to "logits".
	OutputName string
	// ExtraInput, when set, adds an unused int64 input of that name.
	ExtraInput string
}

type msg []byte

func (m msg) bytes(f protowire.Number, b []byte) msg {
	m = protowire.AppendTag(m, f, protowire.BytesType)
	return protowire.AppendBytes(m, b)
}
func (m msg) str(f protowire.Number, s string) msg { return m.bytes(f, []byte(s)) }
func (m msg) int(f protowire.Number, v int64) msg {
	m = protowire.AppendTag(m, f, protowire.VarintType)
	return protowire.AppendVarint(m, uint64(v))
}

func floatTensor(name string, data []float32, dims ...int64) msg {
	var t msg
	for _, d := range dims {
		t = t.int(1, d)
	}
	t = t.int(2, Float).str(8, name)
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
	}
	return t.bytes(9, raw)
}

func int64Tensor(name string, data []int64, dims ...int64) msg {
	var t msg
	for _, d := range dims {
		t = t.int(1, d)
	}
	t = t.int(2, Int64).str(8, name)
	raw := make([]byte, 8*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(v))
	}
	return t.bytes(9, raw)
}

// dim is a static size (>0) or a named dynamic one.
type dim struct {
	value int64
	param string
}

func valueInfo(name string, elem int, dims ...dim) msg {
	var shape msg
	for _, d := range dims {
		var dm msg
		if d.param != "" {
			dm = dm.str(2, d.param)
		} else {
			dm = dm.int(1, d.value)
		}
		shape = shape.bytes(1, dm)
	}
	tensor := msg(nil).int(1, int64(elem)).bytes(2, shape)
	typ := msg(nil).bytes(1, tensor)
	return msg(nil).str(1, name).bytes(2, typ)
}

func node(op string, inputs, outputs []string, attrs ...msg) msg {
	var n msg
	for _, in := range inputs {
		n = n.str(1, in)
	}
	for _, out := range outputs {
		n = n.str(2, out)
	}
	n = n.str(3, outputs[0]+"_node").str(4, op)
	for _, a := range attrs {
		n = n.bytes(5, a)
	}
	return n
}

func intAttr(name string, v int64) msg {
	return msg(nil).str(1, name).int(20, 2).int(3, v)
}

// Model serialises the model described by s.
func Model(s Spec) []byte {
	if s.IDType == 0 {
		s.IDType = Int64
	}
	out := s.OutputName
	if out == "" {
		out = "logits"
	}
	var g msg
	batchSeq := []dim{{param: "batch"}, {param: "sequence"}}
	inputs := []msg{valueInfo("input_ids", s.IDType, batchSeq...), valueInfo("attention_mask", s.IDType, batchSeq...)}
	var nodes, inits []msg
	inits = append(inits, floatTensor("E", s.Emb, int64(s.Vocab), int64(s.Dim)))
	nodes = append(nodes, node("Gather", []string{"E", "input_ids"}, []string{"h_tok"}))
	h := "h_tok"
	if s.TypeEmb != nil {
		inputs = append(inputs, valueInfo("token_type_ids", s.IDType, batchSeq...))
		inits = append(inits, floatTensor("T", s.TypeEmb, int64(len(s.TypeEmb)/s.Dim), int64(s.Dim)))
		nodes = append(nodes,
			node("Gather", []string{"T", "token_type_ids"}, []string{"h_type"}),
			node("Add", []string{h, "h_type"}, []string{"h_with_type"}))
		h = "h_with_type"
	}
	if s.PosEmb != nil {
		inputs = append(inputs, valueInfo("position_ids", s.IDType, batchSeq...))
		inits = append(inits, floatTensor("P", s.PosEmb, int64(len(s.PosEmb)/s.Dim), int64(s.Dim)))
		nodes = append(nodes,
			node("Gather", []string{"P", "position_ids"}, []string{"h_pos"}),
			node("Add", []string{h, "h_pos"}, []string{"h_with_pos"}))
		h = "h_with_pos"
	}
	if s.ExtraInput != "" {
		inputs = append(inputs, valueInfo(s.ExtraInput, Int64, batchSeq...))
	}
	inits = append(inits, int64Tensor("axes_last", []int64{-1}, 1))
	nodes = append(nodes,
		node("Cast", []string{"attention_mask"}, []string{"mask_f"}, intAttr("to", Float)),
		node("Unsqueeze", []string{"mask_f", "axes_last"}, []string{"mask_3d"}),
		node("Mul", []string{h, "mask_3d"}, []string{"h_masked"}))
	h = "h_masked"
	inDim := s.Dim
	if s.Hidden > 0 {
		inits = append(inits, floatTensor("W1", s.W1, int64(s.Dim), int64(s.Hidden)), floatTensor("B1", s.B1, int64(s.Hidden)))
		nodes = append(nodes,
			node("MatMul", []string{h, "W1"}, []string{"h1_mm"}),
			node("Add", []string{"h1_mm", "B1"}, []string{"h1_pre"}),
			node("Relu", []string{"h1_pre"}, []string{"h1"}))
		h = "h1"
		inDim = s.Hidden
	}
	inits = append(inits, floatTensor("W2", s.W2, int64(inDim), int64(s.Labels)), floatTensor("B2", s.B2, int64(s.Labels)))
	nodes = append(nodes,
		node("MatMul", []string{h, "W2"}, []string{"logits_mm"}),
		node("Add", []string{"logits_mm", "B2"}, []string{out}))

	for _, n := range nodes {
		g = g.bytes(1, n)
	}
	g = g.str(2, "piimask_tiny_token_classifier")
	for _, t := range inits {
		g = g.bytes(5, t)
	}
	for _, in := range inputs {
		g = g.bytes(11, in)
	}
	g = g.bytes(12, valueInfo(out, Float, dim{param: "batch"}, dim{param: "sequence"}, dim{value: int64(s.Labels)}))

	opset := msg(nil).str(1, "").int(2, 17)
	var m msg
	m = m.int(1, 8).str(2, "piimask-onnxtest").bytes(7, g).bytes(8, opset)
	return m
}

// Identity returns an n×n identity matrix, row-major.
func Identity(n int) []float32 {
	out := make([]float32, n*n)
	for i := 0; i < n; i++ {
		out[i*n+i] = 1
	}
	return out
}
