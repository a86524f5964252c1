package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/read"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}

func testEnv(out *bytes.Buffer) *Env {
	return &Env{Stdout: out, Stderr: out, LookupEnv: func(string) (string, bool) { return "", false }}
}

// loadWithOutput loads a config from the repo and points its output at dir.
func loadWithOutput(t *testing.T, env *Env, path, dir string) *config.Loaded {
	t.Helper()
	l, err := Load(path, env)
	if err != nil {
		t.Fatal(err)
	}
	l.Job.Output.Dir = dir
	return l
}

type metricsFile struct {
	ExperimentName string `json:"experiment_name"`
	ModelName      string `json:"model_name"`
	Metrics        struct {
		Precision  float64  `json:"precision"`
		Recall     float64  `json:"recall"`
		F1         float64  `json:"f1_score"`
		ExactMatch *float64 `json:"exact_match_accuracy"`
	} `json:"metrics"`
	PerClass map[string]struct {
		Precision float64 `json:"precision"`
		Recall    float64 `json:"recall"`
		F1        float64 `json:"f1_score"`
		Support   int64   `json:"support"`
	} `json:"per_class_metrics"`
}

func TestQuickstartEndToEnd(t *testing.T) {
	root := repoRoot(t)
	var out bytes.Buffer
	env := testEnv(&out)
	dir := t.TempDir()
	l := loadWithOutput(t, env, filepath.Join(root, "configs", "quickstart.yaml"), dir)
	if err := Run(context.Background(), l, env); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, m := range l.Job.Methods {
		checkQuickstartMethod(t, dir, m, l.Job.Input.Generate.N)
	}
	if _, err := os.Stat(filepath.Join(dir, "rejects.jsonl")); err != nil {
		t.Errorf("rejects file missing: %v", err)
	}
	if !strings.Contains(out.String(), "precision") {
		t.Errorf("no metrics table printed:\n%s", out.String())
	}
	assertNoTempFiles(t, dir)
}

// checkQuickstartMethod checks method m's outputs of the quickstart run in
// dir: its metrics.json (names, figures, views) and its n predictions in
// every format.
func checkQuickstartMethod(t *testing.T, dir string, m config.Method, n int) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, m.Name, "metrics.json"))
	if err != nil {
		t.Fatal(err)
	}
	var mf metricsFile
	if err := json.Unmarshal(data, &mf); err != nil {
		t.Fatal(err)
	}
	if mf.ExperimentName != "quickstart" || mf.ModelName != m.Name {
		t.Errorf("%s: names %q/%q", m.Name, mf.ExperimentName, mf.ModelName)
	}
	if mf.Metrics.ExactMatch == nil {
		t.Errorf("%s: exact_match_accuracy missing", m.Name)
	}
	// The rules method must really find the checksum-validated classes.
	for _, class := range []string{"EMAIL", "IBAN", "CREDITCARDNUMBER"} {
		pc, ok := mf.PerClass[class]
		if !ok || pc.Support == 0 {
			t.Errorf("%s: class %s missing from per_class_metrics", m.Name, class)
			continue
		}
		if m.Type == "rules" && pc.F1 < 0.9 {
			t.Errorf("%s: %s F1 = %.3f, want >= 0.9", m.Name, class, pc.F1)
		}
	}
	// The project-trained ONNX model must have learned: on held-out
	// synthetic documents (seed 42; it was trained on seed 1) its strict
	// F1 is far above the rules method's.
	if m.Type == "onnx" && mf.Metrics.F1 < 0.85 {
		t.Errorf("%s: strict F1 = %.3f, want >= 0.85", m.Name, mf.Metrics.F1)
	}
	if mf.Metrics.Precision <= 0 || mf.Metrics.Recall <= 0 || mf.Metrics.F1 <= 0 {
		t.Errorf("%s: global metrics are zero: %+v", m.Name, mf.Metrics)
	}
	checkQuickstartViews(t, m.Name, data, mf)
	for _, f := range []string{"predictions.parquet", "predictions.arrow", "predictions.jsonl", "doc_counts.jsonl"} {
		if _, err := os.Stat(filepath.Join(dir, m.Name, f)); err != nil {
			t.Errorf("missing output: %v", err)
		}
	}
	// Predictions read back through the project's own prediction reader.
	got := 0
	err = read.ReadPredictions(context.Background(), filepath.Join(dir, m.Name, "predictions.parquet"), func(p read.PredictionRow) error {
		got++
		return nil
	})
	if err != nil || got != n {
		t.Errorf("%s: read back %d predictions (err %v), want %d", m.Name, got, err, n)
	}
}

