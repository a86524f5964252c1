package pdf

// Redacted PDF output. A PDF's content stream cannot be edited safely word
// by word with the Go PDF libraries at hand (pdfcpu can stamp, watermark and
// import images but has no text-layer redaction), and drawing a black box
// over text leaves the text underneath for any copy-paste or pdftotext. So a
// redacted PDF is made the other way round:
//
//  1. ExtractLayout reads every page's words and their boxes (pdftotext
//     -bbox-layout; for pages without a text layer Tesseract's TSV output)
//     and builds the page text from them, so each word's code-point range in
//     the text the detector sees is known exactly;
//  2. RedactPage renders the page (pdftoppm) and paints the boxes of the
//     words a masked span touches black in the image;
//  3. Assemble writes a new PDF (fpdf) holding one full-page image per page
//     and nothing else.
//
// The security property: no original text survives in the output. It has
// no text layer, no fonts, and nothing copied from the input file (no
// annotations, links, form fields, attachments, scripts, outlines or
// metadata): only page images in which the masked words' pixels were
// overwritten before encoding. What remains is what the image shows.
// Annotations and form-field values are left out of the rendering (their
// text is not in the text layer, so it is never checked). Limits: text that
// is only pixels inside an image on a page that has a text layer is not
// read (no OCR there), so it is neither detected nor blacked out; a span
// that covers part of a word blacks out the whole word.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// ErrNoTextLayer marks a page with no text layer when no OCR engine that
// gives word boxes is configured: its content cannot be checked, so it
// cannot be redacted.
var ErrNoTextLayer = errors.New("page has no text layer")

// Box is a rectangle on a page in PDF points, origin at the top left (as
// pdftotext reports it).
type Box struct {
	X0, Y0, X1, Y1 float64
}

// Word is one word of a page and where it is.
type Word struct {
	// Start and End are the word's code-point range in LayoutPage.Text.
	Start, End int
	Box        Box
}

// LayoutPage is a page's text with the box of every word.
type LayoutPage struct {
	Page
	// Width and Height are the page's size in points.
	Width, Height float64
	Words         []Word
}

// BoxOCR is an OCR engine that also says where each word is.
type BoxOCR interface {
	OCR
	// PageWords returns page's words with boxes in points (top-left origin)
	// and the page size in points.
	PageWords(ctx context.Context, pdf Source, page int) (words []string, boxes []Box, lineBreaks []int, width, height float64, err error)
}

// ExtractLayout is Extract with word boxes: the text of each page is built
// from its words (one space between words, a newline between lines, a blank
// line between blocks). Pages without a text layer go through opts.OCR,
// which must then be a BoxOCR (Tesseract); without one such a page is an
// error wrapping ErrNoTextLayer.
func ExtractLayout(ctx context.Context, path string, opts Options) ([]LayoutPage, error) {
	src := Source{Path: path}
	out, err := poppler(ctx, src, "pdftotext", []string{"-bbox-layout", "-enc", "UTF-8"}, "-")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	pages, err := parseBBoxLayout(out)
	if err != nil {
		return nil, fmt.Errorf("%s: pdftotext -bbox-layout: %w", src, err)
	}
	minChars := opts.MinChars
	if minChars <= 0 {
		minChars = 8
	}
	for i := range pages {
		p := &pages[i]
		p.Number = i + 1
		if alnum(p.Text) >= minChars {
			continue
		}
		bo, ok := opts.OCR.(BoxOCR)
		if !ok && alnum(p.Text) > 0 {
			continue // a short text layer: its words are all there is to read
		}
		if !ok {
			// No OCR to look at it: allowed only when the page shows nothing
			// (an intentionally blank page), never an unread image of text.
			blank, err := blankPage(ctx, src, p.Number)
			if err != nil {
				return nil, err
			}
			if blank {
				continue
			}
		}
		if !ok {
			name := "none"
			if opts.OCR != nil {
				name = opts.OCR.Name()
			}
			return nil, fmt.Errorf("%s page %d: %w and OCR %s gives no word boxes (use tesseract)", src, p.Number, ErrNoTextLayer, name)
		}
		words, boxes, breaks, w, h, err := bo.PageWords(ctx, src, p.Number)
		if err != nil {
			return nil, fmt.Errorf("%s page %d: OCR (%s): %w", src, p.Number, bo.Name(), err)
		}
		lp := buildPage(words, boxes, breaks)
		lp.Number, lp.Source, lp.Width, lp.Height = p.Number, bo.Name(), w, h
		*p = lp
	}
	return pages, nil
}

