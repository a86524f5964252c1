package write

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"

	"github.com/parquet-go/parquet-go"
)

// ParquetMirror maps rows of an input Parquet file to rows of an output file
// that mirrors it: the same top-level columns in the same order with their
// Parquet types (leaf values are copied, never converted), less the dropped
// ones, and the text column replaced by a masked text — in place when the
// masked column keeps the text column's name, else added as the last column
// under its own name (the original text column is then left out).
type ParquetMirror struct {
	schema  *parquet.Schema
	colMap  []int // input leaf column → output leaf column, -1 when dropped
	textIn  int   // input leaf column of the text
	textOut int   // output leaf column of the masked text
	textDef int   // definition level of a present text value
}

// NewParquetMirror builds the mapping for input schema in. text is the
// top-level text column (a string leaf), outCol the masked column's name
// ("" or text: replace in place), drop tells which other top-level columns
// are left out. A carried column named outCol is an error.
func NewParquetMirror(in *parquet.Schema, text, outCol string, drop func(string) bool) (*ParquetMirror, error) {
	if outCol == "" {
		outCol = text
	}
	p := &ParquetMirror{textIn: -1, textOut: -1}
	group := parquet.Group{}
	var order []string
	type span struct {
		name     string
		start, n int
	}
	var kept []span
	col := 0
	var textNode parquet.Node
	for _, f := range in.Fields() {
		n := leafCount(f)
		switch {
		case f.Name() == text:
			if !f.Leaf() || f.Repeated() {
				return nil, fmt.Errorf("text column %q is not a single string value", text)
			}
			p.textIn, textNode = col, f
			if outCol == text {
				kept = append(kept, span{text, col, n})
			}
		case drop(f.Name()):
		case f.Name() == outCol:
			return nil, fmt.Errorf("output column %q already exists in the input: choose another mask.output_column or drop the column", outCol)
		default:
			kept = append(kept, span{f.Name(), col, n})
		}
		col += n
	}
	if textNode == nil {
		return nil, fmt.Errorf("no top-level text column %q in the Parquet schema", text)
	}
	if outCol != text {
		kept = append(kept, span{outCol, -1, 1})
	}
	p.colMap = slices.Repeat([]int{-1}, col)
	out := 0
	for _, k := range kept {
		order = append(order, k.name)
		if k.start < 0 || k.name == text {
			group[k.name] = textNode
			p.textOut = out
			out++
			continue
		}
		for i := 0; i < k.n; i++ {
			p.colMap[k.start+i] = out
			out++
		}
		group[k.name] = fieldNode(in, k.name)
	}
	p.colMap[p.textIn] = -1
	if textNode.Optional() {
		p.textDef = 1
	}
	p.schema = parquet.NewSchema(in.Name(), orderedGroup{Group: group, order: order})
	return p, nil
}

// Schema is the output schema.
func (p *ParquetMirror) Schema() *parquet.Schema { return p.schema }

// Row appends the output row for input row in (of the input schema) with
// the masked text to dst[:0] and returns it.
func (p *ParquetMirror) Row(dst, in parquet.Row, masked string) parquet.Row {
	dst = dst[:0]
	text := parquet.ByteArrayValue([]byte(masked)).Level(0, p.textDef, p.textOut)
	placed := false
	for _, v := range in {
		oc := p.colMap[v.Column()]
		if oc < 0 {
			continue
		}
		if !placed && oc > p.textOut {
			dst, placed = append(dst, text), true
		}
		dst = append(dst, v.Level(v.RepetitionLevel(), v.DefinitionLevel(), oc))
	}
	if !placed {
		dst = append(dst, text)
	}
	return dst
}

// Text returns the text value of input row in; false when it is null.
func (p *ParquetMirror) Text(in parquet.Row) (string, bool) {
	for _, v := range in {
		if v.Column() == p.textIn {
			if v.IsNull() {
				return "", false
			}
			return string(v.ByteArray()), true
		}
	}
	return "", false
}

func fieldNode(s *parquet.Schema, name string) parquet.Node {
	for _, f := range s.Fields() {
		if f.Name() == name {
			return f
		}
	}
	return nil
}

