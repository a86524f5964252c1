package report

import (
	"fmt"
	"strings"
)

func pctText(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) }

// markdownHeadline writes the unmapped-label warning and the headline table.
func (r *Report) markdownHeadline(b *strings.Builder) {
	v := r.Views
	if len(v.Unmapped) > 0 {
		fmt.Fprintf(b, "> **WARNING: %d gold spans have a label that no taxonomy map knows.** They are scored as misses for every method. Map them with `label_map` (labels with no single class, such as Presidio's PERSON, need `taxonomy: groups`) or set them aside with `ignore_labels`.\n>\n", v.UnmappedSpans)
		for _, u := range v.Unmapped {
			fmt.Fprintf(b, "> - %s: %d\n", mdEscape(u.Label), u.Count)
		}
		b.WriteString("\n")
	}
	b.WriteString("## Headline\n\n| method | strict F1 | PII precision | PII recall | PII F2 | leak rate | over-mask rate |\n|---|---|---|---|---|---|---|\n")
	for _, m := range r.Methods {
		pii := "– | – | –"
		if p := m.PII; p != nil {
			pii = fmt.Sprintf("%.4f | %.4f | %.4f", p.Precision, p.Recall, p.F2)
		}
		over := "–"
		if m.HasCharacters {
			over = fmt.Sprintf("%.3f%%", 100*m.OverMaskRate)
		}
		fmt.Fprintf(b, "| %s | %.4f | %s | %s | %s |\n", mdEscape(m.Name), m.F1, pii, pctText(m.LeakRate), over)
	}
	if v.HasPII {
		merge := ""
		if v.MergeAdjacent {
			merge = ", after merging adjacent spans of one entity group"
		}
		fmt.Fprintf(b, "\nPII figures: labels ignored, spans matched one to one at character IoU ≥ %g%s. Over-mask rate: share of non-whitespace characters outside gold PII that a prediction covers.\n", v.IoU, merge)
	}
	b.WriteString("\n")
}

// markdownViews writes the group, language, schema and token tables.
func (r *Report) markdownViews(b *strings.Builder) {
	v := r.Views
	if len(v.Groups) > 0 {
		b.WriteString("\n## Entity groups\n\n| group | support |")
		for _, m := range r.Methods {
			n := mdEscape(m.Name)
			fmt.Fprintf(b, " %s strict F1 | %s IoU F1 | %s leak | %s over-mask |", n, n, n, n)
		}
		b.WriteString("\n|---|---|" + strings.Repeat("---|---|---|---|", len(r.Methods)) + "\n")
		for _, g := range v.Groups {
			fmt.Fprintf(b, "| %s | %d |", g.Group, g.Support)
			for _, c := range g.Cells {
				if !c.Has {
					b.WriteString(" – | – | – | – |")
					continue
				}
				if c.Cannot {
					fmt.Fprintf(b, " – | – | %s | %.3f%% |", pctText(c.LeakRate), 100*c.OverMsk)
					continue
				}
				fmt.Fprintf(b, " %.4f | %.4f | %s | %.3f%% |", c.StrictF1, c.IoUF1, pctText(c.LeakRate), 100*c.OverMsk)
			}
			b.WriteString("\n")
		}
	}
	if len(v.Languages) > 0 {
		b.WriteString("\n## Per language\n\n| language | method | documents | precision | recall | F1 | PII F2 | leak rate | over-mask rate |\n|---|---|---|---|---|---|---|---|---|\n")
		for _, l := range v.Languages {
			f2, over := "–", "–"
			if l.HasViews {
				f2, over = fmt.Sprintf("%.4f", l.PIIF2), fmt.Sprintf("%.3f%%", 100*l.OverMaskRate)
			}
			fmt.Fprintf(b, "| %s | %s | %d | %.4f | %.4f | %.4f | %s | %s | %s |\n", mdEscape(l.Language), mdEscape(l.Method),
				l.Documents, l.Precision, l.Recall, l.F1, f2, pctText(l.LeakRate), over)
		}
	}
	if len(v.Schemas) > 0 {
		b.WriteString("\n## nervaluate schemas\n\n| method | schema | COR | INC | PAR | MIS | SPU | precision | recall | F1 |\n|---|---|---|---|---|---|---|---|---|---|\n")
		for _, s := range v.Schemas {
			fmt.Fprintf(b, "| %s | %s | %d | %d | %d | %d | %d | %.4f | %.4f | %.4f |\n", mdEscape(s.Method), mdEscape(s.Schema),
				s.COR, s.INC, s.PAR, s.MIS, s.SPU, s.Precision, s.Recall, s.F1)
		}
	}
	if len(v.Tokens) > 0 {
		b.WriteString("\n## Token level\n\n| method | tokens | entity precision | entity recall | entity F1 | token precision | token recall | token F1 |\n|---|---|---|---|---|---|---|---|\n")
		for _, t := range v.Tokens {
			fmt.Fprintf(b, "| %s | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f |\n", mdEscape(t.Method), t.Tokens,
				t.Entities.Precision, t.Entities.Recall, t.Entities.F1, t.Labels.Precision, t.Labels.Recall, t.Labels.F1)
		}
		fmt.Fprintf(b, "\nWord tokens (%s); entity: seqeval default matching on IOB2 tags; token: micro over tokens not tagged O.\n", mdEscape(v.Tokens[0].Tokenizer))
	}
}
