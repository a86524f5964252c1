package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every config `run` rejects, `validate` rejects too, with the same
// file:line (they share one checking pass, jobs/config), and every
// problem of a config is reported at once.
func TestValidateRejectsWhatRunRejects(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("mail jane@example.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gen := "input: {generate: {n: 5}}\noutput: {dir: " + filepath.Join(dir, "out") + "}\n"
	for _, tc := range []struct {
		name  string
		cfg   string
		lines []int // every line with a problem, in order
		want  string
	}{
		{"onnx option misspelled", "kind: evaluate\n" + gen + "methods:\n  - name: m\n    type: onnx\n    options: {model: builtin:baseline, agregation: first}\n",
			[]int{7}, `unknown key "agregation"`},
		{"rules option wrongly typed", "kind: evaluate\n" + gen + "methods:\n  - name: r\n    type: rules\n    options:\n      min_score: high\n",
			[]int{8}, "want a number"},
		{"two problems at once", "kind: evaluate\n" + gen + "methods:\n  - name: r\n    type: rules\n    options:\n      min_score: high\n  - name: g\n    type: gold\n    options: {x: 1}\n",
			[]int{8, 11}, `unknown key "x"`},
		{"ensemble member option", "kind: evaluate\n" + gen + "methods:\n  - name: e\n    type: ensemble\n    options:\n      mode: union\n      methods:\n        - {name: a, type: rules, options: {clases: [EMAIL]}}\n",
			[]int{10}, `unknown key "clases"`},
		{"llm option value", "kind: evaluate\n" + gen + "methods:\n  - name: l\n    type: llm\n    options: {model: m, provider: acme, api_key: \"${PIIMASK_TEST_UNSET:-k}\"}\n",
			[]int{7}, `provider "acme"`},
		{"onnx option value", "kind: evaluate\n" + gen + "methods:\n  - name: m\n    type: onnx\n    options: {model: builtin:baseline, aggregation: firts}\n",
			[]int{7}, `aggregation "firts"`},
		{"rules option value", "kind: evaluate\n" + gen + "methods:\n  - name: r\n    type: rules\n    options: {classes: [NAME]}\n",
			[]int{7}, `class "NAME" has no rules recognizer`},
		{"mask operator", "kind: mask\n" + gen + "methods: [{name: g, type: gold}]\nmask:\n  operator: {type: shred}\n",
			[]int{6}, "unknown operator"},
		{"mask languages over text", "kind: mask\ninput: {paths: [" + text + "]}\noutput: {dir: " + filepath.Join(dir, "m") + "}\nfilters:\n  languages: [fr]\nmethods: [{name: g, type: gold}]\n",
			[]int{5}, "filters.languages"},
		{"prepare strategy", "kind: prepare\n" + gen + "prepare:\n  token_classification:\n    tokenizer: models/baseline/tokenizer.json\n    strategy: every\n",
			[]int{7}, "unknown alignment strategy"},
		{"prepare without section", "kind: prepare\n" + gen, []int{1}, "needs a prepare"},
		{"prepare ratios", "kind: prepare\n" + gen + "prepare:\n  split: {ratios: [0.5, 0.5]}\n  finetune: {language: de}\n",
			[]int{5, 6}, "want three numbers"},
		{"train architecture", "kind: train\noutput: {dir: " + dir + "}\ntrain:\n  dataset: d\n  tokenizer: t.json\n  architecture: transformer\n",
			[]int{6}, "want encoder, decoder"},
		{"train conv key on mlp", "kind: train\noutput: {dir: " + dir + "}\ntrain:\n  dataset: d\n  tokenizer: t.json\n  schedule: linear\n",
			[]int{6}, "applies to conv-encoder"},
		{"report", "kind: report\n" + gen + "report:\n  context: -1\n", []int{5}, "must not be negative"},
		{"report reject ratio", "kind: report\n" + gen + "max_reject_ratio: 0.2\n", []int{4}, "applied max_reject_ratio"},
		{"bench bucket", "kind: bench\n" + gen + "methods: [{name: r, type: rules}]\nbench:\n  concurrency_length: huge\n",
			[]int{6}, "names no bucket"},
		{"train filters", "kind: train\noutput: {dir: " + dir + "}\ntrain:\n  dataset: d\n  tokenizer: t.json\nfilters:\n  languages: [fr]\n",
			[]int{7}, "a train job reads no input documents"},
		{"train input", "kind: train\noutput: {dir: " + dir + "}\ninput: {paths: [x.jsonl]}\nmax_reject_ratio: 0.1\ntrain: {dataset: d, tokenizer: t.json}\n",
			[]int{3, 4}, "remove it"},
		{"finetune input schema and filters", "kind: finetune\ninput:\n  paths: [train.jsonl]\n  schema: presidio\nfilters: {limit: 5}\noutput: {dir: " + dir + "}\nfinetune:\n  model: open-mistral-7b\n  api_key: ${PIIMASK_TEST_UNSET:-k}\n",
			[]int{4, 5}, "uploads the files of input.paths"},
		{"finetune", "kind: finetune\ninput: {paths: [train.jsonl]}\noutput: {dir: " + dir + "}\nfinetune:\n  model: open-mistral-7b\n  api_key: ${PIIMASK_TEST_UNSET:-k}\n  hyperparameters: {training_steps: 10, epochs: 2}\n",
			[]int{7}, "not both"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".yaml")
			if err := os.WriteFile(path, []byte(tc.cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			runErr := execCLI(t, "run", path)
			valErr := execCLI(t, "validate", path)
			if runErr == "" || valErr == "" {
				t.Fatalf("run error %q, validate error %q: both must reject", runErr, valErr)
			}
			runLines, valLines := problemLines(path, runErr), problemLines(path, valErr)
			if !equalInts(runLines, tc.lines) || !equalInts(valLines, tc.lines) {
				t.Fatalf("problem lines: run %v, validate %v, want %v\nrun: %s\nvalidate: %s", runLines, valLines, tc.lines, runErr, valErr)
			}
			if !strings.Contains(valErr, tc.want) {
				t.Fatalf("validate: %s\nwant %q", valErr, tc.want)
			}
		})
	}
}

// Shipped configs validate without secrets: an unset secret is a note.
func TestValidateShippedServeAndFinetune(t *testing.T) {
	t.Setenv("MISTRAL_API_KEY", "")
	os.Unsetenv("MISTRAL_API_KEY")
	for _, tc := range []struct{ file, want string }{
		{"../../configs/serve.yaml", "ok (kind serve"},
		{"../../configs/finetune-mistral.yaml", "secret MISTRAL_API_KEY referenced but unset"},
	} {
		var out bytes.Buffer
		root := newRootCmd(&out, &out)
		root.SetArgs([]string{"validate", tc.file})
		if err := root.Execute(); err != nil {
			t.Fatalf("validate %s: %v\n%s", tc.file, err, out.String())
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Fatalf("validate %s printed %q, want %q", tc.file, out.String(), tc.want)
		}
	}
	// run still needs the secret.
	if msg := execCLI(t, "run", "../../configs/finetune-mistral.yaml"); !strings.Contains(msg, "MISTRAL_API_KEY is not set") {
		t.Fatalf("run without the key: %q", msg)
	}
}

// execCLI runs the root command in-process and returns its error text ("" on success).
func execCLI(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	root := newRootCmd(&out, &out)
	root.SetArgs(args)
	if err := root.Execute(); err != nil {
		return err.Error()
	}
	return ""
}

// problemLines lists the line numbers of path's problems in msg.
func problemLines(path, msg string) []int {
	var out []int
	for _, m := range regexp.MustCompile(regexp.QuoteMeta(path)+`:(\d+)`).FindAllStringSubmatch(msg, -1) {
		n := 0
		for _, c := range m[1] {
			n = n*10 + int(c-'0')
		}
		out = append(out, n)
	}
	return out
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
