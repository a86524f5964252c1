package jobs

// The mask job: read documents (JSONL, Parquet, text/Markdown, PDF, or
// generated), detect PII with one or more methods, replace it with the
// configured operators, and write masked data that mirrors the input, an
// audit, a summary and (optionally) an encrypted vault.
//
// Output layout under output.dir:
//
//	masked/<input path relative to its root>   masked JSONL, Parquet or text, as the input
//	masked/<pdf path without .pdf>/page-0001.md one file per PDF page
//	masked/<pdf path>                           with mask.pdf_output: redacted
//	masked/generated.jsonl                      for input.generate
//	audit.jsonl     one line per document: replaced spans, offsets, method, operator
//	summary.json    counts per class and operator
//	vault.bin       AES-GCM vault (mask.vault: true)
//	rejects.jsonl   unusable input rows
//
// Tabular output mirrors its input: JSONL rows keep the input line's key
// order, Parquet files the input schema's columns, order and types (leaf
// values are copied from the input row, see write.ParquetMirror). Dropped
// columns (AI4Privacy PII columns, mask.drop_columns) are left out; the masked
// text replaces the text column in place, or, with mask.output_column, is
// added as the last column under that name (the original text is never
// written).
//
// Restart: documents are numbered in input order and cut into parts of
// mask.part_docs documents. A part's rows (JSONL lines, or a Parquet file of
// one row group per Parquet input), audit lines and vault
// records are written to .work/part-NNNNNN.* (temporary name, then rename)
// and the part is then recorded in .work/checkpoint.json; text and page
// outputs are written atomically one file each. With mask.pdf_output:
// redacted each page's redacted image is written atomically to
// .work/pdf/<hash>/page-NNNNNN.png when the page is masked, and the PDF is
// assembled from them (temporary name, then rename) when its last page is:
// before that page's part is committed, so a committed part implies a
// finished PDF and a resumed run rebuilds one from the images it finds. A rerun of the same command
// skips the documents of recorded parts. At the end every final file is
// assembled from the parts under a temporary name and renamed, and .work is
// removed. Masking is deterministic, so the result is byte-identical to an
// uninterrupted run (vault.bin excepted: its nonces are random; and a
// redacted PDF has the same page images, but fpdf may write its image
// objects in another order).

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/parquet-go/parquet-go"

	"github.com/piimask/piimask/internal/checkpoint"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/pipeline"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/mask"
	"github.com/piimask/piimask/stages/pdf"
	"github.com/piimask/piimask/stages/read"
	"github.com/piimask/piimask/stages/write"
)

// piiColumns are AI4Privacy columns that hold PII values; a mask job never
// copies them to its output.
var piiColumns = []string{"privacy_mask", "mbert_text_tokens", "mbert_tokens", "tokenised_text", "unmasked_text", "source_text", "span_labels", "mbert_bio_labels", "mbert_token_classes", "bio_labels"}

// maskSection returns the job's mask section (nil when absent). It is read
// by reflection so that this file builds whether or not config.Job has
// gained its Mask field yet.
func maskSection(job *config.Job) (*config.Mask, error) {
	f := reflect.ValueOf(job).Elem().FieldByName("Mask")
	if !f.IsValid() {
		return nil, errors.New("config.Job has no Mask field: add `Mask *Mask `yaml:\"mask\"“ to jobs/config")
	}
	m, _ := f.Interface().(*config.Mask)
	return m, nil
}

// maskInput is one input file.
type maskInput struct {
	path   string
	rel    string // path relative to its root, for the mirrored output
	format string // jsonl, parquet, text, pdf
}

// maskItem is one document moving through the mask pipeline.
type maskItem struct {
	rec    record.Record
	idx    int64 // document number in the whole run, from 0
	target int   // index into the run's outputs (tabular) or -1
	out    string
	page   int
	// redacted PDF pages: the page's words and boxes, the PDF and its
	// page count.
	layout   *pdf.LayoutPage
	redacted []byte // the page image with the masked words blacked out (PNG)
	pdfPath  string
	pdfPages int
	preds    []mask.MethodSpans
	res      mask.Result
}

