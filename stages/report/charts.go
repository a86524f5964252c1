package report

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"regexp"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

var nan = math.NaN()

// Charts hold the inline SVG markup of the report's charts.
type Charts struct {
	// F1Bars is the per-class F1 grouped bar chart: one bar per class and
	// method, filled with the method's colour.
	F1Bars template.HTML
	// Heatmap is the classes × methods F1 heatmap: one cell per class and
	// method.
	Heatmap template.HTML
	// Distribution is the gold support per class.
	Distribution template.HTML
}

// tableau10 are the method colours.
var tableau10 = [...]color.RGBA{
	{0x4E, 0x79, 0xA7, 0xFF}, {0xF2, 0x8E, 0x2B, 0xFF}, {0xE1, 0x57, 0x59, 0xFF}, {0x76, 0xB7, 0xB2, 0xFF},
	{0x59, 0xA1, 0x4F, 0xFF}, {0xED, 0xC9, 0x48, 0xFF}, {0xB0, 0x7A, 0xA1, 0xFF}, {0xFF, 0x9D, 0xA7, 0xFF},
	{0x9C, 0x75, 0x5F, 0xFF}, {0xBA, 0xB0, 0xAC, 0xFF},
}

func methodColor(i int) color.RGBA { return tableau10[i%len(tableau10)] }

// hexColor formats c the way the SVG backend writes fills (#RRGGBB).
func hexColor(c color.RGBA) string { return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B) }

func drawCharts(r *Report) (Charts, error) {
	var ch Charts
	if len(r.Classes) == 0 {
		return ch, nil
	}
	var err error
	if ch.F1Bars, err = f1Bars(r); err != nil {
		return ch, fmt.Errorf("report: F1 chart: %w", err)
	}
	if ch.Heatmap, err = heatmap(r); err != nil {
		return ch, fmt.Errorf("report: heatmap: %w", err)
	}
	if ch.Distribution, err = distribution(r); err != nil {
		return ch, fmt.Errorf("report: class distribution: %w", err)
	}
	return ch, nil
}

// reversed returns the labels bottom-up, so that the first class is drawn at
// the top of a horizontal chart.
func reversed(classes []ClassRow) []string {
	out := make([]string, len(classes))
	for i, c := range classes {
		out[len(classes)-1-i] = c.Label
	}
	return out
}

// newPlot returns a plot whose texts are set in Liberation Sans, the font
// the browser shows them in (renderSVG names it first, with the metrically
// identical Arial as fallback): text widths are measured in the font they
// are drawn in, so right-aligned legend entries end before their swatch.
func newPlot() *plot.Plot {
	p := plot.New()
	for _, f := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.X.Tick.Label.Font,
		&p.Y.Label.TextStyle.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		f.Typeface, f.Variant = "Liberation", "Sans"
	}
	return p
}

func f1Bars(r *Report) (template.HTML, error) {
	p := newPlot()
	p.Title.Text = "Strict F1 per class"
	p.X.Label.Text = "F1"
	p.X.Min, p.X.Max = 0, 1.02
	p.X.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: 0, Label: "0"}, {Value: 0.25}, {Value: 0.5, Label: "0.5"}, {Value: 0.75}, {Value: 1, Label: "1"}})
	nm := len(r.Methods)
	barW := vg.Points(7)
	for mi, m := range r.Methods {
		vals := make(plotter.Values, len(r.Classes))
		for ci, c := range r.Classes {
			v := c.F1[mi]
			if math.IsNaN(v) {
				v = 0
			}
			vals[len(r.Classes)-1-ci] = v
		}
		b, err := plotter.NewBarChart(vals, barW)
		if err != nil {
			return "", err
		}
		b.Horizontal = true
		b.Color = methodColor(mi)
		b.LineStyle.Width = 0
		// Method 0 on top within a group.
		b.Offset = vg.Length(float64(nm-1)/2-float64(mi)) * barW
		p.Add(b)
		p.Legend.Add(m.Name, b)
	}
	p.Legend.Top = true
	p.Legend.Padding = vg.Points(2)
	p.NominalY(reversed(r.Classes)...)
	// Empty rows above the first class hold the legend, so it covers no bar.
	rowH := vg.Length(nm)*barW + vg.Points(6)
	legendRows := math.Ceil(float64((vg.Length(nm)*(p.Legend.TextStyle.Font.Size+p.Legend.Padding) + vg.Points(4)) / rowH))
	p.Y.Max += legendRows
	p.Add(plotter.NewGrid())
	h := (vg.Length(len(r.Classes))+vg.Length(legendRows))*rowH + vg.Points(80)
	return renderSVG(p, 7*vg.Inch, max(h, 3*vg.Inch))
}

// grid is the heatmap's classes × methods F1 grid (columns are methods).
type grid struct{ r *Report }

func (g grid) Dims() (c, r int)   { return len(g.r.Methods), len(g.r.Classes) }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }
func (g grid) Z(c, r int) float64 { return g.r.Classes[len(g.r.Classes)-1-r].F1[c] }

