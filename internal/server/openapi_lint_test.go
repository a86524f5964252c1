package server

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// problemLine is a stylish-format Redocly problem: "  15:4  error  rule  message".
var problemLine = regexp.MustCompile(`(?m)^\s*\d+:\d+\s+(error|warning)\s+\S+`)

// TestOpenAPILint lints openapi.json with Redocly's recommended rules
// (scripts/openapi-lint/redocly.yaml): no error and no warning. The linter
// is installed by scripts/setup-openapi-lint.sh (npm @redocly/cli); without
// it the test is skipped, and fails under CI.
func TestOpenAPILint(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "scripts", "openapi-lint"))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "node_modules", ".bin", "redocly")
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s missing: run scripts/setup-openapi-lint.sh", bin)
		}
		t.Skipf("%s missing: run scripts/setup-openapi-lint.sh", bin)
	}
	doc, err := filepath.Abs("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "lint", "--config", filepath.Join(dir, "redocly.yaml"), "--format", "stylish", doc)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("redocly lint failed: %v\n%s", err, out)
	}
	if ps := problemLine.FindAll(out, -1); len(ps) > 0 {
		t.Fatalf("redocly lint: %d problems\n%s", len(ps), out)
	}
}
