package jobs

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/generate"
	"github.com/piimask/piimask/stages/pdf"
)

var maskTestKeys = map[string]string{
	"PIIMASK_HASH_KEY":      "test-hash-key-0123456789",
	"PIIMASK_PSEUDONYM_KEY": "test-pseudonym-key-0123456789",
	"PIIMASK_ENCRYPT_KEY":   "test-encrypt-key-0123456789",
	"PIIMASK_VAULT_KEY":     "test-vault-key-0123456789",
}

func maskEnv(out *bytes.Buffer) *Env {
	return &Env{Stdout: out, Stderr: out, LookupEnv: func(k string) (string, bool) { v, ok := maskTestKeys[k]; return v, ok }}
}

// runMaskConfig writes cfg to dir/job.yaml and runs it in-process.
func runMaskConfig(t *testing.T, dir, cfg string) {
	t.Helper()
	path := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	env := maskEnv(&out)
	l, err := Load(path, env)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := Run(context.Background(), l, env); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
}

// leaks counts gold values (4+ characters) still present as whole words in
// the masked text of the same document, outside the replacements the audit
// lists (a pseudonym may by chance equal another value of the document).
func leaks(t *testing.T, maskedFile string, seed int64, n int) (leaked, total int) {
	t.Helper()
	g, err := generate.New(generate.Config{Seed: seed, N: n})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(maskedFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	af, err := os.Open(filepath.Join(filepath.Dir(filepath.Dir(maskedFile)), "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer af.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	asc := bufio.NewScanner(af)
	asc.Buffer(nil, 1<<24)
	for row := range g.All() {
		if !sc.Scan() || !asc.Scan() {
			t.Fatalf("masked output or audit ends before %s", row.ID)
		}
		var audit auditLine
		if err := json.Unmarshal(asc.Bytes(), &audit); err != nil {
			t.Fatal(err)
		}
		var got struct{ ID, Text string }
		if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if got.ID != row.ID {
			t.Fatalf("row order: got %s, want %s", got.ID, row.ID)
		}
		for _, e := range row.PrivacyMask {
			if len([]rune(e.Value)) < 4 {
				continue
			}
			total++
			re := regexp.MustCompile(`(?:^|[^\pL\pN])(` + regexp.QuoteMeta(e.Value) + `)(?:$|[^\pL\pN])`)
			off := record.NewOffsets(got.Text)
			leak := false
			for _, m := range re.FindAllStringSubmatchIndex(got.Text, -1) {
				s, e := off.CodePoint(m[2]), off.CodePoint(m[3])
				inside := false
				for _, r := range audit.Spans {
					if r.MaskedStart <= s && e <= r.MaskedEnd {
						inside = true
					}
				}
				leak = leak || !inside
			}
			if leak {
				leaked++
			}
		}
	}
	return leaked, total
}

func TestMaskLeakGoldAndRules(t *testing.T) {
	tests := []struct {
		method    string
		operators string
		wantZero  bool
	}{
		{"gold", "operator: {type: pseudonym}\n  operators:\n    EMAIL: {type: hash}\n    IBAN: {type: encrypt}\n    CREDITCARDNUMBER: {type: mask, keep_last: 4}\n    DATE: {type: redact}", true},
		{"rules", "operator: {type: placeholder}", false},
	}
	for _, tt := range tests {
		t.Run(tt.method, func(t *testing.T) {
			dir := t.TempDir()
			runMaskConfig(t, dir, fmt.Sprintf(`kind: mask
input: {generate: {n: 600, seed: 11}}
methods: [{name: m, type: %s}]
mask:
  %s
  part_docs: 100
output: {dir: %s}
`, tt.method, tt.operators, filepath.Join(dir, "out")))
			leaked, total := leaks(t, filepath.Join(dir, "out", "masked", "generated.jsonl"), 11, 600)
			t.Logf("method %s: %d of %d gold values (4+ chars) left in the output: leak rate %.1f%%", tt.method, leaked, total, 100*float64(leaked)/float64(total))
			if total < 1000 {
				t.Fatalf("only %d gold values checked", total)
			}
			if tt.wantZero && leaked != 0 {
				t.Errorf("gold masking leaked %d values", leaked)
			}
			if !tt.wantZero && leaked == 0 {
				t.Errorf("rules leak nothing? the leak check may be broken")
			}
			if _, err := os.Stat(filepath.Join(dir, "out", ".work")); !os.IsNotExist(err) {
				t.Error("work directory left behind")
			}
		})
	}
}

// buildBinary builds cmd/piimask into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "piimask")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/piimask")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// killAndResume runs the mask job of fullCfg uninterrupted, runs killedCfg,
// kills it with SIGKILL once three parts are checkpointed, reruns it, checks
// that the rerun resumed and that each file of compare is byte-identical in
// both output directories.
func killAndResume(t *testing.T, bin, fullCfg, full, killedCfg, killed string, compare []string) {
	t.Helper()
	run := func(cfgPath string) *exec.Cmd {
		c := exec.Command(bin, "run", "--no-progress", cfgPath)
		c.Env = binEnv()
		return c
	}
	if out, err := run(fullCfg).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	c := run(killedCfg)
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until some parts are committed, then kill -9.
	ckpt := filepath.Join(killed, ".work", "checkpoint.json")
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, _ := os.ReadFile(ckpt)
		if bytes.Count(b, []byte(`"index"`)) >= 3 {
			break
		}
		if time.Now().After(deadline) {
			c.Process.Kill()
			t.Fatal("no checkpoint after 60 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := c.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c.Wait()
	if _, err := os.Stat(filepath.Join(killed, compare[0])); err == nil {
		t.Fatal("the run finished before it was killed: make the input bigger")
	}
	out, err := run(killedCfg).CombinedOutput()
	if err != nil {
		t.Fatalf("resumed run: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "resuming") {
		t.Errorf("second run did not resume:\n%s", out)
	}
	for _, f := range compare {
		a, _ := os.ReadFile(filepath.Join(full, f))
		b, _ := os.ReadFile(filepath.Join(killed, f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs after kill -9 and resume (%d vs %d bytes)", f, len(a), len(b))
		}
	}
}

func binEnv() []string {
	env := os.Environ()
	for k, v := range maskTestKeys {
		env = append(env, k+"="+v)
	}
	return env
}

func TestMaskKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	cfg := func(out string) string {
		return fmt.Sprintf(`kind: mask
input: {generate: {n: 30000, seed: 5}}
methods: [{name: g, type: gold}, {name: r, type: rules}]
mask:
  ensemble: priority
  operator: {type: placeholder}
  operators: {FIRSTNAME: {type: pseudonym}, EMAIL: {type: hash}, IBAN: {type: encrypt}}
  part_docs: 500
  vault: true
output: {dir: %s}
concurrency: {workers: 2, batch_size: 64}
`, out)
	}
	write := func(name, out string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(cfg(out)), 0o644)
		return p
	}
	full, killed := filepath.Join(dir, "full"), filepath.Join(dir, "killed")
	killAndResume(t, bin, write("full.yaml", full), full, write("killed.yaml", killed), killed,
		[]string{filepath.Join("masked", "generated.jsonl"), "audit.jsonl"})
	// The vault of the resumed run restores the original text.
	restored := filepath.Join(dir, "restored.jsonl")
	u := exec.Command(bin, "unmask", "--vault", filepath.Join(killed, "vault.bin"), "--in", filepath.Join(killed, "masked", "generated.jsonl"), "--out", restored)
	u.Env = binEnv()
	if out, err := u.CombinedOutput(); err != nil {
		t.Fatalf("unmask: %v\n%s", err, out)
	}
	g, _ := generate.New(generate.Config{Seed: 5, N: 30000})
	f, _ := os.Open(restored)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	n := 0
	for row := range g.All() {
		if !sc.Scan() {
			t.Fatalf("restored output ends at row %d", n)
		}
		var got struct{ Text string }
		json.Unmarshal(sc.Bytes(), &got)
		if got.Text != row.SourceText {
			t.Fatalf("row %d restored as %q, want %q", n, got.Text, row.SourceText)
		}
		n++
	}
	// Without the key, or with another one, nothing is restored.
	for _, key := range []string{"", "another-vault-key-0123456789"} {
		u := exec.Command(bin, "unmask", "--vault", filepath.Join(killed, "vault.bin"), "--in", filepath.Join(killed, "masked", "generated.jsonl"))
		u.Env = append(os.Environ(), "PIIMASK_VAULT_KEY="+key)
		out, err := u.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "PIIMASK_VAULT_KEY") && !strings.Contains(string(out), "wrong key") {
			t.Errorf("unmask with key %q: err %v, output %.200s", key, err, out)
		}
	}
}

func TestMaskFilesTreePDFAndColumns(t *testing.T) {
	if !pdf.Available() {
		if os.Getenv("CI") != "" {
			t.Fatal("poppler-utils missing: run scripts/setup-pdf.sh")
		}
		t.Skip("poppler-utils missing: run scripts/setup-pdf.sh")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(filepath.Join(in, "sub"), 0o755)
	os.WriteFile(filepath.Join(in, "a.txt"), []byte("Écrivez à zoé.martin@exemple.fr pour Project Bluebird."), 0o644)
	os.WriteFile(filepath.Join(in, "sub", "b.md"), []byte("# Notes\nNothing here."), 0o644)
	os.WriteFile(filepath.Join(in, "rows.jsonl"), []byte(`{"body":"mail bob@example.com now","id":"r1","n":12345678901234567890,"tags":["x"]}`+"\n"+`{"body":"no pii","id":"r2","n":1,"tags":[]}`+"\n"), 0o644)
	p := fpdf.New("P", "mm", "A4", "")
	for _, text := range []string{"Contact: anna.lee@example.org", "Second page, Project Bluebird."} {
		p.AddPage()
		p.SetFont("Helvetica", "", 14)
		p.Cell(0, 10, text)
	}
	if err := p.OutputFileAndClose(filepath.Join(in, "sub", "report.pdf")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	runMaskConfig(t, dir, fmt.Sprintf(`kind: mask
input: {paths: [%s], schema: plain, text_field: body}
methods: [{name: rules, type: rules}]
mask:
  operators: {EMAIL: {type: pseudonym}}
  deny: [{term: project bluebird, label: CODENAME}]
  vault: true
output: {dir: %s}
`, in, out))
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(out, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct{ file, want, notWant string }{
		{"masked/a.txt", "[CODENAME_1].", "zoé.martin@exemple.fr"},
		{"masked/sub/b.md", "# Notes\nNothing here.", ""},
		{"masked/sub/report/page-0001.md", "Contact: ", "anna.lee@example.org"},
		{"masked/sub/report/page-0002.md", "Second page, [CODENAME_1].", ""},
		{"masked/rows.jsonl", `"id":"r1","n":12345678901234567890,"tags":["x"]}`, "bob@example.com"},
		{"masked/rows.jsonl", `{"body":"no pii","id":"r2","n":1,"tags":[]}`, ""},
		{"audit.jsonl", `"page":2`, "anna.lee"},
	}
	for _, tt := range tests {
		got := read(tt.file)
		if !strings.Contains(got, tt.want) || (tt.notWant != "" && strings.Contains(got, tt.notWant)) {
			t.Errorf("%s = %q, want %q and not %q", tt.file, got, tt.want, tt.notWant)
		}
	}
	if a := read("masked/a.txt"); !regexp.MustCompile(`^Écrivez à [a-z]+\.[a-z]+@[a-z0-9.-]+ pour`).MatchString(a) {
		t.Errorf("pseudonymised e-mail not natural: %q", a)
	}
}

// Shards of a mask job partition the corpus: every document is masked by
// exactly one shard, into its own shard directory.
func TestMaskShardsPartitionCorpus(t *testing.T) {
	dir := t.TempDir()
	const n = 300
	seen := map[string]int{}
	for i := 0; i < 3; i++ {
		runMaskConfig(t, dir, fmt.Sprintf(`kind: mask
input: {generate: {n: %d, seed: 5}}
methods: [{name: g, type: gold}]
mask: {operator: {type: placeholder}}
shard: {index: %d, count: 3}
output: {dir: %s}
`, n, i, filepath.Join(dir, "out")))
		data, err := os.ReadFile(filepath.Join(dir, "out", fmt.Sprintf("shard-%d-of-3", i), "masked", "generated.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if len(lines) == 0 || len(lines) == n {
			t.Fatalf("shard %d masked %d of %d documents", i, len(lines), n)
		}
		for _, line := range lines {
			var row struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal([]byte(line), &row); err != nil {
				t.Fatal(err)
			}
			seen[row.ID]++
		}
	}
	if len(seen) != n {
		t.Fatalf("shards masked %d distinct documents, want %d", len(seen), n)
	}
	for id, c := range seen {
		if c != 1 {
			t.Fatalf("document %s masked by %d shards", id, c)
		}
	}
}

// A mask job never runs with fewer detectors than configured: a method
// skipped for an unset environment variable fails the job, writing nothing.
func TestMaskRefusesSkippedMethod(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "job.yaml")
	cfg := fmt.Sprintf(`kind: mask
input: {generate: {n: 10, seed: 5}}
methods:
  - {name: g, type: gold}
  - {name: remote, type: llm, requires_env: [MISTRAL_API_KEY], options: {api_key: "${MISTRAL_API_KEY}"}}
mask: {operator: {type: placeholder}}
output: {dir: %s}
`, filepath.Join(dir, "out"))
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	env := maskEnv(&out)
	l, err := Load(path, env)
	if err != nil {
		t.Fatal(err)
	}
	err = Run(context.Background(), l, env)
	if err == nil || !strings.Contains(err.Error(), "method remote cannot run") {
		t.Fatalf("err = %v, want the skipped method to fail the job", err)
	}
	if _, statErr := os.Stat(filepath.Join(dir, "out", "masked")); statErr == nil {
		t.Fatal("masked output written although the job failed")
	}
}
