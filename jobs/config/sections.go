package config

import (
	"fmt"
	"slices"

	"github.com/piimask/piimask/stages/dataset"
	"github.com/piimask/piimask/stages/tokenize"
)

// checkSections checks the job-kind sections (mask, prepare, train,
// finetune, report, bench) and the input keys a kind ignores: what the
// runners need is checked here, at load time, so validate and run report
// the same problems at the same lines, all at once.
func (l *Loaded) checkSections() Problems {
	var ps Problems
	j := l.Job
	needs := func(section string, present bool) {
		if !present {
			ps = append(ps, l.Problem("kind", "a %s job needs a %s section", j.Kind, section))
		}
	}
	switch j.Kind {
	case "mask":
		m := j.Mask
		if m == nil {
			m = &Mask{}
		}
		ps = append(ps, m.Check(l)...)
	case "prepare":
		needs("prepare (token_classification and/or finetune)", j.Prepare != nil && (j.Prepare.TokenClassification != nil || j.Prepare.FineTune != nil))
	case "train":
		needs("train", j.Train != nil)
	case "finetune":
		needs("finetune (model, api_key, hyperparameters)", j.Finetune != nil)
		if j.Input.Generate != nil {
			ps = append(ps, l.Problem("input.generate", "a finetune job reads its training files from input.paths (the prepare job's finetune/train.jsonl)"))
		}
	}
	ps = append(ps, l.checkUnreadInput()...)
	ps = append(ps, l.checkPrepare()...)
	ps = append(ps, l.checkTrain()...)
	ps = append(ps, l.checkFinetune()...)
	ps = append(ps, l.checkReport()...)
	ps = append(ps, l.checkBenchBuckets()...)
	return ps
}

func (l *Loaded) checkPrepare() Problems {
	p := l.Job.Prepare
	if p == nil {
		return nil
	}
	var ps Problems
	if r := p.Split.Ratios; len(r) > 0 {
		if len(r) != 3 {
			ps = append(ps, l.Problem("prepare.split.ratios", "want three numbers (train, validation, test), got %d", len(r)))
		} else if err := dataset.ValidateRatios([3]float64{r[0], r[1], r[2]}); err != nil {
			ps = append(ps, l.Problem("prepare.split.ratios", "%v", err))
		}
	}
	if tc := p.TokenClassification; tc != nil {
		const base = "prepare.token_classification"
		if _, err := tokenize.ParseStrategy(tc.Strategy); err != nil {
			ps = append(ps, l.Problem(base+".strategy", "%v", err))
		}
		if tc.MaxLength < 0 {
			ps = append(ps, l.Problem(base+".max_length", "must not be negative"))
		}
		if tc.Stride < 0 {
			ps = append(ps, l.Problem(base+".stride", "must not be negative"))
		}
		maxLen, stride := tc.MaxLength, tc.Stride
		if maxLen == 0 {
			maxLen = DefaultMaxLength
		}
		if stride == 0 {
			stride = DefaultStride
		}
		if maxLen > 0 && stride >= maxLen {
			ps = append(ps, l.Problem(base+".stride", "stride %d must be below max_length %d", stride, maxLen))
		}
		for i, f := range tc.Formats {
			if !oneOf(f, "parquet", "arrow") {
				ps = append(ps, l.Problem(fmt.Sprintf("%s.formats[%d]", base, i), "unknown format %q (parquet, arrow)", f))
			}
		}
	}
	if ft := p.FineTune; ft != nil {
		if !oneOf(ft.Language, "", "auto", "en", "fr") {
			ps = append(ps, l.Problem("prepare.finetune.language", "unknown language %q (auto, en, fr)", ft.Language))
		}
		if ft.PricePerMTokens < 0 {
			ps = append(ps, l.Problem("prepare.finetune.price_per_m_tokens", "must not be negative"))
		}
		if ft.Epochs < 0 {
			ps = append(ps, l.Problem("prepare.finetune.epochs", "must not be negative"))
		}
	}
	return ps
}

