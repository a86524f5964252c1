package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/piimask/piimask/internal/metrics"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/models"
	"github.com/piimask/piimask/pipeline"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
	"github.com/piimask/piimask/stages/read"
	"github.com/piimask/piimask/stages/tokenize"
	"github.com/piimask/piimask/stages/write"
)

// benchSettings are the bench section with defaults filled in.
func benchSettings(j *config.Job) config.Bench {
	b := config.Bench{}
	if j.Bench != nil {
		b = *j.Bench
	}
	if len(b.Lengths) == 0 {
		b.Lengths = []config.LengthBucket{{Name: "short", Concat: 1}, {Name: "medium", Concat: 4}, {Name: "long", Concat: 16}}
	}
	if b.Docs == 0 {
		b.Docs = 200
	}
	if len(b.Workers) == 0 {
		b.Workers = []int{1, 2, 4, 8}
	}
	if b.ConcurrencyDocs == 0 {
		b.ConcurrencyDocs = 400
	}
	if b.ConcurrencyLength == "" {
		b.ConcurrencyLength = b.Lengths[0].Name
	}
	if b.Warmup == 0 {
		b.Warmup = 20
	}
	if b.Tokenizer == "" {
		b.Tokenizer = "builtin:baseline"
	}
	return b
}

// benchDoc is one timed document and its token count.
type benchDoc struct {
	rec    record.Record
	tokens int
}

// runBench measures every method's speed by text length (documents one at a
// time) and its throughput at each worker count, each compared with a
// baseline measured in the same run, and writes bench.json. Its documents
// come through the job's input path (input.go): files or input.generate,
// filters, sharding, rejects and max_reject_ratio.
func runBench(ctx context.Context, l *config.Loaded, env *Env) error {
	job := l.Job
	b := benchSettings(job)
	if !slices.ContainsFunc(b.Lengths, func(lb config.LengthBucket) bool { return lb.Name == b.ConcurrencyLength }) {
		return fmt.Errorf("%s: bench.concurrency_length %q names no bucket", l.File, b.ConcurrencyLength)
	}
	started := time.Now()
	if err := os.MkdirAll(job.Output.Dir, 0o755); err != nil {
		return fmt.Errorf("create output directory: %w", err)
	}
	rows, err := benchRows(ctx, job, env, b)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return fmt.Errorf("%s: the input gave no rows to time", l.File)
	}
	buckets, err := benchBuckets(b, rows, env)
	if err != nil {
		return err
	}
	cfgs, methods, skipped, err := buildMethods(ctx, l, env)
	if err != nil {
		return err
	}
	defer closeMethods(methods)
	res := metrics.BenchResult{Name: job.Name, GoVersion: runtime.Version(), CPUs: runtime.NumCPU(), Tokenizer: b.Tokenizer,
		StartedAt: started.UTC().Format(time.RFC3339), WorkerSets: b.Workers}
	for _, lb := range b.Lengths {
		res.Lengths = append(res.Lengths, lb.Name)
	}
	for i, m := range methods {
		bm, err := benchMethod(ctx, env, m, metrics.BenchMethod{Name: cfgs[i].Name, Type: cfgs[i].Type}, b, buckets)
		if err != nil {
			return fmt.Errorf("method %s: %w", cfgs[i].Name, err)
		}
		res.Methods = append(res.Methods, bm)
	}
	res.Seconds = time.Since(started).Seconds()
	return writeBench(env, job, &res, b, skipped)
}

// benchRows reads the rows the bench documents are made of through the
// job's input path, stopping once the largest bucket has all it uses
// (documents cycle through the rows when there are fewer).
func benchRows(ctx context.Context, job *config.Job, env *Env, b config.Bench) ([]record.Record, error) {
	need := 0
	for _, lb := range b.Lengths {
		need = max(need, b.Docs*lb.Concat)
	}
	in, err := openInput(job, job.Output.Dir)
	if err != nil {
		return nil, err
	}
	in.metrics = env.Metrics
	var rows []record.Record
	err = in.produce(ctx, func(r record.Record) error {
		rows = append(rows, r)
		if len(rows) >= need {
			return read.ErrStop
		}
		return nil
	})
	if err != nil {
		in.rejects.Abort()
		return nil, err
	}
	return rows, in.finish()
}

