package models

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

//go:embed baseline/model.onnx baseline/config.json baseline/tokenizer.json baseline/thresholds.json decoder/model.onnx decoder/config.json decoder/tokenizer.json decoder/tokenizer_config.json decoder/thresholds.json
var files embed.FS

// Prefix marks a builtin model reference in a job config.
const Prefix = "builtin:"

// Names lists the embedded models.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// IsBuiltin reports whether ref names an embedded model ("builtin:NAME").
func IsBuiltin(ref string) bool { return strings.HasPrefix(ref, Prefix) }

// Materialize writes the embedded model NAME (or "builtin:NAME") under
// cacheDir/NAME-<content hash> unless it is already there, and returns that
// directory. The directory is completed under a temporary name and renamed,
// so a concurrent or interrupted call never leaves a partial model.
func Materialize(ref, cacheDir string) (string, error) {
	name := strings.TrimPrefix(ref, Prefix)
	entries, err := fs.ReadDir(files, name)
	if err != nil {
		return "", fmt.Errorf("no builtin model %q (have: %s)", name, strings.Join(Names(), ", "))
	}
	h := sha256.New()
	contents := map[string][]byte{}
	for _, e := range entries {
		data, err := files.ReadFile(name + "/" + e.Name())
		if err != nil {
			return "", err
		}
		contents[e.Name()] = data
		h.Write([]byte(e.Name()))
		h.Write(data)
	}
	dir := filepath.Join(cacheDir, name+"-"+hex.EncodeToString(h.Sum(nil))[:12])
	if _, err := os.Stat(filepath.Join(dir, "model.onnx")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return "", fmt.Errorf("model cache: %w", err)
	}
	tmp, err := os.MkdirTemp(cacheDir, "."+name+"-tmp-")
	if err != nil {
		return "", fmt.Errorf("model cache: %w", err)
	}
	for fname, data := range contents {
		if err := os.WriteFile(filepath.Join(tmp, fname), data, 0o644); err != nil {
			os.RemoveAll(tmp)
			return "", fmt.Errorf("model cache: %w", err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, statErr := os.Stat(filepath.Join(dir, "model.onnx")); statErr == nil {
			return dir, nil // another process won the race
		}
		return "", fmt.Errorf("model cache: %w", err)
	}
	return dir, nil
}

// DefaultCacheDir is where Materialize writes models unless told otherwise:
// $PIIMASK_CACHE_DIR, else the user cache directory, else the temp dir.
func DefaultCacheDir(lookup func(string) (string, bool)) string {
	if v, ok := lookup("PIIMASK_CACHE_DIR"); ok && v != "" {
		return filepath.Join(v, "models")
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "piimask", "models")
	}
	return filepath.Join(os.TempDir(), "piimask", "models")
}
