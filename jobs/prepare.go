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

func runPrepare(ctx context.Context, l *config.Loaded, env *Env) (err error) {
	job := l.Job
	pc := job.Prepare
	if pc == nil || (pc.TokenClassification == nil && pc.FineTune == nil) {
		return fmt.Errorf("%s:%d: a prepare job needs prepare.token_classification and/or prepare.finetune", l.File, l.Line("kind"))
	}
	ratios, err := splitRatios(pc.Split)
	if err != nil {
		return err
	}
	classes := job.Labels
	if len(classes) == 0 {
		classes = labels.All()
	}
	dir := job.Output.Dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	in, err := openInput(job, dir)
	if err != nil {
		return err
	}
	in.metrics = env.Metrics
	var (
		ts       *tokenSetup
		tw       *dataset.TokenWriter
		misalign *write.JSONLWriter[dataset.MisalignmentRecord]
		ftw      *dataset.FinetuneWriter
		builders map[string]*prompt.Builder
		stats    = dataset.NewStats()
	)
	defer func() {
		if err != nil {
			in.rejects.Abort()
			if tw != nil {
				tw.Abort()
			}
			if misalign != nil {
				misalign.Abort()
			}
			if ftw != nil {
				ftw.Abort()
			}
		}
	}()
	if tc := pc.TokenClassification; tc != nil {
		if ts, err = newTokenSetup(tc, classes); err != nil {
			return err
		}
		o := dataset.TokenWriterOptions{Dir: filepath.Join(dir, "token_classification"), TypeIDs: tc.TokenTypeIDs}
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
		if tw, err = dataset.NewTokenWriter(o); err != nil {
			return err
		}
		if misalign, err = write.NewJSONL[dataset.MisalignmentRecord](filepath.Join(dir, "token_classification", "misalignments.jsonl")); err != nil {
			return err
		}
	}
	if ft := pc.FineTune; ft != nil {
		builders = map[string]*prompt.Builder{}
		for _, lang := range []string{"en", "fr"} {
			b, berr := prompt.New(prompt.Options{Language: lang, Classes: classes})
			if berr != nil {
				return berr
			}
			builders[lang] = b
		}
		epochs := ft.Epochs
		if epochs == 0 {
			epochs = config.DefaultFinetuneEpochs
		}
		if ftw, err = dataset.NewFinetuneWriter(dataset.FinetuneOptions{Dir: filepath.Join(dir, "finetune"), PricePerMTokens: ft.PricePerMTokens, Epochs: epochs}); err != nil {
			return err
		}
	}
	workers := job.Concurrency.Workers
	if workers <= 0 {
		workers = config.DefaultWorkers
	}
	bar := newProgress(env, "prepare", expectedDocuments(job))
	r := pipeline.New(ctx, pipeline.WithObserver(env.Metrics))
	src := pipeline.Source(r, "read", in.produce)
	docs := pipeline.Map(r, "tokenize+align", src, workers, func(ctx context.Context, rec record.Record) (*prepared, error) {
		p := &prepared{rec: rec, split: dataset.Split(rec.ID, pc.Split.Seed, ratios)}
		if ts != nil {
			if err := ts.process(p); err != nil {
				return nil, err
			}
		}
		if builders != nil {
			lang := pc.FineTune.Language
			if lang == "" || lang == "auto" {
				lang = rec.Language
			}
			b, ok := builders[lang]
			if !ok {
				b = builders["en"]
			}
			msgs, err := b.Conversation(rec.Text, rec.Gold)
			if err != nil {
				return nil, fmt.Errorf("document %s: %w", rec.ID, err)
			}
			p.messages = msgs
		}
		return p, nil
	})
	pipeline.Sink(r, "write", docs, func(ctx context.Context, p *prepared) error {
		stats.AddDocument(p.split, p.rec.Language, p.rec.Gold, p.diag, p.rt)
		for _, row := range p.rows {
			if err := tw.Write(row); err != nil {
				return err
			}
			stats.AddWindow(p.split, len(row.InputIDs))
		}
		if len(p.diag.Misaligned) > 0 {
			if err := misalign.Write(dataset.MisalignmentRecord{ID: p.rec.ID, Misaligned: p.diag.Misaligned}); err != nil {
				return err
			}
		}
		if ftw != nil {
			if err := ftw.Write(p.split, p.messages); err != nil {
				return err
			}
		}
		env.Metrics.Written("write", 1)
		bar.Add(1)
		return nil
	})
	err = r.Wait()
	bar.Finish()
	if err != nil {
		return err
	}
	if err = in.finish(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: %d documents (%d rows read, %d rejected)\n", job.Name, in.counts.kept.Load(), in.counts.read.Load(), in.counts.rejected.Load())
	if ts != nil {
		if err = tw.Close(); err != nil {
			return err
		}
		if err = misalign.Commit(); err != nil {
			return err
		}
		tcDir := filepath.Join(dir, "token_classification")
		if err = dataset.WriteLabelMap(filepath.Join(tcDir, "label_map.json"), ts.lm); err != nil {
			return err
		}
		info := dataset.CardInfo{Title: job.Name, Source: inputName(job), Tokenizer: ts.cfg.Tokenizer, MaxLength: ts.content + ts.frame.Len(),
			Stride: ts.stride, Strategy: ts.strategy, Seed: pc.Split.Seed, Ratios: ratios, Labels: ts.lm}
		if err = dataset.WriteCard(filepath.Join(tcDir, "README.md"), stats, info); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "token classification: %d windows (train %d, validation %d, test %d), %d labels; spans surviving the label round trip: %.2f%%; span boundaries inside a token: %d\n",
			stats.Windows[dataset.Train]+stats.Windows[dataset.Validation]+stats.Windows[dataset.Test], stats.Windows[dataset.Train], stats.Windows[dataset.Validation], stats.Windows[dataset.Test], ts.lm.Len(),
			100*stats.RoundTrip.Share(), stats.Align.BoundaryInsideToken)
		fmt.Fprintf(env.Stdout, "  wrote %s (train/validation/test .parquet/.arrow, label_map.json, README.md, misalignments.jsonl)\n", tcDir)
	}
	if ftw != nil {
		fs, cerr := ftw.Close()
		if cerr != nil {
			err = cerr
			return err
		}
		fmt.Fprintf(env.Stdout, "LLM fine-tuning: %d train and %d validation examples, ~%d train tokens, ~%.0f tokens trained (x epochs), estimated cost $%.2f\n",
			fs.Examples[dataset.Train], fs.Examples[dataset.Validation], fs.Tokens[dataset.Train], fs.TrainedTokens, fs.CostUSD)
		fmt.Fprintf(env.Stdout, "  wrote %s (train.jsonl, validation.jsonl)\n", filepath.Join(dir, "finetune"))
	}
	return nil
}

func inputName(job *config.Job) string {
	if g := job.Input.Generate; g != nil {
		return fmt.Sprintf("synthetic AI4Privacy-200k rows (n=%d, seed=%d)", g.N, g.Seed)
	}
	return fmt.Sprint(job.Input.Paths)
}
