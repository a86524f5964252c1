package onnx

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/piimask/piimask/record"
)

// Strategy is a Hugging Face TokenClassificationPipeline aggregation strategy.
type Strategy string

// The aggregation strategies of the Hugging Face pipeline.
const (
	// StrategyNone keeps one entity per token (label prefix stripped).
	StrategyNone Strategy = "none"
	// StrategySimple groups adjacent tokens whose argmax labels have the same
	// class, a B- label starting a new group.
	StrategySimple Strategy = "simple"
	// StrategyFirst gives every word the label of its first token, then groups.
	StrategyFirst Strategy = "first"
	// StrategyAverage averages a word's token probabilities, takes the argmax,
	// then groups.
	StrategyAverage Strategy = "average"
	// StrategyMax gives a word the label of its most confident token, then groups.
	StrategyMax Strategy = "max"
)

// ParseStrategy validates a strategy name ("" means simple).
func ParseStrategy(s string) (Strategy, error) {
	switch Strategy(strings.ToLower(s)) {
	case "":
		return StrategySimple, nil
	case StrategyNone, StrategySimple, StrategyFirst, StrategyAverage, StrategyMax:
		return Strategy(strings.ToLower(s)), nil
	}
	return "", fmt.Errorf("aggregation %q: want one of none, simple, first, average, max", s)
}

// PreEntity is one non-special token ready for aggregation: its character
// span in code points, whether it continues the previous token's word, and
// its label probabilities (softmax of the logits, one per id2label entry).
type PreEntity struct {
	Start, End int
	Subword    bool
	Scores     []float64
}

// Entity is an aggregated prediction: a class (the label without its B-/I-
// prefix), a code-point span and a score in [0, 1].
type Entity struct {
	Label      string
	Start, End int
	Score      float64
}

// AggregateOptions configures Aggregate.
type AggregateOptions struct {
	Strategy Strategy
	// IgnoreLabels are dropped from the output, compared with the full label
	// (strategy none) or the class (other strategies), as Hugging Face does;
	// nil means {"O"}.
	IgnoreLabels []string
	// Threshold drops entities whose score is below it (not a Hugging Face
	// option; 0 keeps everything).
	Threshold float64
}

// Softmax writes the softmax of logits into dst (grown as needed) and returns
// it, with the max subtracted first as Hugging Face does.
func Softmax(dst []float64, logits []float32) []float64 {
	dst = slices.Grow(dst[:0], len(logits))[:len(logits)]
	if len(logits) == 0 {
		return dst
	}
	m := float64(logits[0])
	for _, v := range logits[1:] {
		m = math.Max(m, float64(v))
	}
	var sum float64
	for i, v := range logits {
		e := math.Exp(float64(v) - m)
		dst[i] = e
		sum += e
	}
	for i := range dst {
		dst[i] /= sum
	}
	return dst
}

// IsSubword reproduces the Hugging Face pipeline's is_subword test for one
// token of a fast tokenizer, given the text as code points:
//
//   - unknown-token ids are never subwords;
//   - when the tokenizer model has a continuing_subword_prefix (WordPiece
//     "##", some BPE models), a token is a subword when its vocabulary string
//     and the text it covers differ in length ("##ing" covers "ing");
//   - otherwise (byte-level BPE, Unigram, Metaspace) the fallback heuristic:
//     the token starts after position 0 and neither the character before it
//     nor its first character is an ASCII space.
func IsSubword(text []rune, token string, start, end int, wordAware, unknown bool) bool {
	if unknown {
		return false
	}
	if wordAware {
		return utf8.RuneCountInString(token) != end-start
	}
	if start <= 0 || start > len(text) {
		return false
	}
	if text[start-1] == ' ' {
		return false
	}
	return start >= len(text) || text[start] != ' '
}

// getTag splits a label the way the Hugging Face pipeline does: only "B-" and
// "I-" are prefixes; anything else is its own class, treated as "I".
func getTag(label string) (bi, tag string) {
	switch {
	case strings.HasPrefix(label, "B-"):
		return "B", label[2:]
	case strings.HasPrefix(label, "I-"):
		return "I", label[2:]
	}
	return "I", label
}

func argmax(xs []float64) int {
	best := 0
	for i, v := range xs {
		if v > xs[best] || (math.IsNaN(xs[best]) && !math.IsNaN(v)) {
			best = i
		}
	}
	return best
}

func maxOf(xs []float64) float64 { return xs[argmax(xs)] }

// tokenLabel is a token or word with its chosen label.
type tokenLabel struct {
	label      string
	score      float64
	start, end int
}

