package jobs

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
)

// The commented custom-recognizer example of configs/mask-corpus.yaml,
// uncommented, is a valid patterns method that finds what it says.
func TestMaskCorpusPatternsExample(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "configs", "mask-corpus.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var block []string
	in := false
	for _, l := range lines {
		if strings.HasPrefix(l, "  # - name: custom") {
			in = true
		}
		if in && !strings.HasPrefix(l, "  #") {
			break
		}
		if in {
			block = append(block, "  "+strings.TrimPrefix(l, "  # "))
		}
	}
	if len(block) < 10 {
		t.Fatalf("example not found in mask-corpus.yaml (%d lines)", len(block))
	}
	cfg := "kind: evaluate\ninput:\n  paths: [x.jsonl]\nmethods:\n" + strings.Join(block, "\n") + "\noutput:\n  dir: out\n"
	dir := t.TempDir()
	path := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	env := testEnv(&buf)
	l, err := Load(path, env)
	if err != nil {
		t.Fatalf("%v\n%s", err, cfg)
	}
	mc := l.Job.Methods[0]
	m, err := env.Registry.New(context.Background(), detect.Spec{Name: mc.Name, Type: mc.Type, Options: mc.Options})
	if err != nil {
		t.Fatal(err)
	}
	text := "Le salarié EMP-123456 a la carte 4111 1111 1111 1111 (pas 4111 1111 1111 1112) pour l'Opération Éclair."
	preds, err := m.Detect(context.Background(), []record.Record{{Text: text, Language: "fr"}})
	if err != nil {
		t.Fatal(err)
	}
	runes := []rune(text)
	var got []string
	for _, s := range preds[0].Spans {
		got = append(got, s.Label+"="+string(runes[s.Start:s.End]))
	}
	want := "EMPLOYEE_ID=EMP-123456|ACCOUNTNUMBER=4111 1111 1111 1111|CODENAME=Opération Éclair"
	if strings.Join(got, "|") != want {
		t.Fatalf("got %v, want %s", got, want)
	}
	if s := preds[0].Spans[0]; s.Score != 0.75 {
		t.Fatalf("employee id with context word: score %v, want 0.4+0.35", s.Score)
	}
}

// A mask job masks with custom recognizers next to the built-in rules.
func TestMaskJobWithPatterns(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(in, []byte(`{"id":"1","text":"Staff EMP-123456 wrote to jo@example.com about Project Falcon."}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runMaskConfig(t, dir, `kind: mask
input:
  paths: [`+in+`]
  schema: plain
methods:
  - name: rules
    type: rules
  - name: custom
    type: patterns
    options:
      recognizers:
        - name: employee-id
          label: EMPLOYEE_ID
          patterns: [{regex: 'EMP-\d{6}', score: 0.3}]
          context: [staff]
        - name: projects
          label: CODENAME
          deny_list: [project falcon]
mask:
  min_score: {EMPLOYEE_ID: 0.5}
output:
  dir: `+filepath.Join(dir, "out")+`
`)
	out, err := os.ReadFile(filepath.Join(dir, "out", "masked", "in.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"1","text":"Staff [EMPLOYEE_ID_1] wrote to [EMAIL_1] about [CODENAME_1]."}`
	if strings.TrimSpace(string(out)) != want {
		t.Fatalf("got %s\nwant %s", out, want)
	}
}
