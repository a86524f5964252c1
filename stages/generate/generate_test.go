package generate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/piimask/piimask/internal/checksum"
	"github.com/piimask/piimask/labels"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/mask"
)

func rows(t testing.TB, cfg Config) []Row {
	t.Helper()
	g, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out []Row
	for r := range g.All() {
		out = append(out, r)
	}
	return out
}

func TestRowInvariants(t *testing.T) {
	for _, r := range rows(t, Config{Seed: 7, N: 3000}) {
		off := record.NewOffsets(r.SourceText)
		if len(r.PrivacyMask) < 3 {
			t.Errorf("%s: only %d entities", r.ID, len(r.PrivacyMask))
		}
		for i, e := range r.PrivacyMask {
			got, err := off.Slice(r.SourceText, int(e.Start), int(e.End))
			if err != nil {
				t.Fatalf("%s entity %d: %v", r.ID, i, err)
			}
			if got != e.Value {
				t.Fatalf("%s entity %d: text[%d:%d] = %q, value %q", r.ID, i, e.Start, e.End, got, e.Value)
			}
			if e.Value == "" || strings.TrimSpace(e.Value) != e.Value {
				t.Errorf("%s entity %d: empty or padded value %q", r.ID, i, e.Value)
			}
			if !labels.Known(e.Label) {
				t.Errorf("%s: label %q not in the AI4Privacy taxonomy", r.ID, e.Label)
			}
			if i > 0 && r.PrivacyMask[i-1].End > e.Start {
				t.Errorf("%s: entities %d and %d overlap or are unsorted", r.ID, i-1, i)
			}
		}
		if r.MaskedText != r.TargetText {
			t.Errorf("%s: masked_text != target_text", r.ID)
		}
		if want := mask.Placeholder(r.SourceText, r.Spans()); r.MaskedText != want {
			t.Errorf("%s: masked_text %q, want %q", r.ID, r.MaskedText, want)
		}
		if got := unmask(t, r); got != r.SourceText {
			t.Errorf("%s: reconstructed %q\n from masked text, want %q", r.ID, got, r.SourceText)
		}
		checkSpanLabels(t, r, off.Len())
		if r.Set != "train" && r.Set != "validation" && r.Set != "test" {
			t.Errorf("%s: set %q", r.ID, r.Set)
		}
	}
}

var placeholderRE = regexp.MustCompile(`\[([A-Z0-9]+)_(\d+)\]`)

// unmask rebuilds source_text from masked_text: the k-th placeholder is
// replaced by the k-th entity's value, after checking that its label matches
// and that equal values share a number.
func unmask(t *testing.T, r Row) string {
	t.Helper()
	locs := placeholderRE.FindAllStringSubmatchIndex(r.MaskedText, -1)
	if len(locs) != len(r.PrivacyMask) {
		t.Fatalf("%s: %d placeholders for %d entities: %q %q", r.ID, len(locs), len(r.PrivacyMask), r.SourceText, r.MaskedText)
	}
	num := map[[2]string]string{}
	var b strings.Builder
	prev := 0
	for k, l := range locs {
		e := r.PrivacyMask[k]
		label, n := r.MaskedText[l[2]:l[3]], r.MaskedText[l[4]:l[5]]
		if label != e.Label {
			t.Errorf("%s: placeholder %d is %s, entity is %s", r.ID, k, label, e.Label)
		}
		key := [2]string{label, e.Value}
		if old, ok := num[key]; ok && old != n {
			t.Errorf("%s: value %q numbered %s and %s", r.ID, e.Value, old, n)
		}
		num[key] = n
		b.WriteString(r.MaskedText[prev:l[0]])
		b.WriteString(e.Value)
		prev = l[1]
	}
	b.WriteString(r.MaskedText[prev:])
	return b.String()
}

