package config

// Bench is the bench job's `bench:` section: speed by text length and
// sequential vs concurrent processing over the job's methods.
type Bench struct {
	// Lengths are the text-length buckets; each document of a bucket is
	// Concat input rows joined (default short 1, medium 4, long 16).
	Lengths []LengthBucket `yaml:"lengths"`
	// Docs is how many documents each length bucket times (default 200).
	Docs int `yaml:"docs"`
	// Workers are the concurrency levels compared with the first (default 1, 2, 4, 8).
	Workers []int `yaml:"workers"`
	// ConcurrencyDocs is how many documents each concurrency level
	// processes (default 400), from the ConcurrencyLength bucket.
	ConcurrencyDocs int `yaml:"concurrency_docs"`
	// ConcurrencyLength names the bucket the concurrency test uses (default
	// the first).
	ConcurrencyLength string `yaml:"concurrency_length"`
	// Warmup documents run before any timing (default 20).
	Warmup int `yaml:"warmup"`
	// Tokenizer counts tokens for tokens/s: a tokenizer.json path or
	// builtin:baseline (default).
	Tokenizer string `yaml:"tokenizer"`
}

// LengthBucket is one text-length bucket of the bench job.
type LengthBucket struct {
	Name   string `yaml:"name" required:"true"`
	Concat int    `yaml:"concat" required:"true"`
}

func (l *Loaded) checkBench() Problems {
	b := l.Job.Bench
	if b == nil {
		return nil
	}
	var ps Problems
	for i, lb := range b.Lengths {
		if lb.Concat < 1 {
			ps = append(ps, l.Problem("bench.lengths", "lengths[%d].concat must be at least 1", i))
		}
	}
	for _, w := range b.Workers {
		if w < 1 {
			ps = append(ps, l.Problem("bench.workers", "every worker count must be at least 1, got %d", w))
		}
	}
	if b.Docs < 0 || b.ConcurrencyDocs < 0 || b.Warmup < 0 {
		ps = append(ps, l.Problem("bench", "docs, concurrency_docs and warmup must not be negative"))
	}
	return ps
}
