package score

import (
	"errors"
	"fmt"
	"maps"
	"slices"
)

// CountsVersion is the version of the serialised Counts layout. Version 2
// added the views (pii, groups, character and token counts, and the views
// settings); version 1 files are still read, as counts without views.
const CountsVersion = 2

// countsVersionNoViews is the last layout without the views.
const countsVersionNoViews = 1

// Missed and Spurious are the extra column and row of the confusion matrix.
const (
	Missed   = "MISSED"
	Spurious = "SPURIOUS"
)

// Schema names one SemEval-2013 9.1 / nervaluate evaluation schema.
type Schema int

// The four schemas, in report order.
const (
	SchemaStrict Schema = iota
	SchemaExact
	SchemaPartial
	SchemaEntType
	numSchemas
)

// Schemas lists every schema in report order.
func Schemas() []Schema { return []Schema{SchemaStrict, SchemaExact, SchemaPartial, SchemaEntType} }

// String is the schema's name in metrics.json: strict, exact, partial, ent_type.
func (s Schema) String() string {
	switch s {
	case SchemaStrict:
		return "strict"
	case SchemaExact:
		return "exact"
	case SchemaPartial:
		return "partial"
	case SchemaEntType:
		return "ent_type"
	}
	return fmt.Sprintf("Schema(%d)", int(s))
}

// SchemaCounts are the SemEval-2013 9.1 outcome counts of one schema.
type SchemaCounts struct {
	COR int64 `json:"cor"`
	INC int64 `json:"inc"`
	PAR int64 `json:"par"`
	MIS int64 `json:"mis"`
	SPU int64 `json:"spu"`
}

// Possible is COR+INC+PAR+MIS: the gold spans that take part in the score.
func (s SchemaCounts) Possible() int64 { return s.COR + s.INC + s.PAR + s.MIS }

// Actual is COR+INC+PAR+SPU: the predictions that take part in the score.
func (s SchemaCounts) Actual() int64 { return s.COR + s.INC + s.PAR + s.SPU }

// Add sums o into s.
func (s *SchemaCounts) Add(o SchemaCounts) {
	s.COR += o.COR
	s.INC += o.INC
	s.PAR += o.PAR
	s.MIS += o.MIS
	s.SPU += o.SPU
}

// SchemaSet holds the counts of all four schemas.
type SchemaSet struct {
	Strict  SchemaCounts `json:"strict"`
	Exact   SchemaCounts `json:"exact"`
	Partial SchemaCounts `json:"partial"`
	EntType SchemaCounts `json:"ent_type"`
}

// Get returns a pointer to the counts of schema sc.
func (s *SchemaSet) Get(sc Schema) *SchemaCounts {
	switch sc {
	case SchemaStrict:
		return &s.Strict
	case SchemaExact:
		return &s.Exact
	case SchemaPartial:
		return &s.Partial
	case SchemaEntType:
		return &s.EntType
	}
	panic(fmt.Sprintf("score: unknown schema %d", int(sc)))
}

// Add sums o into s.
func (s *SchemaSet) Add(o SchemaSet) {
	s.Strict.Add(o.Strict)
	s.Exact.Add(o.Exact)
	s.Partial.Add(o.Partial)
	s.EntType.Add(o.EntType)
}

// Totals are the summable counts of a set of documents, for all classes
// together.
type Totals struct {
	Docs           int64 `json:"docs"`
	ExactMatchDocs int64 `json:"exact_match_docs"`
	// Gold, Pred and TP are strict counts over de-duplicated spans.
	MatchCounts
	// Schemas are the nervaluate counts over all classes.
	Schemas SchemaSet `json:"schemas"`
	// GoldCodePoints is the size of the union of gold spans; LeakedCodePoints
	// the part of it no prediction covers.
	GoldCodePoints   int64 `json:"gold_code_points"`
	LeakedCodePoints int64 `json:"leaked_code_points"`
	// PII is the label-agnostic span view (IoU matching, see views.go).
	PII MatchCounts `json:"pii,omitzero"`
	// CleanCodePoints are the non-whitespace code points outside every gold
	// span; OverMaskedCodePoints the part of them a prediction covers.
	CleanCodePoints      int64 `json:"clean_code_points,omitempty"`
	OverMaskedCodePoints int64 `json:"over_masked_code_points,omitempty"`
	// Tokens are the token-level counts (see tokens.go).
	Tokens TokenCounts `json:"tokens,omitzero"`
}

