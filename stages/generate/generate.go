package generate

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/mask"
)

// Entity is one entry of a row's privacy_mask: a PII value and where it sits
// in source_text, in Unicode code points, end exclusive.
type Entity struct {
	Value string `json:"value" parquet:"value"`
	Start int64  `json:"start" parquet:"start"`
	End   int64  `json:"end" parquet:"end"`
	Label string `json:"label" parquet:"label"`
}

// Row is one document in the AI4Privacy 200k schema. TargetText and
// MaskedText hold the same string: source_text with every entity replaced by
// "[LABEL_n]" (mask.Placeholder). SpanLabels is a JSON string listing every
// stretch of the text in order, entities and the "O" gaps between them:
// `[[0, 5, "O"], [5, 9, "FIRSTNAME"], ...]`. The 200k dataset's
// mbert_text_tokens and mbert_bio_labels columns are not produced.
type Row struct {
	SourceText  string   `json:"source_text" parquet:"source_text"`
	TargetText  string   `json:"target_text" parquet:"target_text"`
	MaskedText  string   `json:"masked_text" parquet:"masked_text"`
	PrivacyMask []Entity `json:"privacy_mask" parquet:"privacy_mask,list"`
	SpanLabels  string   `json:"span_labels" parquet:"span_labels"`
	ID          string   `json:"id" parquet:"id"`
	Language    string   `json:"language" parquet:"language"`
	Set         string   `json:"set" parquet:"set"`
}

// Spans returns the row's entities as record spans.
func (r Row) Spans() []record.Span {
	out := make([]record.Span, len(r.PrivacyMask))
	for i, e := range r.PrivacyMask {
		out[i] = record.Span{Start: int(e.Start), End: int(e.End), Label: e.Label}
	}
	return out
}

// Config says what to generate.
type Config struct {
	// Seed makes the output reproducible; every seed (0 included) is fixed.
	Seed int64
	// N is the number of rows All and the writers produce.
	N int
	// Languages to draw from, uniformly ("en", "fr"); empty means both.
	Languages []string
}

// Languages lists the languages the generator writes.
func Languages() []string { return []string{"en", "fr"} }

// Generator produces rows. It is not safe for concurrent use; make one per
// goroutine with different seeds instead.
type Generator struct {
	cfg   Config
	f     *gofakeit.Faker
	langs []string
	seq   int
}

// New returns a generator for cfg. It fails on an unknown language or a
// negative N.
func New(cfg Config) (*Generator, error) {
	if cfg.N < 0 {
		return nil, fmt.Errorf("generate: n must be >= 0, got %d", cfg.N)
	}
	langs := cfg.Languages
	if len(langs) == 0 {
		langs = Languages()
	}
	for _, l := range langs {
		if _, ok := templates[l]; !ok {
			return nil, fmt.Errorf("generate: unsupported language %q (supported: en, fr)", l)
		}
	}
	src := rand.NewPCG(uint64(cfg.Seed), 0x9e3779b97f4a7c15)
	return &Generator{cfg: cfg, f: gofakeit.NewFaker(src, false), langs: append([]string(nil), langs...)}, nil
}

// Next returns the next row. It never runs out; N only bounds All and the
// writers.
func (g *Generator) Next() Row {
	f := g.f
	id := fmt.Sprintf("syn-%d-%07d", g.cfg.Seed, g.seq)
	g.seq++
	lang := g.langs[f.IntN(len(g.langs))]
	set := "train"
	switch f.IntN(10) {
	case 8:
		set = "validation"
	case 9:
		set = "test"
	}
	list := templates[lang]
	t := list[f.IntN(len(list))]
	d := &doc{f: f, fr: lang == "fr", vals: make(map[slotKey]string, 8), cur: f.IntN(len(currencies))}
	text, ents := t.render(d)
	row := Row{SourceText: text, PrivacyMask: ents, ID: id, Language: lang, Set: set}
	row.MaskedText = mask.Placeholder(text, row.Spans())
	row.TargetText = row.MaskedText
	row.SpanLabels = spanLabels(text, ents)
	return row
}

