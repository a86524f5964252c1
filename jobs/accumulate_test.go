package jobs

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/score"
	"github.com/piimask/piimask/stages/taxonomy"
)

// accDocs are two scored documents: d1 with one hit and one miss, d2 with
// one spurious span.
func accDocs() []struct {
	rec  record.Record
	pred []record.Span
} {
	return []struct {
		rec  record.Record
		pred []record.Span
	}{
		{record.Record{ID: "d1", Language: "en", Text: scoreText1, Gold: []record.Span{{Start: 5, End: 9, Label: "FIRSTNAME"}, {Start: 25, End: 30, Label: "CITY"}}},
			[]record.Span{{Start: 5, End: 9, Label: "FIRSTNAME"}}},
		{record.Record{ID: "d2", Text: scoreText2}, []record.Span{{Start: 0, End: 4, Label: "CITY"}}},
	}
}

func TestScoreAccumulatorFinish(t *testing.T) {
	scorer, err := score.NewScorer(score.ViewSettings{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		bootstrap *score.BootstrapOptions
		ciMethod  string
		wantCI    string // "": no intervals
		wantErr   string
	}{
		{name: "no bootstrap"},
		{name: "bootstrap named by model", bootstrap: &score.BootstrapOptions{Iterations: 20, Seed: 3}, wantCI: "m"},
		{name: "bootstrap named", bootstrap: &score.BootstrapOptions{Iterations: 20}, ciMethod: "other", wantCI: "other"},
		{name: "bootstrap fails: nothing committed", bootstrap: &score.BootstrapOptions{Confidence: 2}, wantErr: "method m: bootstrap: confidence"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			docsPath, metricsPath := filepath.Join(dir, "doc_counts.jsonl"), filepath.Join(dir, "metrics.json")
			acc, err := newScoreAccumulator(scorer, docsPath, tc.bootstrap != nil)
			if err != nil {
				t.Fatal(err)
			}
			defer acc.abort()
			for _, d := range accDocs() {
				if err := acc.add(d.rec, d.pred); err != nil {
					t.Fatal(err)
				}
			}
			rep, err := acc.finish(context.Background(), metricsSpec{experiment: "x", model: "m", beta: 1,
				unmappedGold: []taxonomy.LabelCount{{Label: "ODD", Count: 2}}, bootstrap: tc.bootstrap, ciMethod: tc.ciMethod, path: metricsPath})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				for _, p := range []string{docsPath, metricsPath} {
					if _, serr := os.Stat(p); serr == nil {
						t.Errorf("%s written although finish failed", p)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkAccumulatorReport(t, rep, metricsPath, tc.wantCI)
			if n := countLines(t, docsPath); n != 2 {
				t.Errorf("doc_counts.jsonl has %d lines, want 2", n)
			}
		})
	}
}

// checkAccumulatorReport checks the report of accDocs and that metricsPath
// holds exactly it.
func checkAccumulatorReport(t *testing.T, rep score.Report, metricsPath, wantCI string) {
	t.Helper()
	c := rep.Counts
	if c.Docs != 2 || c.Gold != 2 || c.Pred != 2 || c.TP != 1 || rep.Beta != 1 || rep.ExperimentName != "x" || rep.ModelName != "m" {
		t.Errorf("docs/gold/pred/tp %d/%d/%d/%d beta %g names %q %q", c.Docs, c.Gold, c.Pred, c.TP, rep.Beta, rep.ExperimentName, rep.ModelName)
	}
	if c.UnmappedGold["ODD"] != 2 || c.Languages["en"] == nil || c.Languages[score.UnknownLanguage] == nil {
		t.Errorf("unmapped %v languages %v", c.UnmappedGold, c.Languages)
	}
	switch ci := rep.ConfidenceIntervals; {
	case wantCI == "" && ci != nil:
		t.Errorf("intervals %+v without a bootstrap", ci)
	case wantCI != "" && (ci == nil || ci.Method != wantCI || ci.Beta != rep.Beta):
		t.Errorf("intervals %+v, want method %q beta %g", ci, wantCI, rep.Beta)
	}
	want, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(metricsPath)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want)+"\n" {
		t.Errorf("metrics.json is not the report returned:\n%s", got)
	}
}

func TestScoreAccumulatorAddShard(t *testing.T) {
	counts := func(iou float64) *score.Counts {
		s, err := score.NewScorer(score.ViewSettings{IoU: iou})
		if err != nil {
			t.Fatal(err)
		}
		c := s.NewCounts()
		for _, d := range accDocs() {
			dc := s.Score(d.rec.Text, d.rec.Gold, d.pred, d.rec.Language)
			c.AddDoc(&dc)
		}
		return c
	}
	acc, err := newScoreAccumulator(nil, "", false)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := acc.addShard(counts(0.5), "shard", "first"); err != nil {
			t.Fatal(err)
		}
	}
	acc.keepDocCounts([]score.DocCounts{{}}) // keepDocs off: not kept
	if acc.counts.Docs != 4 || acc.counts.TP != 2 || len(acc.perDoc) != 0 {
		t.Errorf("summed docs %d tp %d, kept %d docs; want 4, 2, 0", acc.counts.Docs, acc.counts.TP, len(acc.perDoc))
	}
	err = acc.addShard(counts(0.9), "b/metrics.json", "a/metrics.json")
	if err == nil || !strings.Contains(err.Error(), "b/metrics.json cannot be merged with a/metrics.json") {
		t.Errorf("other view settings: %v", err)
	}
}

