package generate

import (
	"iter"
	"math/rand/v2"
	"strings"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/piimask/piimask/stages/mask"
)

// Values draws single values of the generator's classes, with the same
// checksums and formats as the templates mode (Luhn cards, mod-97 IBANs, …).
// It is what other generation modes reuse; it is not safe for concurrent use.
type Values struct {
	d doc
}

// NewValues returns a value drawer over f, whose random source it shares.
func NewValues(f *gofakeit.Faker) *Values {
	return &Values{d: doc{f: f, vals: make(map[slotKey]string, 4)}}
}

// NewFaker returns a gofakeit faker over a PCG source seeded with seed, the
// way the templates mode seeds its own.
func NewFaker(seed int64, stream uint64) *gofakeit.Faker {
	return gofakeit.NewFaker(rand.NewPCG(uint64(seed), stream), false)
}

// Draw returns a fresh value of class label (one of Classes) in French
// formats when fr is set, English ones otherwise, without surrounding spaces.
// Values derived from names (EMAIL, USERNAME) use names drawn for that call
// only.
func (v *Values) Draw(label string, fr bool) string {
	v.d.fr = fr
	clear(v.d.vals)
	v.d.cur = v.d.f.IntN(len(currencies))
	return strings.TrimSpace(v.d.draw(label, ""))
}

// Date draws a valid calendar date between the years (inclusive), formatted
// the way the language writes dates.
func (v *Values) Date(fromYear, toYear int, fr bool) string {
	v.d.fr = fr
	return v.d.date(fromYear, toYear)
}

// FormatAmount writes v with two decimals in English (1,234.56) or French
// (1 234,56) style; round even amounts may drop the decimals.
func FormatAmount(v float64, fr bool) string { return formatAmount(v, fr) }

// ASCIIFold lower-cases s and keeps only its ASCII letters and digits after
// removing diacritics ("Ünal" → "unal"), as e-mail local parts do; it
// returns "user" when nothing is left.
func ASCIIFold(s string) string { return ascii(s) }

// NewRow completes a row from its text and entities (sorted, code-point
// offsets): the masked and target text and span_labels are derived.
func NewRow(id, lang, set, text string, ents []Entity) Row {
	row := Row{SourceText: text, PrivacyMask: ents, ID: id, Language: lang, Set: set}
	row.MaskedText = mask.Placeholder(text, row.Spans())
	row.TargetText = row.MaskedText
	row.SpanLabels = spanLabels(text, ents)
	return row
}

// RowSource is anything that yields rows: a Generator, or another mode's.
type RowSource interface {
	// All yields the source's rows.
	All() iter.Seq[Row]
}