// Add sums o into t.
func (t *Totals) Add(o *Totals) {
	t.PII.Add(o.PII)
	t.CleanCodePoints += o.CleanCodePoints
	t.OverMaskedCodePoints += o.OverMaskedCodePoints
	t.Tokens.Add(o.Tokens)
	t.Docs += o.Docs
	t.ExactMatchDocs += o.ExactMatchDocs
	t.MatchCounts.Add(o.MatchCounts)
	t.Schemas.Add(o.Schemas)
	t.GoldCodePoints += o.GoldCodePoints
	t.LeakedCodePoints += o.LeakedCodePoints
}

// ClassCounts are the summable counts of one class.
type ClassCounts struct {
	// Gold, Pred and TP are strict counts over de-duplicated spans.
	MatchCounts
	// Schemas are nervaluate counts from spans of this class only.
	Schemas SchemaSet `json:"schemas"`
	// Characters are the character-view counts of this class (gold
	// code points and leaks for a gold class, over-masked clean code points
	// for a predicted class).
	Characters CharCounts `json:"characters,omitzero"`
}

// Add sums o into c.
func (c *ClassCounts) Add(o *ClassCounts) {
	c.Characters.Add(o.Characters)
	c.MatchCounts.Add(o.MatchCounts)
	c.Schemas.Add(o.Schemas)
}

// DocCounts are the counts of one document: small, and serialisable as one
// JSON line, so bootstrap resampling and merges can be recomputed later.
type DocCounts struct {
	// ID is the document's id; ScoreDocument leaves it empty for the caller.
	ID       string `json:"id,omitempty"`
	Language string `json:"language,omitempty"`
	Totals
	Classes   map[string]*ClassCounts     `json:"classes,omitempty"`
	Confusion map[string]map[string]int64 `json:"confusion,omitempty"`
	// Groups are the entity-group counts (see views.go).
	Groups map[string]*GroupCounts `json:"groups,omitempty"`
}

// Counts are the summable counts of a set of documents: everything a Report
// is derived from. The zero value is not ready; use NewCounts.
type Counts struct {
	Version int `json:"version"`
	Totals
	Classes map[string]*ClassCounts `json:"classes"`
	// Confusion[gold][pred] counts overlapping span pairs (see the package
	// documentation for MISSED and SPURIOUS).
	Confusion map[string]map[string]int64 `json:"confusion"`
	// Languages holds the totals per document language ("und" when unknown).
	Languages map[string]*Totals `json:"languages"`
	// Views are the settings the view counts were made with; nil when the
	// documents were scored without their text (ScoreDocument) or read from
	// a version 1 file, and then no view is reported.
	Views *ViewSettings `json:"views,omitempty"`
	// Groups are the entity-group counts; empty without Views.
	Groups map[string]*GroupCounts `json:"groups,omitempty"`
	// UnmappedGold counts the gold spans whose label no taxonomy map knew,
	// by label; set by the caller (the scorer never sees the input's maps).
	UnmappedGold map[string]int64 `json:"unmapped_gold_labels,omitempty"`
}

// NewCounts returns empty counts.
func NewCounts() *Counts {
	c := &Counts{}
	c.init()
	return c
}

// UnknownLanguage is the per-language key of documents without a language.
const UnknownLanguage = "und"

