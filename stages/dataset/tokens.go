package dataset

import (
	"fmt"
	"path/filepath"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/parquet-go/parquet-go"

	"github.com/piimask/piimask/stages/tokenize"
	"github.com/piimask/piimask/stages/write"
)

// Row is one window of one document in the token-classification dataset.
//
// Columns, as Hugging Face `datasets` loads them (load_dataset("parquet") or
// ("arrow")): id string, language string, window int32, input_ids
// list<int32>, attention_mask list<int8>, token_type_ids list<int8> (only
// when the tokenizer uses them), labels list<int32> (-100 for ignored
// tokens), offsets list<list<int32>> (one [start, end) pair per token, code
// points of the original text, (0,0) for special tokens — the shape of a
// tokenizer's offset_mapping, read back as Sequence(Sequence(int32))), split
// string.
type Row struct {
	ID            string
	Language      string
	Window        int
	InputIDs      []int32
	AttentionMask []int8
	TokenTypeIDs  []int8
	Labels        []int32
	Offsets       [][2]int32
	Split         string
}

// RowFromEncoding builds a row from a (wrapped) window encoding and its labels.
func RowFromEncoding(id, language string, window int, split string, enc *tokenize.Encoding, labels []int) (Row, error) {
	n := enc.Len()
	if len(labels) != n {
		return Row{}, fmt.Errorf("document %s window %d: %d labels for %d tokens", id, window, len(labels), n)
	}
	r := Row{ID: id, Language: language, Window: window, Split: split,
		InputIDs: make([]int32, n), AttentionMask: make([]int8, n), TokenTypeIDs: make([]int8, n),
		Labels: make([]int32, n), Offsets: make([][2]int32, n)}
	for i := 0; i < n; i++ {
		r.InputIDs[i] = int32(enc.IDs[i])
		r.AttentionMask[i] = 1
		if i < len(enc.AttentionMask) {
			r.AttentionMask[i] = int8(enc.AttentionMask[i])
		}
		if i < len(enc.TypeIDs) {
			r.TokenTypeIDs[i] = int8(enc.TypeIDs[i])
		}
		r.Labels[i] = int32(labels[i])
		if i < len(enc.Offsets) {
			r.Offsets[i] = [2]int32{int32(enc.Offsets[i][0]), int32(enc.Offsets[i][1])}
		}
	}
	return r, nil
}

type pqRow struct {
	ID            string    `parquet:"id"`
	Language      string    `parquet:"language"`
	Window        int32     `parquet:"window"`
	InputIDs      []int32   `parquet:"input_ids,list"`
	AttentionMask []int8    `parquet:"attention_mask,list"`
	TokenTypeIDs  []int8    `parquet:"token_type_ids,list"`
	Labels        []int32   `parquet:"labels,list"`
	Offsets       [][]int32 `parquet:"offsets,list"`
	Split         string    `parquet:"split"`
}

type pqRowNoTypes struct {
	ID            string    `parquet:"id"`
	Language      string    `parquet:"language"`
	Window        int32     `parquet:"window"`
	InputIDs      []int32   `parquet:"input_ids,list"`
	AttentionMask []int8    `parquet:"attention_mask,list"`
	Labels        []int32   `parquet:"labels,list"`
	Offsets       [][]int32 `parquet:"offsets,list"`
	Split         string    `parquet:"split"`
}

func pairs(o [][2]int32) [][]int32 {
	out := make([][]int32, len(o))
	for i, p := range o {
		out[i] = []int32{p[0], p[1]}
	}
	return out
}

// TokenWriterOptions configure a TokenWriter.
type TokenWriterOptions struct {
	// Dir receives <split>.parquet and/or <split>.arrow for every split.
	Dir string
	// Parquet and Arrow choose the formats (at least one).
	Parquet, Arrow bool
	// TypeIDs adds the token_type_ids column (BERT-like tokenizers).
	TypeIDs bool
	// BatchRows is the number of rows per Parquet row group and Arrow record
	// batch (default 1000).
	BatchRows int
}

// TokenWriter streams rows into one file per split and format. Files are
// written under temporary names and renamed into place by Close; every split
// gets a file, empty or not, so loaders find the schema. It is not safe for
// concurrent use.
type TokenWriter struct {
	opts   TokenWriterOptions
	sinks  map[string][]*write.BatchWriter[Row]
	counts map[string]int
	closed bool
}

// NewTokenWriter creates the split files in o.Dir.
func NewTokenWriter(o TokenWriterOptions) (*TokenWriter, error) {
	if !o.Parquet && !o.Arrow {
		return nil, fmt.Errorf("token dataset: no output format chosen")
	}
	if o.BatchRows <= 0 {
		o.BatchRows = 1000
	}
	w := &TokenWriter{opts: o, sinks: map[string][]*write.BatchWriter[Row]{}, counts: map[string]int{}}
	t := tokenTable(o.TypeIDs)
	for _, split := range SplitNames() {
		for _, f := range o.formats() {
			s, err := write.NewBatchWriter(filepath.Join(o.Dir, split+f.Ext()), f, t, write.WithBatchRows(o.BatchRows))
			if err != nil {
				w.Abort()
				return nil, err
			}
			w.sinks[split] = append(w.sinks[split], s)
		}
	}
	return w, nil
}

// formats lists the chosen formats: Parquet first, then Arrow.
func (o TokenWriterOptions) formats() []write.Format {
	var fs []write.Format
	if o.Parquet {
		fs = append(fs, write.Parquet)
	}
	if o.Arrow {
		fs = append(fs, write.Arrow)
	}
	return fs
}

