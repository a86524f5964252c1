package jobs

import (
	"fmt"
	"hash/fnv"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/piimask/piimask/jobs/config"
)

// Shard is one part of a job's input split among Count runs. Documents are
// assigned by a stable hash (FNV-1a 64) of their id, so shards 0..Count-1
// partition the input exactly, whatever order the rows come in.
type Shard struct {
	Index int
	Count int
}

// Enabled reports whether the input is split at all.
func (s Shard) Enabled() bool { return s.Count > 1 }

// String renders the shard as i/N.
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Label is the shard's name in directories and metric groupings: shard-i-of-N.
func (s Shard) Label() string { return fmt.Sprintf("shard-%d-of-%d", s.Index, s.Count) }

// Dir is the shard's own output directory under base (base when not sharded).
func (s Shard) Dir(base string) string {
	if !s.Enabled() {
		return base
	}
	return filepath.Join(base, s.Label())
}

// Owns reports whether the document keyed key belongs to this shard.
func (s Shard) Owns(key string) bool {
	if !s.Enabled() {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(key))
	return h.Sum64()%uint64(s.Count) == uint64(s.Index)
}

// ParseShard parses "i/N" (0 <= i < N).
func ParseShard(v string) (Shard, error) {
	is, ns, ok := strings.Cut(v, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want i/N, e.g. 0/3", v)
	}
	i, err1 := strconv.Atoi(strings.TrimSpace(is))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %q: want i/N with 0 <= i < N", v)
	}
	return Shard{Index: i, Count: n}, nil
}

// Environment variables read by ResolveShard.
const (
	// EnvCompletionIndex is set by Kubernetes in every pod of an Indexed Job.
	EnvCompletionIndex = "JOB_COMPLETION_INDEX"
	// EnvShardCount gives the number of shards (the Job's completions);
	// Kubernetes does not export it, so the manifest sets it.
	EnvShardCount = "PIIMASK_SHARD_COUNT"
)

// ResolveShard decides which shard a run is, first match wins:
//  1. flag, the `--shard i/N` value;
//  2. JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) with the count from
//     PIIMASK_SHARD_COUNT, else from the config's shard.count;
//  3. the config's shard section (index and count);
//  4. no sharding.
func ResolveShard(flag string, job *config.Job, lookup config.LookupEnv) (Shard, error) {
	if flag != "" {
		return ParseShard(flag)
	}
	if idx, ok := lookup(EnvCompletionIndex); ok && idx != "" {
		count := ""
		if c, ok := lookup(EnvShardCount); ok && c != "" {
			count = c
		} else if job.Shard != nil && job.Shard.Count > 0 {
			count = strconv.Itoa(job.Shard.Count)
		} else {
			return Shard{}, fmt.Errorf("%s=%s is set but the shard count is not: set %s (the Job's completions) or shard.count in the config", EnvCompletionIndex, idx, EnvShardCount)
		}
		s, err := ParseShard(idx + "/" + count)
		if err != nil {
			return Shard{}, fmt.Errorf("from %s and the shard count: %w", EnvCompletionIndex, err)
		}
		return s, nil
	}
	if s := job.Shard; s != nil && s.Count > 0 {
		return ParseShard(fmt.Sprintf("%d/%d", s.Index, s.Count))
	}
	return Shard{Count: 1}, nil
}

// jobShard is the shard a loaded job runs as (Count 1 when unsharded).
func jobShard(job *config.Job) Shard {
	if s := job.Shard; s != nil && s.Count > 1 {
		return Shard{Index: s.Index, Count: s.Count}
	}
	return Shard{Count: 1}
}
