package pdftest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// RenderPNG draws lines of text in black on a white image with the Go font
// at 40 px: large and clean enough for Tesseract.
func RenderPNG(lines []string) ([]byte, error) {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, err
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 40, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, err
	}
	img := image.NewGray(image.Rect(0, 0, 1400, 120+70*len(lines)))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(60, 100+70*i)
		d.DrawString(l)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ScannedPDF is a one-page PDF holding only an image of lines of text: no
// text layer, as a scanned page.
func ScannedPDF(lines []string) ([]byte, error) {
	img, err := RenderPNG(lines)
	if err != nil {
		return nil, err
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.AddPage()
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	p.RegisterImageOptionsReader("scan", opt, bytes.NewReader(img))
	p.ImageOptions("scan", 10, 10, 190, 0, false, opt, 0, "")
	var out bytes.Buffer
	if err := p.Output(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// PageImages returns the images of a PDF, page by page, as poppler's
// pdfimages extracts them (PNG, in page order): two PDFs with the same
// images give the same list, whatever the order of their objects.
func PageImages(pdf []byte) ([][]byte, error) {
	dir, err := os.MkdirTemp("", "pdfimages-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		return nil, err
	}
	if out, err := exec.Command("pdfimages", "-png", in, filepath.Join(dir, "img")).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("pdfimages: %w: %s", err, out)
	}
	files, err := filepath.Glob(filepath.Join(dir, "img-*.png"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	imgs := make([][]byte, len(files))
	for i, f := range files {
		if imgs[i], err = os.ReadFile(f); err != nil {
			return nil, err
		}
	}
	return imgs, nil
}