// Write appends a row to its split's files.
func (w *TokenWriter) Write(r Row) error {
	if w.closed {
		return fmt.Errorf("token dataset: write after close")
	}
	sinks, ok := w.sinks[r.Split]
	if !ok {
		return fmt.Errorf("token dataset: document %s window %d: unknown split %q", r.ID, r.Window, r.Split)
	}
	n := len(r.InputIDs)
	if len(r.AttentionMask) != n || len(r.Labels) != n || len(r.Offsets) != n || (w.opts.TypeIDs && len(r.TokenTypeIDs) != n) {
		return fmt.Errorf("token dataset: document %s window %d: column lengths differ (%d input_ids, %d attention_mask, %d labels, %d offsets, %d token_type_ids)",
			r.ID, r.Window, n, len(r.AttentionMask), len(r.Labels), len(r.Offsets), len(r.TokenTypeIDs))
	}
	for _, s := range sinks {
		if err := s.Write(r); err != nil {
			return fmt.Errorf("token dataset: document %s window %d: %w", r.ID, r.Window, err)
		}
	}
	w.counts[r.Split]++
	return nil
}

// Rows returns the number of rows written per split.
func (w *TokenWriter) Rows() map[string]int {
	out := make(map[string]int, len(w.counts))
	for k, v := range w.counts {
		out[k] = v
	}
	return out
}

// Close finishes and renames every file into place. On error the files not
// yet committed are removed.
func (w *TokenWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	for _, split := range SplitNames() {
		for _, s := range w.sinks[split] {
			if err := s.Commit(); err != nil {
				w.abortAll()
				return err
			}
		}
	}
	return nil
}

// Abort removes every file not yet committed.
func (w *TokenWriter) Abort() {
	w.closed = true
	w.abortAll()
}

func (w *TokenWriter) abortAll() {
	for _, ss := range w.sinks {
		for _, s := range ss {
			s.Abort()
		}
	}
}

// tokenTable is the columnar layout of the dataset: Parquet (zstd) from
// pqRow or, without token_type_ids, pqRowNoTypes, written row by row, and
// ArrowSchema for Arrow.
func tokenTable(typeIDs bool) write.Table[Row] {
	zstd := parquet.Compression(&parquet.Zstd)
	pq := write.ParquetStructs(func(r Row) pqRowNoTypes {
		return pqRowNoTypes{r.ID, r.Language, int32(r.Window), r.InputIDs, r.AttentionMask, r.Labels, pairs(r.Offsets), r.Split}
	}, false, zstd)
	if typeIDs {
		pq = write.ParquetStructs(func(r Row) pqRow {
			return pqRow{r.ID, r.Language, int32(r.Window), r.InputIDs, r.AttentionMask, r.TokenTypeIDs, r.Labels, pairs(r.Offsets), r.Split}
		}, false, zstd)
	}
	return write.Table[Row]{Parquet: pq, Arrow: ArrowSchema(typeIDs), ArrowAppender: func(b *array.RecordBuilder) func(Row) {
		return func(r Row) { appendRow(b, r, typeIDs) }
	}}
}

// ArrowSchema is the Arrow schema of the token-classification dataset.
func ArrowSchema(typeIDs bool) *arrow.Schema {
	fields := []arrow.Field{
		{Name: "id", Type: arrow.BinaryTypes.String},
		{Name: "language", Type: arrow.BinaryTypes.String},
		{Name: "window", Type: arrow.PrimitiveTypes.Int32},
		{Name: "input_ids", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32)},
		{Name: "attention_mask", Type: arrow.ListOf(arrow.PrimitiveTypes.Int8)},
	}
	if typeIDs {
		fields = append(fields, arrow.Field{Name: "token_type_ids", Type: arrow.ListOf(arrow.PrimitiveTypes.Int8)})
	}
	fields = append(fields,
		arrow.Field{Name: "labels", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32)},
		arrow.Field{Name: "offsets", Type: arrow.ListOf(arrow.ListOf(arrow.PrimitiveTypes.Int32))},
		arrow.Field{Name: "split", Type: arrow.BinaryTypes.String},
	)
	return arrow.NewSchema(fields, nil)
}

// appendRow appends r to a record of ArrowSchema(typeIDs). The Arrow
// files use the IPC stream format, which is what Hugging Face datasets
// writes and memory-maps (Dataset.from_file, load_dataset("arrow")).
func appendRow(b *array.RecordBuilder, r Row, typeIDs bool) {
	col := 0
	next := func() array.Builder { f := b.Field(col); col++; return f }
	next().(*array.StringBuilder).Append(r.ID)
	next().(*array.StringBuilder).Append(r.Language)
	next().(*array.Int32Builder).Append(int32(r.Window))
	appendInt32s(next().(*array.ListBuilder), r.InputIDs)
	appendInt8s(next().(*array.ListBuilder), r.AttentionMask)
	if typeIDs {
		appendInt8s(next().(*array.ListBuilder), r.TokenTypeIDs)
	}
	appendInt32s(next().(*array.ListBuilder), r.Labels)
	lb := next().(*array.ListBuilder)
	lb.Append(true)
	inner := lb.ValueBuilder().(*array.ListBuilder)
	for _, p := range r.Offsets {
		appendInt32s(inner, p[:])
	}
	next().(*array.StringBuilder).Append(r.Split)
}

func appendInt32s(lb *array.ListBuilder, v []int32) {
	lb.Append(true)
	lb.ValueBuilder().(*array.Int32Builder).AppendValues(v, nil)
}

func appendInt8s(lb *array.ListBuilder, v []int8) {
	lb.Append(true)
	lb.ValueBuilder().(*array.Int8Builder).AppendValues(v, nil)
}
