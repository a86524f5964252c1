package jobs

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/stages/metrics"
	"github.com/piimask/piimask/stages/read"
	"github.com/piimask/piimask/stages/record"
	"github.com/piimask/piimask/stages/write"
)

// inputCounts are the reader's figures for the run summary.
type inputCounts struct {
	read     atomic.Int64
	rejected atomic.Int64
	kept     atomic.Int64
}

// input is a job's document source plus its rejects file.
type input struct {
	job     *config.Job
	counts  inputCounts
	rejects *write.JSONLWriter[record.Reject]
	labels  labelSet
	// metrics counts rows read and rejected (nil: none).
	metrics *metrics.Metrics
}

// openInput prepares the job's input; rejects go to dir/rejects.jsonl.
func openInput(job *config.Job, dir string) (*input, error) {
	rej, err := write.NewJSONL[record.Reject](filepath.Join(dir, "rejects.jsonl"))
	if err != nil {
		return nil, err
	}
	return &input{job: job, rejects: rej, labels: newLabelSet(job)}, nil
}

// produce streams the job's records, filtered, to emit. It is a pipeline
// source function.
func (in *input) produce(ctx context.Context, emit func(record.Record) error) error {
	j := in.job
	f := read.Filter{Languages: j.Filters.Languages, Limit: j.Filters.Limit}
	if s := j.Filters.Sample; s != nil {
		f.SampleRate, f.Seed = s.Rate, s.Seed
	}
	if err := f.Validate(); err != nil {
		return err
	}
	wrapped := f.Wrap(func(r record.Record) error {
		r.Gold = in.labels.apply(r.Gold)
		in.counts.kept.Add(1)
		return emit(r)
	})
	// A sharded run reads only the rows its shard owns (by id, or by origin
	// for a reject without one); the other shards count the rest.
	shard := jobShard(j)
	counted := func(r record.Record) error {
		if !shard.Owns(shardKey(r.ID, r.Origin)) {
			return nil
		}
		in.counts.read.Add(1)
		in.metrics.Read(metrics.StageRead, 1)
		return wrapped(r)
	}
	reject := func(r record.Reject) error {
		if !shard.Owns(shardKey(r.ID, r.Origin)) {
			return nil
		}
		in.counts.read.Add(1)
		in.counts.rejected.Add(1)
		in.metrics.Read(metrics.StageRead, 1)
		in.metrics.Rejected(metrics.StageRead, 1)
		return in.rejects.Write(r)
	}
	var err error
	if g := j.Input.Generate; g != nil {
		err = generateRecords(ctx, g, counted)
	} else {
		var paths []string
		paths, err = read.Expand(j.Input.Paths)
		if err != nil {
			return err
		}
		err = read.Read(ctx, paths, readOptions(j), counted, reject)
	}
	if errors.Is(err, read.ErrStop) {
		return nil
	}
	return err
}

// readOptions are the reader options of the job's input section.
func readOptions(j *config.Job) read.Options {
	format := j.Input.Format
	if format == read.SchemaAuto {
		format = ""
	}
	return read.Options{Format: format, Schema: j.Input.Schema, TextField: j.Input.TextField, Language: j.Input.Language}
}

// shardKey is what assigns a row to a shard: its id, or where it came from.
func shardKey(id string, o record.Origin) string {
	if id != "" {
		return id
	}
	return o.String()
}

// finish commits the rejects file and checks the reject ratio.
func (in *input) finish() error {
	if err := in.rejects.Commit(); err != nil {
		return err
	}
	read, rej := in.counts.read.Load(), in.counts.rejected.Load()
	if max := in.job.MaxRejectRatio; max > 0 && read > 0 && float64(rej)/float64(read) > max {
		return fmt.Errorf("%d of %d input rows rejected (%.1f%%), above max_reject_ratio %.1f%%: see %s",
			rej, read, 100*float64(rej)/float64(read), 100*max, in.rejects.Path())
	}
	return nil
}

// labelSet applies the job's label map and label set to spans.
type labelSet struct {
	rename map[string]string
	keep   map[string]bool
}

func newLabelSet(j *config.Job) labelSet {
	ls := labelSet{rename: j.LabelMap}
	if len(j.Labels) > 0 {
		ls.keep = map[string]bool{}
		for _, l := range j.Labels {
			ls.keep[l] = true
		}
	}
	return ls
}

// apply renames labels through the map and drops spans outside the label set.
func (ls labelSet) apply(spans []record.Span) []record.Span {
	if len(ls.rename) == 0 && ls.keep == nil {
		return spans
	}
	out := spans[:0:0]
	for _, s := range spans {
		if to, ok := ls.rename[s.Label]; ok {
			s.Label = to
		}
		if ls.keep != nil && !ls.keep[s.Label] {
			continue
		}
		out = append(out, s)
	}
	return out
}
