package jobs

import (
	"bytes"
	"path/filepath"
	"testing"
)

// Every shipped config must validate: the README and configs/ stay true to
// the code.
func TestShippedConfigsValidate(t *testing.T) {
	root := repoRoot(t)
	paths, err := filepath.Glob(filepath.Join(root, "configs", "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no configs found: %v", err)
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			var out bytes.Buffer
			env := testEnv(&out)
			if _, err := Load(p, env); err != nil {
				t.Fatalf("%v", err)
			}
		})
	}
}