// maskRun is the state of one mask job run.
type maskRun struct {
	job      *config.Job
	cfg      *config.Mask
	env      *Env
	dir      string
	masker   *mask.Masker
	vault    *mask.Vault
	store    *checkpoint.Store
	targets  []string // relative output paths of tabular outputs
	textCol  string
	outCol   string
	drop     map[string]bool
	partDocs int64
	summary  *mask.Summary
	rejects  *write.JSONLWriter[record.Reject]
	counts   inputCounts // rows read and rejected (rowGate)
	ocr      pdf.OCR
	redact   bool // mask.pdf_output: redacted
	pdfDPI   int

	// sink state
	part    int
	inPart  int64
	rows    map[int]*bytes.Buffer
	audit   bytes.Buffer
	vaultB  bytes.Buffer
	rowNums map[int]int64
	pq      map[int]*parquetTarget // Parquet outputs by target
	obj     *write.JSONObject      // JSONL rows, keys in input order
}

// parquetTarget is the state of one Parquet output: the mapping from input
// rows and the current part's writer.
type parquetTarget struct {
	mirror *write.ParquetMirror
	col    string // masked column's name
	buf    bytes.Buffer
	w      *parquet.GenericWriter[any]
	row    parquet.Row
}

// partState is what the checkpoint carries besides the parts.
type partState struct {
	Summary *mask.Summary `json:"summary"`
	RowNums map[int]int64 `json:"row_nums"`
}

