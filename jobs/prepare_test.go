package jobs

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/piimask/piimask/stages/dataset"
)

// A prepare job reads files through the input path: filters drop rows,
// bad rows go to rejects.jsonl, and every kept document lands in exactly
// one split of both outputs (token windows and fine-tuning conversations).
func TestPrepareReadsThroughTheInputPath(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data.jsonl")
	writeLines(t, data,
		`{"id":"a","language":"en","source_text":"mail bob@example.com now","privacy_mask":[{"value":"bob@example.com","start":5,"end":20,"label":"EMAIL"}]}`,
		`{"id":"b","language":"de","source_text":"Schreib an anna@example.de","privacy_mask":[]}`,
		`{"id":"c", this is not json`,
		`{"id":"d","language":"fr","source_text":"Écrivez à élodie@exemple.fr","privacy_mask":[{"value":"élodie@exemple.fr","start":10,"end":27,"label":"EMAIL"}]}`,
	)
	root := repoRoot(t)
	out := filepath.Join(dir, "out")
	stdout, err := runYAML(t, dir, "prepare.yaml", strings.Join([]string{"kind: prepare",
		"input: {paths: [" + data + "]}", "filters: {languages: [en, fr]}",
		"prepare:", "  split: {seed: 1, ratios: [1, 0, 0]}",
		"  token_classification: {tokenizer: " + filepath.Join(root, "models", "baseline", "tokenizer.json") + ", formats: [parquet]}",
		"  finetune: {language: auto}",
		"output: {dir: " + out + "}", ""}, "\n"))
	if err != nil {
		t.Fatalf("prepare: %v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, "2 documents (4 rows read, 1 rejected)") {
		t.Errorf("summary line missing:\n%s", stdout)
	}
	var ids []string
	err = dataset.ReadTokenRows(context.Background(), filepath.Join(out, "token_classification", "train.parquet"), func(r dataset.Row) error {
		if r.Split != dataset.Train || len(r.InputIDs) != len(r.Labels) {
			t.Errorf("row %s: split %q, %d ids and %d labels", r.ID, r.Split, len(r.InputIDs), len(r.Labels))
		}
		ids = append(ids, r.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Sort(ids); !slices.Equal(ids, []string{"a", "d"}) {
		t.Errorf("token rows of documents %v, want [a d] (b is German, c rejected)", ids)
	}
	if n := countLines(t, filepath.Join(out, "finetune", "train.jsonl")); n != 2 {
		t.Errorf("finetune/train.jsonl has %d conversations, want 2", n)
	}
	rej, err := os.Open(filepath.Join(out, "rejects.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer rej.Close()
	s := bufio.NewScanner(rej)
	if !s.Scan() || !strings.Contains(s.Text(), `"row":3`) || s.Scan() {
		t.Errorf("rejects.jsonl should hold row 3 only")
	}
	// max_reject_ratio applies as in every job: 1 of 4 rows is too many.
	if _, err := runYAML(t, dir, "strict.yaml", "kind: prepare\ninput: {paths: ["+data+"]}\nmax_reject_ratio: 0.2\n"+
		"prepare: {finetune: {}}\noutput: {dir: "+filepath.Join(dir, "strict")+"}\n"); err == nil || !strings.Contains(err.Error(), "above max_reject_ratio") {
		t.Fatalf("prepare with max_reject_ratio 0.2: %v", err)
	}
}