// All yields the generator's next N rows.
func (g *Generator) All() iter.Seq[Row] {
	return func(yield func(Row) bool) {
		for i := 0; i < g.cfg.N; i++ {
			if !yield(g.Next()) {
				return
			}
		}
	}
}

func spanLabels(text string, ents []Entity) string {
	var b strings.Builder
	b.WriteByte('[')
	pos, n := int64(0), int64(utf8.RuneCountInString(text))
	first := true
	add := func(s, e int64, label string) {
		if !first {
			b.WriteString(", ")
		}
		first = false
		fmt.Fprintf(&b, "[%d, %d, %q]", s, e, label)
	}
	for _, e := range ents {
		if e.Start > pos {
			add(pos, e.Start, "O")
		}
		add(e.Start, e.End, e.Label)
		pos = e.End
	}
	if pos < n {
		add(pos, n, "O")
	}
	b.WriteByte(']')
	return b.String()
}

// segment is a piece of a parsed template: literal text, a choice between
// literal alternatives, or an entity slot.
type segment struct {
	lit     string
	choices []string
	label   string
	tag     string
}

type template struct {
	name string
	segs []segment
}

// parseTemplate reads the template mini-language:
//
//	{LABEL}       an entity of class LABEL
//	{LABEL:tag}   the same, sharing its value with every slot of that label
//	              and tag in the document ("{FIRSTNAME:a}" twice is one person)
//	{?a|b|c}      one of the literal alternatives
//
// An untagged slot has tag "", so it repeats the document's main value too.
func parseTemplate(name, s string) (template, error) {
	t := template{name: name}
	for s != "" {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			if strings.ContainsRune(s, '}') {
				return t, fmt.Errorf("template %s: unmatched '}'", name)
			}
			t.segs = append(t.segs, segment{lit: s})
			break
		}
		if i > 0 {
			if strings.ContainsRune(s[:i], '}') {
				return t, fmt.Errorf("template %s: unmatched '}'", name)
			}
			t.segs = append(t.segs, segment{lit: s[:i]})
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return t, fmt.Errorf("template %s: unclosed '{'", name)
		}
		body := s[i+1 : i+j]
		s = s[i+j+1:]
		if strings.HasPrefix(body, "?") {
			t.segs = append(t.segs, segment{choices: strings.Split(body[1:], "|")})
			continue
		}
		label, tag, _ := strings.Cut(body, ":")
		if !isSupported(label) {
			return t, fmt.Errorf("template %s: unknown class %q", name, label)
		}
		t.segs = append(t.segs, segment{label: label, tag: tag})
	}
	return t, nil
}

func mustParse(lang string, srcs []string) []template {
	out := make([]template, len(srcs))
	for i, s := range srcs {
		t, err := parseTemplate(fmt.Sprintf("%s#%d", lang, i), s)
		if err != nil {
			panic(err)
		}
		out[i] = t
	}
	return out
}

func (t template) render(d *doc) (string, []Entity) {
	var b strings.Builder
	var ents []Entity
	pos := int64(0)
	for _, s := range t.segs {
		switch {
		case s.label != "":
			v := d.value(s.label, s.tag)
			n := int64(utf8.RuneCountInString(v))
			ents = append(ents, Entity{Value: v, Start: pos, End: pos + n, Label: s.label})
			b.WriteString(v)
			pos += n
		case s.choices != nil:
			c := s.choices[d.f.IntN(len(s.choices))]
			b.WriteString(c)
			pos += int64(utf8.RuneCountInString(c))
		default:
			b.WriteString(s.lit)
			pos += int64(utf8.RuneCountInString(s.lit))
		}
	}
	return b.String(), ents
}

// templates holds the parsed templates per language; read-only after init.
var templates = map[string][]template{
	"en": mustParse("en", templatesEN),
	"fr": mustParse("fr", templatesFR),
}
