package read

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/piimask/piimask/record"
)

// cut returns text[s.Start:s.End] in code points.
func cut(t *testing.T, text string, s record.Span) string {
	t.Helper()
	got, err := record.NewOffsets(text).Slice(text, s.Start, s.End)
	if err != nil {
		t.Fatalf("span %v out of range of %q: %v", s, text, err)
	}
	return got
}

func TestReadCoNLL(t *testing.T) {
	p := filepath.Join("testdata", "sample.conll")
	res := readAll(t, []string{p}, Options{Language: "en"})
	if res.err != nil || len(res.rejs) != 0 {
		t.Fatalf("err %v, rejects %+v", res.err, res.rejs)
	}
	type ent struct{ label, value string }
	want := []struct {
		id, text string
		ents     []ent
	}{
		{p + ":3", "Marguerite Vasseur ouvre une boulangerie à Quimper .", []ent{{"PER", "Marguerite Vasseur"}, {"LOC", "Quimper"}}},
		{p + ":12", "The Helvoria Trust hired Tomasz last spring", []ent{{"ORG", "Helvoria Trust"}, {"PER", "Tomasz"}}},
		// I- without B- starts an entity, as in seqeval.
		{p + ":22", "Call Benedikt Oyelaran at noon", []ent{{"PER", "Benedikt Oyelaran"}}},
		// Non-ASCII tokens: offsets are code points; S- and E- close entities.
		{p + ":28", "Kyoto and Røros 😀 welcome Niamh Ó Dálaigh", []ent{{"LOC", "Kyoto"}, {"LOC", "Røros"}, {"PER", "Niamh Ó Dálaigh"}}},
	}
	if len(res.recs) != len(want) {
		t.Fatalf("got %d records, want %d: %+v", len(res.recs), len(want), res.recs)
	}
	for i, w := range want {
		r := res.recs[i]
		if r.ID != w.id || r.Text != w.text || r.Language != "en" || r.Seq != int64(i) {
			t.Errorf("record %d = {%s %q %s}, want {%s %q en}", i, r.ID, r.Text, r.Language, w.id, w.text)
		}
		var got []ent
		for _, s := range r.Gold {
			got = append(got, ent{s.Label, cut(t, r.Text, s)})
		}
		if !reflect.DeepEqual(got, w.ents) {
			t.Errorf("record %d spans %v, want %v", i, got, w.ents)
		}
	}
}

func TestReadCoNLLWikiANNPrefix(t *testing.T) {
	p := filepath.Join("testdata", "wikiann_sample")
	for _, opts := range []Options{{}, {Schema: SchemaCoNLL, Language: "xx"}} {
		res := readAll(t, []string{p}, opts)
		if res.err != nil || len(res.rejs) != 0 || len(res.recs) != 3 {
			t.Fatalf("%+v: err %v, rejects %+v, %d records", opts, res.err, res.rejs, len(res.recs))
		}
		want := []struct{ text, lang, first string }{
			{"Anouk Delacroix vit à Bordeaux", "fr", "Anouk Delacroix"},
			{"Der Rhein fließt", "de", "Rhein"},
			{"Isolde goes", opts.Language, "Isolde"},
		}
		for i, w := range want {
			r := res.recs[i]
			if r.Text != w.text || r.Language != w.lang || len(r.Gold) == 0 || cut(t, r.Text, r.Gold[0]) != w.first {
				t.Errorf("%+v: record %d = %q (%s) %v, want %q (%s) starting with %q", opts, i, r.Text, r.Language, r.Gold, w.text, w.lang, w.first)
			}
		}
	}
}

func TestReadCoNLLRejects(t *testing.T) {
	dir := t.TempDir()
	content := "Ana\tB-PER\nruns\n\n" + // line 2: no tag
		"Bo\tB-PER\nsings\tX-Y\n\n" + // line 5: bad tag
		"Cy\tB-PER\njumps\tO\n" // fine
	p := writeFile(t, dir, "bad.conll", content)
	res := readAll(t, []string{p}, Options{})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if len(res.recs) != 1 || res.recs[0].Text != "Cy jumps" || res.recs[0].Origin.Row != 7 {
		t.Fatalf("records %+v", res.recs)
	}
	if len(res.rejs) != 2 {
		t.Fatalf("rejects %+v", res.rejs)
	}
	for i, w := range []struct {
		row    int64
		reason string
	}{{2, "no tag column"}, {5, "not O or B-/I-/E-/S-TYPE"}} {
		rj := res.rejs[i]
		if rj.Origin != (record.Origin{File: p, Row: w.row}) || rj.Field != "tag" || !strings.Contains(rj.Reason, w.reason) {
			t.Errorf("reject %d = %+v, want %s:%d field tag ~ %q", i, rj, p, w.row, w.reason)
		}
		if strings.Contains(rj.Reason, "sings") || strings.Contains(rj.Reason, "runs") {
			t.Errorf("reason quotes the token: %q", rj.Reason)
		}
	}
}

func TestChunksSeqeval(t *testing.T) {
	// Expected chunks worked out with seqeval's default-mode rules.
	tests := []struct {
		tags []string
		want []Chunk
	}{
		{[]string{"B-PER", "I-PER", "O", "B-LOC"}, []Chunk{{"PER", 0, 2}, {"LOC", 3, 4}}},
		{[]string{"I-PER", "I-PER", "O"}, []Chunk{{"PER", 0, 2}}}, // IOB1 / I- without B-
		{[]string{"I-PER", "B-PER", "I-PER"}, []Chunk{{"PER", 0, 1}, {"PER", 1, 3}}},
		{[]string{"B-PER", "I-LOC", "I-LOC"}, []Chunk{{"PER", 0, 1}, {"LOC", 1, 3}}}, // type change
		{[]string{"S-PER", "S-PER", "B-LOC", "E-LOC", "E-LOC"}, []Chunk{{"PER", 0, 1}, {"PER", 1, 2}, {"LOC", 2, 4}, {"LOC", 4, 5}}},
		{[]string{"B-ORG", "I-ORG", "E-ORG", "I-ORG"}, []Chunk{{"ORG", 0, 3}, {"ORG", 3, 4}}},
		{[]string{"O", "O"}, nil},
		{[]string{"B-MISC"}, []Chunk{{"MISC", 0, 1}}},
	}
	for _, tc := range tests {
		if got := Chunks(tc.tags); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Chunks(%v) = %v, want %v", tc.tags, got, tc.want)
		}
	}
}

func TestSniffCoNLL(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		content string
		want    bool
	}{
		{"-DOCSTART- -X- O O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n", true},
		{"Hello world, this is prose.\nSecond line here\n", false},
		{"", false},
	} {
		p := writeFile(t, dir, "f", tc.content)
		if got, err := sniffCoNLL(p); err != nil || got != tc.want {
			t.Errorf("sniff %q = %v, %v; want %v", tc.content, got, err, tc.want)
		}
	}
	// A CoNLL-2003 line (four columns): the last column is the tag.
	p := writeFile(t, dir, "eng.train", "EU NNP B-NP B-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP B-MISC\n")
	res := readAll(t, []string{p}, Options{})
	if res.err != nil || len(res.recs) != 1 || res.recs[0].Text != "EU rejects German" || len(res.recs[0].Gold) != 2 {
		t.Fatalf("err %v, records %+v", res.err, res.recs)
	}
	if !utf8.ValidString(res.recs[0].Text) {
		t.Fatal("invalid text")
	}
	_ = os.Remove(p)
}
