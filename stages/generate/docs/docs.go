package docs

import (
	"fmt"
	"iter"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/piimask/piimask/stages/generate"
)

// DefaultCleanShare is the default target share of PII-free characters.
const DefaultCleanShare = 0.88

// Config says what to generate.
type Config struct {
	// Seed makes the output reproducible; every seed (0 included) is fixed.
	Seed int64
	// N is the number of rows All produces.
	N int
	// Languages to draw from, uniformly ("en", "fr"); empty means both.
	Languages []string
	// CleanShare is the target share of characters outside any entity, per
	// document (each document draws its own target within ±0.05 of it);
	// 0 means DefaultCleanShare. PII-dense kinds (logs, CSV, chat) fall
	// below it and the prose kinds make up for them, so the share over the
	// whole output stays near the target.
	CleanShare float64
	// Prose is optional extra PII-free text (from LoadProse); nil uses only
	// the built-in pools.
	Prose *Prose
	// Kinds restricts the document kinds (see Kinds); empty means all.
	Kinds []string
}

// Generator produces document rows. It is not safe for concurrent use.
type Generator struct {
	cfg   Config
	g     *gen
	langs []string
	kinds []kind
	seq   int
	// characters and entity characters written so far: the next document's
	// target leans against the running share so that the corpus share stays
	// near CleanShare whatever the mix of PII-dense kinds (logs, CSV).
	chars, piiChars int64
}

// New returns a generator for cfg. It fails on an unknown language or kind,
// a negative N or a CleanShare outside [0, 0.99].
func New(cfg Config) (*Generator, error) {
	if cfg.N < 0 {
		return nil, fmt.Errorf("generate documents: n must be >= 0, got %d", cfg.N)
	}
	if cfg.CleanShare < 0 || cfg.CleanShare > 0.99 || math.IsNaN(cfg.CleanShare) {
		return nil, fmt.Errorf("generate documents: clean share must be in [0, 0.99], got %v", cfg.CleanShare)
	}
	if cfg.CleanShare == 0 {
		cfg.CleanShare = DefaultCleanShare
	}
	langs := cfg.Languages
	if len(langs) == 0 {
		langs = generate.Languages()
	}
	for _, l := range langs {
		if l != "en" && l != "fr" {
			return nil, fmt.Errorf("generate documents: unsupported language %q (supported: en, fr)", l)
		}
	}
	ks := allKinds
	if len(cfg.Kinds) > 0 {
		ks = nil
		for _, name := range cfg.Kinds {
			k, ok := kindByName(name)
			if !ok {
				return nil, fmt.Errorf("generate documents: unknown kind %q (known: %s)", name, strings.Join(Kinds(), ", "))
			}
			ks = append(ks, k)
		}
	}
	f := generate.NewFaker(cfg.Seed, 0xd0c5d0c5d0c5d0c5)
	return &Generator{cfg: cfg, langs: append([]string(nil), langs...), kinds: ks,
		g: &gen{f: f, v: generate.NewValues(f), prose: cfg.Prose, used: map[string]bool{}}}, nil
}

// Kinds lists the document kinds, in the order they are drawn from.
func Kinds() []string {
	out := make([]string, len(allKinds))
	for i, k := range allKinds {
		out[i] = k.name
	}
	return out
}

// KindOf returns the kind of a row made by this package, from its id
// ("doc-<seed>-<kind>-<seq>"), or "" for another id.
func KindOf(id string) string {
	parts := strings.Split(id, "-")
	if len(parts) != 4 || parts[0] != "doc" {
		return ""
	}
	return parts[2]
}

// Next returns the next row; it never runs out.
func (gn *Generator) Next() generate.Row {
	g := gn.g
	seq := gn.seq
	gn.seq++
	g.lang = gn.langs[g.n(len(gn.langs))]
	g.fr = g.lang == "fr"
	clear(g.used)
	set := "train"
	switch g.n(10) {
	case 8:
		set = "validation"
	case 9:
		set = "test"
	}
	k := pickKind(g, gn.kinds)
	target := gn.cfg.CleanShare + (g.f.Float64()-0.5)*0.1
	if gn.chars > 0 {
		deficit := gn.cfg.CleanShare - (1 - float64(gn.piiChars)/float64(gn.chars))
		target += 6 * deficit
		if k.dense && deficit > 0 {
			k = pickKind(g, gn.kinds) // a dense kind is redrawn once while far below target
		}
	}
	target = min(max(target, 0), 0.975)
	d := k.build(g)
	text, ents := d.assemble(g, target)
	gn.chars += int64(utf8.RuneCountInString(text))
	for _, e := range ents {
		gn.piiChars += e.End - e.Start
	}
	id := fmt.Sprintf("doc-%d-%s-%07d", gn.cfg.Seed, k.name, seq)
	return generate.NewRow(id, g.lang, set, text, ents)
}

