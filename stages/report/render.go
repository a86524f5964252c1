package report

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/piimask/piimask/stages/score"
	"github.com/piimask/piimask/stages/write"
)

// HTML renders the report as one self-contained HTML document.
func (r *Report) HTML() ([]byte, error) {
	var buf bytes.Buffer
	if err := htmlTmpl.Execute(&buf, r); err != nil {
		return nil, fmt.Errorf("report: render HTML: %w", err)
	}
	return buf.Bytes(), nil
}

// WriteHTML writes the HTML report to path atomically.
func (r *Report) WriteHTML(path string) error {
	data, err := r.HTML()
	if err != nil {
		return err
	}
	return write.WriteFileAtomic(path, data)
}

// Markdown renders the report's summary as Markdown (tables, no charts).
func (r *Report) Markdown() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", mdEscape(r.Title))
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "%s  \n", mdEscape(n))
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n")
	}
	r.markdownHeadline(&b)
	b.WriteString("## Methods\n\n")
	b.WriteString("| method | precision | recall | F1 | F2 | macro F1 | leak rate | documents | docs/s | cost / 1k docs |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|\n")
	for _, m := range r.Methods {
		var pci, rci, fci *score.Interval
		if m.CI != nil {
			pci, rci, fci = &m.CI.Precision, &m.CI.Recall, &m.CI.F1
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %.4f | %.4f | %d | %s | %s |\n", mdEscape(m.Name),
			withCI(m.Precision, pci), withCI(m.Recall, rci), withCI(m.F1, fci), withCI(m.F2, m.F2CI),
			m.MacroF1, m.LeakRate, m.Documents, docsPerSec(m.Stats), costPer1k(m.Stats))
	}
	if len(r.Methods) > 0 && r.Methods[0].CI != nil {
		fmt.Fprintf(&b, "\nIntervals: %g%% percentile bootstrap, %d resamples of documents.\n",
			100*r.Methods[0].CI.Confidence, r.Methods[0].CI.Iterations)
	}
	if len(r.Classes) > 0 {
		b.WriteString("\n## Strict F1 per class\n\n| class | support |")
		for _, m := range r.Methods {
			fmt.Fprintf(&b, " %s |", mdEscape(m.Name))
		}
		b.WriteString("\n|---|---|" + strings.Repeat("---|", len(r.Methods)) + "\n")
		for _, c := range r.Classes {
			fmt.Fprintf(&b, "| %s | %d |", mdEscape(c.Label), c.Support)
			for _, f := range c.F1 {
				fmt.Fprintf(&b, " %s |", f1Cell(f))
			}
			b.WriteString("\n")
		}
	}
	r.markdownViews(&b)
	b.WriteString("\n## Worst classes\n")
	for _, m := range r.Methods {
		fmt.Fprintf(&b, "\n**%s**\n\n| class | F1 | precision | recall | support | most confused with |\n|---|---|---|---|---|---|\n", mdEscape(m.Name))
		for _, w := range r.Worst[m.Name] {
			fmt.Fprintf(&b, "| %s | %.4f | %.4f | %.4f | %d | %s |\n", mdEscape(w.Label), w.F1, w.Precision, w.Recall, w.Support, confused(w))
		}
	}
	if len(r.Pairs) > 0 {
		b.WriteString("\n## Paired bootstrap (strict micro F1)\n\n| A | B | ΔF1 (A−B) | 95% interval | p-value | A better in |\n|---|---|---|---|---|---|\n")
		for _, p := range r.Pairs {
			if p.Skipped != "" {
				fmt.Fprintf(&b, "| %s | %s | – | – | – | skipped: %s |\n", mdEscape(p.A), mdEscape(p.B), mdEscape(p.Skipped))
				continue
			}
			fmt.Fprintf(&b, "| %s | %s | %+.4f | [%+.4f, %+.4f] | %.4f | %.1f%% |\n", mdEscape(p.A), mdEscape(p.B),
				p.Result.Delta, p.Result.DeltaCI.Low, p.Result.DeltaCI.High, p.Result.PValue, 100*p.Result.AWins)
		}
	}
	if len(r.Examples) > 0 {
		b.WriteString("\n## Example errors\n\n")
		b.WriteString("The erroneous span is in bold, the overlapping spans of the other side in italics (¦ where one of them begins); gold PII that overlaps the error is shown by its shape (X/x letters, 9 digits) followed by its label, other gold PII as [LABEL].\n\n")
		for _, e := range r.Examples {
			fmt.Fprintf(&b, "- **%s** %s `%s`%s (doc %s): ", mdEscape(e.Method), kindName(e.Kind), mdEscape(e.Label), otherText(e), mdEscape(e.DocID))
			b.WriteString(markdownSegments(e.Segments))
			b.WriteString("\n")
		}
	}
	for _, s := range r.Sections {
		fmt.Fprintf(&b, "\n## %s\n\n%s\n", mdEscape(s.Title), strings.TrimRight(s.Markdown, "\n"))
	}
	return []byte(b.String())
}

