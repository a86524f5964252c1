package prompt

import (
	"reflect"
	"testing"

	"github.com/piimask/piimask/labels"
	"github.com/piimask/piimask/record"
)

func sp(s, e int, l string) record.Span { return record.Span{Start: s, End: e, Label: l} }

func TestAnswerFromSpans(t *testing.T) {
	text := "Jean Dupont écrit à jean@b.fr, puis Jean."
	spans := []record.Span{sp(36, 40, "FIRSTNAME"), sp(20, 29, "EMAIL"), sp(0, 4, "FIRSTNAME"), sp(5, 11, "LASTNAME")}
	got := AnswerFromSpans(text, spans).String()
	want := `{"entities":{"EMAIL":["jean@b.fr"],"FIRSTNAME":["Jean","Jean"],"LASTNAME":["Dupont"]}}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if got := AnswerFromSpans("rien", nil).String(); got != `{"entities":{}}` {
		t.Fatalf("empty answer = %s", got)
	}
	// Round trip through ParseAnswer and Locate gives the spans back.
	a, err := ParseAnswer(want)
	if err != nil {
		t.Fatal(err)
	}
	back, diag := Locate(text, a, labels.Known)
	record.SortSpans(spans)
	if !reflect.DeepEqual(back, spans) || len(diag) != 0 {
		t.Fatalf("Locate = %v %v, want %v", back, diag, spans)
	}
}

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want Answer
	}{
		{"plain", `{"entities":{"EMAIL":["a@b.fr"]}}`, Answer{Entities: map[string][]string{"EMAIL": {"a@b.fr"}}}},
		{"fenced with prose", "Voici :\n```json\n{\"entities\": {\"CITY\": [\"Paris\"]}}\n```\nVoilà.", Answer{Entities: map[string][]string{"CITY": {"Paris"}}}},
		{"text around, braces in prose", `Sure {not json}. {"entities":{"CITY":["Lyon"]}} hope it helps`, Answer{Entities: map[string][]string{"CITY": {"Lyon"}}}},
		{"bare map, single string, number", `{"CITY":"Nice","PIN":[1234]}`, Answer{Entities: map[string][]string{"CITY": {"Nice"}, "PIN": {"1234"}}}},
		{"list of label/value", `[{"label":"CITY","value":"Nice"},{"type":"CITY","text":"Nice"}]`, Answer{Entities: map[string][]string{"CITY": {"Nice", "Nice"}}}},
		{"entities list with offsets", `{"entities":[{"label":"CITY","start":3,"end":7},{"label":"EMAIL","value":"x@y"}]}`, Answer{Entities: map[string][]string{"EMAIL": {"x@y"}}, Spans: []record.Span{sp(3, 7, "CITY")}}},
		{"empty", `{"entities":{}}`, Answer{Entities: map[string][]string{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAnswer(tc.raw)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %#v, want %#v", got, tc.want)
			}
		})
	}
	for _, bad := range []string{"", "no json here", `{"entities": "Paris"}`, `{"entities": {"CITY": [{"x":1}]}}`, `[1, 2]`, `{"entities": {"CITY": ["Par`} {
		if a, err := ParseAnswer(bad); err == nil {
			t.Errorf("ParseAnswer(%q) = %v, want an error", bad, a)
		}
	}
}

func TestLocate(t *testing.T) {
	type ents = map[string][]string
	tests := []struct {
		name  string
		text  string
		a     Answer
		known func(string) bool
		want  []record.Span
		diag  map[string]int
	}{
		{"occurs twice, returned once: first occurrence", "Jean voit Jean.", Answer{Entities: ents{"FIRSTNAME": {"Jean"}}}, nil,
			[]record.Span{sp(0, 4, "FIRSTNAME")}, map[string]int{}},
		{"returned twice", "Jean voit Jean.", Answer{Entities: ents{"FIRSTNAME": {"Jean", " Jean "}}}, nil,
			[]record.Span{sp(0, 4, "FIRSTNAME"), sp(10, 14, "FIRSTNAME")}, map[string]int{}},
		{"returned more times than present", "Jean voit Jean.", Answer{Entities: ents{"FIRSTNAME": {"Jean", "Jean", "Jean"}}}, nil,
			[]record.Span{sp(0, 4, "FIRSTNAME"), sp(10, 14, "FIRSTNAME")}, map[string]int{DiagExtraOccurrence: 1}},
		{"not in the text", "Jean voit Jean.", Answer{Entities: ents{"FIRSTNAME": {"Marie", "jean"}}}, nil,
			nil, map[string]int{DiagValueNotFound: 2}},
		{"unknown label", "Jean voit Jean.", Answer{Entities: ents{"PERSON": {"Jean"}, "FIRSTNAME": {"Jean"}}}, labels.Known,
			[]record.Span{sp(0, 4, "FIRSTNAME")}, map[string]int{DiagUnknownLabel: 1}},
		{"empty value", "Jean", Answer{Entities: ents{"FIRSTNAME": {"  ", ""}}}, nil,
			nil, map[string]int{DiagEmptyValue: 2}},
		{"overlapping values: longer first, shorter takes next free occurrence", "Jean Dupont et Jean", Answer{Entities: ents{"FIRSTNAME": {"Jean"}, "USERNAME": {"Jean Dupont"}}}, nil,
			[]record.Span{sp(0, 11, "USERNAME"), sp(15, 19, "FIRSTNAME")}, map[string]int{}},
		{"overlapping values: no free occurrence left", "Jean Dupont", Answer{Entities: ents{"FIRSTNAME": {"Jean"}, "USERNAME": {"Jean Dupont"}}}, nil,
			[]record.Span{sp(0, 11, "USERNAME")}, map[string]int{DiagExtraOccurrence: 1}},
		{"accents and emoji, code points", "😀 Élodie à Montréal 😀 Élodie", Answer{Entities: ents{"FIRSTNAME": {"Élodie", "Élodie"}, "CITY": {"Montréal"}}}, nil,
			[]record.Span{sp(2, 8, "FIRSTNAME"), sp(11, 19, "CITY"), sp(22, 28, "FIRSTNAME")}, map[string]int{}},
		{"repeated value does not overlap itself", "aaaa", Answer{Entities: ents{"PIN": {"aa", "aa", "aa"}}}, nil,
			[]record.Span{sp(0, 2, "PIN"), sp(2, 4, "PIN")}, map[string]int{DiagExtraOccurrence: 1}},
		{"offset items", "à Paris", Answer{Spans: []record.Span{sp(2, 7, "CITY"), sp(3, 5, "CITY"), sp(5, 9, "CITY"), sp(0, 1, "NOPE")}}, labels.Known,
			[]record.Span{sp(2, 7, "CITY")}, map[string]int{DiagBadOffsets: 2, DiagUnknownLabel: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, diag := Locate(tc.text, tc.a, tc.known)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("spans = %v, want %v", got, tc.want)
			}
			if !reflect.DeepEqual(diag, tc.diag) {
				t.Errorf("diag = %v, want %v", diag, tc.diag)
			}
		})
	}
}
