package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/stages/generate"
	"github.com/piimask/piimask/stages/score"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		in      string
		want    Shard
		wantErr bool
	}{
		{"0/3", Shard{0, 3}, false},
		{"2/3", Shard{2, 3}, false},
		{" 1 / 2 ", Shard{1, 2}, false},
		{"0/1", Shard{0, 1}, false},
		{"3/3", Shard{}, true},
		{"-1/3", Shard{}, true},
		{"1/0", Shard{}, true},
		{"1", Shard{}, true},
		{"a/b", Shard{}, true},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.in)
		if (err != nil) != tt.wantErr || (err == nil && got != tt.want) {
			t.Errorf("ParseShard(%q) = %v, %v; want %v, err %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestResolveShard(t *testing.T) {
	env := func(kv ...string) config.LookupEnv {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	tests := []struct {
		name    string
		flag    string
		cfg     *config.Shard
		env     config.LookupEnv
		want    Shard
		wantErr bool
	}{
		{"none", "", nil, env(), Shard{Count: 1}, false},
		{"flag", "1/4", nil, env(EnvCompletionIndex, "0", EnvShardCount, "2"), Shard{1, 4}, false},
		{"indexed job", "", nil, env(EnvCompletionIndex, "2", EnvShardCount, "3"), Shard{2, 3}, false},
		{"indexed job, count from config", "", &config.Shard{Count: 5}, env(EnvCompletionIndex, "4"), Shard{4, 5}, false},
		{"env count wins over config", "", &config.Shard{Count: 5}, env(EnvCompletionIndex, "1", EnvShardCount, "2"), Shard{1, 2}, false},
		{"indexed job without count", "", nil, env(EnvCompletionIndex, "0"), Shard{}, true},
		{"index out of range", "", nil, env(EnvCompletionIndex, "3", EnvShardCount, "3"), Shard{}, true},
		{"config only", "", &config.Shard{Index: 1, Count: 2}, env(), Shard{1, 2}, false},
	}
	for _, tt := range tests {
		got, err := ResolveShard(tt.flag, &config.Job{Shard: tt.cfg}, tt.env)
		if (err != nil) != tt.wantErr || (err == nil && got != tt.want) {
			t.Errorf("%s: got %v, %v; want %v, err %v", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestShardsPartitionKeys(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7} {
		hits := make([]int, n)
		for k := range 3000 {
			owners := 0
			for i := range n {
				if (Shard{i, n}).Owns(fmt.Sprintf("doc-%d", k)) {
					owners++
					hits[i]++
				}
			}
			if owners != 1 {
				t.Fatalf("N=%d: key %d owned by %d shards", n, k, owners)
			}
		}
		for i, h := range hits {
			if h < 3000/n/2 {
				t.Errorf("N=%d: shard %d got %d of 3000 keys (badly unbalanced)", n, i, h)
			}
		}
	}
}

// TestShardedEvaluateEqualsSingleRun runs shards 0..2 of 3 through the
// evaluate job and checks their summed counts equal the single run's exactly,
// rejected rows included.
func TestShardedEvaluateEqualsSingleRun(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "in.jsonl")
	if err := generate.WriteFile(context.Background(), input, generate.Config{Seed: 11, N: 300}); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(input, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("{not json\n{\"id\": 5}\nnull\n")
	f.Close()
	cfgPath := filepath.Join(dir, "job.yaml")
	out := filepath.Join(dir, "out")
	yaml := fmt.Sprintf(`kind: evaluate
name: sharded
input: {paths: [%q]}
methods:
  - {name: rules, type: rules}
output: {dir: %q, formats: [jsonl]}
concurrency: {workers: 2, batch_size: 8}
`, input, out)
	if err := os.WriteFile(cfgPath, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(shard string) string {
		var buf bytes.Buffer
		env := testEnv(&buf)
		l, err := Load(cfgPath, env)
		if err != nil {
			t.Fatal(err)
		}
		if err := (Overrides{Shard: shard, MaxRejectRatio: -1}).Apply(l, env); err != nil {
			t.Fatal(err)
		}
		if err := Run(context.Background(), l, env); err != nil {
			t.Fatalf("shard %q: %v\n%s", shard, err, buf.String())
		}
		return buf.String()
	}
	run("")
	single, err := score.ReadMetricsCounts(filepath.Join(out, "rules", "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	singleSum := readSummaryFile(t, filepath.Join(out, "summary.json"))
	merged := score.NewCounts()
	var read, rejected, docs int64
	for i := range 3 {
		log := run(fmt.Sprintf("%d/3", i))
		sdir := filepath.Join(out, fmt.Sprintf("shard-%d-of-3", i))
		c, err := score.ReadMetricsCounts(filepath.Join(sdir, "rules", "metrics.json"))
		if err != nil {
			t.Fatalf("shard %d: %v\n%s", i, err, log)
		}
		if c.Docs == 0 || c.Docs == single.Docs {
			t.Fatalf("shard %d has %d of %d documents: not a real split", i, c.Docs, single.Docs)
		}
		merged.Add(c)
		s := readSummaryFile(t, filepath.Join(sdir, "summary.json"))
		read, rejected, docs = read+s.RowsRead, rejected+s.RowsRejected, docs+s.Documents
	}
	if !reflect.DeepEqual(merged, single) {
		t.Fatalf("summed shard counts differ from the single run:\nshards: %+v\nsingle: %+v", merged.Totals, single.Totals)
	}
	if read != singleSum.RowsRead || rejected != singleSum.RowsRejected || docs != singleSum.Documents {
		t.Fatalf("shards read %d/%d rejected/%d docs, single run %d/%d/%d", read, rejected, docs,
			singleSum.RowsRead, singleSum.RowsRejected, singleSum.Documents)
	}
	if singleSum.RowsRejected != 3 {
		t.Fatalf("single run rejected %d rows, want the 3 malformed ones", singleSum.RowsRejected)
	}
}

func readSummaryFile(t *testing.T, path string) Summary {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s Summary
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s
}
