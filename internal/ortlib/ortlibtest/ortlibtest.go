package ortlibtest

import (
	"errors"
	"os"
	"testing"

	"github.com/piimask/piimask/internal/ortlib"
)

// Require resolves and initialises ONNX Runtime for a test. When the library
// cannot be found it skips the test with a message naming the setup script,
// or fails it when the environment variable CI is set (CI must run these
// tests). The Runtime is closed when the test ends.
func Require(t testing.TB) *ortlib.Runtime {
	t.Helper()
	rt := ortlib.New(ortlib.Search{})
	if err := rt.Init(); err != nil {
		if errors.Is(err, ortlib.ErrNotFound) && os.Getenv("CI") == "" {
			t.Skipf("onnxruntime library absent (run %s): %v", ortlib.SetupScript, err)
		}
		t.Fatalf("onnxruntime: %v", err)
	}
	t.Cleanup(func() {
		if err := rt.Close(); err != nil {
			t.Errorf("close runtime: %v", err)
		}
	})
	return rt
}