func runMask(ctx context.Context, l *config.Loaded, env *Env) (err error) {
	job := l.Job
	started := time.Now()
	cfg, err := maskSection(job)
	if err != nil {
		return err
	}
	if cfg == nil {
		cfg = &config.Mask{}
	}
	if ps := cfg.Check(l); len(ps) > 0 {
		return ps
	}
	m := &maskRun{job: job, cfg: cfg, env: env, dir: job.Output.Dir, summary: mask.NewSummary(), rows: map[int]*bytes.Buffer{}, rowNums: map[int]int64{}, pq: map[int]*parquetTarget{}, obj: write.NewJSONObject()}
	if m.masker, err = newMasker(cfg, env); err != nil {
		return fmt.Errorf("%s: mask: %w", l.File, err)
	}
	if cfg.Vault {
		key, _ := env.LookupEnv(mask.EnvVaultKey)
		if m.vault, err = mask.NewVault([]byte(key)); err != nil {
			return fmt.Errorf("%s: mask.vault: %w", l.File, err)
		}
	}
	if m.ocr, err = newOCR(cfg, env); err != nil {
		return fmt.Errorf("%s: mask.ocr: %w", l.File, err)
	}
	m.redact, m.pdfDPI = cfg.PDFOutput == "redacted", cfg.PDFDPI
	m.textCol = job.Input.TextField
	if m.textCol == "" {
		m.textCol = "text"
	}
	m.outCol = cfg.OutputColumn
	m.drop = map[string]bool{}
	for _, c := range append(append([]string{}, piiColumns...), cfg.DropColumns...) {
		m.drop[c] = true
	}
	m.partDocs = int64(cfg.PartDocs)
	if m.partDocs <= 0 {
		m.partDocs = 2000
	}
	// Masking with fewer detectors than configured would leak what the
	// missing one finds: a method skipped for an unset variable fails the job.
	for _, mc := range job.Methods {
		if why, skipped := l.Skipped[mc.Name]; skipped {
			return fmt.Errorf("%s: method %s cannot run (%s); a mask job never runs with fewer methods than configured", l.File, mc.Name, why)
		}
	}
	_, methods, _, err := buildMethods(ctx, l, env)
	if err != nil {
		return err
	}
	defer closeMethods(methods)
	inputs, err := expandMaskInputs(job.Input.Paths)
	if err != nil {
		return err
	}
	if err := checkMaskFilters(l, inputs); err != nil {
		return err
	}
	for _, in := range inputs {
		if in.format == read.FormatJSONL || in.format == read.FormatParquet {
			if in.format == read.FormatParquet && job.Input.Generate == nil {
				schema, text, err := read.ParquetSchema(in.path, read.Options{Schema: job.Input.Schema, TextField: job.Input.TextField})
				if err != nil {
					return err
				}
				mirror, err := write.NewParquetMirror(schema, text, m.outCol, func(c string) bool { return m.drop[c] })
				if err != nil {
					return fmt.Errorf("%s: %w", in.path, err)
				}
				col := m.outCol
				if col == "" {
					col = text
				}
				m.pq[len(m.targets)] = &parquetTarget{mirror: mirror, col: col}
			}
			m.targets = append(m.targets, in.rel)
		}
	}
	if job.Input.Generate != nil {
		m.targets = []string{"generated.jsonl"}
	}
	fp, err := m.fingerprint(l.File, inputs)
	if err != nil {
		return err
	}
	if m.store, err = checkpoint.Open(filepath.Join(m.dir, ".work"), fp); err != nil {
		return err
	}
	st := m.store.State()
	done := st.Docs()
	m.part = len(st.Parts)
	if len(st.Extra) > 0 {
		ps := partState{Summary: m.summary, RowNums: m.rowNums}
		if err := json.Unmarshal(st.Extra, &ps); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		m.summary, m.rowNums = ps.Summary, ps.RowNums
	}
	if done > 0 {
		env.Logger.Info("resuming mask job", "job", job.Name, "documents_done", done, "parts_done", len(st.Parts))
	}
	if m.rejects, err = write.NewJSONL[record.Reject](filepath.Join(m.dir, "rejects.jsonl")); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			m.rejects.Abort()
		}
	}()

	workers := job.Concurrency.Workers
	if workers <= 0 {
		workers = config.DefaultWorkers
	}
	batchSize := job.Concurrency.BatchSize
	if batchSize <= 0 {
		batchSize = config.DefaultMaskBatchSize
	}
	bar := newProgress(env, "mask", -1)
	defer bar.Finish()
	r := pipeline.New(detect.WithEvents(ctx, env.Metrics), pipeline.WithObserver(env.Metrics))
	src := pipeline.Source(r, "read", func(ctx context.Context, emit func(*maskItem) error) error {
		return m.produce(ctx, inputs, done, emit)
	})
	batches := pipeline.Batch(r, "batch", src, batchSize)
	for i, meth := range methods {
		i, meth := i, meth
		batches = pipeline.Map(r, "detect/"+meth.Name(), batches, workers, func(ctx context.Context, items []*maskItem) ([]*maskItem, error) {
			recs := make([]record.Record, len(items))
			for j, it := range items {
				recs[j] = it.rec
				if i == 0 {
					it.preds = make([]mask.MethodSpans, len(methods))
				}
			}
			preds, err := meth.Detect(ctx, recs)
			if err != nil {
				return nil, err
			}
			if len(preds) != len(items) {
				return nil, fmt.Errorf("method %s: %d predictions for %d documents", meth.Name(), len(preds), len(items))
			}
			for j, it := range items {
				// A document a method could not answer for (an LLM that gave
				// up) must not be written with fewer detections than asked
				// for: stop, so a rerun (with the method's cache) resumes.
				if f := preds[j].Failure; f != "" {
					return nil, fmt.Errorf("method %s failed on %s (%s); nothing was written for it — rerun the same command to resume", meth.Name(), it.rec.Origin, f)
				}
				env.Metrics.Prediction(meth.Name(), &preds[j])
				it.preds[i] = mask.MethodSpans{Method: meth.Name(), Spans: preds[j].Spans}
			}
			return items, nil
		})
	}
	masked := pipeline.Map(r, "mask", batches, workers, func(ctx context.Context, items []*maskItem) ([]*maskItem, error) {
		for _, it := range items {
			res, err := m.masker.Mask(it.rec.Text, it.preds)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", it.rec.Origin, err)
			}
			it.res = res
			if it.layout != nil { // rendered here, in parallel; written in order
				if it.redacted, err = m.renderRedacted(ctx, it); err != nil {
					return nil, err
				}
			}
		}
		return items, nil
	})
	pipeline.Sink(r, "write", masked, func(ctx context.Context, items []*maskItem) error {
		for _, it := range items {
			if err := m.consume(it); err != nil {
				return err
			}
		}
		env.Metrics.Written("write", len(items))
		bar.Add(len(items))
		return nil
	})
	if err := r.Wait(); err != nil {
		return err
	}
	if err := m.flushPart(); err != nil {
		return err
	}
	if err := m.assemble(); err != nil {
		return err
	}
	if err := m.rejects.Commit(); err != nil {
		return err
	}
	if err := checkRejectRatio(job, &m.counts, m.rejects.Path()); err != nil {
		return fmt.Errorf("%s: %w", l.File, err)
	}
	sum := struct {
		Experiment string        `json:"experiment_name"`
		Kind       string        `json:"kind"`
		StartedAt  time.Time     `json:"started_at"`
		Seconds    float64       `json:"seconds"`
		Resumed    int64         `json:"resumed_documents"`
		Rejected   int64         `json:"rows_rejected"`
		Counts     *mask.Summary `json:"masking"`
	}{job.Name, job.Kind, started, time.Since(started).Seconds(), done, m.rejects.Count(), m.summary}
	data, _ := json.MarshalIndent(sum, "", "  ")
	if err := write.WriteFileAtomic(filepath.Join(m.dir, "summary.json"), append(data, '\n')); err != nil {
		return err
	}
	if err := m.store.Remove(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: masked %d documents, %d spans → %s\n", job.Name, m.summary.Documents, m.summary.Masked, m.dir)
	return nil
}

