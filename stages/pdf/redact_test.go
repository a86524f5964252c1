package pdf

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"github.com/piimask/piimask/stages/pdf/pdftest"
)

// redactPDF redacts every page of path, blacking out the words that overlap
// the first occurrence of each value on the page, and returns the new PDF.
func redactPDF(t *testing.T, path string, opts Options, values []string) ([]byte, []LayoutPage) {
	t.Helper()
	ctx := context.Background()
	pages, err := ExtractLayout(ctx, path, opts)
	if err != nil {
		t.Fatal(err)
	}
	var imgs []PageImage
	found := map[string]bool{}
	for _, p := range pages {
		var ranges [][2]int
		for _, v := range values {
			if i := strings.Index(p.Text, v); i >= 0 {
				found[v] = true
				start := len([]rune(p.Text[:i]))
				ranges = append(ranges, [2]int{start, start + len([]rune(v))})
			}
		}
		img, err := RedactPage(ctx, Source{Path: path}, p.Number, 0, p.Width, p.Height, p.BoxesFor(ranges), 1)
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, PageImage{PNG: img, Width: p.Width, Height: p.Height})
	}
	for _, v := range values {
		if !found[v] {
			t.Fatalf("%q is on no page: %+v", v, pages)
		}
	}
	out, err := Assemble(imgs)
	if err != nil {
		t.Fatal(err)
	}
	return out, pages
}

// ocrText reads a PDF's pages back with Tesseract (what a person sees).
func ocrText(t *testing.T, data []byte) string {
	t.Helper()
	n, err := pageCount(context.Background(), Source{Data: data})
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for i := 1; i <= n; i++ {
		s, err := Tesseract{Languages: "eng"}.Page(context.Background(), Source{Data: data}, i)
		if err != nil {
			t.Fatal(err)
		}
		all.WriteString(s)
	}
	return all.String()
}

