package onnxgraphtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	ort "github.com/yalue/onnxruntime_go"
)

// LibEnv is the environment variable naming the ONNX Runtime shared library.
const LibEnv = "PIIMASK_ORT_LIB"

// LibraryPath returns the library path from LibEnv, else the project's
// third_party copy found by walking up from the working directory to go.mod.
func LibraryPath() (string, error) {
	if p := os.Getenv(LibEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", LibEnv, p, err)
		}
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "third_party", "onnxruntime", "lib", "libonnxruntime.so.1")
			if _, err := os.Stat(p); err != nil {
				return "", fmt.Errorf("ONNX Runtime library not found at %s: run scripts/setup-onnxruntime.sh or set %s", p, LibEnv)
			}
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory; set " + LibEnv)
		}
		dir = parent
	}
}

var (
	initOnce sync.Once
	initErr  error
)

// Init loads the library and initializes the ONNX Runtime environment once.
// When the library is absent the test is skipped, unless env CI is set, in
// which case it fails.
func Init(t testing.TB) {
	t.Helper()
	initOnce.Do(func() {
		var p string
		p, initErr = LibraryPath()
		if initErr != nil {
			return
		}
		ort.SetSharedLibraryPath(p)
		initErr = ort.InitializeEnvironment()
	})
	if initErr != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("ONNX Runtime unavailable (%v); skipped outside CI", initErr)
		}
		t.Fatalf("ONNX Runtime unavailable under CI: %v", initErr)
	}
}

// Run runs the model file at path on int64 inputs of shape [batch, seq]
// (one flat row-major slice per input name) and returns the float output
// named output with its shape.
func Run(t testing.TB, path string, names []string, batch, seq int, inputs [][]int64, output string) ([]float32, []int64) {
	t.Helper()
	Init(t)
	opts, err := ort.NewSessionOptions()
	if err != nil {
		t.Fatalf("session options: %v", err)
	}
	defer destroy(t, "session options", opts)
	if err := opts.SetIntraOpNumThreads(1); err != nil {
		t.Fatalf("threads: %v", err)
	}
	sess, err := ort.NewDynamicAdvancedSession(path, names, []string{output}, opts)
	if err != nil {
		t.Fatalf("load %s in ONNX Runtime: %v", path, err)
	}
	defer destroy(t, "session", sess)
	in := make([]ort.Value, len(inputs))
	for i, data := range inputs {
		tensor, err := ort.NewTensor(ort.NewShape(int64(batch), int64(seq)), data)
		if err != nil {
			t.Fatalf("input %s: %v", names[i], err)
		}
		defer destroy(t, "input "+names[i], tensor)
		in[i] = tensor
	}
	out := []ort.Value{nil}
	if err := sess.Run(in, out); err != nil {
		t.Fatalf("run %s: %v", path, err)
	}
	defer destroy(t, "output "+output, out[0])
	tensor, ok := out[0].(*ort.Tensor[float32])
	if !ok {
		t.Fatalf("output %s is %T, want float32 tensor", output, out[0])
	}
	return append([]float32(nil), tensor.GetData()...), append([]int64(nil), tensor.GetShape()...)
}

// destroy frees an ONNX Runtime object at the end of Run and fails the test
// when the runtime reports an error doing so.
func destroy(t testing.TB, what string, v interface{ Destroy() error }) {
	t.Helper()
	if err := v.Destroy(); err != nil {
		t.Errorf("destroy %s: %v", what, err)
	}
}
