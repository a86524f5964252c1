package ortlib

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// EnvVar is the environment variable that names the library explicitly.
const EnvVar = "PIIMASK_ORT_LIB"

// AltEnvVar is the variable onnxruntime_go's own tests and several other
// tools use; it is consulted after EnvVar.
const AltEnvVar = "ONNXRUNTIME_SHARED_LIBRARY_PATH"

// RepoRelPath is where scripts/setup-onnxruntime.sh installs the library,
// relative to the repository root.
const RepoRelPath = "third_party/onnxruntime/lib/libonnxruntime.so.1"

// SetupScript is the script that installs the library.
const SetupScript = "scripts/setup-onnxruntime.sh"

// ErrNotFound is wrapped by the error Resolve returns when no library exists.
var ErrNotFound = errors.New("onnxruntime shared library not found")

// Lookup reads an environment variable; os.LookupEnv in production.
type Lookup func(key string) (string, bool)

// Search says where Resolve looks.
type Search struct {
	// Explicit is a path given by the caller (a flag or config option); it
	// wins when set and must exist.
	Explicit string
	// Env reads environment variables; nil means os.LookupEnv.
	Env Lookup
	// StartDirs are directories from which Resolve walks up looking for
	// RepoRelPath; nil means the executable's directory and the working
	// directory.
	StartDirs []string
}

// Resolve returns the library path: s.Explicit, then $PIIMASK_ORT_LIB, then
// $ONNXRUNTIME_SHARED_LIBRARY_PATH, then RepoRelPath found by walking up from
// each start directory. A path given explicitly or by environment that does
// not exist is an error (it is not skipped silently).
func Resolve(s Search) (string, error) {
	env := s.Env
	if env == nil {
		env = os.LookupEnv
	}
	check := func(path, from string) (string, error) {
		st, err := os.Stat(path)
		if err != nil {
			return "", fmt.Errorf("%w: %s=%q: %v; run %s or fix %s", ErrNotFound, from, path, err, SetupScript, from)
		}
		if st.IsDir() {
			return "", fmt.Errorf("%w: %s=%q is a directory, want the libonnxruntime.so file", ErrNotFound, from, path)
		}
		return path, nil
	}
	if s.Explicit != "" {
		return check(s.Explicit, "option ort_lib")
	}
	for _, k := range []string{EnvVar, AltEnvVar} {
		if v, ok := env(k); ok && v != "" {
			return check(v, k)
		}
	}
	starts := s.StartDirs
	if starts == nil {
		if exe, err := os.Executable(); err == nil {
			starts = append(starts, filepath.Dir(exe))
		}
		if wd, err := os.Getwd(); err == nil {
			starts = append(starts, wd)
		}
	}
	var tried []string
	for _, dir := range starts {
		dir, err := filepath.Abs(dir)
		if err != nil {
			continue
		}
		for {
			p := filepath.Join(dir, RepoRelPath)
			if st, err := os.Stat(p); err == nil && !st.IsDir() {
				return p, nil
			}
			tried = append(tried, p)
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "", fmt.Errorf("%w: set %s to the path of libonnxruntime.so (ORT 1.30.x for onnxruntime_go v1.27.0), "+
		"or run %s from the repository to install it under %s (looked in %d places walking up from %v)",
		ErrNotFound, EnvVar, SetupScript, RepoRelPath, len(tried), starts)
}

// process is the one piece of package state (see the package doc): how many
// initialised Runtimes share onnxruntime_go's process-wide environment.
var process struct {
	mu   sync.Mutex
	refs int
	path string
}

// Runtime is a handle on the process-wide ONNX Runtime environment. The zero
// value is not usable; build one with New. Safe for concurrent use.
type Runtime struct {
	search Search

	once    sync.Once
	initErr error
	path    string

	closeOnce sync.Once
}

// New returns a Runtime that will look for the library as s says. Nothing is
// loaded until Init.
func New(s Search) *Runtime { return &Runtime{search: s} }

// Init resolves the library and initialises the ORT environment, once per
// Runtime; later calls return the first call's result. When another Runtime
// of this process has already initialised the environment it is shared (the
// library cannot change within a process; a different path is an error).
func (r *Runtime) Init() error {
	r.once.Do(func() {
		path, err := Resolve(r.search)
		if err != nil {
			r.initErr = err
			return
		}
		process.mu.Lock()
		defer process.mu.Unlock()
		if process.refs > 0 {
			if !samePath(process.path, path) {
				r.initErr = fmt.Errorf("onnxruntime already initialised in this process from %s; cannot also load %s", process.path, path)
				return
			}
			process.refs++
			r.path = process.path
			return
		}
		if ort.IsInitialized() {
			r.initErr = errors.New("onnxruntime environment was initialised outside ortlib; use ortlib.Runtime everywhere")
			return
		}
		ort.SetSharedLibraryPath(path)
		if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
			r.initErr = fmt.Errorf("initialise onnxruntime from %s (is it ORT 1.30.x for linux x64? %s installs one): %w", path, SetupScript, err)
			return
		}
		process.refs = 1
		process.path = path
		r.path = path
	})
	return r.initErr
}

func samePath(a, b string) bool {
	if a == b {
		return true
	}
	ra, errA := filepath.EvalSymlinks(a)
	rb, errB := filepath.EvalSymlinks(b)
	return errA == nil && errB == nil && ra == rb
}

// LibraryPath is the library in use (empty before a successful Init).
func (r *Runtime) LibraryPath() string { return r.path }

// Version is the ONNX Runtime version string (empty before a successful Init).
func (r *Runtime) Version() string {
	if r.path == "" {
		return ""
	}
	return ort.GetVersion()
}

// Close releases this Runtime's share of the environment; the last one
// destroys it. Sessions built on it must be destroyed first. Calling Close
// more than once, or on a Runtime whose Init failed, is harmless.
func (r *Runtime) Close() error {
	var err error
	r.closeOnce.Do(func() {
		if r.path == "" {
			return
		}
		process.mu.Lock()
		defer process.mu.Unlock()
		process.refs--
		if process.refs == 0 {
			process.path = ""
			if e := ort.DestroyEnvironment(); e != nil {
				err = fmt.Errorf("destroy onnxruntime environment: %w", e)
			}
		}
	})
	return err
}
