// Package pdf extracts the text of PDF files page by page with poppler's
// pdftotext (Debian poppler-utils, installed by scripts/setup-pdf.sh).
// Pages without a text layer (scans) go through OCR: Tesseract offline
// (pdftoppm renders the page, tesseract reads it, English and French data)
// or the Mistral OCR API (POST /v1/ocr), selectable per job.
package pdf

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// OCR engines.
const (
	OCRNone      = "none"
	OCRTesseract = "tesseract"
	OCRMistral   = "mistral"
)

// Page is the text of one page.
type Page struct {
	// Number is the 1-based page number.
	Number int
	Text   string
	// Source is "text" (the PDF's text layer), "tesseract" or "mistral".
	Source string
}

// OCR reads the text of one page of a PDF that has no text layer.
type OCR interface {
	Name() string
	Page(ctx context.Context, path string, page int) (string, error)
}

// Options configures Extract.
type Options struct {
	// OCR reads pages without a text layer; nil leaves them empty.
	OCR OCR
	// MinChars is the number of letters and digits under which a page counts
	// as having no text layer (default 8).
	MinChars int
}

// Available reports whether pdftotext and pdfinfo are installed.
func Available() bool {
	for _, b := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(b); err != nil {
			return false
		}
	}
	return true
}

// run runs a command and returns its stdout; stderr goes into the error.
func run(ctx context.Context, name string, args ...string) ([]byte, error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(errb.String()))
	}
	return out.Bytes(), nil
}

var pagesRE = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

// PageCount returns the number of pages of a PDF (pdfinfo).
func PageCount(ctx context.Context, path string) (int, error) {
	out, err := run(ctx, "pdfinfo", path)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	m := pagesRE.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("%s: pdfinfo gave no page count", path)
	}
	return strconv.Atoi(string(m[1]))
}

// Extract returns the text of every page of path, in order, calling OCR for
// pages whose text layer is (nearly) empty.
func Extract(ctx context.Context, path string, opts Options) ([]Page, error) {
	n, err := PageCount(ctx, path)
	if err != nil {
		return nil, err
	}
	minChars := opts.MinChars
	if minChars <= 0 {
		minChars = 8
	}
	pages := make([]Page, 0, n)
	for i := 1; i <= n; i++ {
		out, err := run(ctx, "pdftotext", "-f", strconv.Itoa(i), "-l", strconv.Itoa(i), "-enc", "UTF-8", path, "-")
		if err != nil {
			return nil, fmt.Errorf("%s page %d: %w", path, i, err)
		}
		text := normalise(string(out))
		p := Page{Number: i, Text: text, Source: "text"}
		if alnum(text) < minChars && opts.OCR != nil {
			t, err := opts.OCR.Page(ctx, path, i)
			if err != nil {
				return nil, fmt.Errorf("%s page %d: OCR (%s): %w", path, i, opts.OCR.Name(), err)
			}
			p.Text, p.Source = normalise(t), opts.OCR.Name()
		}
		pages = append(pages, p)
	}
	return pages, nil
}

// normalise drops form feeds and trailing spaces, and ends the text with one
// newline (empty pages stay empty).
func normalise(s string) string {
	s = strings.ReplaceAll(s, "\f", "")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	s = strings.TrimSpace(strings.Join(lines, "\n"))
	if s == "" {
		return ""
	}
	return s + "\n"
}

func alnum(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			n++
		}
	}
	return n
}

// Tesseract is offline OCR: pdftoppm renders the page to PNG, tesseract
// reads it.
type Tesseract struct {
	// Languages for tesseract -l (default "eng+fra").
	Languages string
	// DPI of the rendering (default 300).
	DPI int
}

// TesseractAvailable reports whether pdftoppm and tesseract are installed.
func TesseractAvailable() bool {
	for _, b := range []string{"pdftoppm", "tesseract"} {
		if _, err := exec.LookPath(b); err != nil {
			return false
		}
	}
	return true
}

// Name is "tesseract".
func (t Tesseract) Name() string { return OCRTesseract }

// Page renders and reads one page.
func (t Tesseract) Page(ctx context.Context, path string, page int) (string, error) {
	dir, err := os.MkdirTemp("", "piimask-ocr-*")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	dpi := t.DPI
	if dpi <= 0 {
		dpi = 300
	}
	langs := t.Languages
	if langs == "" {
		langs = "eng+fra"
	}
	prefix := filepath.Join(dir, "page")
	p := strconv.Itoa(page)
	if _, err := run(ctx, "pdftoppm", "-f", p, "-l", p, "-r", strconv.Itoa(dpi), "-gray", "-png", "-singlefile", path, prefix); err != nil {
		return "", err
	}
	out, err := run(ctx, "tesseract", prefix+".png", "-", "-l", langs)
	if err != nil {
		return "", err
	}
	return string(out), nil
}
