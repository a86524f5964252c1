package jobs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/piimask/piimask/internal/prompt"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/labels"
	"github.com/piimask/piimask/pipeline"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/dataset"
	"github.com/piimask/piimask/stages/tokenize"
	"github.com/piimask/piimask/stages/tokenize/hf"
	"github.com/piimask/piimask/stages/write"
)

// prepared is one document's outputs, made in parallel and written in order.
type prepared struct {
	rec      record.Record
	split    string
	rows     []dataset.Row
	diag     tokenize.AlignDiagnostics
	rt       tokenize.RoundTripStats
	messages []prompt.Message
}

// tokenSetup is the token-classification part of a prepare run.
type tokenSetup struct {
	cfg      *config.TokenClassification
	tok      tokenize.Tokenizer
	frame    tokenize.Frame
	lm       *tokenize.LabelMap
	strategy tokenize.Strategy
	content  int // content tokens per window
	stride   int
}

func newTokenSetup(tc *config.TokenClassification, classes []string) (*tokenSetup, error) {
	tok, err := hf.Load(tc.Tokenizer)
	if err != nil {
		return nil, fmt.Errorf("prepare.token_classification.tokenizer: %w", err)
	}
	ts := &tokenSetup{cfg: tc, tok: tok, lm: tokenize.NewLabelMap(classes)}
	if ts.frame, err = tokenize.SpecialFrame(tok); err != nil {
		return nil, err
	}
	strategy := tc.Strategy
	if strategy == "" {
		strategy = config.DefaultStrategy
	}
	if ts.strategy, err = tokenize.ParseStrategy(strategy); err != nil {
		return nil, fmt.Errorf("prepare.token_classification.strategy: %w", err)
	}
	maxLen := tc.MaxLength
	if maxLen == 0 {
		maxLen = config.DefaultMaxLength
	}
	ts.stride = tc.Stride
	if ts.stride == 0 {
		ts.stride = config.DefaultStride
	}
	ts.content = maxLen - ts.frame.Len()
	if ts.content <= ts.stride {
		return nil, fmt.Errorf("prepare.token_classification: max_length %d leaves %d content tokens, not more than stride %d", maxLen, ts.content, ts.stride)
	}
	return ts, nil
}

// process tokenizes, aligns and windows one document.
func (ts *tokenSetup) process(p *prepared) error {
	content, err := ts.tok.Encode(p.rec.Text, false)
	if err != nil {
		return fmt.Errorf("document %s (%s): tokenize: %w", p.rec.ID, p.rec.Origin, err)
	}
	ids, diag := tokenize.AlignBIO(content, p.rec.Gold, ts.lm, ts.strategy)
	p.diag = diag
	p.rt = tokenize.RoundTripLabels(content, p.rec.Gold, tokenize.LabelNames(ids, ts.lm))
	ws, err := tokenize.Windows(content.Len(), ts.content, ts.stride)
	if err != nil {
		return err
	}
	for k, w := range ws {
		enc := ts.frame.Wrap(content, w)
		row, err := dataset.RowFromEncoding(p.rec.ID, p.rec.Language, k, p.split, enc, ts.frame.WrapLabels(ids, w))
		if err != nil {
			return fmt.Errorf("document %s: window %d: %w", p.rec.ID, k, err)
		}
		p.rows = append(p.rows, row)
	}
	return nil
}

func splitRatios(s config.Split) ([3]float64, error) {
	var r [3]float64
	copy(r[:], config.DefaultSplitRatios())
	if len(s.Ratios) > 0 {
		if len(s.Ratios) != 3 {
			return r, fmt.Errorf("prepare.split.ratios: want three numbers (train, validation, test), got %d", len(s.Ratios))
		}
		copy(r[:], s.Ratios)
	}
	return r, dataset.ValidateRatios(r)
}

// prepareRun is one prepare job: its input, and the outputs of its token
// classification and LLM fine-tuning parts (nil when not configured).
type prepareRun struct {
	job      *config.Job
	pc       *config.Prepare
	dir      string
	ratios   [3]float64
	in       *input
	ts       *tokenSetup
	tw       *dataset.TokenWriter
	misalign *write.JSONLWriter[dataset.MisalignmentRecord]
	ftw      *dataset.FinetuneWriter
	builders map[string]*prompt.Builder
	stats    *dataset.Stats
}

