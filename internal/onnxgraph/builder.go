package onnxgraph

import (
	"fmt"
	"math"
	"slices"

	"github.com/piimask/piimask/internal/onnxgraph/onnxpb"
	"github.com/piimask/piimask/stages/write"
	"google.golang.org/protobuf/proto"
)

// Versions written into every model.
const (
	// OpsetVersion is the default-domain opset the graphs use.
	OpsetVersion = 17
	// IRVersion is the ONNX IR version of the model files (IR 8 goes with opset 17).
	IRVersion = 8
)

// Element types used by piimask graphs.
const (
	Float = onnxpb.TensorProto_FLOAT
	Int64 = onnxpb.TensorProto_INT64
	Bool  = onnxpb.TensorProto_BOOL
)

// Dim is one dimension of a graph input or output: a symbolic name (dynamic,
// e.g. "batch") when Param is set, else the fixed size Value.
type Dim struct {
	Param string
	Value int64
}

// Sym is a dynamic dimension named name.
func Sym(name string) Dim { return Dim{Param: name} }

// Fixed is a dimension of size n.
func Fixed(n int64) Dim { return Dim{Value: n} }

// Builder assembles one ONNX graph. Names are checked as nodes are added: a
// node may only read a graph input, an initializer or an earlier node's
// output, so a built graph is topologically sorted, as ONNX requires.
// The first error is kept and returned by Model.
type Builder struct {
	g       *onnxpb.GraphProto
	defined map[string]bool
	next    int
	err     error
}

// NewBuilder starts an empty graph called name.
func NewBuilder(name string) *Builder {
	return &Builder{g: &onnxpb.GraphProto{Name: name}, defined: map[string]bool{}}
}

func (b *Builder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = fmt.Errorf("onnxgraph: graph %q: "+format, append([]any{b.g.Name}, args...)...)
	}
}

func (b *Builder) define(name string) {
	if name == "" {
		b.fail("empty value name")
		return
	}
	if b.defined[name] {
		b.fail("value %q defined twice", name)
		return
	}
	b.defined[name] = true
}

func valueInfo(name string, t onnxpb.TensorProto_DataType, dims []Dim) *onnxpb.ValueInfoProto {
	shape := &onnxpb.TensorShapeProto{}
	for _, d := range dims {
		dim := &onnxpb.TensorShapeProto_Dimension{}
		if d.Param != "" {
			dim.Value = &onnxpb.TensorShapeProto_Dimension_DimParam{DimParam: d.Param}
		} else {
			dim.Value = &onnxpb.TensorShapeProto_Dimension_DimValue{DimValue: d.Value}
		}
		shape.Dim = append(shape.Dim, dim)
	}
	return &onnxpb.ValueInfoProto{
		Name: name,
		Type: &onnxpb.TypeProto{Value: &onnxpb.TypeProto_TensorType{TensorType: &onnxpb.TypeProto_Tensor{
			ElemType: int32(t), Shape: shape,
		}}},
	}
}

// Input declares a graph input and returns its name.
func (b *Builder) Input(name string, t onnxpb.TensorProto_DataType, dims ...Dim) string {
	b.define(name)
	b.g.Input = append(b.g.Input, valueInfo(name, t, dims))
	return name
}

// Output declares value name (already produced by a node) as a graph output.
func (b *Builder) Output(name string, t onnxpb.TensorProto_DataType, dims ...Dim) {
	if !b.defined[name] {
		b.fail("output %q is not produced by any node", name)
	}
	b.g.Output = append(b.g.Output, valueInfo(name, t, dims))
}

func product(dims []int64) (int64, bool) {
	n := int64(1)
	for _, d := range dims {
		if d < 0 {
			return 0, false
		}
		n *= d
	}
	return n, true
}