// newMasker builds the masker from the config and the key variables.
func newMasker(c *config.Mask, env *Env) (*mask.Masker, error) {
	key := func(name string) []byte { v, _ := env.LookupEnv(name); return []byte(v) }
	return mask.New(c.Policy.Config(mask.Keys{Hash: key(mask.EnvHashKey), Pseudonym: key(mask.EnvPseudonymKey), Encrypt: key(mask.EnvEncryptKey)}))
}

func newOCR(c *config.Mask, env *Env) (pdf.OCR, error) {
	switch c.OCR {
	case "", pdf.OCRNone:
		return nil, nil
	case pdf.OCRTesseract:
		return pdf.Tesseract{Languages: c.OCRLanguages}, nil
	case pdf.OCRMistral:
		k, _ := env.LookupEnv(pdf.EnvMistralKey)
		if k == "" {
			return nil, fmt.Errorf("set %s for the Mistral OCR API", pdf.EnvMistralKey)
		}
		return &pdf.Mistral{BaseURL: c.MistralURL, APIKey: k}, nil
	}
	return nil, fmt.Errorf("unknown OCR engine %q", c.OCR)
}

var maskExts = map[string]string{".jsonl": read.FormatJSONL, ".json": read.FormatJSONL, ".ndjson": read.FormatJSONL,
	".parquet": read.FormatParquet, ".pq": read.FormatParquet, ".txt": read.FormatText, ".md": read.FormatText,
	".markdown": read.FormatText, ".pdf": "pdf"}