func checkSpanLabels(t *testing.T, r Row, n int) {
	t.Helper()
	var sl [][3]any
	if err := json.Unmarshal([]byte(r.SpanLabels), &sl); err != nil {
		t.Fatalf("%s: span_labels %q: %v", r.ID, r.SpanLabels, err)
	}
	pos, ent := 0.0, 0
	for _, s := range sl {
		start, end, label := s[0].(float64), s[1].(float64), s[2].(string)
		if start != pos || end <= start {
			t.Fatalf("%s: span_labels not contiguous at %v", r.ID, s)
		}
		if label != "O" {
			e := r.PrivacyMask[ent]
			if float64(e.Start) != start || float64(e.End) != end || e.Label != label {
				t.Fatalf("%s: span_labels %v != entity %+v", r.ID, s, e)
			}
			ent++
		}
		pos = end
	}
	if int(pos) != n || ent != len(r.PrivacyMask) {
		t.Fatalf("%s: span_labels cover %v of %d code points, %d of %d entities", r.ID, pos, n, ent, len(r.PrivacyMask))
	}
}

func TestCoveragePerLanguage(t *testing.T) {
	seen := map[string]map[string]bool{"en": {}, "fr": {}}
	sets := map[string]int{}
	rs := rows(t, Config{Seed: 3, N: 4000})
	for _, r := range rs {
		for _, e := range r.PrivacyMask {
			seen[r.Language][e.Label] = true
		}
		sets[r.Set]++
	}
	for _, lang := range Languages() {
		for _, c := range Classes() {
			if !seen[lang][c] {
				t.Errorf("%s: class %s never generated", lang, c)
			}
		}
		if len(seen[lang]) != len(Classes()) {
			t.Errorf("%s: generated %d classes, Classes() lists %d", lang, len(seen[lang]), len(Classes()))
		}
	}
	for _, c := range Classes() {
		if !labels.Known(c) {
			t.Errorf("Classes() has %s, not an AI4Privacy class", c)
		}
	}
	// 80/10/10 split, within a generous margin for 4000 draws.
	n := float64(len(rs))
	for set, want := range map[string]float64{"train": 0.8, "validation": 0.1, "test": 0.1} {
		if got := float64(sets[set]) / n; got < want-0.03 || got > want+0.03 {
			t.Errorf("set %s share %.3f, want about %.2f", set, got, want)
		}
	}
}

func TestTemplateVariety(t *testing.T) {
	for lang, ts := range templates {
		if len(ts) < 40 {
			t.Errorf("%s: %d templates, want at least 40", lang, len(ts))
		}
	}
	shapes := map[string]bool{}
	for _, r := range rows(t, Config{Seed: 11, N: 2000}) {
		shapes[placeholderRE.ReplaceAllString(r.MaskedText, "[X]")[:20]] = true
	}
	if len(shapes) < 60 {
		t.Errorf("only %d distinct text openings in 2000 rows", len(shapes))
	}
}

func TestChecksummedValuesValid(t *testing.T) {
	for _, r := range rows(t, Config{Seed: 5, N: 3000}) {
		for _, e := range r.PrivacyMask {
			v := e.Value
			compact := strings.NewReplacer(" ", "", "-", "").Replace(v)
			ok := true
			switch e.Label {
			case "CREDITCARDNUMBER":
				ok = checksum.Luhn(compact)
			case "PHONEIMEI":
				ok = checksum.IMEI(compact)
			case "IBAN":
				ok = checksum.IBAN(compact)
			case "VEHICLEVIN":
				ok = checksum.VIN(v)
			case "BITCOINADDRESS":
				if strings.HasPrefix(v, "bc1") {
					_, _, err := checksum.SegwitDecode("bc", v)
					ok = err == nil
				} else {
					ok = checksum.BitcoinLegacy(v)
				}
			case "LITECOINADDRESS":
				ok = checksum.LitecoinLegacy(v)
			case "ETHEREUMADDRESS":
				ok = checksum.EthereumAddress(v)
			case "SSN":
				if r.Language == "fr" {
					body, key := compact[:13], compact[13:]
					n, _ := strconv.ParseInt(body, 10, 64)
					k, _ := strconv.ParseInt(key, 10, 64)
					ok = len(compact) == 15 && 97-n%97 == k
				}
			}
			if !ok {
				t.Errorf("%s: invalid %s %q", r.ID, e.Label, v)
			}
		}
	}
}

