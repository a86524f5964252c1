package jobs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"sort"

	"github.com/parquet-go/parquet-go"

	"github.com/piimask/piimask/internal/checkpoint"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/stages/mask"
	"github.com/piimask/piimask/stages/read"
	"github.com/piimask/piimask/stages/write"
)

// piiColumns are AI4Privacy columns that hold PII values; a mask job never
// copies them to its output.
var piiColumns = []string{"privacy_mask", "mbert_text_tokens", "mbert_tokens", "tokenised_text", "unmasked_text", "source_text", "span_labels", "mbert_bio_labels", "mbert_token_classes", "bio_labels"}

// maskOutputs are a mask run's tabular outputs (one per JSONL or Parquet
// input, or generated.jsonl) and how their rows are written.
type maskOutputs struct {
	targets []string // relative output paths of tabular outputs
	textCol string
	outCol  string
	drop    map[string]bool
	pq      map[int]*parquetTarget // Parquet outputs by target
	rows    map[int]*bytes.Buffer  // the current part's JSONL rows by target
	obj     *write.JSONObject      // JSONL rows, keys in input order
}

// parquetTarget is the state of one Parquet output: the mapping from input
// rows and the current part's writer.
type parquetTarget struct {
	mirror *write.ParquetMirror
	col    string // masked column's name
	buf    bytes.Buffer
	w      *write.BatchWriter[parquet.Row] // the current part's rows, one row group
	row    parquet.Row
}

// maskParts is a mask run's restart state: the part being written (rows
// are in maskOutputs) and what the checkpoint records.
type maskParts struct {
	store   *checkpoint.Store
	size    int64 // documents per part (mask.part_docs)
	part    int
	inPart  int64
	audit   bytes.Buffer
	vault   bytes.Buffer
	summary *mask.Summary
	rowNums map[int]int64 // rows written per target
}

// partState is what the checkpoint carries besides the parts.
type partState struct {
	Summary *mask.Summary `json:"summary"`
	RowNums map[int]int64 `json:"row_nums"`
}

// auditLine is one line of audit.jsonl.
type auditLine struct {
	Doc    string             `json:"doc"`
	File   string             `json:"file,omitempty"`
	Row    int64              `json:"row,omitempty"`
	Page   int                `json:"page,omitempty"`
	Output string             `json:"output"`
	Spans  []mask.Replacement `json:"spans"`
}

// newMaskOutputs returns the job's row settings: the text column, the
// output column and the columns left out.
func newMaskOutputs(job *config.Job, cfg *config.Mask) *maskOutputs {
	o := &maskOutputs{textCol: job.Input.TextField, outCol: cfg.OutputColumn, drop: map[string]bool{},
		pq: map[int]*parquetTarget{}, rows: map[int]*bytes.Buffer{}, obj: write.NewJSONObject()}
	if o.textCol == "" {
		o.textCol = "text"
	}
	for _, c := range append(append([]string{}, piiColumns...), cfg.DropColumns...) {
		o.drop[c] = true
	}
	return o
}

// newMaskParts returns empty restart state with the job's part size.
func newMaskParts(cfg *config.Mask) *maskParts {
	p := &maskParts{size: int64(cfg.PartDocs), summary: mask.NewSummary(), rowNums: map[int]int64{}}
	if p.size <= 0 {
		p.size = 2000
	}
	return p
}

// plan lists the tabular outputs of inputs, with the Parquet mirror of each
// Parquet input.
func (o *maskOutputs) plan(job *config.Job, inputs []maskInput) error {
	for _, in := range inputs {
		if in.format != read.FormatJSONL && in.format != read.FormatParquet {
			continue
		}
		if in.format == read.FormatParquet && job.Input.Generate == nil {
			schema, text, err := read.ParquetSchema(in.path, read.Options{Schema: job.Input.Schema, TextField: job.Input.TextField})
			if err != nil {
				return err
			}
			mirror, err := write.NewParquetMirror(schema, text, o.outCol, func(c string) bool { return o.drop[c] })
			if err != nil {
				return fmt.Errorf("%s: %w", in.path, err)
			}
			o.pq[len(o.targets)] = &parquetTarget{mirror: mirror, col: cmpOr(o.outCol, text)}
		}
		o.targets = append(o.targets, in.rel)
	}
	if job.Input.Generate != nil {
		o.targets = []string{"generated.jsonl"}
	}
	return nil
}