func (l *Loaded) checkTrain() Problems {
	tc := l.Job.Train
	if tc == nil {
		return nil
	}
	var ps Problems
	conv := false
	switch tc.Architecture {
	case "", "encoder", "decoder":
	case "conv-encoder", "conv-decoder":
		conv = true
	default:
		ps = append(ps, l.Problem("train.architecture", "want encoder, decoder, conv-encoder or conv-decoder, got %q", tc.Architecture))
	}
	if !conv {
		for _, f := range []struct {
			key string
			set bool
		}{{"offsets", tc.Offsets != nil}, {"dictionaries", len(tc.Dictionaries) > 0}, {"word_dropout", tc.WordDropout != 0},
			{"o_weight", tc.OWeight != 0}, {"schedule", tc.Schedule != ""}} {
			if f.set {
				ps = append(ps, l.sentence("train."+f.key, "train.%s applies to conv-encoder and conv-decoder only", f.key))
			}
		}
	} else if tc.Window != 0 {
		ps = append(ps, l.sentence("train.window", "train.window applies to the window MLP (encoder, decoder); a conv model takes offsets"))
	}
	if !oneOf(tc.Schedule, "", "constant", "linear") {
		ps = append(ps, l.Problem("train.schedule", "want constant or linear, got %q", tc.Schedule))
	}
	if tc.WordDropout < 0 || tc.WordDropout >= 1 {
		ps = append(ps, l.Problem("train.word_dropout", "must be in [0, 1), got %g", tc.WordDropout))
	}
	for _, f := range []struct {
		key string
		v   float64
	}{{"embed_dim", float64(tc.EmbedDim)}, {"hidden", float64(tc.Hidden)}, {"window", float64(tc.Window)}, {"epochs", float64(tc.Epochs)},
		{"batch_size", float64(tc.BatchSize)}, {"learning_rate", tc.LearningRate}, {"max_steps", float64(tc.MaxSteps)},
		{"position_buckets", float64(tc.PositionBuckets)}, {"o_weight", tc.OWeight}, {"time_budget", float64(tc.TimeBudget)}} {
		if f.v < 0 {
			ps = append(ps, l.Problem("train."+f.key, "must not be negative"))
		}
	}
	return ps
}

func (l *Loaded) checkFinetune() Problems {
	f := l.Job.Finetune
	if f == nil {
		return nil
	}
	var ps Problems
	h := f.Hyperparameters
	const hp = "finetune.hyperparameters"
	for _, v := range []struct {
		key string
		v   float64
	}{{"training_steps", float64(h.TrainingSteps)}, {"epochs", h.Epochs}, {"learning_rate", h.LearningRate}, {"weight_decay", h.WeightDecay}} {
		if v.v < 0 {
			ps = append(ps, l.Problem(hp+"."+v.key, "must not be negative"))
		}
	}
	if h.TrainingSteps > 0 && h.Epochs > 0 {
		ps = append(ps, l.Problem(hp, "give training_steps or epochs, not both"))
	}
	if h.WarmupFraction < 0 || h.WarmupFraction > 1 {
		ps = append(ps, l.Problem(hp+".warmup_fraction", "must be in [0, 1]"))
	}
	if len(f.Suffix) > 18 {
		ps = append(ps, l.Problem("finetune.suffix", "has %d characters, at most 18", len(f.Suffix)))
	}
	if f.PollInterval < 0 {
		ps = append(ps, l.Problem("finetune.poll_interval", "must not be negative"))
	}
	if f.Timeout < 0 {
		ps = append(ps, l.Problem("finetune.timeout", "must not be negative"))
	}
	return ps
}

func (l *Loaded) checkReport() Problems {
	r := l.Job.Report
	if r == nil {
		return nil
	}
	var ps Problems
	if r.Context < 0 {
		ps = append(ps, l.Problem("report.context", "must not be negative"))
	}
	if r.WorstClasses < 0 {
		ps = append(ps, l.Problem("report.worst_classes", "must not be negative"))
	}
	return ps
}

// checkBenchBuckets checks that bench.concurrency_length names a bucket.
func (l *Loaded) checkBenchBuckets() Problems {
	b := l.Job.Bench
	if b == nil || b.ConcurrencyLength == "" {
		return nil
	}
	names := []string{"short", "medium", "long"} // the default buckets
	if len(b.Lengths) > 0 {
		names = names[:0]
		for _, lb := range b.Lengths {
			names = append(names, lb.Name)
		}
	}
	if !slices.Contains(names, b.ConcurrencyLength) {
		return Problems{l.Problem("bench.concurrency_length", "%q names no bucket (%v)", b.ConcurrencyLength, names)}
	}
	return nil
}

// sentence is a Problem at path's line whose message names the key itself
// (the wording the runners used before the check moved here).
func (l *Loaded) sentence(path, format string, args ...any) Problem {
	p := l.Problem(path, format, args...)
	p.Path = ""
	return p
}