// runPrepare reads the job's documents through its input path, splits them
// by a stable hash of their id and writes the token-classification dataset
// and/or the LLM fine-tuning files.
func runPrepare(ctx context.Context, l *config.Loaded, env *Env) (err error) {
	job := l.Job
	pc := job.Prepare
	if pc == nil || (pc.TokenClassification == nil && pc.FineTune == nil) {
		return fmt.Errorf("%s:%d: a prepare job needs prepare.token_classification and/or prepare.finetune", l.File, l.Line("kind"))
	}
	p := &prepareRun{job: job, pc: pc, dir: job.Output.Dir, stats: dataset.NewStats()}
	if p.ratios, err = splitRatios(pc.Split); err != nil {
		return err
	}
	classes := job.Labels
	if len(classes) == 0 {
		classes = labels.All()
	}
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		return err
	}
	if p.in, err = openInput(job, p.dir); err != nil {
		return err
	}
	p.in.metrics = env.Metrics
	defer func() {
		if err != nil {
			p.abort()
		}
	}()
	if err = p.openTokenClassification(classes); err != nil {
		return err
	}
	if err = p.openFinetune(classes); err != nil {
		return err
	}
	if err = p.run(ctx, env); err != nil {
		return err
	}
	if err = p.in.finish(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %d documents (%d rows read, %d rejected)\n", job.Name, p.in.counts.kept.Load(), p.in.counts.read.Load(), p.in.counts.rejected.Load())
	if p.ts != nil {
		if err = p.finishTokenClassification(env); err != nil {
			return err
		}
	}
	if p.ftw != nil {
		return p.finishFinetune(env)
	}
	return nil
}

// abort discards every output of a failed run.
func (p *prepareRun) abort() {
	p.in.rejects.Abort()
	if p.tw != nil {
		p.tw.Abort()
	}
	if p.misalign != nil {
		p.misalign.Abort()
	}
	if p.ftw != nil {
		p.ftw.Abort()
	}
}

// openTokenClassification loads the tokenizer and opens the dataset and
// misalignment writers of prepare.token_classification, when configured.
func (p *prepareRun) openTokenClassification(classes []string) (err error) {
	tc := p.pc.TokenClassification
	if tc == nil {
		return nil
	}
	if p.ts, err = newTokenSetup(tc, classes); err != nil {
		return err
	}
	o := dataset.TokenWriterOptions{Dir: filepath.Join(p.dir, "token_classification"), TypeIDs: tc.TokenTypeIDs}
	formats := tc.Formats
	if len(formats) == 0 {
		formats = config.DefaultOutputFormats()
	}
	for _, f := range formats {
		switch f {
		case "parquet":
			o.Parquet = true
		case "arrow":
			o.Arrow = true
		default:
			return fmt.Errorf("prepare.token_classification.formats: unknown format %q (parquet, arrow)", f)
		}
	}
	if p.tw, err = dataset.NewTokenWriter(o); err != nil {
		return err
	}
	p.misalign, err = write.NewJSONL[dataset.MisalignmentRecord](filepath.Join(p.dir, "token_classification", "misalignments.jsonl"))
	return err
}

// openFinetune builds the prompt builders (en, fr) and opens the writer of
// prepare.finetune, when configured.
func (p *prepareRun) openFinetune(classes []string) (err error) {
	ft := p.pc.FineTune
	if ft == nil {
		return nil
	}
	p.builders = map[string]*prompt.Builder{}
	for _, lang := range []string{"en", "fr"} {
		b, err := prompt.New(prompt.Options{Language: lang, Classes: classes})
		if err != nil {
			return err
		}
		p.builders[lang] = b
	}
	epochs := ft.Epochs
	if epochs == 0 {
		epochs = config.DefaultFinetuneEpochs
	}
	p.ftw, err = dataset.NewFinetuneWriter(dataset.FinetuneOptions{Dir: filepath.Join(p.dir, "finetune"), PricePerMTokens: ft.PricePerMTokens, Epochs: epochs})
	return err
}

// run streams the input through the pipeline: documents are prepared in
// parallel and written in input order.
func (p *prepareRun) run(ctx context.Context, env *Env) error {
	workers := p.job.Concurrency.Workers
	if workers <= 0 {
		workers = config.DefaultWorkers
	}
	bar := newProgress(env, "prepare", expectedDocuments(p.job))
	r := pipeline.New(ctx, pipeline.WithObserver(env.Metrics))
	src := pipeline.Source(r, "read", p.in.produce)
	docs := pipeline.Map(r, "tokenize+align", src, workers, p.prepare)
	pipeline.Sink(r, "write", docs, func(ctx context.Context, d *prepared) error {
		if err := p.write(d); err != nil {
			return err
		}
		env.Metrics.Written("write", 1)
		bar.Add(1)
		return nil
	})
	err := r.Wait()
	bar.Finish()
	return err
}