// blankPage reports whether the page renders (at 24 dpi, grey) with no
// pixel darker than near-white.
func blankPage(ctx context.Context, src Source, page int) (bool, error) {
	p := strconv.Itoa(page)
	raw, err := poppler(ctx, src, "pdftoppm", []string{"-f", p, "-l", p, "-r", "24", "-hide-annotations", "-gray", "-png", "-singlefile"})
	if err != nil {
		return false, fmt.Errorf("%s page %d: %w", src, page, err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		return false, fmt.Errorf("%s page %d: pdftoppm wrote no PNG image: %w", src, page, err)
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if c := color.GrayModel.Convert(img.At(x, y)).(color.Gray); c.Y < 250 {
				return false, nil
			}
		}
	}
	return true, nil
}

// bboxDoc is pdftotext -bbox-layout's XHTML.
type bboxDoc struct {
	Pages []struct {
		Width  float64 `xml:"width,attr"`
		Height float64 `xml:"height,attr"`
		Flows  []struct {
			Blocks []struct {
				Lines []struct {
					Words []struct {
						XMin float64 `xml:"xMin,attr"`
						YMin float64 `xml:"yMin,attr"`
						XMax float64 `xml:"xMax,attr"`
						YMax float64 `xml:"yMax,attr"`
						Text string  `xml:",chardata"`
					} `xml:"word"`
				} `xml:"line"`
			} `xml:"block"`
		} `xml:"flow"`
	} `xml:"body>doc>page"`
}

// Break kinds between words given to buildPage.
const (
	breakLine  = 1
	breakBlock = 2
)

func parseBBoxLayout(raw []byte) ([]LayoutPage, error) {
	var doc bboxDoc
	d := xml.NewDecoder(bytes.NewReader(raw))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	if err := d.Decode(&doc); err != nil {
		return nil, err
	}
	pages := make([]LayoutPage, 0, len(doc.Pages))
	for _, pg := range doc.Pages {
		var words []string
		var boxes []Box
		var breaks []int
		for _, fl := range pg.Flows {
			for _, bl := range fl.Blocks {
				for li, ln := range bl.Lines {
					for wi, w := range ln.Words {
						t := strings.TrimSpace(strings.ToValidUTF8(w.Text, "\uFFFD"))
						if t == "" {
							continue
						}
						brk := 0
						switch {
						case len(words) == 0:
						case li == 0 && wi == 0:
							brk = breakBlock
						case wi == 0:
							brk = breakLine
						}
						words = append(words, t)
						boxes = append(boxes, Box{w.XMin, w.YMin, w.XMax, w.YMax})
						breaks = append(breaks, brk)
					}
				}
			}
		}
		lp := buildPage(words, boxes, breaks)
		lp.Source, lp.Width, lp.Height = "text", pg.Width, pg.Height
		pages = append(pages, lp)
	}
	return pages, nil
}

// buildPage joins words into the page text, recording each word's range.
// breaks[i] is what comes before word i: 0 a space, breakLine a newline,
// breakBlock a blank line.
func buildPage(words []string, boxes []Box, breaks []int) LayoutPage {
	var b strings.Builder
	lp := LayoutPage{Words: make([]Word, 0, len(words))}
	n := 0
	for i, w := range words {
		if i > 0 {
			sep := " "
			switch breaks[i] {
			case breakLine:
				sep = "\n"
			case breakBlock:
				sep = "\n\n"
			}
			b.WriteString(sep)
			n += len(sep)
		}
		start := n
		b.WriteString(w)
		n += len([]rune(w))
		lp.Words = append(lp.Words, Word{Start: start, End: n, Box: boxes[i]})
	}
	if n > 0 {
		b.WriteString("\n")
	}
	lp.Text = b.String()
	return lp
}

// BoxesFor returns the boxes of the words that overlap any of the
// code-point ranges (a span that covers part of a word blacks out the whole
// word).
func (p LayoutPage) BoxesFor(ranges [][2]int) []Box {
	var out []Box
	for _, w := range p.Words {
		for _, r := range ranges {
			if r[0] < w.End && r[1] > w.Start {
				out = append(out, w.Box)
				break
			}
		}
	}
	return out
}