// markdownSegments renders an example's pieces: runs of pieces with the same
// emphasis are joined,
// with ¦ where a span of the other side begins inside a run, and a gold
// span's label after its shape.
func markdownSegments(segs []Segment) string {
	var b strings.Builder
	// HTML emphasis (GitHub Markdown keeps <b> and <i>): unlike ** and *,
	// it survives adjacent runs and spaces at a run's edges.
	mark := func(s Segment) string {
		switch {
		case s.Focus && s.Other:
			return "bi"
		case s.Focus:
			return "b"
		case s.Other:
			return "i"
		}
		return ""
	}
	open := map[string]string{"bi": "<b><i>", "b": "<b>", "i": "<i>"}
	closing := map[string]string{"bi": "</i></b>", "b": "</b>", "i": "</i>"}
	for i := 0; i < len(segs); {
		m := mark(segs[i])
		var run strings.Builder
		j := i
		for ; j < len(segs) && mark(segs[j]) == m; j++ {
			if j > i && segs[j].OtherStart {
				run.WriteString("¦")
			}
			run.WriteString(mdEscape(strings.ReplaceAll(segs[j].Shown(), "\n", " ")))
			if segs[j].End != "" {
				if j+1 < len(segs) && mark(segs[j+1]) == m {
					fmt.Fprintf(&run, "<sub>%s</sub>", mdEscape(segs[j].End))
				}
			}
		}
		fmt.Fprintf(&b, "%s%s%s", open[m], run.String(), closing[m])
		if end := segs[j-1].End; end != "" {
			fmt.Fprintf(&b, "<sub>%s</sub>", mdEscape(end))
		}
		i = j
	}
	return b.String()
}

// WriteMarkdown writes the Markdown summary to path atomically.
func (r *Report) WriteMarkdown(path string) error {
	return write.WriteFileAtomic(path, r.Markdown())
}