// checkQuickstartViews: the views are in method name's metrics.json (data,
// whose strict figures are mf), with figures that mean something.
func checkQuickstartViews(t *testing.T, name string, data []byte, mf metricsFile) {
	t.Helper()
	var views struct {
		PII *struct {
			IoU    float64 `json:"iou"`
			Recall float64 `json:"recall"`
			F2     float64 `json:"f2_score"`
		} `json:"pii_spans"`
		Groups     map[string]json.RawMessage `json:"groups"`
		Characters *struct {
			OverMask float64 `json:"over_mask_rate"`
			Clean    int64   `json:"clean_code_points"`
		} `json:"characters"`
		Tokens *struct {
			Entities struct {
				F1 float64 `json:"f1_score"`
			} `json:"entities"`
		} `json:"tokens"`
	}
	if err := json.Unmarshal(data, &views); err != nil {
		t.Fatal(err)
	}
	switch {
	case views.PII == nil || views.Characters == nil || views.Tokens == nil || len(views.Groups) == 0:
		t.Errorf("%s: metrics.json lacks a view section", name)
	case views.PII.IoU != 0.5 || views.PII.Recall < mf.Metrics.Recall || views.Characters.Clean == 0 || views.Tokens.Entities.F1 <= 0:
		t.Errorf("%s: views %+v %+v %+v", name, views.PII, views.Characters, views.Tokens)
	}
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.Contains(filepath.Base(p), ".tmp-") {
			t.Errorf("temporary file left behind: %s", p)
		}
		return nil
	})
}

