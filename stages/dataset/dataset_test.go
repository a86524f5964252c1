package dataset

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/parquet-go/parquet-go"

	"github.com/piimask/piimask/internal/prompt"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/tokenize"
)

func TestSplit(t *testing.T) {
	ratios := [3]float64{0.8, 0.1, 0.1}
	counts := map[string]int{}
	const n = 20000
	for i := range n {
		id := fmt.Sprintf("doc-%d", i)
		s := Split(id, 42, ratios)
		if again := Split(id, 42, ratios); again != s {
			t.Fatalf("Split(%s) not deterministic: %s then %s", id, s, again)
		}
		counts[s]++
	}
	for i, sp := range SplitNames() {
		share := float64(counts[sp]) / n
		if math.Abs(share-ratios[i]) > 0.015 {
			t.Errorf("%s share %.3f, want about %.2f", sp, share, ratios[i])
		}
	}
	moved := 0
	for i := range 1000 {
		id := fmt.Sprintf("doc-%d", i)
		if Split(id, 42, ratios) != Split(id, 43, ratios) {
			moved++
		}
	}
	if moved < 100 {
		t.Errorf("changing the seed moved only %d of 1000 documents", moved)
	}
	if Split("x", 1, [3]float64{0, 0, 5}) != Test || Split("x", 1, [3]float64{0, 2, 0}) != Validation {
		t.Error("a split with the whole share was not chosen")
	}
	// Golden values computed independently (Python hashlib): the split of a
	// document must not change between releases.
	var got []string
	for _, id := range []string{"a", "b", "c", "g", "h"} {
		got = append(got, Split(id, 1, ratios))
	}
	if !reflect.DeepEqual(got, goldenSplits) {
		t.Errorf("splits of a,b,c,g,h = %v, want %v", got, goldenSplits)
	}
	if ValidateRatios([3]float64{1, -1, 0}) == nil || ValidateRatios([3]float64{}) == nil || ValidateRatios(ratios) != nil {
		t.Error("ValidateRatios")
	}
}

var goldenSplits = []string{Train, Train, Test, Validation, Test}

func testRows() []Row {
	return []Row{
		{ID: "d1", Language: "fr", Window: 0, Split: Train, InputIDs: []int32{1, 50, 51, 2}, AttentionMask: []int8{1, 1, 1, 1}, TokenTypeIDs: []int8{0, 0, 0, 0}, Labels: []int32{-100, 1, 2, -100}, Offsets: [][2]int32{{0, 0}, {0, 3}, {3, 6}, {0, 0}}},
		{ID: "d1", Language: "fr", Window: 1, Split: Train, InputIDs: []int32{1, 52, 2}, AttentionMask: []int8{1, 1, 1}, TokenTypeIDs: []int8{0, 0, 0}, Labels: []int32{-100, 0, -100}, Offsets: [][2]int32{{0, 0}, {6, 9}, {0, 0}}},
		{ID: "d2", Language: "en", Window: 0, Split: Validation, InputIDs: []int32{1, 60, 2}, AttentionMask: []int8{1, 1, 1}, TokenTypeIDs: []int8{0, 1, 0}, Labels: []int32{-100, 3, -100}, Offsets: [][2]int32{{0, 0}, {0, 5}, {0, 0}}},
	}
}