// benchBuckets builds each length bucket's documents (Concat rows joined)
// and counts their tokens with the bench tokenizer.
func benchBuckets(b config.Bench, rows []record.Record, env *Env) (map[string][]benchDoc, error) {
	tok, err := benchTokenizer(b.Tokenizer, env)
	if err != nil {
		return nil, err
	}
	buckets := map[string][]benchDoc{}
	for _, lb := range b.Lengths {
		docs := make([]benchDoc, b.Docs)
		for k := range docs {
			parts := make([]string, lb.Concat)
			for j := range parts {
				parts[j] = rows[(k*lb.Concat+j)%len(rows)].Text
			}
			text := strings.Join(parts, "\n\n")
			enc, err := tok.Encode(text, false)
			if err != nil {
				return nil, fmt.Errorf("bench tokenizer: %w", err)
			}
			docs[k] = benchDoc{rec: record.Record{ID: fmt.Sprintf("bench-%s-%d", lb.Name, k), Language: rows[k%len(rows)].Language, Text: text}, tokens: len(enc.IDs)}
		}
		buckets[lb.Name] = docs
	}
	return buckets, nil
}

// benchMethod warms method m up, then times it by text length and at each
// worker count; ratios are against the first bucket and the first level.
func benchMethod(ctx context.Context, env *Env, m detect.Method, bm metrics.BenchMethod, b config.Bench, buckets map[string][]benchDoc) (metrics.BenchMethod, error) {
	env.Logger.Debug("bench", "method", bm.Name, "step", "warmup")
	warm := buckets[b.Lengths[0].Name]
	for k := 0; k < b.Warmup; k++ {
		if _, err := m.Detect(ctx, []record.Record{warm[k%len(warm)].rec}); err != nil {
			return bm, err
		}
	}
	for _, lb := range b.Lengths {
		env.Logger.Debug("bench", "method", bm.Name, "step", "length", "bucket", lb.Name)
		lr, err := benchLength(ctx, m, lb.Name, buckets[lb.Name])
		if err != nil {
			return bm, err
		}
		lr.LatencyRatio, lr.TokensPerSecRatio = 1, 1
		if len(bm.Lengths) > 0 {
			base := bm.Lengths[0]
			lr.LatencyRatio = ratioOf(lr.P50Ms, base.P50Ms)
			lr.TokensPerSecRatio = ratioOf(lr.TokensPerSec, base.TokensPerSec)
		}
		bm.Lengths = append(bm.Lengths, lr)
	}
	src := buckets[b.ConcurrencyLength]
	for _, w := range b.Workers {
		env.Logger.Debug("bench", "method", bm.Name, "step", "concurrency", "workers", w)
		wr, err := benchWorkers(ctx, m, src, b.ConcurrencyDocs, w)
		if err != nil {
			return bm, err
		}
		wr.Speedup = 1
		if len(bm.Concurrency) > 0 {
			wr.Speedup = ratioOf(wr.DocsPerSecond, bm.Concurrency[0].DocsPerSecond)
		}
		bm.Concurrency = append(bm.Concurrency, wr)
	}
	return bm, nil
}

// writeBench writes bench.json atomically and prints the tables.
func writeBench(env *Env, job *config.Job, res *metrics.BenchResult, b config.Bench, skipped []MethodSummary) error {
	data, _ := json.MarshalIndent(res, "", "  ")
	out := filepath.Join(job.Output.Dir, "bench.json")
	if err := write.WriteFileAtomic(out, append(data, '\n')); err != nil {
		return err
	}
	env.Metrics.Written("bench", len(res.Methods))
	if err := FormatBench(env.Stdout, res, b.ConcurrencyLength); err != nil {
		return err
	}
	for _, s := range skipped {
		fmt.Fprintf(env.Stdout, "\nmethod %s skipped: %s\n", s.Name, s.Skipped)
	}
	fmt.Fprintf(env.Stdout, "\nwrote %s\n", out)
	return nil
}

func ratioOf(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// benchTokenizer loads the tokenizer that counts tokens for tokens/s.
func benchTokenizer(ref string, env *Env) (tokenize.Tokenizer, error) {
	path := ref
	if models.IsBuiltin(ref) {
		dir, err := models.Materialize(ref, models.DefaultCacheDir(env.LookupEnv))
		if err != nil {
			return nil, fmt.Errorf("bench tokenizer: %w", err)
		}
		path = dir
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, "tokenizer.json")
	}
	t, err := loadTokenizer(path)
	if err != nil {
		return nil, fmt.Errorf("bench tokenizer: %w", err)
	}
	return t, nil
}

