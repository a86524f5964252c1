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
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"time"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/pipeline"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/mask"
	"github.com/piimask/piimask/stages/pdf"
	"github.com/piimask/piimask/stages/write"
)

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

// maskRun is one mask job run: its settings and input, and the two parts of
// its output state (maskOutputs: the tabular outputs; maskParts: the part
// being written and the checkpoint).
type maskRun struct {
	job     *config.Job
	cfg     *config.Mask
	env     *Env
	dir     string
	masker  *mask.Masker
	vault   *mask.Vault // nil without mask.vault
	pdf     pdfSettings
	rejects *write.JSONLWriter[record.Reject]
	counts  inputCounts // rows read and rejected (rowGate)
	out     *maskOutputs
	parts   *maskParts
}

func runMask(ctx context.Context, l *config.Loaded, env *Env) (err error) {
	started := time.Now()
	m, err := newMaskRun(l, env)
	if err != nil {
		return err
	}
	methods, err := maskMethods(ctx, l, env)
	if err != nil {
		return err
	}
	defer closeMethods(methods)
	inputs, err := expandMaskInputs(m.job.Input.Paths)
	if err != nil {
		return err
	}
	if err := checkMaskFilters(l, inputs); err != nil {
		return err
	}
	if err := m.out.plan(m.job, inputs); err != nil {
		return err
	}
	done, err := m.openCheckpoint(l.File, inputs)
	if err != nil {
		return err
	}
	if m.rejects, err = write.NewJSONL[record.Reject](filepath.Join(m.dir, "rejects.jsonl")); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			m.rejects.Abort()
		}
	}()
	bar := newProgress(env, "mask", -1)
	defer bar.Finish()
	if err := m.run(ctx, methods, inputs, done, bar); err != nil {
		return err
	}
	return m.finish(l.File, started, done)
}

// newMaskRun checks the job's mask section and builds the run's masker,
// vault, OCR engine and output settings.
func newMaskRun(l *config.Loaded, env *Env) (*maskRun, error) {
	job := l.Job
	cfg, err := maskSection(job)
	if err != nil {
		return nil, err
	}
	if cfg == nil {
		cfg = &config.Mask{}
	}
	if ps := cfg.Check(l); len(ps) > 0 {
		return nil, ps
	}
	m := &maskRun{job: job, cfg: cfg, env: env, dir: job.Output.Dir, out: newMaskOutputs(job, cfg), parts: newMaskParts(cfg)}
	if m.masker, err = newMasker(cfg, env); err != nil {
		return nil, fmt.Errorf("%s: mask: %w", l.File, err)
	}
	if cfg.Vault {
		key, _ := env.LookupEnv(mask.EnvVaultKey)
		if m.vault, err = mask.NewVault([]byte(key)); err != nil {
			return nil, fmt.Errorf("%s: mask.vault: %w", l.File, err)
		}
	}
	if m.pdf.ocr, err = newOCR(cfg, env); err != nil {
		return nil, fmt.Errorf("%s: mask.ocr: %w", l.File, err)
	}
	m.pdf.redact, m.pdf.dpi = cfg.PDFOutput == "redacted", cfg.PDFDPI
	return m, nil
}

// maskMethods builds the job's methods. Masking with fewer detectors than
// configured would leak what the missing one finds: a method skipped for an
// unset variable fails the job.
func maskMethods(ctx context.Context, l *config.Loaded, env *Env) ([]detect.Method, error) {
	for _, mc := range l.Job.Methods {
		if why, skipped := l.Skipped[mc.Name]; skipped {
			return nil, fmt.Errorf("%s: method %s cannot run (%s); a mask job never runs with fewer methods than configured", l.File, mc.Name, why)
		}
	}
	_, methods, _, err := buildMethods(ctx, l, env)
	return methods, err
}

// run reads, detects, masks and writes every document not done yet.
func (m *maskRun) run(ctx context.Context, methods []detect.Method, inputs []maskInput, done int64, bar *progress) error {
	env := m.env
	batchSize := m.job.Concurrency.BatchSize
	if batchSize <= 0 {
		batchSize = config.DefaultMaskBatchSize
	}
	r := pipeline.New(detect.WithEvents(ctx, env.Metrics), pipeline.WithObserver(env.Metrics))
	src := pipeline.Source(r, "read", func(ctx context.Context, emit func(*maskItem) error) error {
		return m.produce(ctx, inputs, done, emit)
	})
	batches := pipeline.Batch(r, "batch", src, batchSize)
	batches = m.detectStages(methods).add(r, batches)
	masked := pipeline.Map(r, "mask", batches, jobWorkers(m.job), m.maskBatch)
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
	return r.Wait()
}

// detectStages are the run's detect stages: a document a method could not
// answer for stops the run; each item keeps every method's spans.
func (m *maskRun) detectStages(methods []detect.Method) detectStages[[]*maskItem] {
	names := make([]string, len(methods))
	for i, meth := range methods {
		names[i] = meth.Name()
	}
	return detectStages[[]*maskItem]{
		names: names, methods: methods, workers: jobWorkers(m.job), metrics: m.env.Metrics, stopOnFailure: true,
		docs: func(items []*maskItem) []record.Record {
			recs := make([]record.Record, len(items))
			for j, it := range items {
				recs[j] = it.rec
			}
			return recs
		},
		keep: func(i int, items []*maskItem, preds []detect.Prediction, _ time.Duration) {
			for j, it := range items {
				if it.preds == nil {
					it.preds = make([]mask.MethodSpans, len(methods))
				}
				it.preds[i] = mask.MethodSpans{Method: names[i], Spans: preds[j].Spans}
			}
		},
	}
}

// maskBatch masks the documents of a batch with the spans of every method
// and renders the redacted PDF pages among them (in parallel here; they are
// written in order).
func (m *maskRun) maskBatch(ctx context.Context, items []*maskItem) ([]*maskItem, error) {
	for _, it := range items {
		res, err := m.masker.Mask(it.rec.Text, it.preds)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", it.rec.Origin, err)
		}
		it.res = res
		if it.layout != nil {
			if it.redacted, err = m.renderRedacted(ctx, it); err != nil {
				return nil, err
			}
		}
	}
	return items, nil
}

// finish writes the last part, assembles the final files, commits the
// rejects, checks the reject ratio and writes summary.json.
func (m *maskRun) finish(file string, started time.Time, done int64) error {
	if err := m.flushPart(); err != nil {
		return err
	}
	if err := m.assemble(); err != nil {
		return err
	}
	if err := m.rejects.Commit(); err != nil {
		return err
	}
	if err := checkRejectRatio(m.job, &m.counts, m.rejects.Path()); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	job, summary := m.job, m.parts.summary
	sum := struct {
		Experiment string        `json:"experiment_name"`
		Kind       string        `json:"kind"`
		StartedAt  time.Time     `json:"started_at"`
		Seconds    float64       `json:"seconds"`
		Resumed    int64         `json:"resumed_documents"`
		Rejected   int64         `json:"rows_rejected"`
		Counts     *mask.Summary `json:"masking"`
	}{job.Name, job.Kind, started, time.Since(started).Seconds(), done, m.rejects.Count(), summary}
	if err := writeJSONFile(filepath.Join(m.dir, "summary.json"), sum); err != nil {
		return err
	}
	if err := m.parts.store.Remove(); err != nil {
		return err
	}
	fmt.Fprintf(m.env.Stdout, "%s: masked %d documents, %d spans → %s\n", job.Name, summary.Documents, summary.Masked, m.dir)
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