func writeTestDataset(t *testing.T, dir string, typeIDs bool) {
	t.Helper()
	w, err := NewTokenWriter(TokenWriterOptions{Dir: dir, Parquet: true, Arrow: true, TypeIDs: typeIDs, BatchRows: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range testRows() {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := w.Rows(); got[Train] != 2 || got[Validation] != 1 || got[Test] != 0 {
		t.Fatalf("rows = %v", got)
	}
}

func TestTokenWriterParquetAndArrow(t *testing.T) {
	for _, typeIDs := range []bool{true, false} {
		dir := t.TempDir()
		writeTestDataset(t, dir, typeIDs)
		entries, _ := os.ReadDir(dir)
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if strings.Join(names, " ") != "test.arrow test.parquet train.arrow train.parquet validation.arrow validation.parquet" {
			t.Fatalf("files = %v (temporary files left?)", names)
		}
		want := testRows()

		rows, err := parquet.ReadFile[pqRow](filepath.Join(dir, "train.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[1].ID != "d1" || rows[1].Window != 1 || !reflect.DeepEqual(rows[0].Labels, want[0].Labels) ||
			!reflect.DeepEqual(rows[0].Offsets, pairs(want[0].Offsets)) || !reflect.DeepEqual(rows[0].AttentionMask, want[0].AttentionMask) {
			t.Fatalf("parquet rows = %+v", rows)
		}
		f, _ := os.Open(filepath.Join(dir, "train.parquet"))
		st, _ := f.Stat()
		pf, err := parquet.OpenFile(f, st.Size())
		if err != nil {
			t.Fatal(err)
		}
		_, hasTypes := pf.Schema().Lookup("token_type_ids", "list", "element")
		f.Close()
		if hasTypes != typeIDs {
			t.Errorf("typeIDs=%v but parquet has token_type_ids=%v", typeIDs, hasTypes)
		}

		af, _ := os.Open(filepath.Join(dir, "validation.arrow"))
		rd, err := ipc.NewReader(af)
		if err != nil {
			t.Fatal(err)
		}
		if !rd.Schema().Equal(ArrowSchema(typeIDs)) {
			t.Errorf("arrow schema = %v", rd.Schema())
		}
		n := 0
		for rd.Next() {
			rec := rd.Record()
			n += int(rec.NumRows())
			idx := rd.Schema().FieldIndices("offsets")[0]
			offs := rec.Column(idx).(*array.List)
			inner := offs.ListValues().(*array.List)
			vals := inner.ListValues().(*array.Int32)
			if inner.Len() != 3 || vals.Value(2) != 0 || vals.Value(3) != 5 {
				t.Errorf("arrow offsets = %v", offs)
			}
			lab := rec.Column(rd.Schema().FieldIndices("labels")[0]).(*array.List).ListValues().(*array.Int32)
			if !reflect.DeepEqual(lab.Int32Values(), want[2].Labels) {
				t.Errorf("arrow labels = %v", lab)
			}
		}
		rd.Release()
		af.Close()
		if n != 1 {
			t.Errorf("validation.arrow has %d rows, want 1", n)
		}
	}
}

func TestTokenWriterErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := NewTokenWriter(TokenWriterOptions{Dir: dir}); err == nil {
		t.Error("no format gave no error")
	}
	w, err := NewTokenWriter(TokenWriterOptions{Dir: dir, Parquet: true})
	if err != nil {
		t.Fatal(err)
	}
	r := testRows()[0]
	r.Split = "dev"
	if err := w.Write(r); err == nil || !strings.Contains(err.Error(), "d1") {
		t.Errorf("unknown split error = %v", err)
	}
	r = testRows()[0]
	r.Labels = r.Labels[:2]
	if err := w.Write(r); err == nil || !strings.Contains(err.Error(), "column lengths") {
		t.Errorf("length error = %v", err)
	}
	w.Abort()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Abort left %d files", len(entries))
	}
}

func TestRowFromEncodingAndCard(t *testing.T) {
	enc := &tokenize.Encoding{IDs: []int{1, 7, 2}, TypeIDs: []int{0, 0, 0}, AttentionMask: []int{1, 1, 1},
		SpecialTokensMask: []int{1, 0, 1}, Offsets: [][2]int{{0, 0}, {2, 5}, {0, 0}}}
	r, err := RowFromEncoding("d", "fr", 0, Train, enc, []int{-100, 1, -100})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Offsets, [][2]int32{{0, 0}, {2, 5}, {0, 0}}) || r.InputIDs[1] != 7 || r.Labels[0] != -100 {
		t.Fatalf("row = %+v", r)
	}
	if _, err := RowFromEncoding("d", "fr", 0, Train, enc, []int{1}); err == nil {
		t.Error("label count mismatch gave no error")
	}

	s := NewStats()
	s.AddDocument(Train, "fr", []record.Span{{Start: 0, End: 4, Label: "FIRSTNAME"}, {Start: 5, End: 9, Label: "CITY"}}, tokenize.AlignDiagnostics{Spans: 2, BoundaryInsideToken: 1}, tokenize.RoundTripStats{Gold: 2, Survived: 1})
	s.AddDocument(Test, "en", []record.Span{{Start: 0, End: 4, Label: "FIRSTNAME"}}, tokenize.AlignDiagnostics{Spans: 1}, tokenize.RoundTripStats{Gold: 1, Survived: 1})
	s.AddWindow(Train, 10)
	s.AddWindow(Train, 7)
	s.AddWindow(Test, 5)
	card := Card(s, CardInfo{Source: "synthetic.jsonl", Tokenizer: "wp.json", MaxLength: 16, Stride: 4, Strategy: tokenize.AllSubTokens, Seed: 3, Ratios: [3]float64{0.8, 0.1, 0.1}, Labels: tokenize.NewLabelMap([]string{"CITY", "FIRSTNAME"})})
	for _, want := range []string{
		"| train | 1 | 2 | 17 |", "| test | 1 | 1 | 5 |", "| **total** | 2 | 3 | 22 |",
		"| class | en | fr | total |", "| FIRSTNAME | 1 | 1 | 2 |", "| CITY | 0 | 1 | 1 |",
		"| span boundaries inside a token | 1 |", "2 of 3 gold spans come back exactly (66.67%)", "all_subtokens", "5 labels",
	} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
	dir := t.TempDir()
	if err := WriteLabelMap(filepath.Join(dir, "label_map.json"), tokenize.NewLabelMap([]string{"CITY"})); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "label_map.json"))
	var lm struct {
		ID2Label map[string]string `json:"id2label"`
		Label2ID map[string]int    `json:"label2id"`
	}
	if err := json.Unmarshal(data, &lm); err != nil || lm.ID2Label["1"] != "B-CITY" || lm.Label2ID["I-CITY"] != 2 {
		t.Fatalf("label_map.json = %s (%v)", data, err)
	}
}

