package server

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/piimask/piimask/stages/pdf"
	"github.com/piimask/piimask/stages/pdf/pdftest"
)

// requireOCR reports whether poppler and Tesseract are installed; without
// them it skips the test when skip is true (fails under CI either way:
// scripts/setup-pdf.sh installs them).
func requireOCR(t *testing.T, skip bool) bool {
	t.Helper()
	if pdf.Available() && pdf.TesseractAvailable() {
		return true
	}
	if os.Getenv("CI") != "" {
		t.Fatal("poppler-utils/tesseract missing: run scripts/setup-pdf.sh")
	}
	if skip {
		t.Skip("poppler-utils/tesseract missing: run scripts/setup-pdf.sh")
	}
	return false
}

// scannedPDF is a one-page PDF holding only an image of lines of text.
func scannedPDF(t *testing.T, lines ...string) []byte {
	t.Helper()
	data, err := pdftest.ScannedPDF(lines)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var scanLines = []string{"Patient: Marie Curie", "Email: marie.curie@example.org", "Ville: Paris", "Serveur: 192.168.1.20"}

// TestPDFScannedOCR uploads a scanned page: the server OCRs it in memory
// with Tesseract and the rules method finds the e-mail and the IP address
// in the OCR'd text; with OCR off the same upload is a 422 pdf_no_text.
func TestPDFScannedOCR(t *testing.T) {
	requireOCR(t, true)
	scan := scannedPDF(t, scanLines...)
	_, ts := newTestServer(t, Options{PDF: PDFText(pdf.Tesseract{}, 0), PDFOCR: pdf.OCRTesseract}, rulesMethod(t))

	ct, body := multipartBody(t, map[string]string{"methods": "rules", "operator": "placeholder"}, "scan.pdf", "application/pdf", scan)
	r := do(t, http.MethodPost, ts.URL+"/v1/mask", ct, body, nil)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	resp := decode[AnalyseResponse](t, r)
	if resp.Source != "file:pdf" {
		t.Errorf("source %q, want file:pdf", resp.Source)
	}
	for _, want := range []string{"Marie Curie", "Paris"} {
		if !strings.Contains(resp.Text, want) {
			t.Errorf("OCR'd text %q lacks %q", resp.Text, want)
		}
	}
	res := resp.Results[0]
	got := entityTexts(res)
	for label, want := range map[string]string{"EMAIL": "marie.curie@example.org", "IPV4": "192.168.1.20"} {
		if got[label] != want {
			t.Errorf("entity %s = %q, want %q (all: %v)", label, got[label], want, got)
		}
	}
	for _, e := range res.Entities {
		if s := string([]rune(resp.Text)[e.Start:e.End]); s != e.Text {
			t.Errorf("entity %+v: text at offsets is %q", e, s)
		}
	}
	if strings.Contains(res.Masked, "marie.curie@example.org") || !strings.Contains(res.Masked, "[EMAIL_1]") || !strings.Contains(res.Masked, "Marie Curie") {
		t.Errorf("masked text %q", res.Masked)
	}

	m := decode[methodsResponse](t, do(t, http.MethodGet, ts.URL+"/v1/methods", "", nil, nil))
	if !m.Limits.PDF || m.Limits.PDFOCR != pdf.OCRTesseract {
		t.Errorf("limits %+v, want pdf with tesseract OCR", m.Limits)
	}

	// OCR off: a scan has no text for the server.
	_, off := newTestServer(t, Options{PDF: PDFText(nil, 0)}, rulesMethod(t))
	ct, body = multipartBody(t, nil, "scan.pdf", "application/pdf", scan)
	r = do(t, http.MethodPost, off.URL+"/v1/mask", ct, body, nil)
	if r.status != http.StatusUnprocessableEntity || r.errCode(t) != "pdf_no_text" || !strings.Contains(string(r.body), "OCR") {
		t.Errorf("OCR off: status %d: %s", r.status, r.body)
	}
	if m := decode[methodsResponse](t, do(t, http.MethodGet, off.URL+"/v1/methods", "", nil, nil)); !m.Limits.PDF || m.Limits.PDFOCR != "" {
		t.Errorf("OCR off: limits %+v", m.Limits)
	}
}

// TestPDFMistralOCR: with the Mistral OCR engine the upload's bytes go to
// the API (a fake server here) and its text comes back analysed.
func TestPDFMistralOCR(t *testing.T) {
	requirePDF(t)
	scan := scannedPDF(t, "Hello")
	var calls atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/v1/ocr" || r.Header.Get("Authorization") != "Bearer k" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"pages":[{"index":0,"markdown":"Contact: paul.martin@example.com"}],"model":"m","usage_info":{"pages_processed":1}}`))
	}))
	defer api.Close()
	_, ts := newTestServer(t, Options{PDF: PDFText(&pdf.Mistral{BaseURL: api.URL, APIKey: "k"}, 0), PDFOCR: pdf.OCRMistral}, rulesMethod(t))
	ct, body := multipartBody(t, nil, "scan.pdf", "application/pdf", scan)
	r := do(t, http.MethodPost, ts.URL+"/v1/detect", ct, body, nil)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if got := entityTexts(decode[AnalyseResponse](t, r).Results[0]); got["EMAIL"] != "paul.martin@example.com" || calls.Load() != 1 {
		t.Errorf("entities %v after %d OCR calls", got, calls.Load())
	}
	// A failing OCR API is the server's problem (503), not the upload's.
	_, bad := newTestServer(t, Options{PDF: PDFText(&pdf.Mistral{BaseURL: api.URL, APIKey: "wrong"}, 0), PDFOCR: pdf.OCRMistral}, rulesMethod(t))
	ct, body = multipartBody(t, nil, "scan.pdf", "application/pdf", scan)
	if r := do(t, http.MethodPost, bad.URL+"/v1/detect", ct, body, nil); r.status != http.StatusServiceUnavailable || r.errCode(t) != "pdf_failed" {
		t.Errorf("failing OCR API: status %d: %s", r.status, r.body)
	}
}

// gateOCR counts the OCR calls in flight and waits on its gate.
type gateOCR struct {
	mu            sync.Mutex
	inFlight, max int
	delay         time.Duration
}

func (g *gateOCR) Name() string { return "gate" }
func (g *gateOCR) Page(ctx context.Context, _ pdf.Source, _ int) (string, error) {
	g.mu.Lock()
	g.inFlight++
	g.max = max(g.max, g.inFlight)
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.inFlight--
		g.mu.Unlock()
	}()
	select {
	case <-time.After(g.delay):
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return "ocr text", nil
}

// TestPDFTextBounded: at most `concurrency` extractions run at once; the
// others wait, and give up when their context ends.
func TestPDFTextBounded(t *testing.T) {
	requirePDF(t)
	scan := scannedPDF(t, "Hello")
	g := &gateOCR{delay: 100 * time.Millisecond}
	x := PDFText(g, 1)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if text, err := x(context.Background(), scan); err != nil || text != "ocr text" {
				t.Errorf("text %q, err %v", text, err)
			}
		})
	}
	wg.Wait()
	if g.max != 1 {
		t.Errorf("%d extractions ran at once, want 1", g.max)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := x(ctx, scan); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err %v", err)
	}
	if _, err := x(context.Background(), []byte("%PDF-1.4 broken")); !errors.Is(err, errBrokenPDF) {
		t.Errorf("broken PDF: err %v, want errBrokenPDF", err)
	}
}
