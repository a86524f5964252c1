package jobs

import (
	"path/filepath"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/piimask/piimask/jobs/config"
)

func TestExpectedDocuments(t *testing.T) {
	dir := t.TempDir()
	pq := filepath.Join(dir, "d.parquet")
	type row struct {
		Text string `parquet:"text"`
	}
	if err := parquet.WriteFile(pq, make([]row, 40)); err != nil {
		t.Fatal(err)
	}
	gen := config.Input{Generate: &config.Generate{N: 100}}
	cases := []struct {
		name string
		job  config.Job
		want int64
	}{
		{"generated", config.Job{Input: gen}, 100},
		{"generated, limit", config.Job{Input: gen, Filters: config.Filters{Limit: 30}}, 30},
		{"generated, language filter", config.Job{Input: gen, Filters: config.Filters{Languages: []string{"fr"}}}, -1},
		{"language filter bounded by a limit", config.Job{Input: gen, Filters: config.Filters{Languages: []string{"fr"}, Limit: 10}}, 10},
		{"parquet footer", config.Job{Input: config.Input{Paths: []string{pq}}}, 40},
		{"jsonl unknown", config.Job{Input: config.Input{Paths: []string{filepath.Join(dir, "*.jsonl")}}}, -1},
		{"shard share", config.Job{Input: gen, Shard: &config.Shard{Index: 1, Count: 3}}, 34},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := expectedDocuments(&tc.job); got != tc.want {
				t.Fatalf("expectedDocuments = %d, want %d", got, tc.want)
			}
		})
	}
}
