package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
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

// ErrUnreadable marks a PDF that poppler could not read (broken or not a
// PDF at all), as opposed to a failing OCR engine or a cancelled context.
var ErrUnreadable = errors.New("not a readable PDF")

// Page is the text of one page.
type Page struct {
	// Number is the 1-based page number.
	Number int
	Text   string
	// Source is "text" (the PDF's text layer), "tesseract" or "mistral".
	Source string
}

// Source is one PDF: a file on disk (Path) or bytes in memory (Data, which
// wins when not nil). Tools read an in-memory PDF from their stdin.
type Source struct {
	Path string
	Data []byte
}

// inMemory reports whether the PDF is handed to tools on stdin.
func (s Source) inMemory() bool { return s.Data != nil }

// arg is the file-name argument of a poppler tool: the path, or "-" (stdin).
func (s Source) arg() string {
	if s.inMemory() {
		return "-"
	}
	if strings.HasPrefix(s.Path, "-") { // a file named "-" or "-x" is not stdin or an option
		return "./" + s.Path
	}
	return s.Path
}

// stdin is what a poppler tool reads on its stdin (nil for a file).
func (s Source) stdin() []byte {
	if s.inMemory() {
		return s.Data
	}
	return nil
}

// String names the PDF in error messages: its path, never its content.
func (s Source) String() string {
	if s.inMemory() {
		return "PDF in memory"
	}
	return s.Path
}

// Bytes returns the PDF's bytes (reading the file for a path).
func (s Source) Bytes() ([]byte, error) {
	if s.inMemory() {
		return s.Data, nil
	}
	return os.ReadFile(s.Path)
}

// OCR reads the text of one page of a PDF that has no text layer.
type OCR interface {
	Name() string
	// Page returns the text of page (1-based) of the PDF.
	Page(ctx context.Context, pdf Source, page int) (string, error)
}

// Options configures Extract and ExtractBytes.
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

// exitError reports whether err is a command that ran and failed (as
// opposed to one that could not start).
func exitError(err error) bool {
	var ee *exec.ExitError
	return errors.As(err, &ee)
}

// run runs a command, feeding it stdin when not nil, and returns its stdout;
// stderr goes into the error.
func run(ctx context.Context, stdin []byte, name string, args ...string) ([]byte, error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(errb.String()))
	}
	return out.Bytes(), nil
}

// poppler runs `name opts... PDF after...` with the PDF's path or "-"
// (stdin); a failure of the tool itself means the PDF is unreadable
// (ErrUnreadable).
func poppler(ctx context.Context, src Source, name string, opts []string, after ...string) ([]byte, error) {
	args := append(append(append([]string(nil), opts...), src.arg()), after...)
	out, err := run(ctx, src.stdin(), name, args...)
	if err != nil && ctx.Err() == nil && exitError(err) {
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	return out, err
}

var pagesRE = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

// PageCount returns the number of pages of a PDF file (pdfinfo).
func PageCount(ctx context.Context, path string) (int, error) {
	return pageCount(ctx, Source{Path: path})
}

func pageCount(ctx context.Context, src Source) (int, error) {
	out, err := poppler(ctx, src, "pdfinfo", nil)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", src, err)
	}
	m := pagesRE.FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("%s: %w: pdfinfo gave no page count", src, ErrUnreadable)
	}
	return strconv.Atoi(string(m[1]))
}

// Extract returns the text of every page of the PDF file path, in order,
// calling OCR for pages whose text layer is (nearly) empty. The tools read
// the file themselves (no copy in memory: a large PDF is not piped once per
// page).
func Extract(ctx context.Context, path string, opts Options) ([]Page, error) {
	return extract(ctx, Source{Path: path}, opts)
}

// ExtractBytes is Extract for a PDF held in memory: the same page loop and
// the same text, with the PDF piped to every tool on stdin and nothing
// written to disk (no temporary file, no rendered page image). A PDF that
// poppler cannot read gives an error wrapping ErrUnreadable.
func ExtractBytes(ctx context.Context, data []byte, opts Options) ([]Page, error) {
	if data == nil {
		data = []byte{}
	}
	return extract(ctx, Source{Data: data}, opts)
}

// extract is the page loop shared by Extract and ExtractBytes.
func extract(ctx context.Context, src Source, opts Options) ([]Page, error) {
	n, err := pageCount(ctx, src)
	if err != nil {
		return nil, err
	}
	minChars := opts.MinChars
	if minChars <= 0 {
		minChars = 8
	}
	pages := make([]Page, 0, n)
	for i := 1; i <= n; i++ {
		out, err := poppler(ctx, src, "pdftotext", []string{"-f", strconv.Itoa(i), "-l", strconv.Itoa(i), "-enc", "UTF-8"}, "-")
		if err != nil {
			return nil, fmt.Errorf("%s page %d: %w", src, i, err)
		}
		text := normalise(string(out))
		p := Page{Number: i, Text: text, Source: "text"}
		if alnum(text) < minChars && opts.OCR != nil {
			t, err := opts.OCR.Page(ctx, src, i)
			if err != nil {
				return nil, fmt.Errorf("%s page %d: OCR (%s): %w", src, i, opts.OCR.Name(), err)
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
	s = strings.ToValidUTF8(s, "\uFFFD")
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

// Page renders the page with pdftoppm to a PNG on its stdout (no output
// root: nothing is written to disk) and hands that image to tesseract on its
// stdin, reading the text from its stdout.
func (t Tesseract) Page(ctx context.Context, src Source, page int) (string, error) {
	dpi := t.DPI
	if dpi <= 0 {
		dpi = 300
	}
	langs := t.Languages
	if langs == "" {
		langs = "eng+fra"
	}
	p := strconv.Itoa(page)
	png, err := poppler(ctx, src, "pdftoppm", []string{"-f", p, "-l", p, "-r", strconv.Itoa(dpi), "-gray", "-png", "-singlefile"})
	if err != nil {
		return "", err
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		return "", fmt.Errorf("pdftoppm wrote no PNG image for page %d", page)
	}
	out, err := run(ctx, png, "tesseract", "stdin", "stdout", "-l", langs)
	if err != nil {
		return "", err
	}
	return string(out), nil
}