// PageWords runs Tesseract on the page rendered at t.DPI and returns its
// words with boxes in points (TSV output: level 5 rows are words).
func (t Tesseract) PageWords(ctx context.Context, src Source, page int) ([]string, []Box, []int, float64, float64, error) {
	dpi, langs := t.settings()
	p := strconv.Itoa(page)
	img, err := poppler(ctx, src, "pdftoppm", []string{"-f", p, "-l", p, "-r", strconv.Itoa(dpi), "-gray", "-png", "-singlefile"})
	if err != nil {
		return nil, nil, nil, 0, 0, err
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(img))
	if err != nil {
		return nil, nil, nil, 0, 0, fmt.Errorf("pdftoppm wrote no PNG image for page %d: %w", page, err)
	}
	out, err := run(ctx, img, "tesseract", "stdin", "stdout", "-l", langs, "tsv")
	if err != nil {
		return nil, nil, nil, 0, 0, err
	}
	scale := 72 / float64(dpi)
	r := csv.NewReader(bytes.NewReader(out))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	var words []string
	var boxes []Box
	var breaks []int
	prevBlock, prevPar, prevLine := -1, -1, -1
	for row := 0; ; row++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, nil, 0, 0, fmt.Errorf("tesseract tsv: %w", err)
		}
		if row == 0 || len(rec) < 12 || rec[0] != "5" {
			continue
		}
		text := strings.TrimSpace(rec[11])
		if text == "" {
			continue
		}
		v := make([]int, 11)
		for i := 0; i < 11; i++ {
			v[i], _ = strconv.Atoi(rec[i])
		}
		block, par, line := v[2], v[3], v[4]
		left, top, w, h := v[6], v[7], v[8], v[9]
		brk := 0
		switch {
		case len(words) == 0:
		case block != prevBlock || par != prevPar:
			brk = breakBlock
		case line != prevLine:
			brk = breakLine
		}
		prevBlock, prevPar, prevLine = block, par, line
		words = append(words, text)
		boxes = append(boxes, Box{float64(left) * scale, float64(top) * scale, float64(left+w) * scale, float64(top+h) * scale})
		breaks = append(breaks, brk)
	}
	return words, boxes, breaks, float64(cfg.Width) * scale, float64(cfg.Height) * scale, nil
}

func (t Tesseract) settings() (int, string) {
	dpi := t.DPI
	if dpi <= 0 {
		dpi = 300
	}
	langs := t.Languages
	if langs == "" {
		langs = "eng+fra"
	}
	return dpi, langs
}

// DefaultRedactDPI is the resolution of redacted pages unless told otherwise.
const DefaultRedactDPI = 150

// RedactPage renders page (1-based) of the PDF at dpi (pdftoppm, colour)
// and paints the boxes (points, top-left origin, on a page of the given
// size in points) black, each grown by pad points. It returns the page
// image as PNG (greyscale when the page has no colour).
func RedactPage(ctx context.Context, src Source, page, dpi int, width, height float64, boxes []Box, pad float64) ([]byte, error) {
	if dpi <= 0 {
		dpi = DefaultRedactDPI
	}
	p := strconv.Itoa(page)
	// Raw PPM on stdout: pdftoppm's own PNG encoding costs ten times the
	// rendering. Annotations and form fields are not drawn: their text is
	// not in the text layer pdftotext reads, so it could not be checked.
	raw, err := poppler(ctx, src, "pdftoppm", []string{"-f", p, "-l", p, "-r", strconv.Itoa(dpi), "-hide-annotations", "-singlefile"})
	if err != nil {
		return nil, fmt.Errorf("%s page %d: %w", src, page, err)
	}
	canvas, err := decodePPM(raw)
	if err != nil {
		return nil, fmt.Errorf("%s page %d: pdftoppm output: %w", src, page, err)
	}
	b := canvas.Bounds()
	if width <= 0 || height <= 0 {
		width, height = float64(b.Dx())*72/float64(dpi), float64(b.Dy())*72/float64(dpi)
	}
	sx, sy := float64(b.Dx())/width, float64(b.Dy())/height
	black := image.NewUniform(color.Black)
	for _, bx := range boxes {
		r := image.Rect(
			int(math.Floor((bx.X0-pad)*sx)), int(math.Floor((bx.Y0-pad)*sy)),
			int(math.Ceil((bx.X1+pad)*sx)), int(math.Ceil((bx.Y1+pad)*sy)),
		).Intersect(b)
		draw.Draw(canvas, r, black, image.Point{}, draw.Src)
	}
	var img image.Image = canvas
	if g := grey(canvas); g != nil {
		img = g
	}
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&out, img); err != nil {
		return nil, fmt.Errorf("%s page %d: encode: %w", src, page, err)
	}
	return out.Bytes(), nil
}