// expandMaskInputs lists the input files, sorted, each with its path relative
// to the root it was found under (a directory pattern, the fixed prefix of a
// glob, or the file's own directory).
func expandMaskInputs(patterns []string) ([]maskInput, error) {
	seen := map[string]bool{}
	var out []maskInput
	add := func(p, root string) {
		p = filepath.Clean(p)
		f, ok := maskExts[strings.ToLower(filepath.Ext(p))]
		if !ok || seen[p] {
			return
		}
		seen[p] = true
		rel, err := filepath.Rel(root, p)
		if err != nil || strings.HasPrefix(rel, "..") {
			rel = filepath.Base(p)
		}
		out = append(out, maskInput{path: p, rel: rel, format: f})
	}
	for _, pat := range patterns {
		n := len(out)
		st, err := os.Stat(pat)
		switch {
		case err == nil && st.IsDir():
			err = filepath.WalkDir(pat, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if p != pat && strings.HasPrefix(d.Name(), ".") {
					if d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				if !d.IsDir() {
					add(p, pat)
				}
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("input %q: %w", pat, err)
			}
		case err == nil:
			add(pat, filepath.Dir(pat))
		default:
			base, _ := doublestar.SplitPattern(filepath.ToSlash(pat))
			matches, gerr := doublestar.FilepathGlob(pat)
			if gerr != nil {
				return nil, fmt.Errorf("input %q: %w", pat, gerr)
			}
			for _, mt := range matches {
				if s, e := os.Stat(mt); e == nil && !s.IsDir() {
					add(mt, filepath.FromSlash(base))
				}
			}
		}
		if len(out) == n {
			return nil, fmt.Errorf("input %q matches no file piimask can mask", pat)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

// fingerprint identifies the job: config bytes, inputs (size, mtime) and a
// hash of the keys, so a checkpoint is never resumed under other settings.
func (m *maskRun) fingerprint(file string, inputs []maskInput) (string, error) {
	h := sha256.New()
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	h.Write(data)
	for _, in := range inputs {
		st, err := os.Stat(in.path)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "\x00%s\x00%d\x00%d", in.path, st.Size(), st.ModTime().UnixNano())
	}
	for _, k := range []string{mask.EnvHashKey, mask.EnvPseudonymKey, mask.EnvEncryptKey} {
		v, _ := m.env.LookupEnv(k)
		kh := sha256.Sum256([]byte("piimask-fingerprint\x00" + v))
		h.Write(kh[:])
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// produce emits every document in order, skipping the first done ones.
func (m *maskRun) produce(ctx context.Context, inputs []maskInput, done int64, emit func(*maskItem) error) error {
	var idx int64
	// Every row goes through the job's row gate (jobs/input.go): shard,
	// counts, filters and rejects as in evaluate. PDF pages are owned by
	// their file's shard (every page of a PDF stays in one shard).
	gate, err := newRowGate(m.job, &m.counts, m.env.Metrics, m.rejects.Write)
	if err != nil {
		return err
	}
	emitItem := func(it *maskItem) error {
		it.idx = idx
		idx++
		if it.idx < done {
			return nil
		}
		return emit(it)
	}
	send := func(it *maskItem) error {
		keep := func(r record.Record) error {
			it.rec = r
			return emitItem(it)
		}
		if it.page != 0 { // the PDF's shard was decided by its path
			return gate.owned(it.rec, keep)
		}
		return gate.row(it.rec, keep)
	}
	err = m.produceAll(ctx, inputs, done, &idx, send, gate.reject)
	if errors.Is(err, read.ErrStop) {
		return nil
	}
	return err
}

// hasFilters reports whether the job's filters can drop documents.
func hasFilters(j *config.Job) bool {
	f := j.Filters
	return len(f.Languages) > 0 || f.Limit > 0 || f.Sample != nil
}

// checkMaskFilters refuses filters.languages over text and PDF inputs: their
// documents carry no language, so the filter would drop every one.
func checkMaskFilters(l *config.Loaded, inputs []maskInput) error {
	if len(l.Job.Filters.Languages) == 0 {
		return nil
	}
	for _, in := range inputs {
		if in.format == read.FormatText || in.format == "pdf" {
			return fmt.Errorf("%s:%d: filters.languages: %s is a %s file, whose documents have no language (use languages with JSONL/Parquet rows only)",
				l.File, l.Line("filters.languages"), in.path, in.format)
		}
	}
	return nil
}

// produceAll reads every input in order and sends its documents.
func (m *maskRun) produceAll(ctx context.Context, inputs []maskInput, done int64, idx *int64, send func(*maskItem) error, reject func(record.Reject) error) error {
	shard := jobShard(m.job)
	if g := m.job.Input.Generate; g != nil {
		return generateRecords(ctx, g, func(r record.Record) error {
			return send(&maskItem{rec: r, target: 0})
		})
	}
	opts := read.Options{Schema: m.job.Input.Schema, TextField: m.job.Input.TextField, KeepColumns: true}
	target := 0
	for _, in := range inputs {
		switch in.format {
		case read.FormatJSONL, read.FormatParquet:
			o := opts
			o.Format = in.format
			t := target
			target++
			err := read.Read(ctx, []string{in.path}, o, func(r record.Record) error {
				return send(&maskItem{rec: r, target: t})
			}, reject)
			if err != nil {
				return err
			}
		case read.FormatText:
			err := read.Read(ctx, []string{in.path}, read.Options{Format: read.FormatText}, func(r record.Record) error {
				return send(&maskItem{rec: r, target: -1, out: in.rel})
			}, reject)
			if err != nil {
				return err
			}
		case "pdf":
			if !shard.Owns(in.path) {
				continue
			}
			n, err := pdf.PageCount(ctx, in.path)
			if err != nil {
				return err
			}
			// Every page already done: do not extract again (only without
			// filters, which must see every page to keep the same ones).
			if !hasFilters(m.job) && *idx+int64(n) <= done {
				*idx += int64(n)
				continue
			}
			if m.redact {
				if err := m.produceRedacted(ctx, in, n, send); err != nil {
					return err
				}
				continue
			}
			pages, err := pdf.Extract(ctx, in.path, pdf.Options{OCR: m.ocr})
			if err != nil {
				return err
			}
			base := strings.TrimSuffix(in.rel, filepath.Ext(in.rel))
			for _, p := range pages {
				rec := record.Record{ID: fmt.Sprintf("%s#page=%d", in.path, p.Number), Text: p.Text, Origin: record.Origin{File: in.path, Row: int64(p.Number)}}
				out := filepath.Join(base, fmt.Sprintf("page-%04d.md", p.Number))
				if err := send(&maskItem{rec: rec, target: -1, out: out, page: p.Number}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// produceRedacted emits the pages of a PDF to redact: the text the
// detectors see is built from the page's words, so every span maps to word
// boxes.
func (m *maskRun) produceRedacted(ctx context.Context, in maskInput, n int, send func(*maskItem) error) error {
	pages, err := pdf.ExtractLayout(ctx, in.path, pdf.Options{OCR: m.ocr})
	if err != nil {
		return err
	}
	if len(pages) != n {
		return fmt.Errorf("%s: pdfinfo says %d pages, pdftotext gave %d", in.path, n, len(pages))
	}
	for i := range pages {
		p := &pages[i]
		rec := record.Record{ID: fmt.Sprintf("%s#page=%d", in.path, p.Number), Text: p.Text, Origin: record.Origin{File: in.path, Row: int64(p.Number)}}
		if err := send(&maskItem{rec: rec, target: -1, out: in.rel, page: p.Number, layout: p, pdfPath: in.path, pdfPages: n}); err != nil {
			return err
		}
	}
	return nil
}

// renderRedacted renders it's page with the words of its masked spans
// blacked out.
func (m *maskRun) renderRedacted(ctx context.Context, it *maskItem) ([]byte, error) {
	ranges := make([][2]int, len(it.res.Replacements))
	for i, r := range it.res.Replacements {
		ranges[i] = [2]int{r.Start, r.End}
	}
	src := pdf.Source{Path: it.pdfPath}
	return pdf.RedactPage(ctx, src, it.page, m.pdfDPI, it.layout.Width, it.layout.Height, it.layout.BoxesFor(ranges), 1)
}

// redactedPage writes it's redacted page image into the work directory and,
// after the PDF's last page, assembles the redacted PDF at masked/<its path>.
func (m *maskRun) redactedPage(it *maskItem) error {
	h := sha256.Sum256([]byte(it.out))
	dir := filepath.Join(m.store.Dir(), "pdf", hex.EncodeToString(h[:8]))
	if err := write.WriteFileAtomic(filepath.Join(dir, fmt.Sprintf("page-%06d.png", it.page)), it.redacted); err != nil {
		return err
	}
	if it.page < it.pdfPages {
		return nil
	}
	imgs := make([]pdf.PageImage, it.pdfPages)
	for p := 1; p <= it.pdfPages; p++ {
		data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("page-%06d.png", p)))
		if err != nil {
			return fmt.Errorf("%s: redacted page %d: %w", it.pdfPath, p, err)
		}
		// The page size, from the image rendered at the run's dpi.
		w, h, err := pngPoints(data, m.pdfDPI)
		if err != nil {
			return fmt.Errorf("%s: redacted page %d: %w", it.pdfPath, p, err)
		}
		imgs[p-1] = pdf.PageImage{PNG: data, Width: w, Height: h}
	}
	out, err := pdf.Assemble(imgs)
	if err != nil {
		return fmt.Errorf("%s: %w", it.pdfPath, err)
	}
	return write.WriteFileAtomic(filepath.Join(m.dir, "masked", it.out), out)
}

// pngPoints is the size in points of a PNG rendered at dpi.
func pngPoints(data []byte, dpi int) (float64, float64, error) {
	if dpi <= 0 {
		dpi = pdf.DefaultRedactDPI
	}
	c, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, 0, err
	}
	return float64(c.Width) * 72 / float64(dpi), float64(c.Height) * 72 / float64(dpi), nil
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

// consume writes one masked document into the current part (sink: ordered,
// one at a time).
func (m *maskRun) consume(it *maskItem) error {
	if p := int(it.idx / m.partDocs); p != m.part {
		if err := m.flushPart(); err != nil {
			return err
		}
		m.part = p
	}
	m.inPart++
	m.summary.Count(it.res.Replacements)
	outRel, col := it.out, ""
	if it.target >= 0 {
		m.rowNums[it.target]++
		outRel = fmt.Sprintf("%s#%d", m.targets[it.target], m.rowNums[it.target])
		var err error
		if pt := m.pq[it.target]; pt != nil {
			col, err = m.parquetRow(pt, it)
		} else {
			col, err = m.jsonRow(it)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", it.rec.Origin, err)
		}
	} else if it.layout != nil {
		if err := m.redactedPage(it); err != nil {
			return err
		}
		outRel = fmt.Sprintf("%s#page=%d", it.out, it.page)
	} else {
		if err := write.WriteFileAtomic(filepath.Join(m.dir, "masked", it.out), []byte(it.res.Text)); err != nil {
			return err
		}
	}
	al := auditLine{Doc: it.rec.ID, File: it.rec.Origin.File, Row: it.rec.Origin.Row, Page: it.page, Output: outRel, Spans: make([]mask.Replacement, len(it.res.Replacements))}
	if it.page > 0 {
		al.Row = 0
	}
	for i, r := range it.res.Replacements {
		if !m.cfg.AuditOriginals {
			r.Original = ""
		}
		al.Spans[i] = r
	}
	enc := json.NewEncoder(&m.audit)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(al); err != nil {
		return fmt.Errorf("%s: encode audit: %w", it.rec.Origin, err)
	}
	// A redacted page holds no text to restore: no vault record.
	if m.vault != nil && len(it.res.Replacements) > 0 && it.layout == nil {
		e := mask.EntryOf(filepath.ToSlash(outRel), it.res.Replacements)
		e.Column = col
		rec, err := m.vault.Record(e)
		if err != nil {
			return err
		}
		m.vaultB.Write(rec)
	}
	return nil
}

// jsonRow appends the masked JSON row of it to its target's part buffer:
// the input's keys in input order, dropped columns left out, the masked
// text in the text column's place or last under mask.output_column. It
// returns the masked column's name.
func (m *maskRun) jsonRow(it *maskItem) (string, error) {
	b := m.rows[it.target]
	if b == nil {
		b = &bytes.Buffer{}
		m.rows[it.target] = b
	}
	m.obj.Begin(b)
	put := func(k string, v any) error {
		if err := m.obj.Put(k, v); err != nil {
			return fmt.Errorf("encode masked row: %w", err)
		}
		return nil
	}
	rec := &it.rec
	if rec.Extra == nil { // generated input
		col := cmpOr(m.outCol, m.textCol)
		if err := put("id", rec.ID); err != nil {
			return "", err
		}
		if rec.Language != "" {
			if err := put("language", rec.Language); err != nil {
				return "", err
			}
		}
		if err := put(col, it.res.Text); err != nil {
			return "", err
		}
		m.obj.End()
		b.WriteByte('\n')
		return col, nil
	}
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
	col := cmpOr(m.outCol, text, m.textCol)
	for _, k := range cols {
		var err error
		switch {
		case k == text:
			if col == text {
				err = put(col, it.res.Text)
			}
		case m.drop[k]:
		case k == col:
			return "", fmt.Errorf("output column %q already exists in the input: choose another mask.output_column or drop the column", col)
		default:
			err = put(k, rec.Extra[k])
		}
		if err != nil {
			return "", err
		}
	}
	if col != text {
		if err := put(col, it.res.Text); err != nil {
			return "", err
		}
	}
	m.obj.End()
	b.WriteByte('\n')
	return col, nil
}

func cmpOr(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}

// parquetRow writes the masked Parquet row of it into its target's part
// writer and returns the masked column's name.
func (m *maskRun) parquetRow(pt *parquetTarget, it *maskItem) (string, error) {
	raw, ok := it.rec.Raw.(parquet.Row)
	if !ok {
		return "", fmt.Errorf("the reader gave no Parquet row (%T)", it.rec.Raw)
	}
	if pt.w == nil {
		pt.buf.Reset()
		pt.w = write.NewMirrorWriter(&pt.buf, pt.mirror.Schema())
	}
	pt.row = pt.mirror.Row(pt.row, raw, it.res.Text)
	if _, err := pt.w.WriteRows([]parquet.Row{pt.row}); err != nil {
		return "", fmt.Errorf("write masked Parquet row: %w", err)
	}
	return pt.col, nil
}

// flushPart writes the current part's files and records it in the checkpoint.
func (m *maskRun) flushPart() error {
	if m.inPart == 0 {
		return nil
	}
	for t, pt := range m.pq {
		if pt.w == nil {
			continue
		}
		if err := pt.w.Close(); err != nil {
			return fmt.Errorf("masked Parquet part: %w", err)
		}
		pt.w = nil
		if err := write.WriteFileAtomic(m.store.PartPath(m.part, fmt.Sprintf("rows-%d.parquet", t)), pt.buf.Bytes()); err != nil {
			return err
		}
		pt.buf.Reset()
	}
	for t, b := range m.rows {
		if err := write.WriteFileAtomic(m.store.PartPath(m.part, fmt.Sprintf("rows-%d.jsonl", t)), b.Bytes()); err != nil {
			return err
		}
		b.Reset()
	}
	if err := write.WriteFileAtomic(m.store.PartPath(m.part, "audit.jsonl"), m.audit.Bytes()); err != nil {
		return err
	}
	m.audit.Reset()
	if m.vault != nil {
		if err := write.WriteFileAtomic(m.store.PartPath(m.part, "vault"), m.vaultB.Bytes()); err != nil {
			return err
		}
		m.vaultB.Reset()
	}
	if err := m.store.Commit(checkpoint.Part{Index: m.part, Docs: m.inPart}, partState{Summary: m.summary, RowNums: m.rowNums}); err != nil {
		return err
	}
	m.inPart = 0
	return nil
}

// assemble builds the final files from the committed parts.
func (m *maskRun) assemble() error {
	for t, rel := range m.targets {
		if pt := m.pq[t]; pt != nil {
			var parts []string
			for _, p := range m.store.State().Parts {
				parts = append(parts, m.store.PartPath(p.Index, fmt.Sprintf("rows-%d.parquet", t)))
			}
			if err := write.AssembleParquet(filepath.Join(m.dir, "masked", rel), pt.mirror.Schema(), parts); err != nil {
				return err
			}
			continue
		}
		if err := m.store.Assemble(filepath.Join(m.dir, "masked", rel), fmt.Sprintf("rows-%d.jsonl", t), nil); err != nil {
			return err
		}
	}
	if err := m.store.Assemble(filepath.Join(m.dir, "audit.jsonl"), "audit.jsonl", nil); err != nil {
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
	return m.store.Assemble(filepath.Join(m.dir, "vault.bin"), "vault", head)
}
