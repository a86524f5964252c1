package write

import (
	"fmt"
	"os"
	"path/filepath"
)

// AtomicFile is a file being written under a temporary name. Commit renames it
// to its final path; Abort (or Close without Commit) removes it.
type AtomicFile struct {
	*os.File
	final string
	done  bool
}

// CreateAtomic opens a temporary file beside path. Parent directories are created.
func CreateAtomic(path string) (*AtomicFile, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("create temporary file for %s: %w", path, err)
	}
	return &AtomicFile{File: f, final: path}, nil
}

// Path is the final path the file will have after Commit.
func (a *AtomicFile) Path() string { return a.final }

// Commit flushes, closes and renames the file into place.
func (a *AtomicFile) Commit() error {
	if a.done {
		return fmt.Errorf("commit %s: already closed", a.final)
	}
	a.done = true
	if err := a.File.Sync(); err != nil {
		a.File.Close()
		os.Remove(a.File.Name())
		return fmt.Errorf("sync %s: %w", a.final, err)
	}
	if err := a.File.Close(); err != nil {
		os.Remove(a.File.Name())
		return fmt.Errorf("close %s: %w", a.final, err)
	}
	if err := os.Chmod(a.File.Name(), 0o644); err != nil {
		os.Remove(a.File.Name())
		return fmt.Errorf("chmod %s: %w", a.final, err)
	}
	if err := os.Rename(a.File.Name(), a.final); err != nil {
		os.Remove(a.File.Name())
		return fmt.Errorf("rename into %s: %w", a.final, err)
	}
	return nil
}

// Abort discards the temporary file. It is safe to call after Commit (no-op).
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.done = true
	a.File.Close()
	os.Remove(a.File.Name())
}

// WriteFileAtomic writes data to path atomically.
func WriteFileAtomic(path string, data []byte) error {
	f, err := CreateAtomic(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Commit()
}