// TestReadGated reads a job's input through its row gate: the shard, the
// filters and the rejects are the job's, as in input.produce.
func TestReadGated(t *testing.T) {
	dir := t.TempDir()
	var rows strings.Builder
	for i := range 12 {
		b, _ := json.Marshal(map[string]any{"id": "r" + itoa(i), "text": "row " + itoa(i), "language": []string{"en", "fr"}[i%2]})
		rows.Write(append(b, '\n'))
	}
	rows.WriteString("{not json\n")
	path := writeText(t, filepath.Join(dir, "in.jsonl"), rows.String())
	for _, tc := range []struct {
		name                    string
		filters                 config.Filters
		wantKept, wantRead, rej int64
	}{
		{name: "all rows", wantKept: 12, wantRead: 13, rej: 1},
		{name: "languages", filters: config.Filters{Languages: []string{"fr"}}, wantKept: 6, wantRead: 13, rej: 1},
		{name: "limit stops the read", filters: config.Filters{Limit: 3}, wantKept: 3, wantRead: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := &config.Job{Input: config.Input{Paths: []string{path}, Schema: "plain"}, Filters: tc.filters}
			var counts inputCounts
			var rejects int64
			g, err := newRowGate(j, &counts, nil, func(record.Reject) error { rejects++; return nil })
			if err != nil {
				t.Fatal(err)
			}
			var kept int64
			if err := readGated(context.Background(), j, g, func(record.Record) error { kept++; return nil }); err != nil {
				t.Fatal(err)
			}
			if kept != tc.wantKept || counts.read.Load() != tc.wantRead || rejects != tc.rej || counts.rejected.Load() != tc.rej {
				t.Errorf("kept %d read %d rejects %d/%d, want %d %d %d", kept, counts.read.Load(), rejects, counts.rejected.Load(), tc.wantKept, tc.wantRead, tc.rej)
			}
		})
	}
}

func TestReadGatedShards(t *testing.T) {
	j := &config.Job{Input: config.Input{Generate: &config.Generate{N: 40, Seed: 2}}}
	seen := map[string]int{}
	for i := range 3 {
		j.Shard = &config.Shard{Index: i, Count: 3}
		var counts inputCounts
		g, err := newRowGate(j, &counts, nil, func(record.Reject) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		err = readGated(context.Background(), j, g, func(r record.Record) error { seen[r.ID]++; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if n := counts.read.Load(); n == 0 || n == 40 {
			t.Errorf("shard %d read %d of 40 rows", i, n)
		}
	}
	if len(seen) != 40 {
		t.Errorf("shards together read %d distinct rows, want 40", len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("row %s read by %d shards", id, n)
		}
	}
}