func heatmap(r *Report) (template.HTML, error) {
	g := grid{r}
	hm := plotter.NewHeatMap(g, lightRedGreen(101))
	hm.Min, hm.Max = 0, 1
	hm.NaN = color.RGBA{0xEE, 0xEE, 0xEE, 0xFF}
	p := newPlot()
	p.Title.Text = "Strict F1: classes × methods"
	p.Add(hm)
	var xys plotter.XYs
	var labels []string
	cols, rows := g.Dims()
	for c := range cols {
		for rr := range rows {
			xys = append(xys, plotter.XY{X: float64(c), Y: float64(rr)})
			if z := g.Z(c, rr); math.IsNaN(z) {
				labels = append(labels, "–")
			} else {
				labels = append(labels, fmt.Sprintf("%.2f", z))
			}
		}
	}
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: labels})
	if err != nil {
		return "", err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i].XAlign = draw.XCenter
		lab.TextStyle[i].YAlign = draw.YCenter
		lab.TextStyle[i].Font.Typeface, lab.TextStyle[i].Font.Variant = "Liberation", "Sans"
	}
	p.Add(lab)
	names := make([]string, len(r.Methods))
	for i, m := range r.Methods {
		names[i] = m.Name
	}
	p.NominalX(names...)
	p.NominalY(reversed(r.Classes)...)
	w := vg.Length(len(r.Methods))*vg.Points(110) + vg.Points(150)
	h := vg.Length(len(r.Classes))*vg.Points(16) + vg.Points(70)
	return renderSVG(p, max(w, 4*vg.Inch), max(h, 3*vg.Inch))
}

func distribution(r *Report) (template.HTML, error) {
	rows := slices.Clone(r.Classes)
	slices.SortStableFunc(rows, func(a, b ClassRow) int {
		switch {
		case a.Support > b.Support:
			return -1
		case a.Support < b.Support:
			return 1
		}
		return 0
	})
	vals := make(plotter.Values, len(rows))
	for i, c := range rows {
		vals[len(rows)-1-i] = float64(c.Support)
	}
	b, err := plotter.NewBarChart(vals, vg.Points(10))
	if err != nil {
		return "", err
	}
	b.Horizontal = true
	b.Color = color.RGBA{0x76, 0x76, 0x76, 0xFF}
	b.LineStyle.Width = 0
	p := newPlot()
	p.Title.Text = "Gold spans per class (support)"
	p.X.Label.Text = "spans"
	var top float64
	for _, v := range vals {
		top = max(top, v)
	}
	// Whole-number ticks; the axis ends half a step past the last tick so
	// that its label is not cut at the edge.
	ticks, step := countTicks(top)
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = 0, ticks[len(ticks)-1].Value+step/2
	p.Add(plotter.NewGrid(), b)
	p.NominalY(reversed(rows)...)
	h := vg.Length(len(rows))*vg.Points(14) + vg.Points(70)
	return renderSVG(p, 6*vg.Inch, max(h, 2*vg.Inch))
}

// countTicks returns labelled whole-number ticks from 0 past top at a step
// of 1, 2 or 5 times a power of ten (about five of them), with unlabelled
// minor ticks halfway, and the step.
func countTicks(top float64) ([]plot.Tick, float64) {
	step := 1.0
	for top/step > 5 {
		switch m := step / math.Pow(10, math.Floor(math.Log10(step))); m {
		case 1:
			step *= 2
		case 2:
			step *= 2.5
		default:
			step *= 2
		}
	}
	var ticks []plot.Tick
	for v := 0.0; ; v += step {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', 0, 64)})
		if step >= 2 {
			ticks = append(ticks, plot.Tick{Value: v + step/2})
		}
		if v >= top {
			break
		}
	}
	if step >= 2 {
		ticks = ticks[:len(ticks)-1] // no minor tick past the last label
	}
	return ticks, step
}

var svgProlog = regexp.MustCompile(`^(?s)<\?xml[^>]*\?>\s*(<!--.*?-->\s*)?`)

// renderSVG draws p into an SVG element suitable for inlining in HTML.
func renderSVG(p *plot.Plot, w, h vg.Length) (template.HTML, error) {
	c := vgsvg.New(w, h)
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return "", err
	}
	out := svgProlog.ReplaceAll(buf.Bytes(), nil)
	out = bytes.ReplaceAll(out, []byte("font-family:Liberation Sans;"), []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
	// The SVG is made here from numbers and labels escaped by the backend.
	return template.HTML(out), nil //nolint:gosec // trusted markup we just drew
}

// colors is a palette.Palette of fixed colours.
type colors []color.Color

// Colors returns the palette's colours.
func (c colors) Colors() []color.Color { return c }

var _ palette.Palette = colors(nil)

// lightRedGreen returns n light colours from red (0) through yellow to green
// (1), light enough for black value labels.
func lightRedGreen(n int) colors {
	out := make(colors, n)
	for i := range n {
		hue := 120 * float64(i) / float64(n-1)
		out[i] = hsl(hue, 0.6, 0.8)
	}
	return out
}

// hsl converts a hue (degrees), saturation and lightness to RGB.
func hsl(h, s, l float64) color.RGBA {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g = c, x
	case h < 120:
		r, g = x, c
	default:
		g, b = c, x
	}
	to := func(v float64) uint8 { return uint8(math.Round(255 * (v + m))) }
	return color.RGBA{to(r), to(g), to(b), 0xFF}
}
