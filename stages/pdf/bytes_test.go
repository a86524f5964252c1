package pdf

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readFixture writes a fixture with make and returns its path and bytes.
func readFixture(t *testing.T, name string, make func(path string)) (string, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	make(path)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, data
}

func TestExtractBytesTextLayer(t *testing.T) {
	requireTools(t, false)
	path, data := readFixture(t, "letter.pdf", func(p string) {
		textPDF(t, p, "Dear Jean Dupont,\nyour IBAN FR7630006000011234567890189.", "Page two: call 06 12 34 56 78.", "Élodie Lefèvre, 12 rue de l'Église, Saint-Étienne")
	})
	mem, err := ExtractBytes(context.Background(), data, Options{OCR: failingOCR{t}})
	if err != nil {
		t.Fatal(err)
	}
	if len(mem) != 3 {
		t.Fatalf("%d pages, want 3", len(mem))
	}
	for _, tt := range []struct {
		page int
		want string
	}{{1, "Dear Jean Dupont,"}, {1, "FR7630006000011234567890189"}, {2, "call 06 12 34 56 78"}, {3, "Élodie Lefèvre, 12 rue de l'Église, Saint-Étienne"}} {
		p := mem[tt.page-1]
		if p.Number != tt.page || p.Source != "text" || !strings.Contains(p.Text, tt.want) {
			t.Errorf("page %d (%s) = %q, want it to contain %q", p.Number, p.Source, p.Text, tt.want)
		}
	}
	// One implementation: the file path gives exactly the same pages.
	file, err := Extract(context.Background(), path, Options{OCR: failingOCR{t}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(mem, file) {
		t.Errorf("ExtractBytes %+v\nExtract      %+v", mem, file)
	}
}

func TestExtractBytesScannedTesseract(t *testing.T) {
	requireTools(t, true)
	path, data := readFixture(t, "scan.pdf", func(p string) {
		scannedPDF(t, p, []string{"Patient: Marie Curie", "Email: marie.curie@example.org", "Ville: Paris"})
	})
	plain, err := ExtractBytes(context.Background(), data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(plain) != 1 || plain[0].Text != "" || plain[0].Source != "text" {
		t.Fatalf("scan has a text layer? %+v", plain)
	}
	mem, err := ExtractBytes(context.Background(), data, Options{OCR: Tesseract{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(mem) != 1 || mem[0].Source != OCRTesseract {
		t.Fatalf("pages %+v", mem)
	}
	for _, want := range []string{"Marie Curie", "marie.curie@example.org", "Paris"} {
		if !strings.Contains(mem[0].Text, want) {
			t.Errorf("OCR text %q lacks %q", mem[0].Text, want)
		}
	}
	file, err := Extract(context.Background(), path, Options{OCR: Tesseract{}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(mem, file) {
		t.Errorf("ExtractBytes %+v\nExtract      %+v", mem, file)
	}
}

// TestExtractBytesWritesNothing extracts a text page and OCRs a scanned one
// with TMPDIR pointed at an empty directory and the working directory an
// empty read-only one: both must stay empty.
func TestExtractBytesWritesNothing(t *testing.T) {
	requireTools(t, true)
	_, text := readFixture(t, "letter.pdf", func(p string) { textPDF(t, p, "Write to jean.dupont@example.fr") })
	_, scan := readFixture(t, "scan.pdf", func(p string) { scannedPDF(t, p, []string{"Email: marie.curie@example.org"}) })
	tmp, cwd := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("TMP", tmp)
	t.Setenv("TEMP", tmp)
	if err := os.Chmod(cwd, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(cwd, 0o755) })
	t.Chdir(cwd)
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{"text layer": {text, "jean.dupont@example.fr"}, "scanned": {scan, "marie.curie@example.org"}} {
		pages, err := ExtractBytes(context.Background(), tc.data, Options{OCR: Tesseract{}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(pages) != 1 || !strings.Contains(pages[0].Text, tc.want) {
			t.Errorf("%s: pages %+v, want %q", name, pages, tc.want)
		}
	}
	for _, dir := range []string{tmp, cwd} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 0 {
			t.Errorf("extraction wrote into %s: %v", dir, entries)
		}
	}
}

func TestExtractBytesUnreadable(t *testing.T) {
	requireTools(t, false)
	for name, data := range map[string][]byte{
		"empty":         nil,
		"not a pdf":     []byte("hello, world"),
		"broken pdf":    []byte("%PDF-1.4\nthis is not a pdf\n%%EOF"),
		"truncated pdf": truncatedPDF(t),
	} {
		pages, err := ExtractBytes(context.Background(), data, Options{OCR: failingOCR{t}})
		if !errors.Is(err, ErrUnreadable) {
			t.Errorf("%s: pages %+v, err %v, want ErrUnreadable", name, pages, err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, data := readFixture(t, "letter.pdf", func(p string) { textPDF(t, p, "hello") })
	if _, err := ExtractBytes(ctx, data, Options{}); !errors.Is(err, context.Canceled) || errors.Is(err, ErrUnreadable) {
		t.Errorf("cancelled: err %v, want context.Canceled", err)
	}
}

// truncatedPDF is the first half of a text PDF.
func truncatedPDF(t *testing.T) []byte {
	_, data := readFixture(t, "cut.pdf", func(p string) { textPDF(t, p, "Dear Jean Dupont") })
	return data[:len(data)/2]
}
