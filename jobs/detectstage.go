package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/piimask/piimask/internal/metrics"
	"github.com/piimask/piimask/pipeline"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
)

// detectStages describes the detect stages of a job that runs methods over
// items of type T (a batch of documents): one "detect/<name>" pipeline.Map
// stage per method, in method order, each running workers items at a time.
// An ensemble method is one of them like any other: it runs its members
// itself and returns one prediction per document.
type detectStages[T any] struct {
	names   []string // the methods' names (stage names, metric labels, errors)
	methods []detect.Method
	workers int
	metrics *metrics.Metrics
	// docs returns the documents of an item, in order.
	docs func(T) []record.Record
	// spans, when set, maps a prediction's spans for its document before
	// they are counted and kept (evaluate: onto the scored label set).
	spans func(rec record.Record, spans []record.Span) []record.Span
	// stopOnFailure makes a document the method could not answer for (an LLM
	// that gave up) fail the stage, so that nothing is written with fewer
	// detections than asked for and a rerun resumes (mask).
	stopOnFailure bool
	// keep takes method i's predictions for item, one per document, and the
	// time Detect took.
	keep func(i int, item T, preds []detect.Prediction, took time.Duration)
}

// add adds the detect stages to r after in and returns their output.
func (d detectStages[T]) add(r *pipeline.Run, in <-chan T) <-chan T {
	for i := range d.methods {
		i := i
		in = pipeline.Map(r, "detect/"+d.names[i], in, d.workers, func(ctx context.Context, item T) (T, error) {
			var zero T
			preds, took, err := d.detect(ctx, i, d.docs(item))
			if err != nil {
				return zero, err
			}
			d.keep(i, item, preds, took)
			return item, nil
		})
	}
	return in
}

// detect runs method i over recs and counts its predictions in the metrics.
func (d detectStages[T]) detect(ctx context.Context, i int, recs []record.Record) ([]detect.Prediction, time.Duration, error) {
	name := d.names[i]
	t0 := time.Now()
	preds, err := d.methods[i].Detect(ctx, recs)
	took := time.Since(t0)
	if err != nil {
		return nil, 0, fmt.Errorf("method %s: %w", name, err)
	}
	if len(preds) != len(recs) {
		return nil, 0, fmt.Errorf("method %s returned %d predictions for %d documents", name, len(preds), len(recs))
	}
	for k := range preds {
		if d.spans != nil {
			preds[k].Spans = d.spans(recs[k], preds[k].Spans)
		}
		if f := preds[k].Failure; f != "" && d.stopOnFailure {
			return nil, 0, fmt.Errorf("method %s failed on %s (%s); nothing was written for it — rerun the same command to resume", name, recs[k].Origin, f)
		}
		d.metrics.Prediction(name, &preds[k])
	}
	return preds, took, nil
}
