package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/score"
	"github.com/piimask/piimask/stages/taxonomy"
	"github.com/piimask/piimask/stages/write"
)

// scoreAccumulator owns one method's score counts: it scores documents
// (evaluate, score) or sums shards' counts (merge), writes the per-document
// counts to doc_counts.jsonl, keeps the strict per-document totals the
// bootstrap resamples, and derives and writes metrics.json. One goroutine
// uses it.
type scoreAccumulator struct {
	// scorer scores documents; nil when the counts are only summed (merge).
	scorer *score.Scorer
	counts *score.Counts
	// docFile is doc_counts.jsonl as it is written; nil when this
	// accumulator writes none.
	docFile *write.AtomicFile
	docs    *score.DocCountsWriter
	// keepDocs keeps perDoc, the per-document counts for the bootstrap.
	keepDocs bool
	perDoc   []score.DocCounts
}

// newScoreAccumulator returns empty counts of scorer's views (scorer nil:
// counts summed with addShard). docCounts is the doc_counts.jsonl to write
// ("" for none); keepDocs keeps the per-document totals for the bootstrap.
func newScoreAccumulator(scorer *score.Scorer, docCounts string, keepDocs bool) (*scoreAccumulator, error) {
	a := &scoreAccumulator{scorer: scorer, counts: score.NewCounts(), keepDocs: keepDocs}
	if scorer != nil {
		a.counts = scorer.NewCounts()
	}
	if docCounts != "" {
		f, err := write.CreateAtomic(docCounts)
		if err != nil {
			return nil, err
		}
		a.docFile, a.docs = f, score.NewDocCountsWriter(f)
	}
	return a, nil
}

// add scores one document's predicted spans against its gold spans and
// writes its line of doc_counts.jsonl.
func (a *scoreAccumulator) add(rec record.Record, pred []record.Span) error {
	dc := a.scorer.Score(rec.Text, rec.Gold, pred, rec.Language)
	dc.ID = rec.ID
	a.counts.AddDoc(&dc)
	if a.keepDocs {
		a.perDoc = append(a.perDoc, score.DocCounts{Totals: dc.Totals})
	}
	if a.docs != nil {
		return a.docs.Write(&dc)
	}
	return nil
}

// addShard sums one shard's counts into the accumulator's; name (its
// metrics.json) and first (the first shard's) name them in the error.
func (a *scoreAccumulator) addShard(c *score.Counts, name, first string) error {
	if err := a.counts.Compatible(c); err != nil {
		return fmt.Errorf("%s cannot be merged with %s: %w", name, first, err)
	}
	a.counts.Add(c)
	return nil
}

// keepDocCounts keeps per-document counts read back from doc_counts.jsonl
// for the bootstrap (when keepDocs).
func (a *scoreAccumulator) keepDocCounts(docs []score.DocCounts) {
	if a.keepDocs {
		a.perDoc = append(a.perDoc, docs...)
	}
}

// abort discards doc_counts.jsonl (nothing once finish has committed it).
func (a *scoreAccumulator) abort() {
	if a.docFile != nil {
		a.docFile.Abort()
		a.docFile = nil
	}
}

// metricsSpec says how finish labels and writes a method's metrics.
type metricsSpec struct {
	experiment, model string
	// beta is the F-beta reported (<= 0: score.DefaultBeta).
	beta float64
	// unmappedGold, when not nil, are the gold labels outside the scored
	// set (metrics.json's counts.unmapped_gold_labels); nil keeps the
	// counts' own (summed by merge).
	unmappedGold []taxonomy.LabelCount
	// bootstrap, when not nil, adds confidence intervals from the kept
	// per-document counts; a zero Beta is the report's.
	bootstrap *score.BootstrapOptions
	// ciMethod names the intervals' method ("": model).
	ciMethod string
	// path is the metrics.json to write ("": none).
	path string
}

// finish derives the report, commits doc_counts.jsonl and writes
// metrics.json as spec says. Nothing is committed when the bootstrap fails.
func (a *scoreAccumulator) finish(ctx context.Context, spec metricsSpec) (score.Report, error) {
	if spec.unmappedGold != nil {
		a.counts.UnmappedGold = unmappedCounts(spec.unmappedGold)
	}
	rep := a.counts.Metrics(spec.beta)
	rep.ExperimentName = spec.experiment
	rep.ModelName = spec.model
	if b := spec.bootstrap; b != nil {
		opts := *b
		if opts.Beta == 0 {
			opts.Beta = rep.Beta
		}
		ci, err := score.Bootstrap(ctx, a.perDoc, opts)
		if err != nil {
			return score.Report{}, fmt.Errorf("method %s: %w", spec.model, err)
		}
		ci.Method = spec.ciMethod
		if ci.Method == "" {
			ci.Method = spec.model
		}
		rep.ConfidenceIntervals = &ci
	}
	if a.docFile != nil {
		if err := a.docFile.Commit(); err != nil {
			return score.Report{}, err
		}
		a.docFile = nil
	}
	if spec.path != "" {
		if err := rep.WriteJSON(spec.path); err != nil {
			return score.Report{}, err
		}
	}
	return rep, nil
}

// writeJSONFile writes v as indented JSON and a newline to path atomically
// (summary.json, score_summary.json).
func writeJSONFile(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", filepath.Base(path), err)
	}
	return write.WriteFileAtomic(path, append(data, '\n'))
}
