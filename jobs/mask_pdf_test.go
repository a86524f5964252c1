package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/piimask/piimask/internal/checkpoint"
	"github.com/piimask/piimask/stages/pdf"
	"github.com/piimask/piimask/stages/pdf/pdftest"
)

// redactedLetterPDF writes a twelve-page PDF with a text layer: e-mail
// addresses and an IBAN (found by the rules method) among ordinary words on
// the first three pages, filler after.
func redactedLetterPDF(t *testing.T, path string) {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	pages := [][]string{
		{"Quarterly report for the garden club", "Contact: jean.dupont@example.com", "Weather was sunny all week."},
		{"Payment details", "IBAN FR7630006000011234567890189 for the deposit", "Thanks for the flowers."},
		{"Second contact: marie.curie@example.org", "Meeting on the terrace."},
	}
	// Filler pages, so that an interrupted run has work left after its first
	// part.
	for i := 4; i <= 12; i++ {
		pages = append(pages, []string{fmt.Sprintf("Appendix page %d", i), "Notes about roses and tulips."})
	}
	for _, lines := range pages {
		p.AddPage()
		p.SetFont("Helvetica", "", 14)
		for _, l := range lines {
			p.Cell(0, 10, l)
			p.Ln(12)
		}
	}
	if err := p.OutputFileAndClose(path); err != nil {
		t.Fatal(err)
	}
}

func requirePDFTools(t *testing.T) {
	t.Helper()
	if pdf.Available() && pdf.TesseractAvailable() {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatal("poppler-utils/tesseract missing: run scripts/setup-test.sh")
	}
	t.Skip("poppler-utils/tesseract missing: run scripts/setup-test.sh")
}

// runMaskCtx loads and runs the mask job at path with ctx, returning its log.
func runMaskCtx(ctx context.Context, t *testing.T, path string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	env := maskEnv(&out)
	l, err := Load(path, env)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	err = Run(ctx, l, env)
	return out.String(), err
}

