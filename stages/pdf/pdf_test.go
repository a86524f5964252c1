package pdf

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"github.com/piimask/piimask/internal/llmapi"
	"github.com/piimask/piimask/stages/pdf/pdftest"
)

// requireTools skips when the poppler tools are missing outside CI, and
// fails under CI=true (scripts/setup-pdf.sh installs them).
func requireTools(t *testing.T, ocr bool) {
	t.Helper()
	ok := Available() && (!ocr || TesseractAvailable())
	if ok {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatal("poppler-utils/tesseract missing: run scripts/setup-pdf.sh")
	}
	t.Skip("poppler-utils/tesseract missing: run scripts/setup-pdf.sh")
}

// textPDF writes a two-page PDF with a text layer.
func textPDF(t *testing.T, path string, pages ...string) {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	tr := p.UnicodeTranslatorFromDescriptor("")
	for _, text := range pages {
		p.AddPage()
		p.SetFont("Helvetica", "", 14)
		for _, line := range strings.Split(text, "\n") {
			p.Cell(0, 10, tr(line))
			p.Ln(10)
		}
	}
	if err := p.OutputFileAndClose(path); err != nil {
		t.Fatal(err)
	}
}

// scannedPDF writes a one-page PDF holding only an image of text.
func scannedPDF(t *testing.T, path string, lines []string) {
	t.Helper()
	data, err := pdftest.ScannedPDF(lines)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestExtractTextLayer(t *testing.T) {
	requireTools(t, false)
	path := filepath.Join(t.TempDir(), "letter.pdf")
	textPDF(t, path, "Dear Jean Dupont,\nyour IBAN FR7630006000011234567890189.", "Page two: call 06 12 34 56 78.")
	pages, err := Extract(context.Background(), path, Options{OCR: failingOCR{t}})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 {
		t.Fatalf("%d pages, want 2", len(pages))
	}
	tests := []struct {
		page int
		want string
	}{{1, "Dear Jean Dupont,"}, {1, "FR7630006000011234567890189"}, {2, "call 06 12 34 56 78"}}
	for _, tt := range tests {
		p := pages[tt.page-1]
		if p.Number != tt.page || p.Source != "text" || !strings.Contains(p.Text, tt.want) {
			t.Errorf("page %d (%s) = %q, want it to contain %q", p.Number, p.Source, p.Text, tt.want)
		}
	}
}

// failingOCR fails the test if OCR is called for a page with a text layer.
type failingOCR struct{ t *testing.T }

func (f failingOCR) Name() string { return "failing" }
func (f failingOCR) Page(context.Context, Source, int) (string, error) {
	f.t.Error("OCR called for a page with a text layer")
	return "", nil
}

func TestExtractScannedTesseract(t *testing.T) {
	requireTools(t, true)
	path := filepath.Join(t.TempDir(), "scan.pdf")
	scannedPDF(t, path, []string{"Patient: Marie Curie", "Email: marie.curie@example.org", "Ville: Paris"})
	plain, err := Extract(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if plain[0].Text != "" || plain[0].Source != "text" {
		t.Fatalf("scan has a text layer? %+v", plain[0])
	}
	pages, err := Extract(context.Background(), path, Options{OCR: Tesseract{}})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 1 || pages[0].Source != OCRTesseract {
		t.Fatalf("pages %+v", pages)
	}
	for _, want := range []string{"Marie Curie", "marie.curie@example.org", "Paris"} {
		if !strings.Contains(pages[0].Text, want) {
			t.Errorf("OCR text %q lacks %q", pages[0].Text, want)
		}
	}
}

func TestMistralOCR(t *testing.T) {
	requireTools(t, false)
	path := filepath.Join(t.TempDir(), "scan.pdf")
	scannedPDF(t, path, []string{"Hello"})
	var calls int
	var sent []byte // the PDF bytes of the last request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.Method != http.MethodPost || r.URL.Path != "/v1/ocr" {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		if r.Header.Get("Authorization") != "Bearer test-key" || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, `{"message":"Unauthorized"}`, http.StatusUnauthorized)
			return
		}
		var req llmapi.OCRRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, "bad json", http.StatusUnprocessableEntity)
			return
		}
		const prefix = "data:application/pdf;base64,"
		pdfBytes, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(req.Document.DocumentURL, prefix))
		if req.Model != "mistral-ocr-latest" || req.Document.Type != "document_url" || !strings.HasPrefix(req.Document.DocumentURL, prefix) ||
			err != nil || !bytes.HasPrefix(pdfBytes, []byte("%PDF")) || len(req.Pages) != 1 || req.Pages[0] != 0 {
			http.Error(w, "bad request shape", http.StatusUnprocessableEntity)
			return
		}
		sent = pdfBytes
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"pages":[{"index":0,"markdown":"# Patient\n\nMarie Curie, marie.curie@example.org","images":[],"dimensions":{"dpi":200,"height":2339,"width":1654}}],"model":"mistral-ocr-2505-completion","usage_info":{"pages_processed":1,"doc_size_bytes":` + "1234" + `}}`))
	}))
	defer srv.Close()
	pages, err := Extract(context.Background(), path, Options{OCR: &Mistral{BaseURL: srv.URL, APIKey: "test-key"}})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || pages[0].Source != OCRMistral || pages[0].Text != "# Patient\n\nMarie Curie, marie.curie@example.org\n" {
		t.Errorf("calls %d, page %+v", calls, pages[0])
	}
	// In memory: the same request, carrying exactly the bytes given.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mem, err := ExtractBytes(context.Background(), data, Options{OCR: &Mistral{BaseURL: srv.URL, APIKey: "test-key"}})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2 || !bytes.Equal(sent, data) || !reflect.DeepEqual(mem, pages) {
		t.Errorf("ExtractBytes: calls %d, sent the PDF: %v, pages %+v, want %+v", calls, bytes.Equal(sent, data), mem, pages)
	}
	if _, err := Extract(context.Background(), path, Options{OCR: &Mistral{BaseURL: srv.URL, APIKey: "wrong"}}); err == nil || !strings.Contains(err.Error(), "HTTP 401") {
		t.Errorf("wrong key: err = %v", err)
	}
	if _, err := Extract(context.Background(), path, Options{OCR: &Mistral{BaseURL: srv.URL}}); err == nil || !strings.Contains(err.Error(), EnvMistralKey) {
		t.Errorf("no key: err = %v", err)
	}
}