// consume writes one masked document into the current part (sink: ordered,
// one at a time).
func (m *maskRun) consume(it *maskItem) error {
	p := m.parts
	if n := int(it.idx / p.size); n != p.part {
		if err := m.flushPart(); err != nil {
			return err
		}
		p.part = n
	}
	p.inPart++
	p.summary.Count(it.res.Replacements)
	outRel, col, err := m.writeDoc(it)
	if err != nil {
		return err
	}
	if err := p.addAudit(it, outRel, m.cfg.AuditOriginals); err != nil {
		return err
	}
	// A redacted page holds no text to restore: no vault record.
	if m.vault != nil && len(it.res.Replacements) > 0 && it.layout == nil {
		e := mask.EntryOf(filepath.ToSlash(outRel), it.res.Replacements)
		e.Column = col
		rec, err := m.vault.Record(e)
		if err != nil {
			return err
		}
		p.vault.Write(rec)
	}
	return nil
}

// writeDoc writes it's masked output: a row of its tabular output, its
// redacted page, or its text file. It returns the output's name in the
// audit and the vault, and the masked column's name (rows only).
func (m *maskRun) writeDoc(it *maskItem) (outRel, col string, err error) {
	switch {
	case it.target >= 0:
		o := m.out
		m.parts.rowNums[it.target]++
		outRel = fmt.Sprintf("%s#%d", o.targets[it.target], m.parts.rowNums[it.target])
		if pt := o.pq[it.target]; pt != nil {
			col, err = pt.write(it)
		} else {
			col, err = o.jsonRow(it)
		}
		if err != nil {
			return "", "", fmt.Errorf("%s: %w", it.rec.Origin, err)
		}
		return outRel, col, nil
	case it.layout != nil:
		if err := m.redactedPage(it); err != nil {
			return "", "", err
		}
		return fmt.Sprintf("%s#page=%d", it.out, it.page), "", nil
	default:
		return it.out, "", write.WriteFileAtomic(filepath.Join(m.dir, "masked", it.out), []byte(it.res.Text))
	}
}

// addAudit appends it's audit line to the current part (originals: keep the
// replaced values).
func (p *maskParts) addAudit(it *maskItem, outRel string, originals bool) error {
	al := auditLine{Doc: it.rec.ID, File: it.rec.Origin.File, Row: it.rec.Origin.Row, Page: it.page, Output: outRel, Spans: make([]mask.Replacement, len(it.res.Replacements))}
	if it.page > 0 {
		al.Row = 0
	}
	for i, r := range it.res.Replacements {
		if !originals {
			r.Original = ""
		}
		al.Spans[i] = r
	}
	enc := json.NewEncoder(&p.audit)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(al); err != nil {
		return fmt.Errorf("%s: encode audit: %w", it.rec.Origin, err)
	}
	return nil
}

// jsonRow appends the masked JSON row of it to its target's part buffer:
// the input's keys in input order, dropped columns left out, the masked
// text in the text column's place or last under mask.output_column. It
// returns the masked column's name.
func (o *maskOutputs) jsonRow(it *maskItem) (string, error) {
	b := o.rows[it.target]
	if b == nil {
		b = &bytes.Buffer{}
		o.rows[it.target] = b
	}
	o.obj.Begin(b)
	var col string
	var err error
	if it.rec.Extra == nil { // generated input
		col, err = o.generatedRow(it)
	} else {
		col, err = o.mirroredRow(it)
	}
	if err != nil {
		return "", err
	}
	o.obj.End()
	b.WriteByte('\n')
	return col, nil
}

// put adds one key to the row being written.
func (o *maskOutputs) put(k string, v any) error {
	if err := o.obj.Put(k, v); err != nil {
		return fmt.Errorf("encode masked row: %w", err)
	}
	return nil
}

// generatedRow writes the keys of a generated document: id, language and
// the masked text.
func (o *maskOutputs) generatedRow(it *maskItem) (string, error) {
	rec := &it.rec
	col := cmpOr(o.outCol, o.textCol)
	if err := o.put("id", rec.ID); err != nil {
		return "", err
	}
	if rec.Language != "" {
		if err := o.put("language", rec.Language); err != nil {
			return "", err
		}
	}
	return col, o.put(col, it.res.Text)
}

