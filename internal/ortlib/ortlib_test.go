package ortlib_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/piimask/piimask/internal/ortlib"
	"github.com/piimask/piimask/internal/ortlib/ortlibtest"
)

func touch(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestResolveOrder(t *testing.T) {
	dir := t.TempDir()
	explicit := touch(t, filepath.Join(dir, "explicit.so"))
	fromEnv := touch(t, filepath.Join(dir, "env.so"))
	fromAlt := touch(t, filepath.Join(dir, "alt.so"))
	repo := filepath.Join(dir, "repo")
	inRepo := touch(t, filepath.Join(repo, ortlib.RepoRelPath))
	deep := filepath.Join(repo, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.MkdirAll(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	env := func(m map[string]string) ortlib.Lookup {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	tests := []struct {
		name    string
		s       ortlib.Search
		want    string
		wantErr string
	}{
		{"explicit wins", ortlib.Search{Explicit: explicit, Env: env(map[string]string{ortlib.EnvVar: fromEnv}), StartDirs: []string{deep}}, explicit, ""},
		{"PIIMASK_ORT_LIB before alt", ortlib.Search{Env: env(map[string]string{ortlib.EnvVar: fromEnv, ortlib.AltEnvVar: fromAlt}), StartDirs: []string{deep}}, fromEnv, ""},
		{"alt env before repo", ortlib.Search{Env: env(map[string]string{ortlib.AltEnvVar: fromAlt}), StartDirs: []string{deep}}, fromAlt, ""},
		{"empty env value ignored", ortlib.Search{Env: env(map[string]string{ortlib.EnvVar: ""}), StartDirs: []string{deep}}, inRepo, ""},
		{"repo found walking up", ortlib.Search{Env: env(nil), StartDirs: []string{empty, deep}}, inRepo, ""},
		{"explicit missing is an error", ortlib.Search{Explicit: filepath.Join(dir, "nope.so"), Env: env(nil), StartDirs: []string{deep}}, "", "option ort_lib"},
		{"env missing is an error", ortlib.Search{Env: env(map[string]string{ortlib.EnvVar: filepath.Join(dir, "nope.so")}), StartDirs: []string{deep}}, "", ortlib.EnvVar},
		{"env names a directory", ortlib.Search{Env: env(map[string]string{ortlib.EnvVar: dir})}, "", "is a directory"},
		{"nothing anywhere", ortlib.Search{Env: env(nil), StartDirs: []string{empty}}, "", ortlib.SetupScript},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ortlib.Resolve(tc.s)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("Resolve = %q, want error containing %q", got, tc.wantErr)
				}
				if !errors.Is(err, ortlib.ErrNotFound) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %q: want ErrNotFound mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("Resolve = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMissingLibraryErrorNamesRemedy(t *testing.T) {
	rt := ortlib.New(ortlib.Search{Env: func(string) (string, bool) { return "", false }, StartDirs: []string{t.TempDir()}})
	err := rt.Init()
	if err == nil {
		t.Fatal("Init succeeded without a library")
	}
	for _, want := range []string{ortlib.EnvVar, ortlib.SetupScript} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if err2 := rt.Init(); err2 != err {
		t.Errorf("second Init returned %v, want the first error", err2)
	}
	if err := rt.Close(); err != nil {
		t.Errorf("Close after failed Init: %v", err)
	}
}

func TestInitSharedAndReinit(t *testing.T) {
	a := ortlibtest.Require(t)
	if v := a.Version(); !strings.HasPrefix(v, "1.") {
		t.Fatalf("Version = %q", v)
	}
	b := ortlib.New(ortlib.Search{Explicit: a.LibraryPath()})
	if err := b.Init(); err != nil {
		t.Fatalf("second runtime in one process: %v", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if a.Version() == "" {
		t.Fatal("environment lost after closing the second runtime")
	}
	// A different library while one is loaded is refused.
	other := touch(t, filepath.Join(t.TempDir(), "other.so"))
	c := ortlib.New(ortlib.Search{Explicit: other})
	if err := c.Init(); err == nil || !strings.Contains(err.Error(), "already initialised") {
		t.Fatalf("Init with another library: %v", err)
	}
}
