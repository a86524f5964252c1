package jobs

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/piimask/piimask/stages/generate"
)

// writeShards writes the lines of src into len(sizes) files of the given
// line counts, in order.
func writeShards(t *testing.T, src string, sizes []int) []string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
	var paths []string
	at := 0
	for i, n := range sizes {
		p := filepath.Join(filepath.Dir(src), fmt.Sprintf("shard-%d.jsonl", i))
		if err := os.WriteFile(p, []byte(strings.Join(lines[at:at+n], "")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		at += n
		paths = append(paths, p)
	}
	if at != len(lines) {
		t.Fatalf("shard sizes %v cover %d of %d lines", sizes, at, len(lines))
	}
	return paths
}

// evaluateFile runs an evaluate job (two methods) on one JSONL file into dir.
func evaluateFile(t *testing.T, name, input, dir string) {
	t.Helper()
	evaluateFileScoring(t, name, input, dir, "{beta: 2, bootstrap: 50, seed: 9}")
}

// evaluateFileScoring is evaluateFile with the given scoring section.
func evaluateFileScoring(t *testing.T, name, input, dir, scoring string) {
	t.Helper()
	yaml := fmt.Sprintf(`kind: evaluate
name: %s
input: {paths: [%q]}
methods:
  - {name: rules, type: rules}
  - {name: rules-strict, type: rules, options: {min_score: 0.9}}
output: {dir: %q, formats: [jsonl]}
concurrency: {workers: 2, batch_size: 8}
scoring: %s
`, name, input, dir, scoring)
	p := filepath.Join(t.TempDir(), name+".yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	env := testEnv(&out)
	l, err := Load(p, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(context.Background(), l, env); err != nil {
		t.Fatalf("evaluate %s: %v\n%s", name, err, out.String())
	}
}

var experimentLine = regexp.MustCompile(`(?m)^  "experiment_name": ".*",$`)

func TestMergeEqualsSingleRun(t *testing.T) {
	const n = 240
	dir := t.TempDir()
	full := filepath.Join(dir, "full.jsonl")
	if err := generate.WriteFile(context.Background(), full, generate.Config{Seed: 5, N: n}); err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(dir, "single")
	evaluateFile(t, "single", full, single)

	for _, sizes := range [][]int{{n}, {13, 190, 37}, {1, 50, 7, 90, 2, 60, 30}} {
		t.Run(fmt.Sprintf("N=%d", len(sizes)), func(t *testing.T) {
			sdir := t.TempDir()
			src := filepath.Join(sdir, "all.jsonl")
			data, _ := os.ReadFile(full)
			if err := os.WriteFile(src, data, 0o644); err != nil {
				t.Fatal(err)
			}
			var results []string
			for i, p := range writeShards(t, src, sizes) {
				r := filepath.Join(sdir, fmt.Sprintf("result-%d", i))
				evaluateFile(t, fmt.Sprintf("shard%d", i), p, r)
				results = append(results, r)
			}
			out := filepath.Join(sdir, "merged")
			var stdout bytes.Buffer
			if err := Merge(context.Background(), MergeOptions{Dirs: results, Out: out}, testEnv(&stdout)); err != nil {
				t.Fatal(err)
			}
			for _, m := range []string{"rules", "rules-strict"} {
				want, err := os.ReadFile(filepath.Join(single, m, "metrics.json"))
				if err != nil {
					t.Fatal(err)
				}
				got, err := os.ReadFile(filepath.Join(out, m, "metrics.json"))
				if err != nil {
					t.Fatal(err)
				}
				if !experimentLine.Match(want) || !experimentLine.Match(got) {
					t.Fatal("metrics.json has no experiment_name line")
				}
				want = experimentLine.ReplaceAll(want, nil)
				got = experimentLine.ReplaceAll(got, nil)
				if !bytes.Equal(got, want) {
					t.Errorf("%s: merged metrics.json differs from the single run's:\n%s", m, firstDiff(want, got))
				}
				if !bytes.Contains(got, []byte(`"confidence_intervals"`)) {
					t.Errorf("%s: merged metrics has no confidence intervals", m)
				}
				// The views are merged too (the byte comparison covers them).
				for _, k := range []string{"pii_spans", "groups", "characters", "tokens", "over_mask_rate"} {
					if !bytes.Contains(got, []byte(`"`+k+`"`)) {
						t.Errorf("%s: merged metrics has no %s", m, k)
					}
				}
				docs := countLines(t, filepath.Join(out, m, "doc_counts.jsonl"))
				if docs != n {
					t.Errorf("%s: merged doc_counts.jsonl has %d lines, want %d", m, docs, n)
				}
			}
			if !strings.Contains(stdout.String(), "rules-strict") {
				t.Errorf("merge printed no table:\n%s", stdout.String())
			}
		})
	}
}

func TestMergeRefusesDifferentViewSettings(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.jsonl")
	if err := generate.WriteFile(context.Background(), full, generate.Config{Seed: 6, N: 40}); err != nil {
		t.Fatal(err)
	}
	shards := writeShards(t, full, []int{25, 15})
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	evaluateFileScoring(t, "a", shards[0], a, "{iou: 0.5}")
	evaluateFileScoring(t, "b", shards[1], b, "{iou: 0.8, merge_adjacent: true}")
	var stdout bytes.Buffer
	err := Merge(context.Background(), MergeOptions{Dirs: []string{a, b}, Out: filepath.Join(dir, "m")}, testEnv(&stdout))
	if err == nil || !strings.Contains(err.Error(), "different settings") || !strings.Contains(err.Error(), "iou 0.8") {
		t.Errorf("merge of iou 0.5 and 0.8 shards: error %v, want one naming the settings", err)
	}
}

func TestMergeRejectsOverlapAndMissingMethod(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.jsonl")
	if err := generate.WriteFile(context.Background(), full, generate.Config{Seed: 2, N: 20}); err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	evaluateFile(t, "a", full, a)
	evaluateFile(t, "b", full, b)
	var out bytes.Buffer
	err := Merge(context.Background(), MergeOptions{Dirs: []string{a, b}, Out: filepath.Join(dir, "m1")}, testEnv(&out))
	if err == nil || !strings.Contains(err.Error(), "shards must not overlap") {
		t.Errorf("overlapping shards: got %v", err)
	}
	if err := os.RemoveAll(filepath.Join(b, "rules-strict")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(b, "summary.json")); err != nil {
		t.Fatal(err)
	}
	err = Merge(context.Background(), MergeOptions{Dirs: []string{a, b}, Out: filepath.Join(dir, "m2")}, testEnv(&out))
	if err == nil || !strings.Contains(err.Error(), "rules-strict is in 1 of 2") {
		t.Errorf("missing method: got %v", err)
	}
}

func countLines(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		n++
	}
	return n
}

func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n want %s\n got  %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(al), len(bl))
}