// mirroredRow writes the keys of an input row in input order (sorted when
// the reader kept no order), the masked text in the text column's place or
// last under mask.output_column.
func (o *maskOutputs) mirroredRow(it *maskItem) (string, error) {
	rec := &it.rec
	cols := rec.Columns
	if cols == nil {
		cols = make([]string, 0, len(rec.Extra))
		for k := range rec.Extra {
			cols = append(cols, k)
		}
		sort.Strings(cols)
	}
	text := ""
	for _, k := range cols {
		if _, ok := rec.Extra[k]; !ok {
			text = k
			break
		}
	}
	col := cmpOr(o.outCol, text, o.textCol)
	for _, k := range cols {
		var err error
		switch {
		case k == text:
			if col == text {
				err = o.put(col, it.res.Text)
			}
		case o.drop[k]:
		case k == col:
			return "", fmt.Errorf("output column %q already exists in the input: choose another mask.output_column or drop the column", col)
		default:
			err = o.put(k, rec.Extra[k])
		}
		if err != nil {
			return "", err
		}
	}
	if col != text {
		if err := o.put(col, it.res.Text); err != nil {
			return "", err
		}
	}
	return col, nil
}

// cmpOr returns the first non-empty string of s.
func cmpOr(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// write writes the masked Parquet row of it into the current part's writer
// and returns the masked column's name.
func (pt *parquetTarget) write(it *maskItem) (string, error) {
	raw, ok := it.rec.Raw.(parquet.Row)
	if !ok {
		return "", fmt.Errorf("the reader gave no Parquet row (%T)", it.rec.Raw)
	}
	if pt.w == nil {
		pt.buf.Reset()
		w, err := write.NewBatchWriterTo(&pt.buf, "masked Parquet part", write.Parquet, write.MirrorTable(pt.mirror.Schema()), write.WithBatchRows(math.MaxInt))
		if err != nil {
			return "", err
		}
		pt.w = w
	}
	pt.row = pt.mirror.Row(pt.row, raw, it.res.Text)
	if err := pt.w.Write(pt.row); err != nil {
		return "", fmt.Errorf("write masked Parquet row: %w", err)
	}
	return pt.col, nil
}

// flushPart writes the current part's files and records it in the checkpoint.
func (m *maskRun) flushPart() error {
	p := m.parts
	if p.inPart == 0 {
		return nil
	}
	if err := m.out.flush(p.store, p.part); err != nil {
		return err
	}
	if err := write.WriteFileAtomic(p.store.PartPath(p.part, "audit.jsonl"), p.audit.Bytes()); err != nil {
		return err
	}
	p.audit.Reset()
	if m.vault != nil {
		if err := write.WriteFileAtomic(p.store.PartPath(p.part, "vault"), p.vault.Bytes()); err != nil {
			return err
		}
		p.vault.Reset()
	}
	if err := p.store.Commit(checkpoint.Part{Index: p.part, Docs: p.inPart}, partState{Summary: p.summary, RowNums: p.rowNums}); err != nil {
		return err
	}
	p.inPart = 0
	return nil
}

// flush writes the part's rows of every tabular output.
func (o *maskOutputs) flush(store *checkpoint.Store, part int) error {
	for t, pt := range o.pq {
		if pt.w == nil {
			continue
		}
		if err := pt.w.Commit(); err != nil {
			return fmt.Errorf("masked Parquet part: %w", err)
		}
		pt.w = nil
		if err := write.WriteFileAtomic(store.PartPath(part, fmt.Sprintf("rows-%d.parquet", t)), pt.buf.Bytes()); err != nil {
			return err
		}
		pt.buf.Reset()
	}
	for t, b := range o.rows {
		if err := write.WriteFileAtomic(store.PartPath(part, fmt.Sprintf("rows-%d.jsonl", t)), b.Bytes()); err != nil {
			return err
		}
		b.Reset()
	}
	return nil
}

// assemble builds the final files from the committed parts.
func (m *maskRun) assemble() error {
	store := m.parts.store
	for t, rel := range m.out.targets {
		if pt := m.out.pq[t]; pt != nil {
			var parts []string
			for _, p := range store.State().Parts {
				parts = append(parts, store.PartPath(p.Index, fmt.Sprintf("rows-%d.parquet", t)))
			}
			if err := write.AssembleParquet(filepath.Join(m.dir, "masked", rel), pt.mirror.Schema(), parts); err != nil {
				return err
			}
			continue
		}
		if err := store.Assemble(filepath.Join(m.dir, "masked", rel), fmt.Sprintf("rows-%d.jsonl", t), nil); err != nil {
			return err
		}
	}
	if err := store.Assemble(filepath.Join(m.dir, "audit.jsonl"), "audit.jsonl", nil); err != nil {
		return err
	}
	if m.vault == nil {
		return nil
	}
	// Records are sealed independently, so parts written before a restart
	// open under the fresh header's key check like the others.
	head, err := m.vault.Header()
	if err != nil {
		return err
	}
	return store.Assemble(filepath.Join(m.dir, "vault.bin"), "vault", head)
}