func TestReproducible(t *testing.T) {
	gen := func(seed int64) []byte {
		g, err := New(Config{Seed: seed, N: 300})
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WriteJSONL(context.Background(), &b, g); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b := gen(42), gen(42)
	if !bytes.Equal(a, b) {
		t.Fatal("same seed gave different output")
	}
	if bytes.Equal(a, gen(43)) {
		t.Fatal("different seeds gave the same output")
	}
	if bytes.Equal(gen(0), gen(1)) || !bytes.Equal(gen(0), gen(0)) {
		t.Fatal("seed 0 is not a fixed seed")
	}
	if n := bytes.Count(a, []byte("\n")); n != 300 {
		t.Fatalf("%d lines, want 300", n)
	}
}

func TestLanguages(t *testing.T) {
	both := map[string]int{}
	for _, r := range rows(t, Config{Seed: 1, N: 200}) {
		both[r.Language]++
	}
	if both["en"] < 60 || both["fr"] < 60 {
		t.Errorf("language mix %v", both)
	}
	for _, r := range rows(t, Config{Seed: 1, N: 50, Languages: []string{"fr"}}) {
		if r.Language != "fr" {
			t.Fatalf("asked fr only, got %s", r.Language)
		}
	}
	if _, err := New(Config{Languages: []string{"de"}}); err == nil {
		t.Error("unsupported language accepted")
	}
	if _, err := New(Config{N: -1}); err == nil {
		t.Error("negative N accepted")
	}
}

func TestParseTemplateErrors(t *testing.T) {
	for _, src := range []string{"Hi {FIRSTNAME", "Hi {NOTACLASS}", "Hi } there", "{FIRSTNAME} }"} {
		if _, err := parseTemplate("t", src); err == nil {
			t.Errorf("parseTemplate(%q) succeeded", src)
		}
	}
}

func TestWriteFileFormats(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Seed: 9, N: 120}
	want := rows(t, cfg)

	jp := filepath.Join(dir, "out.jsonl")
	if err := WriteFile(context.Background(), jp, cfg); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(jp)
	if err != nil {
		t.Fatal(err)
	}
	var got []Row
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		var r Row
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		got = append(got, r)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("JSONL round trip differs")
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(strings.SplitN(string(data), "\n", 2)[0]), &raw)
	for _, k := range []string{"source_text", "target_text", "masked_text", "privacy_mask", "span_labels", "id", "language", "set"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("JSONL row lacks %s", k)
		}
	}

	pp := filepath.Join(dir, "out.parquet")
	if err := WriteFile(context.Background(), pp, cfg); err != nil {
		t.Fatal(err)
	}
	pr, err := parquet.ReadFile[Row](pp)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pr, want) {
		t.Error("Parquet round trip differs")
	}
	f, err := os.Open(pp)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pf.Schema().Lookup("privacy_mask", "list", "element", "value"); !ok {
		t.Errorf("privacy_mask is not a list<struct> column: %v", pf.Schema())
	}

	if err := WriteFile(context.Background(), filepath.Join(dir, "out.csv"), cfg); err == nil {
		t.Error("unknown extension accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cp := filepath.Join(dir, "cancelled.jsonl")
	if err := WriteFile(ctx, cp, cfg); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled WriteFile: err = %v", err)
	}
	if _, err := os.Stat(cp); !os.IsNotExist(err) {
		t.Error("cancelled WriteFile left a file")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("directory holds %d entries, want 2 (no temporary files)", len(ents))
	}
}

func BenchmarkNext(b *testing.B) {
	g, err := New(Config{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		g.Next()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkWriteParquet(b *testing.B) {
	g, err := New(Config{Seed: 1, N: 10000})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		g.cfg.N = 10000
		if err := WriteParquet(context.Background(), discard{}, g); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*10000/b.Elapsed().Seconds(), "rows/s")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