func (c *Counts) init() {
	if c.Version == 0 {
		c.Version = CountsVersion
	}
	if c.Classes == nil {
		c.Classes = map[string]*ClassCounts{}
	}
	if c.Confusion == nil {
		c.Confusion = map[string]map[string]int64{}
	}
	if c.Languages == nil {
		c.Languages = map[string]*Totals{}
	}
}

// Compatible reports, as an error, why other cannot be summed into c: the
// views were made with other settings, or only one of them has views. Empty
// counts are compatible with anything.
func (c *Counts) Compatible(other *Counts) error {
	if c.Docs == 0 || other.Docs == 0 {
		return nil
	}
	switch {
	case c.Views == nil && other.Views == nil:
		return nil
	case c.Views == nil || other.Views == nil:
		return errors.New("one set of counts has the pii/groups/characters/tokens views and the other has not (scored without text, or written by an older piimask)")
	case *c.Views != *other.Views:
		return fmt.Errorf("the views were scored with different settings (%s vs %s)", c.Views, other.Views)
	}
	return nil
}

// Add sums other into c. Merging the Counts of any partition of a dataset
// gives the Counts of the whole dataset.
//
// Empty counts take other's view settings. Summing counts whose views differ
// (see Compatible, which a caller should check first to report why) drops
// the views rather than report wrong ones.
func (c *Counts) Add(other *Counts) {
	c.init()
	switch {
	case other.Docs == 0:
		if c.Docs == 0 && c.Views == nil {
			c.Views = cloneViews(other.Views)
		}
	case c.Docs == 0:
		c.Views = cloneViews(other.Views)
	case c.Views == nil || other.Views == nil || *c.Views != *other.Views:
		c.Views = nil
	}
	addGroups(&c.Groups, other.Groups)
	for label, n := range other.UnmappedGold {
		if c.UnmappedGold == nil {
			c.UnmappedGold = map[string]int64{}
		}
		c.UnmappedGold[label] += n
	}
	c.Totals.Add(&other.Totals)
	addClasses(c.Classes, other.Classes)
	addConfusion(c.Confusion, other.Confusion)
	for lang, t := range other.Languages {
		entry(c.Languages, lang).Add(t)
	}
}

// AddDoc sums one document's counts into c.
func (c *Counts) AddDoc(d *DocCounts) {
	c.init()
	addGroups(&c.Groups, d.Groups)
	c.Totals.Add(&d.Totals)
	addClasses(c.Classes, d.Classes)
	addConfusion(c.Confusion, d.Confusion)
	lang := d.Language
	if lang == "" {
		lang = UnknownLanguage
	}
	entry(c.Languages, lang).Add(&d.Totals)
}

// Clone returns a deep copy of c.
func (c *Counts) Clone() *Counts {
	out := NewCounts()
	out.Add(c)
	out.Version = c.Version
	return out
}

// Labels returns every class seen in gold or predictions, sorted.
func (c *Counts) Labels() []string { return slices.Sorted(maps.Keys(c.Classes)) }

// entry returns m[key], adding a zero value first when m lacks it.
func entry[T any](m map[string]*T, key string) *T {
	v := m[key]
	if v == nil {
		v = new(T)
		m[key] = v
	}
	return v
}

func addClasses(dst, src map[string]*ClassCounts) {
	for label, cc := range src {
		entry(dst, label).Add(cc)
	}
}

func cloneViews(v *ViewSettings) *ViewSettings {
	if v == nil {
		return nil
	}
	out := *v
	return &out
}

// addGroups sums src into *dst, making the map on first use (so counts
// without groups keep a nil map).
func addGroups(dst *map[string]*GroupCounts, src map[string]*GroupCounts) {
	for g, gc := range src {
		if *dst == nil {
			*dst = map[string]*GroupCounts{}
		}
		entry(*dst, g).Add(gc)
	}
}

func addConfusion(dst, src map[string]map[string]int64) {
	for g, row := range src {
		d := dst[g]
		if d == nil {
			d = map[string]int64{}
			dst[g] = d
		}
		for p, n := range row {
			d[p] += n
		}
	}
}