// TestMaskRedactedPDF: with mask.pdf_output: redacted the mask job writes a
// PDF at the input's path whose text layer is gone (pdftotext finds no
// masked value, and no text at all) and whose pages, read by OCR, still show
// the ordinary words but not the masked values: the black boxes sit where
// the PII was. An interrupted run resumes to the same bytes.
func TestMaskRedactedPDF(t *testing.T) {
	requirePDFTools(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	redactedLetterPDF(t, filepath.Join(in, "club.pdf"))
	cfg := func(out string) string {
		path := filepath.Join(dir, filepath.Base(out)+".yaml")
		os.WriteFile(path, []byte(fmt.Sprintf(`kind: mask
input: {paths: [%s]}
methods: [{name: rules, type: rules}]
mask: {pdf_output: redacted, part_docs: 1}
concurrency: {batch_size: 1, workers: 1}
output: {dir: %s}
`, in, out)), 0o644)
		return path
	}
	full := filepath.Join(dir, "full")
	if log, err := runMaskCtx(context.Background(), t, cfg(full)); err != nil {
		t.Fatalf("run: %v\n%s", err, log)
	}
	checkRedactedPDFText(t, full)
	checkRedactedPDFAudit(t, full)
	checkRedactedPDFResume(t, dir, full, cfg)
}

// checkRedactedPDFText: the redacted PDF under full has 12 pages, no text
// layer, and an OCR of its first pages reads the ordinary words but no
// masked value.
func checkRedactedPDFText(t *testing.T, full string) {
	t.Helper()
	outPDF := filepath.Join(full, "masked", "club.pdf")
	if _, err := os.Stat(filepath.Join(full, "masked", "club")); err == nil {
		t.Error("Markdown pages written with pdf_output: redacted")
	}
	n, err := pdf.PageCount(context.Background(), outPDF)
	if err != nil || n != 12 {
		t.Fatalf("redacted PDF: %d pages, %v", n, err)
	}
	txt, err := exec.Command("pdftotext", "-enc", "UTF-8", outPDF, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	masked := []string{"jean.dupont@example.com", "FR7630006000011234567890189", "marie.curie@example.org"}
	for _, v := range masked {
		if strings.Contains(string(txt), v) {
			t.Errorf("pdftotext of the redacted PDF finds %q", v)
		}
	}
	if s := strings.TrimSpace(strings.ReplaceAll(string(txt), "\f", "")); s != "" {
		t.Errorf("pdftotext of the redacted PDF reads %q, want no text", s)
	}
	data, err := os.ReadFile(outPDF)
	if err != nil {
		t.Fatal(err)
	}
	var seen strings.Builder
	for p := 1; p <= 3; p++ {
		s, err := pdf.Tesseract{Languages: "eng"}.Page(context.Background(), pdf.Source{Data: data}, p)
		if err != nil {
			t.Fatal(err)
		}
		seen.WriteString(s)
	}
	for _, want := range []string{"Quarterly", "garden", "Contact", "sunny", "Payment", "deposit", "flowers", "terrace"} {
		if !strings.Contains(seen.String(), want) {
			t.Errorf("OCR of the redacted PDF misses %q:\n%s", want, seen.String())
		}
	}
	for _, bad := range []string{"dupont", "example.com", "FR76", "0189", "curie", "example.org"} {
		if strings.Contains(strings.ToLower(seen.String()), strings.ToLower(bad)) {
			t.Errorf("OCR of the redacted PDF reads the masked %q:\n%s", bad, seen.String())
		}
	}
}

// checkRedactedPDFAudit: the audit names the pages of the PDF, with the
// classes replaced.
func checkRedactedPDFAudit(t *testing.T, full string) {
	t.Helper()
	audit, err := os.ReadFile(filepath.Join(full, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	labels := map[string]bool{}
	for i, line := range strings.Split(strings.TrimSpace(string(audit)), "\n") {
		var al auditLine
		if err := json.Unmarshal([]byte(line), &al); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("club.pdf#page=%d", i+1); al.Output != want || al.Page != i+1 {
			t.Errorf("audit line %d: output %q page %d, want %q", i+1, al.Output, al.Page, want)
		}
		for _, s := range al.Spans {
			labels[s.Label] = true
		}
	}
	if !labels["EMAIL"] || !labels["IBAN"] {
		t.Errorf("audit classes %v, want EMAIL and IBAN", labels)
	}
}

// checkRedactedPDFResume: interrupted after its first part, then rerun, the
// job (config cfg(<out>)) gives the same audit bytes and page images as the
// uninterrupted run in full.
func checkRedactedPDFResume(t *testing.T, dir, full string, cfg func(string) string) {
	t.Helper()
	killed := filepath.Join(dir, "killed")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer cancel()
		ck := filepath.Join(killed, ".work", checkpoint.FileName)
		for ctx.Err() == nil {
			if b, _ := os.ReadFile(ck); bytes.Contains(b, []byte(`"index"`)) {
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	_, err := runMaskCtx(ctx, t, cfg(killed))
	cancel()
	if err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v, want it cancelled before the end (make the PDF longer)", err)
	}
	if _, err := os.Stat(filepath.Join(killed, "masked", "club.pdf")); err == nil {
		t.Fatal("the interrupted run wrote the redacted PDF")
	}
	log, err := runMaskCtx(context.Background(), t, cfg(killed))
	if err != nil {
		t.Fatalf("resumed run: %v\n%s", err, log)
	}
	if !strings.Contains(log, "resuming mask job") {
		t.Errorf("second run did not resume:\n%s", log)
	}
	// The audit is byte-identical; the PDF has the same page images (fpdf
	// may write image objects of equal size in another order).
	a, _ := os.ReadFile(filepath.Join(full, "audit.jsonl"))
	b, _ := os.ReadFile(filepath.Join(killed, "audit.jsonl"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Errorf("audit.jsonl differs after an interrupted run and resume (%d vs %d bytes)", len(a), len(b))
	}
	pa, pb := pdfImages(t, filepath.Join(full, "masked", "club.pdf")), pdfImages(t, filepath.Join(killed, "masked", "club.pdf"))
	if len(pa) != 12 || !reflect.DeepEqual(pa, pb) {
		t.Errorf("redacted PDF pages differ after an interrupted run and resume (%d vs %d images)", len(pa), len(pb))
	}
}

func pdfImages(t *testing.T, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	imgs, err := pdftest.PageImages(data)
	if err != nil {
		t.Fatal(err)
	}
	return imgs
}

func TestMaskRedactedPDFConfigErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ mask, want string }{
		{"{pdf_output: raster}", `mask.pdf_output: unknown PDF output "raster"`},
		{"{pdf_output: redacted, ocr: mistral}", "mask.ocr: pdf_output redacted needs word boxes"},
		{"{pdf_output: redacted, pdf_dpi: 20}", "mask.pdf_dpi: must be between 72 and 600"},
	} {
		path := filepath.Join(dir, "job.yaml")
		os.WriteFile(path, []byte(fmt.Sprintf("kind: mask\ninput: {paths: [%s]}\nmethods: [{name: rules, type: rules}]\nmask: %s\noutput: {dir: %s}\n", dir, tc.mask, filepath.Join(dir, "out"))), 0o644)
		var out bytes.Buffer
		env := maskEnv(&out)
		l, err := Load(path, env)
		if err == nil {
			err = Run(context.Background(), l, env)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "job.yaml:4") {
			t.Errorf("%s: error %v, want %q at job.yaml:4", tc.mask, err, tc.want)
		}
	}
}

// BenchmarkMaskPDFOutput masks a 20-page A4 PDF (40 lines a page, an e-mail
// address and an IBAN on each line) with the rules method, as Markdown
// pages and as a redacted PDF:
//
//	go test ./jobs -run '^$' -bench MaskPDFOutput -benchtime 3x
func BenchmarkMaskPDFOutput(b *testing.B) {
	if !pdf.Available() {
		b.Skip("poppler-utils missing")
	}
	dir := b.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	p := fpdf.New("P", "mm", "A4", "")
	for i := 0; i < 20; i++ {
		p.AddPage()
		p.SetFont("Helvetica", "", 11)
		for j := 0; j < 40; j++ {
			p.Cell(0, 6, fmt.Sprintf("Line %d, page %d: mail person%d@example.com, IBAN FR7630006000011234567890189.", j, i, j))
			p.Ln(6)
		}
	}
	if err := p.OutputFileAndClose(filepath.Join(in, "doc.pdf")); err != nil {
		b.Fatal(err)
	}
	for _, mode := range []string{"markdown", "redacted"} {
		b.Run(mode, func(b *testing.B) {
			var size int64
			for i := 0; i < b.N; i++ {
				out := filepath.Join(dir, fmt.Sprintf("%s-%d", mode, i))
				path := out + ".yaml"
				os.WriteFile(path, []byte(fmt.Sprintf("kind: mask\ninput: {paths: [%s]}\nmethods: [{name: rules, type: rules}]\nmask: {pdf_output: %s}\noutput: {dir: %s}\n", in, mode, out)), 0o644)
				var log bytes.Buffer
				env := maskEnv(&log)
				l, err := Load(path, env)
				if err != nil {
					b.Fatal(err)
				}
				if err := Run(context.Background(), l, env); err != nil {
					b.Fatalf("%v\n%s", err, log.String())
				}
				if mode == "redacted" {
					st, _ := os.Stat(filepath.Join(out, "masked", "doc.pdf"))
					size = st.Size()
				}
			}
			b.ReportMetric(float64(b.N*20)/b.Elapsed().Seconds(), "pages/s")
			if size > 0 {
				b.ReportMetric(float64(size)/20/1024, "KiB/page")
			}
		})
	}
}
