package jobs

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/ortlib/ortlibtest"
)

// goldenQuickstart lists the quickstart outputs whose bytes depend only on
// the code, the embedded model and the config (summary.json and the report
// carry timings and paths).
const goldenQuickstart = "testdata/quickstart-outputs.sha256"

// TestQuickstartOutputsUnchanged runs configs/quickstart.yaml and compares
// the sha256 of every deterministic output with the recorded table, so a
// refactor that changes a single prediction, count or byte of a Parquet or
// Arrow file fails here. PIIMASK_UPDATE_GOLDEN=1 rewrites the table (for an
// intended change, such as a new embedded model).
func TestQuickstartOutputsUnchanged(t *testing.T) {
	ortlibtest.Require(t)
	root := repoRoot(t)
	var out bytes.Buffer
	env := testEnv(&out)
	dir := t.TempDir()
	l := loadWithOutput(t, env, filepath.Join(root, "configs", "quickstart.yaml"), dir)
	if err := Run(context.Background(), l, env); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := map[string]string{}
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == "summary.json" || strings.HasPrefix(rel, "report.") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		got[rel] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("PIIMASK_UPDATE_GOLDEN") == "1" {
		writeGolden(t, got)
		return
	}
	want := readGolden(t)
	for name, sum := range want {
		switch g, ok := got[name]; {
		case !ok:
			t.Errorf("%s: not written", name)
		case g != sum:
			t.Errorf("%s: sha256 %s, recorded %s", name, g, sum)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: written but not in %s", name, goldenQuickstart)
		}
	}
}

func readGolden(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(goldenQuickstart)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]string{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		sum, name, ok := strings.Cut(text, "  ")
		if !ok || len(sum) != 64 {
			t.Fatalf("%s:%d: want \"<sha256>  <path>\", got %q", goldenQuickstart, line, text)
		}
		want[name] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatalf("%s lists no files", goldenQuickstart)
	}
	return want
}

func writeGolden(t *testing.T, got map[string]string) {
	t.Helper()
	names := make([]string, 0, len(got))
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	model, err := os.ReadFile(filepath.Join(repoRoot(t), "models", "baseline", "model.onnx"))
	if err != nil {
		t.Fatal(err)
	}
	ms := sha256.Sum256(model)
	var b strings.Builder
	fmt.Fprintf(&b, "# sha256 of the deterministic quickstart outputs (configs/quickstart.yaml),\n")
	fmt.Fprintf(&b, "# with models/baseline/model.onnx %s.\n", hex.EncodeToString(ms[:]))
	fmt.Fprintf(&b, "# summary.json and report.* hold timings and paths and are not listed. Rewrite with\n")
	fmt.Fprintf(&b, "# PIIMASK_UPDATE_GOLDEN=1 go test ./jobs -run TestQuickstartOutputsUnchanged (only for an intended change).\n")
	for _, n := range names {
		fmt.Fprintf(&b, "%s  %s\n", got[n], n)
	}
	if err := os.WriteFile(goldenQuickstart, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
