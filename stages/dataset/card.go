package dataset

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/tokenize"
	"github.com/piimask/piimask/stages/write"
)

// Stats accumulates the figures of the dataset card. Not safe for
// concurrent use: feed it from the single writer goroutine.
type Stats struct {
	Documents map[string]int            // per split
	Windows   map[string]int            // per split
	Tokens    map[string]int            // tokens written (special tokens included), per split
	Languages map[string]int            // documents per language
	Classes   map[string]map[string]int // gold spans: class → language → count
	Align     tokenize.AlignDiagnostics // summed over documents (counts only)
	RoundTrip tokenize.RoundTripStats
}

// NewStats returns empty stats.
func NewStats() *Stats {
	return &Stats{Documents: map[string]int{}, Windows: map[string]int{}, Tokens: map[string]int{},
		Languages: map[string]int{}, Classes: map[string]map[string]int{}}
}

// AddDocument counts one document, its gold spans and its alignment figures.
func (s *Stats) AddDocument(split, language string, gold []record.Span, diag tokenize.AlignDiagnostics, rt tokenize.RoundTripStats) {
	if language == "" {
		language = "unknown"
	}
	s.Documents[split]++
	s.Languages[language]++
	for _, g := range gold {
		if s.Classes[g.Label] == nil {
			s.Classes[g.Label] = map[string]int{}
		}
		s.Classes[g.Label][language]++
	}
	s.Align.Add(diag)
	s.RoundTrip.Add(rt)
}

// AddWindow counts one written window of tokens tokens.
func (s *Stats) AddWindow(split string, tokens int) {
	s.Windows[split]++
	s.Tokens[split] += tokens
}

// CardInfo describes how the dataset was made, for the card.
type CardInfo struct {
	Title     string
	Source    string // input dataset path or name
	Tokenizer string
	MaxLength int
	Stride    int
	Strategy  tokenize.Strategy
	Seed      int64
	Ratios    [3]float64
	Labels    *tokenize.LabelMap
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Card renders the dataset card (README.md) in Markdown.
func Card(s *Stats, info CardInfo) string {
	var b strings.Builder
	title := info.Title
	if title == "" {
		title = "piimask token-classification dataset"
	}
	fmt.Fprintf(&b, "# %s\n\n", title)
	fmt.Fprintf(&b, "Made by `piimask prepare` from `%s` with tokenizer `%s`.\n\n", info.Source, info.Tokenizer)
	fmt.Fprintf(&b, "- windows of at most %d tokens (special tokens included), stride %d\n", info.MaxLength, info.Stride)
	fmt.Fprintf(&b, "- label alignment: %s (BIO/IOB2; -100 for special and ignored tokens)\n", info.Strategy)
	fmt.Fprintf(&b, "- split: seed %d, ratios train %g / validation %g / test %g (stable hash of the document id)\n", info.Seed, info.Ratios[0], info.Ratios[1], info.Ratios[2])
	if info.Labels != nil {
		fmt.Fprintf(&b, "- %d labels (`label_map.json`)\n", info.Labels.Len())
	}
	b.WriteString("\nFiles: `train|validation|test.parquet` and `.arrow` (Arrow IPC stream) with columns id, language, window, input_ids, attention_mask, [token_type_ids], labels, offsets (code-point [start, end) per token), split.\n\n")

	b.WriteString("## Splits\n\n| split | documents | windows | tokens |\n|---|---:|---:|---:|\n")
	var td, tw, tt int
	for _, sp := range SplitNames() {
		fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", sp, s.Documents[sp], s.Windows[sp], s.Tokens[sp])
		td, tw, tt = td+s.Documents[sp], tw+s.Windows[sp], tt+s.Tokens[sp]
	}
	fmt.Fprintf(&b, "| **total** | %d | %d | %d |\n\n", td, tw, tt)

	b.WriteString("## Languages\n\n| language | documents |\n|---|---:|\n")
	langs := sortedKeys(s.Languages)
	for _, l := range langs {
		fmt.Fprintf(&b, "| %s | %d |\n", l, s.Languages[l])
	}

	b.WriteString("\n## Entity spans per class and language\n\n| class |")
	for _, l := range langs {
		fmt.Fprintf(&b, " %s |", l)
	}
	b.WriteString(" total |\n|---|")
	for range langs {
		b.WriteString("---:|")
	}
	b.WriteString("---:|\n")
	for _, c := range sortedKeys(s.Classes) {
		fmt.Fprintf(&b, "| %s |", c)
		tot := 0
		for _, l := range langs {
			fmt.Fprintf(&b, " %d |", s.Classes[c][l])
			tot += s.Classes[c][l]
		}
		fmt.Fprintf(&b, " %d |\n", tot)
	}

	a := s.Align
	b.WriteString("\n## Alignment\n\n")
	fmt.Fprintf(&b, "| figure | count |\n|---|---:|\n| gold spans | %d |\n| span boundaries inside a token | %d |\n| spans covering no token | %d |\n| overlapping spans | %d |\n| spans of a class outside the label map | %d |\n",
		a.Spans, a.BoundaryInsideToken, a.NoToken, a.Overlapping, a.UnknownLabel)
	fmt.Fprintf(&b, "\nRound trip (gold spans → token labels → spans): %d of %d gold spans come back exactly (%.2f%%); %.2f%% cannot round-trip with this tokenizer and strategy.\n",
		s.RoundTrip.Survived, s.RoundTrip.Gold, 100*s.RoundTrip.Share(), 100*(1-s.RoundTrip.Share()))
	return b.String()
}

// WriteCard writes the card to path atomically.
func WriteCard(path string, s *Stats, info CardInfo) error {
	return write.WriteFileAtomic(path, []byte(Card(s, info)))
}

// WriteLabelMap writes label_map.json ({"id2label":…, "label2id":…}, the
// order a Hugging Face config.json expects) atomically.
func WriteLabelMap(path string, lm *tokenize.LabelMap) error {
	data, err := json.MarshalIndent(lm, "", "  ")
	if err != nil {
		return fmt.Errorf("label map %s: %w", path, err)
	}
	return write.WriteFileAtomic(path, append(data, '\n'))
}

// MisalignmentRecord is one line of the alignment diagnostics file: a
// document's span boundaries that fall inside a token. It holds offsets and
// classes only — no text, so no PII.
type MisalignmentRecord struct {
	ID         string                  `json:"id"`
	Misaligned []tokenize.Misalignment `json:"misaligned"`
}
