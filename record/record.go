package record

import (
	"fmt"
	"sort"
	"unicode/utf8"
)

// Span is one labelled stretch of a document's text. Start and End are
// Unicode code-point indices (Python string indices), End exclusive.
type Span struct {
	Start int     `json:"start"`
	End   int     `json:"end"`
	Label string  `json:"label"`
	Score float64 `json:"score,omitempty"`
	// Validated is set by a method whose span passed a checksum or a parser
	// (rules: Luhn, mod-97, e-mail, IP…). It is evidence for overlap
	// resolution (stages/mask) and is never written to an output.
	Validated bool `json:"-" parquet:"-"`
}

// Len is the span's length in code points.
func (s Span) Len() int { return s.End - s.Start }

// Overlaps reports whether two spans share at least one code point.
func (s Span) Overlaps(o Span) bool { return s.Start < o.End && o.Start < s.End }

// Key identifies a span for strict matching: same label, same offsets.
type Key struct {
	Start, End int
	Label      string
}

// Key returns the span's strict-match key (score ignored).
func (s Span) Key() Key { return Key{Start: s.Start, End: s.End, Label: s.Label} }

// SortSpans orders spans by start, then end, then label, in place.
func SortSpans(spans []Span) {
	sort.SliceStable(spans, func(i, j int) bool {
		a, b := spans[i], spans[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End < b.End
		}
		return a.Label < b.Label
	})
}

// Origin says where a record came from, for error messages and rejects.
type Origin struct {
	File string `json:"file"`
	// Row is the 1-based line number (JSONL) or row number (Parquet).
	Row int64 `json:"row"`
}

// String renders the origin as file:row.
func (o Origin) String() string { return fmt.Sprintf("%s:%d", o.File, o.Row) }

// Record is one document: its text and, when the dataset has them, the gold spans.
type Record struct {
	// Seq is the record's position in the input stream, assigned by the reader.
	Seq      int64  `json:"-"`
	ID       string `json:"id"`
	Language string `json:"language,omitempty"`
	Text     string `json:"text"`
	Gold     []Span `json:"gold,omitempty"`
	Origin   Origin `json:"-"`
	// Extra carries input columns a job passes through unchanged (mask jobs).
	Extra map[string]any `json:"-"`
	// Columns lists the input row's columns in input order (JSONL: the
	// line's key order; Parquet: the file schema's order), the text column
	// included; set together with Extra. The text column is the one name in
	// Columns that Extra lacks.
	Columns []string `json:"-"`
	// Raw is the input row in its reader's native form, set together with
	// Extra for Parquet input: a parquet.Row of the file's full schema, so a
	// writer can copy the carried columns with their Parquet types.
	Raw any `json:"-"`
	// Ignored are gold spans of labels the job ignores (ignore_labels): they
	// are not in Gold, and predictions overlapping them are not scored.
	Ignored []Span `json:"-"`
}

// Reject is a row that was read but not used, with the reason.
type Reject struct {
	Origin Origin `json:"origin"`
	ID     string `json:"id,omitempty"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// Error implements error so a reject can travel as one.
func (r Reject) Error() string {
	return fmt.Sprintf("%s: field %s: %s", r.Origin, r.Field, r.Reason)
}

// Offsets maps between code-point and byte offsets of one text. Build it once
// per text; lookups are O(1) for code point → byte and O(log n) for byte →
// code point.
type Offsets struct {
	// byteAt[i] is the byte offset of code point i; byteAt[n] == len(text).
	byteAt []int
	ascii  bool
	n      int
}

// NewOffsets indexes text. For pure-ASCII text no table is allocated.
func NewOffsets(text string) *Offsets {
	ascii := true
	for i := 0; i < len(text); i++ {
		if text[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return &Offsets{ascii: true, n: len(text)}
	}
	byteAt := make([]int, 0, len(text)+1)
	for i := range text {
		byteAt = append(byteAt, i)
	}
	n := len(byteAt)
	byteAt = append(byteAt, len(text))
	return &Offsets{byteAt: byteAt, n: n}
}

// Len is the text's length in code points.
func (o *Offsets) Len() int { return o.n }

// Byte returns the byte offset of code point cp (0 <= cp <= Len()).
func (o *Offsets) Byte(cp int) int {
	if o.ascii {
		return cp
	}
	return o.byteAt[cp]
}

// CodePoint returns the code-point index of byte offset b. A byte offset inside
// a multi-byte character maps to that character's index.
func (o *Offsets) CodePoint(b int) int {
	if o.ascii {
		return b
	}
	return sort.Search(len(o.byteAt), func(i int) bool { return o.byteAt[i] > b }) - 1
}

// Slice returns text[start:end] in code points, or an error when out of range.
func (o *Offsets) Slice(text string, start, end int) (string, error) {
	if start < 0 || end < start || end > o.n {
		return "", fmt.Errorf("span [%d,%d) out of range for text of %d code points", start, end, o.n)
	}
	return text[o.Byte(start):o.Byte(end)], nil
}

// CodePointLen is the number of code points in s.
func CodePointLen(s string) int { return utf8.RuneCountInString(s) }