var mdReplacer = strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`)

func mdEscape(s string) string { return mdReplacer.Replace(s) }

func withCI(v float64, ci *score.Interval) string {
	if ci == nil {
		return fmt.Sprintf("%.4f", v)
	}
	return fmt.Sprintf("%.4f [%.4f, %.4f]", v, ci.Low, ci.High)
}

func f1Cell(f float64) string {
	if math.IsNaN(f) {
		return "–"
	}
	return fmt.Sprintf("%.4f", f)
}

func docsPerSec(s *RunStats) string {
	if s == nil || s.DocsPerSecond == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f", s.DocsPerSecond)
}

func costPer1k(s *RunStats) string {
	if s == nil {
		return "–"
	}
	return fmt.Sprintf("$%.4f", s.CostPer1k())
}

func confused(w WorstClass) string {
	if w.ConfusedN == 0 {
		return "–"
	}
	return fmt.Sprintf("%s (%d)", w.ConfusedWith, w.ConfusedN)
}

func kindName(k string) string {
	switch k {
	case FalsePositive:
		return "false positive"
	case FalseNegative:
		return "false negative"
	}
	return k
}

func otherText(e Example) string {
	if e.Other == "" {
		return ""
	}
	if e.Kind == FalsePositive {
		return " over gold " + mdEscape(e.Other)
	}
	return " predicted as " + mdEscape(e.Other)
}

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"f4":        func(v float64) string { return fmt.Sprintf("%.4f", v) },
	"pct":       func(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) },
	"ci":        func(ci *score.Interval) string { return ciText(ci) },
	"f1cell":    f1Cell,
	"docsPerS":  docsPerSec,
	"cost":      costPer1k,
	"confused":  confused,
	"kindName":  kindName,
	"other":     func(e Example) string { return strings.ReplaceAll(otherText(e), `\`, "") },
	"signed":    func(v float64) string { return fmt.Sprintf("%+.4f", v) },
	"heat":      heatStyle,
	"isNaN":     math.IsNaN,
	"pct2":      func(v float64) string { return fmt.Sprintf("%.3f%%", 100*v) },
	"precision": func(ci *score.ConfidenceIntervals) *score.Interval { return field(ci, 0) },
	"recall":    func(ci *score.ConfidenceIntervals) *score.Interval { return field(ci, 1) },
	"f1ci":      func(ci *score.ConfidenceIntervals) *score.Interval { return field(ci, 2) },
}).Parse(htmlSource))

func field(ci *score.ConfidenceIntervals, k int) *score.Interval {
	if ci == nil {
		return nil
	}
	return []*score.Interval{&ci.Precision, &ci.Recall, &ci.F1}[k]
}

func ciText(ci *score.Interval) string {
	if ci == nil {
		return ""
	}
	return fmt.Sprintf("[%.3f, %.3f]", ci.Low, ci.High)
}

// heatStyle colours a table cell from red (F1 0) to green (F1 1).
func heatStyle(f float64) template.CSS {
	if math.IsNaN(f) {
		return "background:#eee"
	}
	hue := 120 * math.Max(0, math.Min(1, f))
	return template.CSS(fmt.Sprintf("background:hsl(%.0f,60%%,85%%)", hue))
}

const htmlSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",Arial,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#222;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:right}
th{background:#f5f5f5}td.l,th.l{text-align:left}.ci{color:#777;font-size:.8rem;display:block}
.note{color:#555;margin:.1rem 0}.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
figure{margin:1rem 0;overflow-x:auto}figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:.85rem}
.ex{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.85rem;background:#fafafa;border:1px solid #eee;padding:.4rem;margin:.3rem 0;white-space:pre-wrap}
.ex .m{background:#e8e8e8;border-radius:3px;padding:0 2px;color:#555}
.tag{font-size:.75rem;border-radius:3px;padding:0 .3rem;color:#fff}.fp{background:#d62728}.fn{background:#1f77b4}
.ex .s{background:#dde8f5;color:#222;border-radius:0;padding:0}.ex .f{background:#fbd5d5;border-bottom:2px solid #d62728}
.ex .o{border-top:2px solid #1f77b4}.ex .ob{border-left:2px solid #1f77b4}.ex .gl{font-size:.7rem;color:#1f77b4;font-family:system-ui,sans-serif;margin:0 .15rem 0 .1rem}
.ex{line-height:1.9}
.unmapped-warning{border:2px solid #d62728;background:#fdecea;padding:.6rem .9rem;margin:1rem 0;border-radius:4px}.unmapped-warning b{color:#a31515}
td.na{background:#eee;color:#888;text-align:center}th[colspan]{text-align:center}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{range .Notes}}<p class="note">{{.}}</p>{{end}}
{{with .Views.Unmapped}}<div class="unmapped-warning" id="unmapped-warning"><b>Warning: {{$.Views.UnmappedSpans}} gold spans have a label that no taxonomy map knows.</b> They are scored as misses for every method, so recall and F1 are too low. Map them with <code>label_map</code> (a shipped map such as <code>ai4privacy-400k</code> or <code>presidio</code>, or your own; labels with no single class, such as Presidio's PERSON, need <code>taxonomy: groups</code>), or set them aside with <code>ignore_labels</code>.
<table id="unmapped-table"><tr><th class="l">gold label</th><th>spans</th></tr>{{range .}}<tr><td class="l">{{.Label}}</td><td>{{.Count}}</td></tr>{{end}}</table></div>{{end}}

<h2 id="headline">Headline</h2>
<table id="headline-table">
<tr><th class="l">method</th><th>strict F1</th><th>PII precision</th><th>PII recall</th><th>PII F2</th><th>leak rate</th><th>over-mask rate</th></tr>
{{range $i, $m := .Methods}}<tr><td class="l"><span class="swatch" style="background:{{index $.Colors $i}}"></span>{{$m.Name}}</td><td>{{f4 $m.F1}}</td>
{{with $m.PII}}<td>{{f4 .Precision}}</td><td>{{f4 .Recall}}</td><td>{{f4 .F2}}</td>{{else}}<td class="na">–</td><td class="na">–</td><td class="na">–</td>{{end}}
<td>{{pct $m.LeakRate}}</td><td>{{if $m.HasCharacters}}{{pct2 $m.OverMaskRate}}{{else}}–{{end}}</td></tr>
{{end}}</table>
<p class="note">Strict F1: same label, same start and end. PII precision, recall and F2: labels ignored, a prediction matches a gold span when their character IoU is at least {{if .Views.HasPII}}{{.Views.IoU}}{{else}}the threshold{{end}}, one to one{{if .Views.MergeAdjacent}}, after merging adjacent spans of one entity group (separated only by spaces or punctuation){{end}}{{if .Views.MixedSettings}} (methods scored with different settings: see their metrics.json){{end}}. Leak rate: share of gold PII characters that no prediction covers. Over-mask rate: share of the non-whitespace characters outside gold PII that a prediction covers.</p>

<h2 id="methods">Method comparison</h2>
<table id="methods-table">
<tr><th class="l">method</th><th>precision</th><th>recall</th><th>F1</th><th>F2</th><th>macro F1</th><th>leak rate</th><th>exact-match docs</th><th>documents</th><th>failures</th><th>docs/s</th><th>cost / 1k docs</th></tr>
{{range $i, $m := .Methods}}<tr>
<td class="l"><span class="swatch" style="background:{{index $.Colors $i}}"></span>{{$m.Name}}</td>
<td>{{f4 $m.Precision}}<span class="ci">{{ci (precision $m.CI)}}</span></td>
<td>{{f4 $m.Recall}}<span class="ci">{{ci (recall $m.CI)}}</span></td>
<td>{{f4 $m.F1}}<span class="ci">{{ci (f1ci $m.CI)}}</span></td>
<td>{{f4 $m.F2}}<span class="ci">{{ci $m.F2CI}}</span></td>
<td>{{f4 $m.MacroF1}}</td><td>{{pct $m.LeakRate}}</td><td>{{pct $m.ExactMatchAccuracy}}</td>
<td>{{$m.Documents}}</td><td>{{$m.Failures}}</td><td>{{docsPerS $m.Stats}}</td><td>{{cost $m.Stats}}</td>
</tr>{{end}}
</table>
<p class="note">Strict span matching (same label, same start and end). Intervals: percentile bootstrap over documents{{with index .Methods 0}}{{with .CI}} ({{.Iterations}} resamples, {{pct .Confidence}}){{end}}{{end}}. Leak rate: share of gold PII characters no prediction covers.</p>

{{if .Classes}}
<h2 id="per-class">Per-class F1</h2>
<figure id="chart-f1" data-classes="{{len .Classes}}" data-methods="{{len .Methods}}">{{.Charts.F1Bars}}<figcaption>Strict F1 per class, one bar per class and method.</figcaption></figure>
<figure id="chart-heatmap">{{.Charts.Heatmap}}<figcaption>Strict F1, classes × methods (grey –: a class the method cannot produce, or never saw).</figcaption></figure>
<table id="class-table"><tr><th class="l">class</th><th>support</th>{{range .Methods}}<th>{{.Name}}</th>{{end}}</tr>
{{range .Classes}}<tr><td class="l">{{.Label}}</td><td>{{.Support}}</td>{{range .F1}}{{if isNaN .}}<td class="na">–</td>{{else}}<td style="{{heat .}}">{{f1cell .}}</td>{{end}}{{end}}</tr>
{{end}}</table>

<h2 id="distribution">Class distribution</h2>
<figure id="chart-distribution">{{.Charts.Distribution}}<figcaption>Gold spans per class in the evaluated documents.</figcaption></figure>
{{end}}

{{with .Views.Groups}}
<h2 id="groups">Entity groups</h2>
<table id="groups-table"><tr><th class="l" rowspan="2">group</th><th rowspan="2">support</th>{{range $.Methods}}<th colspan="4">{{.Name}}</th>{{end}}</tr>
<tr>{{range $.Methods}}<th>strict F1</th><th>IoU F1</th><th>leak</th><th>over-mask</th>{{end}}</tr>
{{range .}}<tr><td class="l">{{.Group}}</td><td>{{.Support}}</td>{{range .Cells}}{{if .Has}}{{if .Cannot}}<td class="na">–</td><td class="na">–</td>{{else}}<td style="{{heat .StrictF1}}">{{f4 .StrictF1}}</td><td style="{{heat .IoUF1}}">{{f4 .IoUF1}}</td>{{end}}<td>{{pct .LeakRate}}</td><td>{{pct2 .OverMsk}}</td>{{else}}<td class="na">–</td><td class="na">–</td><td class="na">–</td><td class="na">–</td>{{end}}{{end}}</tr>
{{end}}</table>
<p class="note">Gold and predicted labels mapped to their entity group. Strict: same group, same start and end. IoU: same group, character IoU at least the threshold, one to one. Leak: share of the group's gold characters no prediction covers; over-mask: share of all clean characters that the group's predictions cover. Grey –: the method cannot produce any class of the group.</p>
{{end}}

{{with .Views.Languages}}
<h2 id="languages">Per language</h2>
<table id="language-table"><tr><th class="l">language</th><th class="l">method</th><th>documents</th><th>precision</th><th>recall</th><th>F1</th><th>PII F2</th><th>leak rate</th><th>over-mask rate</th></tr>
{{range .}}<tr><td class="l">{{.Language}}</td><td class="l">{{.Method}}</td><td>{{.Documents}}</td><td>{{f4 .Precision}}</td><td>{{f4 .Recall}}</td><td>{{f4 .F1}}</td>{{if .HasViews}}<td>{{f4 .PIIF2}}</td>{{else}}<td class="na">–</td>{{end}}<td>{{pct .LeakRate}}</td>{{if .HasViews}}<td>{{pct2 .OverMaskRate}}</td>{{else}}<td class="na">–</td>{{end}}</tr>
{{end}}</table>
{{end}}

{{with .Views.Schemas}}
<h2 id="schemas">nervaluate schemas</h2>
<table id="schemas-table"><tr><th class="l">method</th><th class="l">schema</th><th>COR</th><th>INC</th><th>PAR</th><th>MIS</th><th>SPU</th><th>precision</th><th>recall</th><th>F1</th></tr>
{{range .}}<tr><td class="l">{{.Method}}</td><td class="l">{{.Schema}}</td><td>{{.COR}}</td><td>{{.INC}}</td><td>{{.PAR}}</td><td>{{.MIS}}</td><td>{{.SPU}}</td><td>{{f4 .Precision}}</td><td>{{f4 .Recall}}</td><td>{{f4 .F1}}</td></tr>
{{end}}</table>
<p class="note">SemEval-2013 9.1 schemas as nervaluate computes them: strict (bounds and type), exact (bounds), partial (bounds, half credit for overlaps), ent_type (type, any overlap).</p>
{{end}}

{{with .Views.Tokens}}
<h2 id="tokens">Token level</h2>
<table id="tokens-table"><tr><th class="l">method</th><th>tokens</th><th>entity precision</th><th>entity recall</th><th>entity F1</th><th>token precision</th><th>token recall</th><th>token F1</th></tr>
{{range .}}<tr><td class="l">{{.Method}}</td><td>{{.Tokens}}</td><td>{{f4 .Entities.Precision}}</td><td>{{f4 .Entities.Recall}}</td><td>{{f4 .Entities.F1}}</td><td>{{f4 .Labels.Precision}}</td><td>{{f4 .Labels.Recall}}</td><td>{{f4 .Labels.F1}}</td></tr>
{{end}}</table>
<p class="note">Spans turned into IOB2 tags on word tokens ({{(index . 0).Tokenizer}}: runs of letters and digits, each other character a token); entity: seqeval's default matching of tagged entities; token: micro figures over tokens tagged other than O, B/I ignored.</p>
{{end}}

<h2 id="worst">Worst classes</h2>
{{range .Methods}}{{$w := index $.Worst .Name}}<h3>{{.Name}}</h3>
{{if $w}}<table><tr><th class="l">class</th><th>F1</th><th>precision</th><th>recall</th><th>support</th><th>predicted</th><th class="l">most confused with</th></tr>
{{range $w}}<tr><td class="l">{{.Label}}</td><td>{{f4 .F1}}</td><td>{{f4 .Precision}}</td><td>{{f4 .Recall}}</td><td>{{.Support}}</td><td>{{.Predicted}}</td><td class="l">{{confused .}}</td></tr>
{{end}}</table>{{else}}<p class="note">No gold spans.</p>{{end}}
{{end}}

{{if .Pairs}}
<h2 id="paired">Paired bootstrap tests</h2>
<table id="paired-table"><tr><th class="l">A</th><th class="l">B</th><th>ΔF1 (A − B)</th><th>interval</th><th>p-value</th><th>A better in</th></tr>
{{range .Pairs}}<tr><td class="l">{{.A}}</td><td class="l">{{.B}}</td>{{if .Skipped}}<td colspan="4" class="l">skipped: {{.Skipped}}</td>{{else}}<td>{{signed .Result.Delta}}</td><td>[{{signed .Result.DeltaCI.Low}}, {{signed .Result.DeltaCI.High}}]</td><td>{{f4 .Result.PValue}}</td><td>{{pct .Result.AWins}}</td>{{end}}</tr>
{{end}}</table>
<p class="note">Documents resampled with replacement, the same draws for both methods; strict micro F1.</p>
{{end}}

{{if .Examples}}
<h2 id="examples">Example errors</h2>
<p class="note">The erroneous span is on a red ground, underlined in red; the spans of the other side that overlap it (the gold spans of a false positive, the predictions of a false negative) have a blue line above them, and a blue bar where each begins. Unless the report was configured with show_pii, gold PII is hidden: a gold span that overlaps the error is shown by its shape (X and x for letters, 9 for digits, other characters kept) on a blue ground with its label after it, every other one as [LABEL].</p>
{{range .Examples}}<div class="ex" data-kind="{{.Kind}}"><span class="tag {{if eq .Kind "false_positive"}}fp{{else}}fn{{end}}">{{kindName .Kind}}</span> <b>{{.Method}}</b> {{.Label}}{{other .}} · doc {{.DocID}}
{{range .Segments}}<span class="{{if .Masked}}m{{end}}{{if .Shape}} s{{end}}{{if .Focus}} f{{end}}{{if .Other}} o{{end}}{{if .OtherStart}} ob{{end}}"{{with .Gold}} title="gold {{.}}"{{end}}>{{.Shown}}</span>{{with .End}}<span class="gl">{{.}}</span>{{end}}{{end}}</div>
{{end}}
{{end}}

{{range .Sections}}<h2 id="{{.ID}}">{{.Title}}</h2>
{{.HTML}}
{{end}}
</body>
</html>
`
