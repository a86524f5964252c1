package score

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// unevenCuts splits n items into k shards of random, unequal sizes (one may
// be empty).
func unevenCuts(n, k int, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 1))
	cuts := []int{0, n}
	for len(cuts) < k+1 {
		cuts = append(cuts, rng.IntN(n+1))
	}
	slices.Sort(cuts)
	return cuts
}

func TestMergeShardsEqualsSingleRun(t *testing.T) {
	docs := genDocs(7, 600)
	whole, _ := scoreAll(docs)
	want := whole.Metrics(2)
	wantJSON, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 3, 7} {
		t.Run(itoa(n)+" shards", func(t *testing.T) {
			dir := t.TempDir()
			cuts := unevenCuts(len(docs), n, uint64(n))
			var paths []string
			for s := range n {
				shard, _ := scoreAll(docs[cuts[s]:cuts[s+1]])
				rep := shard.Metrics(2)
				rep.ExperimentName, rep.ModelName = "shard", "rules"
				p := filepath.Join(dir, "shard"+itoa(s), "metrics.json")
				if err := rep.WriteJSON(p); err != nil {
					t.Fatal(err)
				}
				paths = append(paths, p)
			}
			merged := NewCounts()
			for _, p := range paths {
				c, err := ReadMetricsCounts(p)
				if err != nil {
					t.Fatal(err)
				}
				merged.Add(c)
			}
			got := merged.Metrics(2)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("merged report differs from the single run:\n%v\n%v", got, want)
			}
			gotJSON, _ := json.Marshal(got)
			if !bytes.Equal(gotJSON, wantJSON) {
				t.Errorf("merged metrics JSON differs from the single run")
			}
		})
	}
}

func TestMetricsJSONShape(t *testing.T) {
	c, _ := scoreAll(genDocs(3, 50))
	r := c.Metrics(2)
	r.ExperimentName, r.ModelName = "quickstart", "rules"
	path := filepath.Join(t.TempDir(), "metrics.json")
	if err := r.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	// The seed's shape, unchanged.
	for _, k := range []string{"experiment_name", "model_name", "metrics", "per_class_metrics"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("metrics.json lacks %q", k)
		}
	}
	m := doc["metrics"].(map[string]any)
	for _, k := range []string{"precision", "recall", "f1_score", "exact_match_accuracy", "f2_score"} {
		if _, ok := m[k].(float64); !ok {
			t.Errorf("metrics.%s missing or not a number", k)
		}
	}
	email := doc["per_class_metrics"].(map[string]any)["EMAIL"].(map[string]any)
	for _, k := range []string{"precision", "recall", "f1_score", "support"} {
		if _, ok := email[k].(float64); !ok {
			t.Errorf("per_class_metrics.EMAIL.%s missing or not a number", k)
		}
	}
	for _, k := range []string{"schemas", "macro", "per_language", "confusion", "leak_rate", "counts"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("metrics.json lacks new field %q", k)
		}
	}
	partial := doc["schemas"].(map[string]any)["partial"].(map[string]any)
	for _, k := range []string{"cor", "inc", "par", "mis", "spu", "possible", "actual", "precision", "recall", "f1"} {
		if _, ok := partial[k]; !ok {
			t.Errorf("schemas.partial.%s missing", k)
		}
	}
	if got := doc["experiment_name"]; got != "quickstart" {
		t.Errorf("experiment_name = %v", got)
	}
	// No temporary file is left beside it.
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only metrics.json", len(entries))
	}
}

func TestReadMetricsCountsErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, body, want string
	}{
		{"old.json", `{"experiment_name":"x","metrics":{"precision":1}}`, "field counts is missing"},
		{"bad.json", `{"counts":`, "invalid metrics JSON"},
		{"future.json", `{"counts":{"version":9}}`, "counts.version is 9"},
	}
	for _, tt := range tests {
		_, err := ReadMetricsCounts(write(tt.name, tt.body))
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.name) {
			t.Errorf("%s: error %v, want one naming the file and %q", tt.name, err, tt.want)
		}
	}
	if _, err := ReadMetricsCounts(filepath.Join(dir, "absent.json")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestDocCountsJSONLinesRoundTrip(t *testing.T) {
	docs := genDocs(11, 200)
	want, perDoc := scoreAll(docs)
	var buf bytes.Buffer
	w := NewDocCountsWriter(&buf)
	for i := range perDoc {
		if err := w.Write(&perDoc[i]); err != nil {
			t.Fatal(err)
		}
	}
	if n := bytes.Count(buf.Bytes(), []byte("\n")); n != len(docs) {
		t.Fatalf("%d lines for %d documents", n, len(docs))
	}
	back, err := ReadDocCounts(&buf, "docs.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	got := NewCounts()
	for i := range back {
		got.AddDoc(&back[i])
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("counts rebuilt from JSON lines differ")
	}
	// Bootstrap from the re-read lines equals bootstrap from memory.
	opts := BootstrapOptions{Iterations: 50, Seed: 5}
	a, _ := Bootstrap(context.Background(), perDoc, opts)
	b, _ := Bootstrap(context.Background(), back, opts)
	if a != b {
		t.Errorf("bootstrap differs after a JSON round trip: %+v vs %+v", a, b)
	}

	_, err = ReadDocCounts(strings.NewReader("{\"docs\":1}\nnot json\n"), "docs.jsonl")
	if err == nil || !strings.Contains(err.Error(), "docs.jsonl:2") {
		t.Errorf("bad line: error %v, want docs.jsonl:2", err)
	}
}

func TestFormatTable(t *testing.T) {
	c1, _ := scoreAll(genDocs(1, 100))
	c2, _ := scoreAll(genDocs(2, 100))
	var buf bytes.Buffer
	err := FormatTable(&buf, NamedReport{"rules", c1.Metrics(2)}, NamedReport{"onnx-small", c2.Metrics(2)})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if !strings.Contains(lines[0], "precision") || !strings.Contains(lines[0], "F2") || !strings.Contains(lines[0], "leak_rate") {
		t.Errorf("header line: %q", lines[0])
	}
	if !strings.HasSuffix(strings.TrimSpace(lines[1]), itoa(100)) || !strings.Contains(lines[1], "rules") {
		t.Errorf("first method row: %q", lines[1])
	}
	// Columns are aligned: every method row's F1 starts under the header's.
	col := strings.Index(lines[0], "F1")
	for _, l := range lines[1:3] {
		if len(l) <= col || l[col-1] != ' ' || l[col] != '0' {
			t.Errorf("rows not aligned at column %d:\n%s", col, out)
		}
	}
	for _, l := range testLabels {
		if !strings.Contains(out, l) {
			t.Errorf("class %s missing from the table", l)
		}
	}
	f1 := c1.Metrics(2).Metrics.F1
	if !strings.Contains(lines[1], strings.TrimRight(strings.TrimRight(formatF(f1), "0"), ".")) {
		t.Errorf("row %q lacks F1 %v", lines[1], f1)
	}
}

func formatF(x float64) string {
	b, _ := json.Marshal(float64(int(x*10000+0.5)) / 10000)
	return string(b)
}