func leafCount(n parquet.Node) int {
	if n.Leaf() {
		return 1
	}
	c := 0
	for _, f := range n.Fields() {
		c += leafCount(f)
	}
	return c
}

// orderedGroup is a Group whose fields keep an explicit order (a plain
// Group sorts them by name).
type orderedGroup struct {
	parquet.Group
	order []string
}

func (g orderedGroup) Fields() []parquet.Field {
	fields := g.Group.Fields()
	rank := make(map[string]int, len(g.order))
	for i, n := range g.order {
		rank[n] = i
	}
	slices.SortStableFunc(fields, func(a, b parquet.Field) int { return rank[a.Name()] - rank[b.Name()] })
	return fields
}

// mirrorOptions are the Parquet writer options of mirrored files: zstd
// unless a column carries its own codec from the input, and a fixed
// created_by, so equal rows give equal bytes whatever the build.
func mirrorOptions() []parquet.WriterOption {
	return []parquet.WriterOption{parquet.Compression(&parquet.Zstd), &parquet.WriterConfig{CreatedBy: "piimask"}}
}

// MirrorTable is the layout of a mirrored Parquet file of schema (a
// ParquetMirror's Schema): parquet.Rows written one at a time. Use it with
// NewBatchWriter (or NewBatchWriterTo) and WithBatchRows(math.MaxInt) plus
// Flush where each row group should end.
func MirrorTable(schema *parquet.Schema) Table[parquet.Row] {
	return Table[parquet.Row]{Parquet: ParquetRows(schema, mirrorOptions()...)}
}

// AssembleParquet writes final as one Parquet file of schema holding the
// rows of the part files, in order, one row group per part row group;
// missing part files contribute nothing. final appears only when complete.
func AssembleParquet(final string, schema *parquet.Schema, parts []string) error {
	w, err := NewBatchWriter(final, Parquet, MirrorTable(schema), WithBatchRows(math.MaxInt))
	if err != nil {
		return err
	}
	defer w.Abort()
	pw, _ := parquetRowWriter(w)
	for _, part := range parts {
		if err := copyParquetPart(pw, part); err != nil {
			return fmt.Errorf("assemble %s: %w", final, err)
		}
	}
	return w.Commit()
}

func copyParquetPart(w *parquet.GenericWriter[any], path string) error {
	pf, err := OpenParquet(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer pf.Close()
	for _, rg := range pf.RowGroups() {
		rows := rg.Rows()
		_, err := parquet.CopyRows(w, rows)
		rows.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// ParquetFile is a Parquet file open for reading, row group by row group.
type ParquetFile struct {
	*parquet.File
	f    *os.File
	path string
}

// OpenParquet opens the Parquet file at path.
func OpenParquet(path string) (*ParquetFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &ParquetFile{File: pf, f: f, path: path}, nil
}

// Close closes the file.
func (p *ParquetFile) Close() error { return p.f.Close() }

// EachRow calls row for every row in file order (n counts from 1; the row
// is valid only during the call) and endGroup after each row group. It
// stops at the first error, and when ctx is done between row groups.
func (p *ParquetFile) EachRow(ctx context.Context, row func(n int, r parquet.Row) error, endGroup func() error) error {
	buf := make([]parquet.Row, 256)
	n := 0
	for _, rg := range p.RowGroups() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := p.eachInGroup(rg, buf, &n, row); err != nil {
			return err
		}
		if err := endGroup(); err != nil {
			return err
		}
	}
	return nil
}

func (p *ParquetFile) eachInGroup(rg parquet.RowGroup, buf []parquet.Row, n *int, row func(int, parquet.Row) error) error {
	rows := rg.Rows()
	defer rows.Close()
	for {
		k, readErr := rows.ReadRows(buf)
		for _, r := range buf[:k] {
			*n++
			if err := row(*n, r); err != nil {
				return err
			}
		}
		if errors.Is(readErr, io.EOF) {
			return nil
		}
		if readErr != nil {
			return fmt.Errorf("%s: %w", p.path, readErr)
		}
	}
}