func writeLines(t *testing.T, path string, lines ...string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestEvaluateRejectsBadRowsAndGoesOn(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data.jsonl")
	writeLines(t, data,
		`{"id":"a","language":"fr","source_text":"Écrivez à élodie@exemple.fr 😀","privacy_mask":[{"value":"élodie@exemple.fr","start":10,"end":27,"label":"EMAIL"}]}`,
		`{"id":"b","language":"en","source_text":"mail bob@example.com","privacy_mask":[{"value":"bob@example.com","start":5,"end":99,"label":"EMAIL"}]}`,
		`{"id":"c", this is not json`,
		`{"id":"d","language":"en","source_text":"mail bob@example.com","privacy_mask":[{"value":"alice@example.com","start":5,"end":20,"label":"EMAIL"}]}`,
		`{"id":"e","language":"en","source_text":"nothing here","privacy_mask":[]}`,
	)
	cfg := filepath.Join(dir, "job.yaml")
	writeLines(t, cfg,
		"kind: evaluate",
		"input: {paths: ["+data+"]}",
		"methods: [{name: rules, type: rules}]",
		"output: {dir: "+filepath.Join(dir, "out")+", formats: [jsonl]}",
	)
	var out bytes.Buffer
	env := testEnv(&out)
	l, err := Load(cfg, env)
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(context.Background(), l, env); err != nil {
		t.Fatalf("run: %v", err)
	}
	rej, err := os.ReadFile(filepath.Join(dir, "out", "rejects.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var rejects []record.Reject
	for _, line := range strings.Split(strings.TrimSpace(string(rej)), "\n") {
		var r record.Reject
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatal(err)
		}
		rejects = append(rejects, r)
	}
	if len(rejects) != 3 {
		t.Fatalf("%d rejects, want 3 (out of range, invalid JSON, value mismatch): %s", len(rejects), rej)
	}
	wantRows := []int64{2, 3, 4}
	for i, r := range rejects {
		if r.Origin.Row != wantRows[i] || r.Origin.File != data {
			t.Errorf("reject %d at %s, want %s:%d", i, r.Origin, data, wantRows[i])
		}
		if strings.Contains(r.Reason, "example.com") {
			t.Errorf("reject reason leaks PII: %q", r.Reason)
		}
	}
	var mf metricsFile
	b, _ := os.ReadFile(filepath.Join(dir, "out", "rules", "metrics.json"))
	if err := json.Unmarshal(b, &mf); err != nil {
		t.Fatal(err)
	}
	// Two documents were used: the French one (an e-mail after accents and
	// before an emoji, found at the right code-point offsets) and the empty one.
	if mf.PerClass["EMAIL"].Support != 1 || mf.PerClass["EMAIL"].F1 != 1 {
		t.Errorf("EMAIL metrics %+v, want support 1 and F1 1", mf.PerClass["EMAIL"])
	}
	if *mf.Metrics.ExactMatch != 1 {
		t.Errorf("exact match %v, want 1 (both used documents exactly right)", *mf.Metrics.ExactMatch)
	}

	// Above the reject threshold the job fails, naming the rejects file.
	l.Job.MaxRejectRatio = 0.5
	err = Run(context.Background(), l, env)
	if err == nil || !strings.Contains(err.Error(), "rejects.jsonl") {
		t.Fatalf("err = %v, want a reject-ratio failure naming rejects.jsonl", err)
	}
}

func TestEvaluateCancelledLeavesNoOutput(t *testing.T) {
	root := repoRoot(t)
	var out bytes.Buffer
	env := testEnv(&out)
	dir := t.TempDir()
	l := loadWithOutput(t, env, filepath.Join(root, "configs", "quickstart.yaml"), dir)
	l.Job.Input.Generate.N = 1_000_000
	ctx, cancel := context.WithCancel(context.Background())
	env.Progress = false
	// Cancel mid-run: a million documents take far longer than this.
	time.AfterFunc(300*time.Millisecond, cancel)
	err := Run(ctx, l, env)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 0 {
		t.Fatalf("cancelled run left files: %v", files)
	}
}

func TestEvaluateWritesUnmappedGoldLabels(t *testing.T) {
	data := filepath.Join(t.TempDir(), "400k.jsonl")
	writeLines(t, data, row400k, strings.Replace(row400k, `"u1"`, `"u2"`, 1))
	for _, tc := range []struct {
		extra []string
		want  map[string]int64
	}{
		{nil, map[string]int64{"GIVENNAME": 2, "SURNAME": 2, "TELEPHONENUM": 2}},
		{[]string{"label_map: ai4privacy-400k"}, nil},
	} {
		dir := t.TempDir()
		cfg := filepath.Join(dir, "job.yaml")
		writeLines(t, cfg, append([]string{
			"kind: evaluate",
			"input: {paths: [" + data + "]}",
			"methods: [{name: rules, type: rules}]",
			"output: {dir: " + filepath.Join(dir, "out") + ", formats: [jsonl]}",
		}, tc.extra...)...)
		var out bytes.Buffer
		env := testEnv(&out)
		l, err := Load(cfg, env)
		if err != nil {
			t.Fatal(err)
		}
		if err := Run(context.Background(), l, env); err != nil {
			t.Fatalf("run: %v\n%s", err, out.String())
		}
		b, err := os.ReadFile(filepath.Join(dir, "out", "rules", "metrics.json"))
		if err != nil {
			t.Fatal(err)
		}
		var mf struct {
			Unmapped map[string]int64 `json:"unmapped_gold_labels"`
			Counts   struct {
				Unmapped map[string]int64 `json:"unmapped_gold_labels"`
			} `json:"counts"`
		}
		if err := json.Unmarshal(b, &mf); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(mf.Unmapped, tc.want) || !reflect.DeepEqual(mf.Counts.Unmapped, tc.want) {
			t.Errorf("%v: unmapped_gold_labels %v (counts %v), want %v", tc.extra, mf.Unmapped, mf.Counts.Unmapped, tc.want)
		}
		if html, err := os.ReadFile(filepath.Join(dir, "out", "report.html")); err != nil {
			t.Error(err)
		} else if got := bytes.Contains(html, []byte(`id="unmapped-warning"`)); got != (tc.want != nil) {
			t.Errorf("%v: report.html warning box shown %v, want %v", tc.extra, got, tc.want != nil)
		}
	}
}