// All yields the generator's next N rows.
func (gn *Generator) All() iter.Seq[generate.Row] {
	return func(yield func(generate.Row) bool) {
		for i := 0; i < gn.cfg.N; i++ {
			if !yield(gn.Next()) {
				return
			}
		}
	}
}

// builder accumulates text and entities with code-point offsets.
type builder struct {
	sb   strings.Builder
	pos  int64
	pii  int64
	ents []generate.Entity
}

func (b *builder) lit(s string) {
	b.sb.WriteString(s)
	b.pos += int64(utf8.RuneCountInString(s))
}

// ent appends v as an entity of class label; an empty v writes nothing.
func (b *builder) ent(label, v string) {
	if v == "" {
		return
	}
	n := int64(utf8.RuneCountInString(v))
	b.ents = append(b.ents, generate.Entity{Value: v, Start: b.pos, End: b.pos + n, Label: label})
	b.sb.WriteString(v)
	b.pos += n
	b.pii += n
}

// append copies o to the end of b, shifting its entities.
func (b *builder) append(o *builder) {
	for _, e := range o.ents {
		e.Start += b.pos
		e.End += b.pos
		b.ents = append(b.ents, e)
	}
	b.sb.WriteString(o.sb.String())
	b.pos += o.pos
	b.pii += o.pii
}

func (b *builder) endsWith(s string) bool { return strings.HasSuffix(b.sb.String(), s) }

// document is a kind's output before the body is filled: a head and a tail
// around a body that unit extends one unit at a time until the document's
// PII-free share reaches its target (at least minUnits, at most maxUnits).
type document struct {
	head, tail         *builder
	body               *builder
	unit               func(b *builder)
	sep                string // between body units
	minUnits, maxUnits int
}

func (d *document) assemble(g *gen, target float64) (string, []generate.Entity) {
	if d.body == nil {
		d.body = &builder{}
	}
	if d.head == nil {
		d.head = &builder{}
	}
	if d.tail == nil {
		d.tail = &builder{}
	}
	share := func() float64 {
		total := d.head.pos + d.body.pos + d.tail.pos
		if total == 0 {
			return 0
		}
		return 1 - float64(d.head.pii+d.body.pii+d.tail.pii)/float64(total)
	}
	if d.unit != nil {
		for i := 0; i < d.maxUnits; i++ {
			if i >= d.minUnits && share() >= target {
				break
			}
			if i > 0 {
				d.body.lit(d.sep)
			}
			d.unit(d.body)
		}
	}
	var out builder
	out.append(d.head)
	out.append(d.body)
	out.append(d.tail)
	if out.ents == nil {
		out.ents = []generate.Entity{} // "privacy_mask": [], not null
	}
	return out.sb.String(), out.ents
}

// gen holds the random source and the language of the document being built.
type gen struct {
	f     *gofakeit.Faker
	v     *generate.Values
	prose *Prose
	lang  string
	fr    bool
	used  map[string]bool // pool sentences used in the current document
}

func (g *gen) n(k int) int { return g.f.IntN(k) }

func (g *gen) p(prob float64) bool { return g.f.Float64() < prob }

func pick[T any](g *gen, list []T) T { return list[g.f.IntN(len(list))] }

// tr returns en or fr by the document's language.
func (g *gen) tr(en, fr string) string {
	if g.fr {
		return fr
	}
	return en
}

// trl picks from the English or the French list.
func (g *gen) trl(en, fr []string) string {
	if g.fr {
		return pick(g, fr)
	}
	return pick(g, en)
}

func (g *gen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.n(10))
	}
	return string(b)
}

// pattern fills a pattern: # → digit, @ → upper-case letter, others literal.
func (g *gen) pattern(p string) string {
	var b strings.Builder
	for _, r := range p {
		switch r {
		case '#':
			b.WriteByte(byte('0' + g.n(10)))
		case '@':
			b.WriteByte(byte('A' + g.n(26)))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