// FloatTensor builds a float32 tensor proto (raw little-endian data).
func FloatTensor(name string, dims []int64, data []float32) (*onnxpb.TensorProto, error) {
	n, ok := product(dims)
	if !ok || n != int64(len(data)) {
		return nil, fmt.Errorf("onnxgraph: tensor %q: shape %v wants %d values, got %d", name, dims, n, len(data))
	}
	raw := make([]byte, 4*len(data))
	for i, v := range data {
		u := math.Float32bits(v)
		raw[4*i], raw[4*i+1], raw[4*i+2], raw[4*i+3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
	}
	return &onnxpb.TensorProto{Name: name, Dims: dims, DataType: int32(Float), RawData: raw}, nil
}

// Int64Tensor builds an int64 tensor proto.
func Int64Tensor(name string, dims []int64, data []int64) (*onnxpb.TensorProto, error) {
	n, ok := product(dims)
	if !ok || n != int64(len(data)) {
		return nil, fmt.Errorf("onnxgraph: tensor %q: shape %v wants %d values, got %d", name, dims, n, len(data))
	}
	return &onnxpb.TensorProto{Name: name, Dims: dims, DataType: int32(Int64), Int64Data: append([]int64(nil), data...)}, nil
}

// Initializer adds a constant tensor (weights) to the graph and returns its name.
func (b *Builder) Initializer(t *onnxpb.TensorProto, err error) string {
	if err != nil {
		if b.err == nil {
			b.err = err
		}
		return t.GetName()
	}
	b.define(t.Name)
	b.g.Initializer = append(b.g.Initializer, t)
	return t.Name
}

// FloatInit adds a float32 initializer.
func (b *Builder) FloatInit(name string, dims []int64, data []float32) string {
	return b.Initializer(FloatTensor(name, dims, data))
}

// Int64Init adds an int64 initializer (a scalar when dims is empty).
func (b *Builder) Int64Init(name string, dims []int64, data ...int64) string {
	return b.Initializer(Int64Tensor(name, dims, data))
}

// Int64Const adds an int64 initializer with a generated unique name.
func (b *Builder) Int64Const(dims []int64, data ...int64) string {
	b.next++
	return b.Int64Init(fmt.Sprintf("const_%d", b.next), dims, data...)
}

// AttrInt is an integer attribute.
func AttrInt(name string, v int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: name, Type: onnxpb.AttributeProto_INT, I: v}
}

// AttrInts is an integer-list attribute.
func AttrInts(name string, v ...int64) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: name, Type: onnxpb.AttributeProto_INTS, Ints: v}
}

// AttrTensor is a tensor attribute (e.g. ConstantOfShape's value).
func AttrTensor(name string, t *onnxpb.TensorProto) *onnxpb.AttributeProto {
	return &onnxpb.AttributeProto{Name: name, Type: onnxpb.AttributeProto_TENSOR, T: t}
}

// Op adds a node of operator op (default domain) reading inputs and returns the
// name of its single output, generated from the operator name.
func (b *Builder) Op(op string, inputs []string, attrs ...*onnxpb.AttributeProto) string {
	b.next++
	out := fmt.Sprintf("%s_%d", op, b.next)
	b.OpTo(out, op, inputs, attrs...)
	return out
}

// OpTo is Op with the output named out (for graph outputs).
func (b *Builder) OpTo(out, op string, inputs []string, attrs ...*onnxpb.AttributeProto) string {
	for _, in := range inputs {
		if in != "" && !b.defined[in] {
			b.fail("node %s reads %q before it is defined", op, in)
		}
	}
	b.define(out)
	b.g.Node = append(b.g.Node, &onnxpb.NodeProto{
		Name: fmt.Sprintf("%s_node_%d", op, len(b.g.Node)), OpType: op,
		Input: inputs, Output: []string{out}, Attribute: attrs,
	})
	return out
}

// Model finishes the graph into a model proto with the given producer name and
// metadata (metadata_props), or returns the first error met while building.
func (b *Builder) Model(producer string, metadata map[string]string) (*onnxpb.ModelProto, error) {
	if b.err != nil {
		return nil, b.err
	}
	if len(b.g.Output) == 0 {
		return nil, fmt.Errorf("onnxgraph: graph %q has no outputs", b.g.Name)
	}
	m := &onnxpb.ModelProto{
		IrVersion:    IRVersion,
		OpsetImport:  []*onnxpb.OperatorSetIdProto{{Domain: "", Version: OpsetVersion}},
		ProducerName: producer,
		Graph:        b.g,
	}
	keys := make([]string, 0, len(metadata))
	for k := range metadata {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		m.MetadataProps = append(m.MetadataProps, &onnxpb.StringStringEntryProto{Key: k, Value: metadata[k]})
	}
	return m, nil
}

// Marshal encodes a model deterministically (same model, same bytes).
func Marshal(m *onnxpb.ModelProto) ([]byte, error) {
	data, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("onnxgraph: marshal model: %w", err)
	}
	return data, nil
}

// Unmarshal decodes a model file's bytes.
func Unmarshal(data []byte) (*onnxpb.ModelProto, error) {
	m := &onnxpb.ModelProto{}
	if err := proto.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("onnxgraph: decode model: %w", err)
	}
	return m, nil
}

// WriteFile writes a model to path atomically (temporary file, then rename).
func WriteFile(path string, m *onnxpb.ModelProto) error {
	data, err := Marshal(m)
	if err != nil {
		return err
	}
	if err := write.WriteFileAtomic(path, data); err != nil {
		return fmt.Errorf("onnxgraph: %w", err)
	}
	return nil
}
