package mask

import (
	"testing"

	"github.com/piimask/piimask/record"
)

func sp(start, end int, label string) record.Span {
	return record.Span{Start: start, End: end, Label: label}
}

func TestPlaceholder(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		spans []record.Span
		want  string
	}{
		{"no spans", "hello world", nil, "hello world"},
		{"one span", "Hi Anna!", []record.Span{sp(3, 7, "FIRSTNAME")}, "Hi [FIRSTNAME_1]!"},
		{
			"numbering per label and same value same number",
			"Anna met Bob; Anna left. anna@x.io",
			[]record.Span{sp(0, 4, "FIRSTNAME"), sp(9, 12, "FIRSTNAME"), sp(14, 18, "FIRSTNAME"), sp(25, 34, "EMAIL")},
			"[FIRSTNAME_1] met [FIRSTNAME_2]; [FIRSTNAME_1] left. [EMAIL_1]",
		},
		{
			"unsorted input",
			"Bob and Anna",
			[]record.Span{sp(8, 12, "FIRSTNAME"), sp(0, 3, "FIRSTNAME")},
			"[FIRSTNAME_1] and [FIRSTNAME_2]",
		},
		{
			"same value different label numbered separately",
			"Paris Paris",
			[]record.Span{sp(0, 5, "CITY"), sp(6, 11, "FIRSTNAME")},
			"[CITY_1] [FIRSTNAME_1]",
		},
		{
			"code points not bytes (accents and emoji)",
			"Zoé 🙂 habite à Besançon.",
			[]record.Span{sp(0, 3, "FIRSTNAME"), sp(15, 23, "CITY")},
			"[FIRSTNAME_1] 🙂 habite à [CITY_1].",
		},
		{
			"overlap: earlier start wins",
			"abcdefgh",
			[]record.Span{sp(2, 6, "B"), sp(0, 4, "A")},
			"[A_1]efgh",
		},
		{
			"overlap: same start, longer wins",
			"abcdefgh",
			[]record.Span{sp(0, 3, "SHORT"), sp(0, 6, "LONG")},
			"[LONG_1]gh",
		},
		{
			"adjacent spans both kept",
			"abcdef",
			[]record.Span{sp(0, 3, "A"), sp(3, 6, "B")},
			"[A_1][B_1]",
		},
		{
			"out of range and empty spans ignored",
			"abc",
			[]record.Span{sp(1, 9, "X"), sp(1, 1, "E"), sp(-1, 2, "N"), sp(0, 1, "A")},
			"[A_1]bc",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Placeholder(tt.text, tt.spans); got != tt.want {
				t.Errorf("Placeholder() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestResolveDoesNotModifyInput(t *testing.T) {
	in := []record.Span{sp(5, 8, "B"), sp(0, 6, "A")}
	got := Resolve(in)
	if in[0].Label != "B" || in[1].Label != "A" {
		t.Fatalf("input modified: %v", in)
	}
	if len(got) != 1 || got[0].Label != "A" {
		t.Fatalf("Resolve = %v, want only A", got)
	}
}

func BenchmarkPlaceholder(b *testing.B) {
	text := "Dear Mr. Jean Dupont, your IBAN FR7630006000011234567890189 and card 4111 1111 1111 1111 were updated on 12/03/2024 by jean.dupont@example.fr."
	spans := []record.Span{sp(5, 8, "PREFIX"), sp(9, 13, "FIRSTNAME"), sp(14, 20, "LASTNAME"), sp(32, 59, "IBAN"), sp(69, 88, "CREDITCARDNUMBER"), sp(105, 115, "DATE"), sp(119, 140, "EMAIL")}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Placeholder(text, spans)
	}
}