func TestFinetuneWriter(t *testing.T) {
	dir := t.TempDir()
	b, err := prompt.New(prompt.Options{Classes: []string{"FIRSTNAME", "CITY"}})
	if err != nil {
		t.Fatal(err)
	}
	w, err := NewFinetuneWriter(FinetuneOptions{Dir: dir, PricePerMTokens: 4, Epochs: 3})
	if err != nil {
		t.Fatal(err)
	}
	docs := []struct {
		split, text string
		gold        []record.Span
	}{
		{Train, "Jean habite à Paris", []record.Span{{Start: 0, End: 4, Label: "FIRSTNAME"}, {Start: 14, End: 19, Label: "CITY"}}},
		{Train, "Rien ici", nil},
		{Validation, "Élodie", []record.Span{{Start: 0, End: 6, Label: "FIRSTNAME"}}},
		{Test, "Marc", []record.Span{{Start: 0, End: 4, Label: "FIRSTNAME"}}},
	}
	wantTrainTokens := 0
	for _, d := range docs {
		msgs, err := b.Conversation(d.text, d.gold)
		if err != nil {
			t.Fatal(err)
		}
		if d.split == Train {
			for _, m := range msgs {
				wantTrainTokens += ApproxTokens(m.Content)
			}
		}
		if err := w.Write(d.split, msgs); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Write(Train, []prompt.Message{{Role: "user", Content: "x"}}); err == nil {
		t.Error("an example without an assistant turn was accepted")
	}
	st, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	if st.Examples[Train] != 2 || st.Examples[Validation] != 1 || st.Skipped != 1 || st.Tokens[Train] != wantTrainTokens {
		t.Fatalf("stats = %+v (want %d train tokens)", st, wantTrainTokens)
	}
	if st.TrainedTokens != float64(3*wantTrainTokens) || math.Abs(st.CostUSD-float64(3*wantTrainTokens)*4/1e6) > 1e-4 {
		t.Errorf("cost = %+v", st)
	}
	f, err := os.Open(filepath.Join(dir, "train.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var lines []map[string][]prompt.Message
	for sc.Scan() {
		var v map[string][]prompt.Message
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, v)
	}
	if len(lines) != 2 {
		t.Fatalf("train.jsonl has %d lines", len(lines))
	}
	m := lines[0]["messages"]
	if len(m) != 3 || m[0].Role != "system" || m[1].Content != "Text:\nJean habite à Paris" || m[2].Role != "assistant" ||
		m[2].Content != `{"entities":{"CITY":["Paris"],"FIRSTNAME":["Jean"]}}` {
		t.Fatalf("first example = %+v", m)
	}
	if ApproxTokens("abcde") != 2 || ApproxTokens("") != 0 || ApproxTokens("éééé") != 1 {
		t.Error("ApproxTokens")
	}
}