func TestExtractLayoutWordRanges(t *testing.T) {
	requireTools(t, false)
	path := filepath.Join(t.TempDir(), "a.pdf")
	textPDF(t, path, "Dear Jean Dupont, café & <b>\nyour IBAN FR7630006000011234567890189.", "Page two")
	pages, err := ExtractLayout(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 || pages[0].Text != "Dear Jean Dupont, café & <b>\n\nyour IBAN FR7630006000011234567890189.\n" || pages[1].Text != "Page two\n" {
		t.Fatalf("pages %+v", pages)
	}
	p := pages[0]
	runes := []rune(p.Text)
	var got []string
	for _, w := range p.Words {
		got = append(got, string(runes[w.Start:w.End]))
		if w.Box.X1 <= w.Box.X0 || w.Box.Y1 <= w.Box.Y0 || w.Box.X1 > p.Width || w.Box.Y1 > p.Height {
			t.Errorf("word %q: box %+v outside the %gx%g page", got[len(got)-1], w.Box, p.Width, p.Height)
		}
	}
	if want := "Dear|Jean|Dupont,|café|&|<b>|your|IBAN|FR7630006000011234567890189."; strings.Join(got, "|") != want {
		t.Fatalf("words %q, want %q", strings.Join(got, "|"), want)
	}
	// "Jean Dupont" touches two words; the second line's words sit lower.
	boxes := p.BoxesFor([][2]int{{5, 16}})
	if len(boxes) != 2 || boxes[0] != p.Words[1].Box || boxes[1] != p.Words[2].Box {
		t.Fatalf("boxes for Jean Dupont: %+v", boxes)
	}
	if p.Words[7].Box.Y0 <= p.Words[0].Box.Y1 {
		t.Errorf("second line at y %g not below the first (ends %g)", p.Words[7].Box.Y0, p.Words[0].Box.Y1)
	}
}

// TestRedactTextPDF: the redacted PDF has no text at all (pdftotext gives
// nothing, so no masked value), and OCR of it still reads the words that
// were not masked but none of the masked ones: the boxes are where the PII
// was.
func TestRedactTextPDF(t *testing.T) {
	requireTools(t, true)
	dir := t.TempDir()
	path := filepath.Join(dir, "letter.pdf")
	textPDF(t, path,
		"Weather report for Tuesday",
		"Dear Jean Dupont,\nyour IBAN FR7630006000011234567890189 is noted.\nWeather report: sunny.",
		"Page two: call 06 12 34 56 78 today.")
	masked := []string{"Jean Dupont", "FR7630006000011234567890189", "06 12 34 56 78"}
	out, _ := redactPDF(t, path, Options{}, masked)
	red := filepath.Join(dir, "redacted.pdf")
	if err := os.WriteFile(red, out, 0o644); err != nil {
		t.Fatal(err)
	}
	n, err := PageCount(context.Background(), red)
	if err != nil || n != 3 {
		t.Fatalf("redacted PDF: %d pages, %v", n, err)
	}
	txt, err := run(context.Background(), nil, "pdftotext", "-enc", "UTF-8", red, "-")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(strings.ReplaceAll(string(txt), "\f", "")) != "" {
		t.Fatalf("pdftotext of the redacted PDF reads %q, want no text at all", txt)
	}
	for _, needle := range [][]byte{[]byte("Dupont"), []byte("FR76"), []byte("/Type /Font")} {
		if bytes.Contains(out, needle) {
			t.Errorf("redacted PDF bytes contain %q", needle)
		}
	}
	seen := ocrText(t, out)
	for _, want := range []string{"Weather", "report", "sunny", "Dear", "noted", "call", "today"} {
		if !strings.Contains(seen, want) {
			t.Errorf("OCR of the redacted PDF misses the unmasked word %q:\n%s", want, seen)
		}
	}
	for _, bad := range []string{"Jean", "Dupont", "FR76", "0189", "06 12", "56 78"} {
		if strings.Contains(seen, bad) {
			t.Errorf("OCR of the redacted PDF reads the masked %q:\n%s", bad, seen)
		}
	}
	// The same input gives the same page images.
	again, _ := redactPDF(t, path, Options{}, masked)
	if a, b := pageImages(t, out), pageImages(t, again); !reflect.DeepEqual(a, b) || len(a) != 3 {
		t.Errorf("redacting twice gave different page images (%d and %d pages)", len(a), len(b))
	}
}

// TestRedactScannedPage: a page without a text layer is read by Tesseract
// with word boxes, and its PII is blacked out in the image too.
func TestRedactScannedPage(t *testing.T) {
	requireTools(t, true)
	dir := t.TempDir()
	path := filepath.Join(dir, "scan.pdf")
	scannedPDF(t, path, []string{"Customer Marie Lefebvre", "Phone 06 98 76 54 32", "Thank you"})
	out, pages := redactPDF(t, path, Options{OCR: Tesseract{Languages: "eng"}}, []string{"Lefebvre", "98 76 54 32"})
	if pages[0].Source != OCRTesseract || !strings.Contains(pages[0].Text, "Lefebvre") {
		t.Fatalf("scanned page read as %s: %q", pages[0].Source, pages[0].Text)
	}
	seen := ocrText(t, out)
	for _, want := range []string{"Customer", "Thank"} {
		if !strings.Contains(seen, want) {
			t.Errorf("OCR of the redacted scan misses %q:\n%s", want, seen)
		}
	}
	for _, bad := range []string{"Lefebvre", "98 76", "54 32"} {
		if strings.Contains(seen, bad) {
			t.Errorf("OCR of the redacted scan reads %q:\n%s", bad, seen)
		}
	}
}

func TestExtractLayoutNeedsBoxOCR(t *testing.T) {
	requireTools(t, false)
	dir := t.TempDir()
	scan := filepath.Join(dir, "scan.pdf")
	scannedPDF(t, scan, []string{"Customer Marie Lefebvre"})
	_, err := ExtractLayout(context.Background(), scan, Options{})
	if !errors.Is(err, ErrNoTextLayer) || !strings.Contains(err.Error(), "page 1") {
		t.Fatalf("scan without OCR: %v, want ErrNoTextLayer naming page 1", err)
	}
	_, err = ExtractLayout(context.Background(), scan, Options{OCR: &Mistral{}})
	if !errors.Is(err, ErrNoTextLayer) || !strings.Contains(err.Error(), "mistral") {
		t.Fatalf("scan with Mistral OCR: %v, want ErrNoTextLayer naming mistral", err)
	}
	// A blank page needs no OCR.
	blank := filepath.Join(dir, "blank.pdf")
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	if err := p.OutputFileAndClose(blank); err != nil {
		t.Fatal(err)
	}
	pages, err := ExtractLayout(context.Background(), blank, Options{})
	if err != nil || len(pages) != 1 || pages[0].Text != "" {
		t.Fatalf("blank page: %+v, %v", pages, err)
	}
}

func pageImages(t *testing.T, data []byte) [][]byte {
	t.Helper()
	imgs, err := pdftest.PageImages(data)
	if err != nil {
		t.Fatal(err)
	}
	return imgs
}