// benchLength times documents one at a time.
func benchLength(ctx context.Context, m detect.Method, bucket string, docs []benchDoc) (metrics.LengthResult, error) {
	lat := make([]float64, len(docs))
	var total time.Duration
	var chars, tokens int
	for k, d := range docs {
		t0 := time.Now()
		if _, err := m.Detect(ctx, []record.Record{d.rec}); err != nil {
			return metrics.LengthResult{}, err
		}
		took := time.Since(t0)
		total += took
		lat[k] = float64(took.Nanoseconds()) / 1e6
		chars += len([]rune(d.rec.Text))
		tokens += d.tokens
	}
	slices.Sort(lat)
	n := float64(len(docs))
	sec := total.Seconds()
	return metrics.LengthResult{Bucket: bucket, Docs: len(docs), MeanChars: float64(chars) / n, MeanTokens: float64(tokens) / n,
		P50Ms: percentile(lat, 0.50), P95Ms: percentile(lat, 0.95),
		DocsPerSecond: ratioOf(n, sec), TokensPerSec: ratioOf(float64(tokens), sec)}, nil
}

// percentile is the nearest-rank percentile of sorted values.
func percentile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// benchWorkers processes n documents (cycling docs) with w concurrent
// callers, one document per call, through the pipeline engine (a source,
// a w-worker detect stage, a counting sink), and measures the wall time.
func benchWorkers(ctx context.Context, m detect.Method, docs []benchDoc, n, w int) (metrics.WorkerResult, error) {
	t0 := time.Now()
	r := pipeline.New(ctx)
	src := pipeline.Source(r, "docs", func(ctx context.Context, emit func(record.Record) error) error {
		for k := range n {
			if err := emit(docs[k%len(docs)].rec); err != nil {
				return err
			}
		}
		return nil
	})
	done := pipeline.Map(r, "detect", src, w, func(ctx context.Context, rec record.Record) (struct{}, error) {
		_, err := m.Detect(ctx, []record.Record{rec})
		return struct{}{}, err
	})
	processed := 0
	pipeline.Sink(r, "count", done, func(context.Context, struct{}) error { processed++; return nil })
	if err := r.Wait(); err != nil {
		return metrics.WorkerResult{}, err
	}
	sec := time.Since(t0).Seconds()
	if processed != n {
		return metrics.WorkerResult{}, fmt.Errorf("bench: %d of %d documents processed", processed, n)
	}
	return metrics.WorkerResult{Workers: w, Docs: n, Seconds: sec, DocsPerSecond: ratioOf(float64(n), sec)}, nil
}

// FormatBench prints a bench result as two tables per method: speed by text
// length (ratios against the first bucket) and throughput by worker count
// (speed-up against the first level).
func FormatBench(w io.Writer, r *metrics.BenchResult, concurrencyBucket string) error {
	fmt.Fprintf(w, "%s: %d CPUs, %s, tokens counted with %s\n", r.Name, r.CPUs, r.GoVersion, r.Tokenizer)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\nSpeed by text length (one document per call)\n")
	fmt.Fprintf(tw, "method\tbucket\tdocs\tchars\ttokens\tp50 ms\tp95 ms\tdocs/s\ttokens/s\tp50 ×\ttokens/s ×\n")
	for _, m := range r.Methods {
		for _, l := range m.Lengths {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.0f\t%.0f\t%.3f\t%.3f\t%.1f\t%.0f\t%.2f\t%.2f\n", m.Name, l.Bucket, l.Docs, l.MeanChars, l.MeanTokens,
				l.P50Ms, l.P95Ms, l.DocsPerSecond, l.TokensPerSec, l.LatencyRatio, l.TokensPerSecRatio)
		}
	}
	fmt.Fprintf(tw, "\nSequential vs concurrent (%s documents, one per call)\n", concurrencyBucket)
	fmt.Fprintf(tw, "method\tworkers\tdocs\tseconds\tdocs/s\tspeed-up\n")
	for _, m := range r.Methods {
		for _, c := range m.Concurrency {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%.3f\t%.1f\t%.2f×\n", m.Name, c.Workers, c.Docs, c.Seconds, c.DocsPerSecond, c.Speedup)
		}
	}
	return tw.Flush()
}