// Aggregate turns per-token probabilities into entities following the
// Hugging Face TokenClassificationPipeline (postprocess, aggregate,
// aggregate_words, group_entities), with two documented differences: the
// group's class is the label minus its "B-"/"I-" prefix (HF takes the text
// after the last "-", which truncates classes containing "-"), and entities
// scoring below opt.Threshold are dropped.
//
// Word strategies (first, average, max) first merge each token with the
// following tokens whose Subword flag is set into one word, then group words
// like simple groups tokens: a new group starts when the class changes or the
// label is a B- label. A group's span runs from the start of its first token
// to the end of its last; its score is the mean of its members' scores.
func Aggregate(pre []PreEntity, id2label []string, opt AggregateOptions) ([]Entity, error) {
	if opt.Strategy == "" {
		opt.Strategy = StrategySimple
	}
	ignore := opt.IgnoreLabels
	if ignore == nil {
		ignore = []string{"O"}
	}
	ignored := func(l string) bool {
		for _, x := range ignore {
			if x == l {
				return true
			}
		}
		return false
	}
	for i, p := range pre {
		if len(p.Scores) != len(id2label) {
			return nil, fmt.Errorf("token %d: %d scores for %d labels", i, len(p.Scores), len(id2label))
		}
	}
	var units []tokenLabel
	switch opt.Strategy {
	case StrategyNone, StrategySimple:
		units = make([]tokenLabel, len(pre))
		for i, p := range pre {
			k := argmax(p.Scores)
			units[i] = tokenLabel{label: id2label[k], score: p.Scores[k], start: p.Start, end: p.End}
		}
	case StrategyFirst, StrategyAverage, StrategyMax:
		for i := 0; i < len(pre); {
			j := i + 1
			for j < len(pre) && pre[j].Subword {
				j++
			}
			units = append(units, aggregateWord(pre[i:j], id2label, opt.Strategy))
			i = j
		}
	default:
		return nil, fmt.Errorf("aggregation %q: unknown strategy", opt.Strategy)
	}

	var out []Entity
	emit := func(e Entity, fullLabel string) {
		name := e.Label
		if opt.Strategy == StrategyNone {
			name = fullLabel
		}
		if ignored(name) || e.Score < opt.Threshold {
			return
		}
		out = append(out, e)
	}
	if opt.Strategy == StrategyNone {
		for _, u := range units {
			_, tag := getTag(u.label)
			emit(Entity{Label: tag, Start: u.start, End: u.end, Score: u.score}, u.label)
		}
		return out, nil
	}
	for i := 0; i < len(units); {
		_, tag := getTag(units[i].label)
		j := i + 1
		for j < len(units) {
			bi, t := getTag(units[j].label)
			if t != tag || bi == "B" {
				break
			}
			j++
		}
		scores := make([]float64, 0, j-i)
		for _, u := range units[i:j] {
			scores = append(scores, u.score)
		}
		emit(Entity{Label: tag, Start: units[i].start, End: units[j-1].end, Score: nanMean(scores)}, "")
		i = j
	}
	return out, nil
}

// aggregateWord labels one word (HF aggregate_word).
func aggregateWord(word []PreEntity, id2label []string, s Strategy) tokenLabel {
	u := tokenLabel{start: word[0].Start, end: word[len(word)-1].End}
	switch s {
	case StrategyFirst:
		k := argmax(word[0].Scores)
		u.label, u.score = id2label[k], word[0].Scores[k]
	case StrategyMax:
		best := 0
		for i := range word {
			if maxOf(word[i].Scores) > maxOf(word[best].Scores) {
				best = i
			}
		}
		k := argmax(word[best].Scores)
		u.label, u.score = id2label[k], word[best].Scores[k]
	case StrategyAverage:
		avg := make([]float64, len(id2label))
		col := make([]float64, len(word))
		for k := range avg {
			for i := range word {
				col[i] = word[i].Scores[k]
			}
			avg[k] = nanMean(col)
		}
		k := argmax(avg)
		u.label, u.score = id2label[k], avg[k]
	}
	return u
}

// nanMean is numpy.nanmean: the mean of the non-NaN values (NaN when none).
func nanMean(xs []float64) float64 {
	var sum float64
	n := 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			sum += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// aggregate turns one doc's logits into spans.
func (m *Method) aggregate(d *doc) ([]record.Span, error) {
	L := len(m.id2label)
	n := d.contentLen()
	pre := make([]PreEntity, 0, n)
	scores := make([]float64, n*L) // one allocation for every token's probabilities
	for j := 0; j < n; j++ {
		i := d.prefix + j
		if d.enc.SpecialTokensMask[i] == 1 {
			continue
		}
		off := d.enc.Offsets[i]
		var token string
		wordAware := m.wordAware
		if d.enc.Tokens != nil {
			token = d.enc.Tokens[i]
		} else {
			wordAware = false
		}
		pre = append(pre, PreEntity{
			Start:   off[0],
			End:     off[1],
			Subword: IsSubword(d.runes, token, off[0], off[1], wordAware, d.enc.IDs[i] == m.unkID),
			Scores:  Softmax(scores[j*L:j*L:(j+1)*L], d.logits[j*L:(j+1)*L]),
		})
	}
	ents, err := Aggregate(pre, m.id2label, m.agg)
	if err != nil {
		return nil, err
	}
	spans := make([]record.Span, 0, len(ents))
	for _, e := range ents {
		start, end := trimSpace(d.runes, e.Start, e.End)
		if start >= end || (m.plausible && !plausibleSpan(e.Label, d.runes, start, end)) {
			continue // empty, or "no PII": text that cannot be of its class
		}
		score := e.Score
		if m.cal != nil {
			p, th := m.cal.Score(e.Label, score)
			if p < th || p < m.floor {
				continue // "no PII": below its class threshold
			}
			score = p
		}
		spans = append(spans, record.Span{Start: start, End: end, Label: e.Label, Score: score})
	}
	return spans, nil
}

// trimSpace narrows [start, end) to exclude leading and trailing whitespace.
// SentencePiece-style (Metaspace, "▁John") and byte-level BPE ("Ġjohn")
// tokens cover the space before a word in their offsets, exactly as the Rust
// tokenizers report them, so an entity aggregated from such tokens would start
// at that space; a PII span never does.
func trimSpace(text []rune, start, end int) (int, int) {
	end = min(end, len(text))
	for start < end && unicode.IsSpace(text[start]) {
		start++
	}
	for end > start && unicode.IsSpace(text[end-1]) {
		end--
	}
	return start, end
}
