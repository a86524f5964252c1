package jobs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/pdf"
	"github.com/piimask/piimask/stages/write"
)

// pdfSettings is how a mask run reads and writes PDF inputs.
type pdfSettings struct {
	ocr    pdf.OCR // nil: the text layer only
	redact bool    // mask.pdf_output: redacted
	dpi    int     // mask.pdf_dpi
}

// producePDF sends the pages of one PDF: one Markdown page document each,
// or, with mask.pdf_output: redacted, pages that keep their word boxes.
// idx counts the run's documents; done ones are skipped.
func (m *maskRun) producePDF(ctx context.Context, in maskInput, done int64, idx *int64, send func(*maskItem) error) error {
	n, err := pdf.PageCount(ctx, in.path)
	if err != nil {
		return err
	}
	// Every page already done: do not extract again (only without
	// filters, which must see every page to keep the same ones).
	if !hasFilters(m.job) && *idx+int64(n) <= done {
		*idx += int64(n)
		return nil
	}
	if m.pdf.redact {
		return m.produceRedacted(ctx, in, n, send)
	}
	pages, err := pdf.Extract(ctx, in.path, pdf.Options{OCR: m.pdf.ocr})
	if err != nil {
		return err
	}
	base := strings.TrimSuffix(in.rel, filepath.Ext(in.rel))
	for _, p := range pages {
		rec := record.Record{ID: fmt.Sprintf("%s#page=%d", in.path, p.Number), Text: p.Text, Origin: record.Origin{File: in.path, Row: int64(p.Number)}}
		out := filepath.Join(base, fmt.Sprintf("page-%04d.md", p.Number))
		if err := send(&maskItem{rec: rec, target: -1, out: out, page: p.Number}); err != nil {
			return err
		}
	}
	return nil
}

// produceRedacted emits the pages of a PDF to redact: the text the
// detectors see is built from the page's words, so every span maps to word
// boxes.
func (m *maskRun) produceRedacted(ctx context.Context, in maskInput, n int, send func(*maskItem) error) error {
	pages, err := pdf.ExtractLayout(ctx, in.path, pdf.Options{OCR: m.pdf.ocr})
	if err != nil {
		return err
	}
	if len(pages) != n {
		return fmt.Errorf("%s: pdfinfo says %d pages, pdftotext gave %d", in.path, n, len(pages))
	}
	for i := range pages {
		p := &pages[i]
		rec := record.Record{ID: fmt.Sprintf("%s#page=%d", in.path, p.Number), Text: p.Text, Origin: record.Origin{File: in.path, Row: int64(p.Number)}}
		if err := send(&maskItem{rec: rec, target: -1, out: in.rel, page: p.Number, layout: p, pdfPath: in.path, pdfPages: n}); err != nil {
			return err
		}
	}
	return nil
}

// renderRedacted renders it's page with the words of its masked spans
// blacked out.
func (m *maskRun) renderRedacted(ctx context.Context, it *maskItem) ([]byte, error) {
	ranges := make([][2]int, len(it.res.Replacements))
	for i, r := range it.res.Replacements {
		ranges[i] = [2]int{r.Start, r.End}
	}
	src := pdf.Source{Path: it.pdfPath}
	return pdf.RedactPage(ctx, src, it.page, m.pdf.dpi, it.layout.Width, it.layout.Height, it.layout.BoxesFor(ranges), 1)
}

// redactedPage writes it's redacted page image into the work directory and,
// after the PDF's last page, assembles the redacted PDF at masked/<its path>.
func (m *maskRun) redactedPage(it *maskItem) error {
	h := sha256.Sum256([]byte(it.out))
	dir := filepath.Join(m.parts.store.Dir(), "pdf", hex.EncodeToString(h[:8]))
	if err := write.WriteFileAtomic(filepath.Join(dir, fmt.Sprintf("page-%06d.png", it.page)), it.redacted); err != nil {
		return err
	}
	if it.page < it.pdfPages {
		return nil
	}
	imgs := make([]pdf.PageImage, it.pdfPages)
	for p := 1; p <= it.pdfPages; p++ {
		data, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("page-%06d.png", p)))
		if err != nil {
			return fmt.Errorf("%s: redacted page %d: %w", it.pdfPath, p, err)
		}
		// The page size, from the image rendered at the run's dpi.
		w, h, err := pngPoints(data, m.pdf.dpi)
		if err != nil {
			return fmt.Errorf("%s: redacted page %d: %w", it.pdfPath, p, err)
		}
		imgs[p-1] = pdf.PageImage{PNG: data, Width: w, Height: h}
	}
	out, err := pdf.Assemble(imgs)
	if err != nil {
		return fmt.Errorf("%s: %w", it.pdfPath, err)
	}
	return write.WriteFileAtomic(filepath.Join(m.dir, "masked", it.out), out)
}

// pngPoints is the size in points of a PNG rendered at dpi.
func pngPoints(data []byte, dpi int) (float64, float64, error) {
	if dpi <= 0 {
		dpi = pdf.DefaultRedactDPI
	}
	c, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, 0, err
	}
	return float64(c.Width) * 72 / float64(dpi), float64(c.Height) * 72 / float64(dpi), nil
}