// prepare makes one document's windows and fine-tuning conversation.
func (p *prepareRun) prepare(ctx context.Context, rec record.Record) (*prepared, error) {
	d := &prepared{rec: rec, split: dataset.Split(rec.ID, p.pc.Split.Seed, p.ratios)}
	if p.ts != nil {
		if err := p.ts.process(d); err != nil {
			return nil, err
		}
	}
	if p.builders != nil {
		lang := p.pc.FineTune.Language
		if lang == "" || lang == "auto" {
			lang = rec.Language
		}
		b, ok := p.builders[lang]
		if !ok {
			b = p.builders["en"]
		}
		msgs, err := b.Conversation(rec.Text, rec.Gold)
		if err != nil {
			return nil, fmt.Errorf("document %s: %w", rec.ID, err)
		}
		d.messages = msgs
	}
	return d, nil
}

// write adds one prepared document to the statistics and the outputs.
func (p *prepareRun) write(d *prepared) error {
	p.stats.AddDocument(d.split, d.rec.Language, d.rec.Gold, d.diag, d.rt)
	for _, row := range d.rows {
		if err := p.tw.Write(row); err != nil {
			return err
		}
		p.stats.AddWindow(d.split, len(row.InputIDs))
	}
	if len(d.diag.Misaligned) > 0 {
		if err := p.misalign.Write(dataset.MisalignmentRecord{ID: d.rec.ID, Misaligned: d.diag.Misaligned}); err != nil {
			return err
		}
	}
	if p.ftw != nil {
		return p.ftw.Write(d.split, d.messages)
	}
	return nil
}

// finishTokenClassification commits the dataset, writes its label map and
// card, and prints its figures.
func (p *prepareRun) finishTokenClassification(env *Env) error {
	ts, stats := p.ts, p.stats
	if err := p.tw.Close(); err != nil {
		return err
	}
	if err := p.misalign.Commit(); err != nil {
		return err
	}
	tcDir := filepath.Join(p.dir, "token_classification")
	if err := dataset.WriteLabelMap(filepath.Join(tcDir, "label_map.json"), ts.lm); err != nil {
		return err
	}
	info := dataset.CardInfo{Title: p.job.Name, Source: inputName(p.job), Tokenizer: ts.cfg.Tokenizer, MaxLength: ts.content + ts.frame.Len(),
		Stride: ts.stride, Strategy: ts.strategy, Seed: p.pc.Split.Seed, Ratios: p.ratios, Labels: ts.lm}
	if err := dataset.WriteCard(filepath.Join(tcDir, "README.md"), stats, info); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "token classification: %d windows (train %d, validation %d, test %d), %d labels; spans surviving the label round trip: %.2f%%; span boundaries inside a token: %d\n",
		stats.Windows[dataset.Train]+stats.Windows[dataset.Validation]+stats.Windows[dataset.Test], stats.Windows[dataset.Train], stats.Windows[dataset.Validation], stats.Windows[dataset.Test], ts.lm.Len(),
		100*stats.RoundTrip.Share(), stats.Align.BoundaryInsideToken)
	fmt.Fprintf(env.Stdout, "  wrote %s (train/validation/test .parquet/.arrow, label_map.json, README.md, misalignments.jsonl)\n", tcDir)
	return nil
}

// finishFinetune commits the fine-tuning files and prints their figures.
func (p *prepareRun) finishFinetune(env *Env) error {
	fs, err := p.ftw.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "LLM fine-tuning: %d train and %d validation examples, ~%d train tokens, ~%.0f tokens trained (x epochs), estimated cost $%.2f\n",
		fs.Examples[dataset.Train], fs.Examples[dataset.Validation], fs.Tokens[dataset.Train], fs.TrainedTokens, fs.CostUSD)
	fmt.Fprintf(env.Stdout, "  wrote %s (train.jsonl, validation.jsonl)\n", filepath.Join(p.dir, "finetune"))
	return nil
}

func inputName(job *config.Job) string {
	if g := job.Input.Generate; g != nil {
		return fmt.Sprintf("synthetic AI4Privacy-200k rows (n=%d, seed=%d)", g.N, g.Seed)
	}
	return fmt.Sprint(job.Input.Paths)
}
