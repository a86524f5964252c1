package checkpoint

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestResumeAndAssemble(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "work")
	s, err := Open(dir, "fp1")
	if err != nil {
		t.Fatal(err)
	}
	for i, body := range []string{"a\n", "b\n"} {
		if err := os.WriteFile(s.PartPath(i, "out"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := s.Commit(Part{Index: i, Docs: int64(i + 1)}, map[string]int{"n": i}); err != nil {
			t.Fatal(err)
		}
	}
	// A part written but never committed (a crash before Commit) is ignored.
	os.WriteFile(s.PartPath(2, "out"), []byte("partial"), 0o644)

	again, err := Open(dir, "fp1")
	if err != nil {
		t.Fatal(err)
	}
	st := again.State()
	if len(st.Parts) != 2 || st.Docs() != 3 || string(st.Extra) != `{"n":1}` {
		t.Fatalf("reloaded state %+v", st)
	}
	if err := again.Commit(Part{Index: 5}, nil); err == nil {
		t.Error("out-of-order part accepted")
	}
	final := filepath.Join(t.TempDir(), "final.txt")
	if err := again.Assemble(final, "out", []byte("H\n")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(final); string(b) != "H\na\nb\n" {
		t.Errorf("assembled %q", b)
	}
	if _, err := Open(dir, "fp2"); !errors.Is(err, ErrMismatch) {
		t.Errorf("other fingerprint: %v", err)
	}
	if err := again.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Error("work dir left")
	}
}
