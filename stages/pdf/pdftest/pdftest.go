// Package pdftest makes the PDF fixtures of the tests that read PDFs
// (stages/pdf, stages/serve): made in the test, never checked in.
package pdftest

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"

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