// decodePPM reads a binary PPM (P6, maxval 255) as pdftoppm writes it.
func decodePPM(raw []byte) (*image.RGBA, error) {
	var fields [4]string
	pos := 0
	for i := 0; i < 4; i++ {
		for pos < len(raw) {
			c := raw[pos]
			if c == '#' {
				for pos < len(raw) && raw[pos] != '\n' {
					pos++
				}
				continue
			}
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				break
			}
			pos++
		}
		start := pos
		for pos < len(raw) && raw[pos] != ' ' && raw[pos] != '\t' && raw[pos] != '\n' && raw[pos] != '\r' {
			pos++
		}
		fields[i] = string(raw[start:pos])
	}
	pos++ // the one whitespace byte before the pixels
	w, err1 := strconv.Atoi(fields[1])
	h, err2 := strconv.Atoi(fields[2])
	if fields[0] != "P6" || fields[3] != "255" || err1 != nil || err2 != nil || w <= 0 || h <= 0 {
		return nil, fmt.Errorf("not an 8-bit binary PPM (header %q)", strings.Join(fields[:], " "))
	}
	if len(raw)-pos < w*h*3 {
		return nil, fmt.Errorf("PPM of %dx%d has %d bytes of pixels, want %d", w, h, len(raw)-pos, w*h*3)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	px := raw[pos:]
	for i, j := 0, 0; i < w*h*3; i, j = i+3, j+4 {
		img.Pix[j], img.Pix[j+1], img.Pix[j+2], img.Pix[j+3] = px[i], px[i+1], px[i+2], 0xff
	}
	return img, nil
}

// grey returns img as greyscale when every pixel is grey, else nil.
func grey(img *image.RGBA) *image.Gray {
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] != img.Pix[i+1] || img.Pix[i] != img.Pix[i+2] {
			return nil
		}
	}
	g := image.NewGray(img.Bounds())
	for i, j := 0, 0; i < len(img.Pix); i, j = i+4, j+1 {
		g.Pix[j] = img.Pix[i]
	}
	return g
}

// PageImage is one page of an assembled PDF.
type PageImage struct {
	// PNG is the page image.
	PNG []byte
	// Width and Height are the page size in points.
	Width, Height float64
}

// Assemble writes a PDF with one page per image, each image covering its
// whole page, and nothing else: no text, no fonts, fixed dates. The same
// images give the same pages, but not always the same bytes: fpdf writes
// image objects of equal width in map order.
func Assemble(pages []PageImage) ([]byte, error) {
	if len(pages) == 0 {
		return nil, errors.New("assemble: no pages")
	}
	f := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: pages[0].Width, Ht: pages[0].Height}})
	f.SetMargins(0, 0, 0)
	f.SetAutoPageBreak(false, 0)
	f.SetCatalogSort(true)
	epoch := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	f.SetCreationDate(epoch)
	f.SetModificationDate(epoch)
	f.SetProducer("piimask", false)
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	for i, pg := range pages {
		if pg.Width <= 0 || pg.Height <= 0 {
			return nil, fmt.Errorf("assemble: page %d has size %gx%g", i+1, pg.Width, pg.Height)
		}
		f.AddPageFormat("P", fpdf.SizeType{Wd: pg.Width, Ht: pg.Height})
		name := "page" + strconv.Itoa(i+1)
		f.RegisterImageOptionsReader(name, opt, bytes.NewReader(pg.PNG))
		f.ImageOptions(name, 0, 0, pg.Width, pg.Height, false, opt, 0, "")
	}
	var out bytes.Buffer
	if err := f.Output(&out); err != nil {
		return nil, fmt.Errorf("assemble: %w", err)
	}
	return out.Bytes(), nil
}
