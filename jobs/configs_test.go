package jobs

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/piimask/piimask/jobs/config"
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
			// Secrets come from the environment; give the ones the shipped
			// configs reference dummy values (nothing is called).
			secrets := map[string]string{"MISTRAL_API_KEY": "test-key", "PIIMASK_PSEUDONYM_KEY": "0123456789abcdef0123",
				"PIIMASK_HASH_KEY": "0123456789abcdef0123", "PIIMASK_ENCRYPT_KEY": "0123456789abcdef0123", "PIIMASK_VAULT_KEY": "0123456789abcdef0123"}
			env.LookupEnv = func(k string) (string, bool) { v, ok := secrets[k]; return v, ok }
			if filepath.Base(p) == "serve.yaml" {
				// The serve config has its own shape (methods + serve section).
				if _, err := config.LoadServeFile(p, env.LookupEnv, NewRegistry(env.LookupEnv).Types()); err != nil {
					t.Fatalf("%v", err)
				}
				return
			}
			if _, err := Load(p, env); err != nil {
				t.Fatalf("%v", err)
			}
		})
	}
}
