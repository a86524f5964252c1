package record

import (
	"strings"
	"testing"
)

func TestOffsets(t *testing.T) {
	cases := []struct {
		name string
		text string
		// spans in code points and the substring each must give
		spans [][2]int
		want  []string
	}{
		{"ascii", "mail bob@example.com now", [][2]int{{5, 20}, {0, 0}, {21, 24}}, []string{"bob@example.com", "", "now"}},
		{"french accents", "Écrivez à Élodie Lefèvre", [][2]int{{10, 16}, {17, 24}, {0, 7}}, []string{"Élodie", "Lefèvre", "Écrivez"}},
		{"emoji before", "😀 ok: jean@x.fr", [][2]int{{6, 15}, {0, 1}}, []string{"jean@x.fr", "😀"}},
		{"flag and combining mark", "🇫🇷 é e\u0301 fin", [][2]int{{0, 2}, {3, 4}, {5, 7}, {8, 11}}, []string{"🇫🇷", "é", "e\u0301", "fin"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := NewOffsets(tc.text)
			if o.Len() != CodePointLen(tc.text) {
				t.Fatalf("Len = %d, want %d", o.Len(), CodePointLen(tc.text))
			}
			if o.Byte(o.Len()) != len(tc.text) {
				t.Fatalf("Byte(Len) = %d, want %d", o.Byte(o.Len()), len(tc.text))
			}
			for i, sp := range tc.spans {
				got, err := o.Slice(tc.text, sp[0], sp[1])
				if err != nil || got != tc.want[i] {
					t.Errorf("Slice(%d,%d) = %q, %v; want %q", sp[0], sp[1], got, err, tc.want[i])
				}
				b := o.Byte(sp[0])
				if o.CodePoint(b) != sp[0] {
					t.Errorf("CodePoint(Byte(%d)) = %d", sp[0], o.CodePoint(b))
				}
			}
		})
	}
}

func TestOffsetsCodePointInsideCharacter(t *testing.T) {
	text := "aé😀b"
	o := NewOffsets(text)
	// byte 2 is inside "é" (bytes 1-2): it maps to that character (index 1)
	if got := o.CodePoint(2); got != 1 {
		t.Fatalf("CodePoint(2) = %d, want 1", got)
	}
	if got := o.CodePoint(strings.Index(text, "b")); got != 3 {
		t.Fatalf("CodePoint(b) = %d, want 3", got)
	}
}

func TestSliceOutOfRange(t *testing.T) {
	o := NewOffsets("héllo")
	for _, sp := range [][2]int{{-1, 2}, {3, 2}, {0, 6}} {
		if _, err := o.Slice("héllo", sp[0], sp[1]); err == nil {
			t.Errorf("Slice(%d,%d) accepted", sp[0], sp[1])
		}
	}
}

func TestSpanHelpers(t *testing.T) {
	a := Span{Start: 0, End: 5, Label: "X"}
	b := Span{Start: 4, End: 8, Label: "Y"}
	c := Span{Start: 5, End: 8, Label: "Y"}
	if !a.Overlaps(b) || a.Overlaps(c) {
		t.Fatal("Overlaps wrong")
	}
	spans := []Span{c, b, a, {Start: 4, End: 8, Label: "A"}}
	SortSpans(spans)
	want := []Span{a, {Start: 4, End: 8, Label: "A"}, b, c}
	for i := range want {
		if spans[i] != want[i] {
			t.Fatalf("SortSpans = %v, want %v", spans, want)
		}
	}
}
