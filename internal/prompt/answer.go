package prompt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/piimask/piimask/record"
)

// Answer is what an LLM returns for one text: for each entity class, the
// exact substrings it found, one entry per occurrence. Models that answer
// with character offsets instead fill Spans (code points).
type Answer struct {
	Entities map[string][]string
	Spans    []record.Span
}

type spanItem struct {
	Label string `json:"label"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// MarshalJSON writes {"entities":{CLASS:[values…]}} with classes sorted and
// values in the order held (text order when built by AnswerFromSpans), plus
// "spans":[{"label","start","end"}…] when Spans is not empty.
func (a Answer) MarshalJSON() ([]byte, error) {
	ents := a.Entities
	if ents == nil {
		ents = map[string][]string{}
	}
	v := struct {
		Entities map[string][]string `json:"entities"`
		Spans    []spanItem          `json:"spans,omitempty"`
	}{Entities: ents}
	for _, s := range a.Spans {
		v.Spans = append(v.Spans, spanItem{s.Label, s.Start, s.End})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// String is the answer's JSON.
func (a Answer) String() string {
	b, _ := a.MarshalJSON()
	return string(b)
}

// AnswerFromSpans builds the answer a perfect model would give for text with
// the given spans (code points): one value per span, the exact substring,
// values of each class in text order. Spans outside the text are skipped.
func AnswerFromSpans(text string, spans []record.Span) Answer {
	sorted := append([]record.Span(nil), spans...)
	record.SortSpans(sorted)
	off := record.NewOffsets(text)
	a := Answer{Entities: map[string][]string{}}
	for _, s := range sorted {
		v, err := off.Slice(text, s.Start, s.End)
		if err != nil || v == "" {
			continue
		}
		a.Entities[s.Label] = append(a.Entities[s.Label], v)
	}
	return a
}

// ParseAnswer reads a model's raw reply. It is tolerant:
//   - Markdown code fences (```json … ```) and any text around the JSON are
//     dropped: the first JSON object or array that decodes is the answer
//     (values nested inside it are not tried);
//   - accepted shapes: {"entities":{CLASS:[values]}}, the same map without
//     the "entities" wrapper, a single string instead of a list, numbers
//     (kept as written), and lists of items — as the value of "entities" or
//     at the top level — each {"label","value"} (also "type"/"entity" for
//     the label, "text" for the value) or {"label","start","end"} in code
//     points (these go to Spans).
//
// It fails only when no JSON value can be found or its shape is none of these.
func ParseAnswer(raw string) (Answer, error) {
	s := stripFences(raw)
	var lastErr error
	tries := 0
	for i := 0; i < len(s) && tries < 64; i++ {
		if s[i] != '{' && s[i] != '[' {
			continue
		}
		tries++
		dec := json.NewDecoder(strings.NewReader(s[i:]))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			lastErr = err
			continue
		}
		// The first value that decodes is the answer: values nested inside
		// it are not tried when its shape is wrong.
		a, err := fromValue(v)
		if err != nil {
			return Answer{}, fmt.Errorf("parse answer: %w", err)
		}
		return a, nil
	}
	if lastErr == nil {
		return Answer{}, errors.New("parse answer: no JSON object in the reply")
	}
	return Answer{}, fmt.Errorf("parse answer: %w", lastErr)
}

func stripFences(s string) string {
	i := strings.Index(s, "```")
	if i < 0 {
		return s
	}
	rest := s[i+3:]
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 && !strings.ContainsAny(rest[:nl], "{[") {
		rest = rest[nl+1:] // drop the language tag line
	}
	if j := strings.Index(rest, "```"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func fromValue(v any) (Answer, error) {
	a := Answer{Entities: map[string][]string{}}
	switch t := v.(type) {
	case []any:
		return a, a.addItems(t)
	case map[string]any:
		if e, ok := t["entities"]; ok {
			switch et := e.(type) {
			case map[string]any:
				return a, a.addMap(et)
			case []any:
				return a, a.addItems(et)
			case nil:
				return a, nil
			}
			return a, fmt.Errorf("\"entities\" is a %T, want an object or a list", e)
		}
		if _, ok := t["label"]; ok {
			return a, a.addItems([]any{t})
		}
		return a, a.addMap(t)
	}
	return a, fmt.Errorf("answer is a %T, want an object or a list", v)
}

func scalar(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case json.Number:
		return t.String(), true
	}
	return "", false
}

func (a *Answer) addMap(m map[string]any) error {
	for label, v := range m {
		switch t := v.(type) {
		case []any:
			for k, x := range t {
				s, ok := scalar(x)
				if !ok {
					return fmt.Errorf("entities[%q][%d] is a %T, want a string", label, k, x)
				}
				a.Entities[label] = append(a.Entities[label], s)
			}
		case nil:
		default:
			s, ok := scalar(v)
			if !ok {
				return fmt.Errorf("entities[%q] is a %T, want a list of strings", label, v)
			}
			a.Entities[label] = append(a.Entities[label], s)
		}
	}
	return nil
}

func (a *Answer) addItems(items []any) error {
	for k, it := range items {
		m, ok := it.(map[string]any)
		if !ok {
			return fmt.Errorf("item %d is a %T, want an object", k, it)
		}
		var label string
		for _, key := range []string{"label", "type", "entity", "entity_type"} {
			if s, ok := scalar(m[key]); ok {
				label = s
				break
			}
		}
		if label == "" {
			return fmt.Errorf("item %d has no label", k)
		}
		st, okS := m["start"].(json.Number)
		en, okE := m["end"].(json.Number)
		if okS && okE {
			s, err1 := st.Int64()
			e, err2 := en.Int64()
			if err1 != nil || err2 != nil {
				return fmt.Errorf("item %d: start/end are not integers", k)
			}
			a.Spans = append(a.Spans, record.Span{Start: int(s), End: int(e), Label: label})
			continue
		}
		var value string
		found := false
		for _, key := range []string{"value", "text", "span"} {
			if s, ok := scalar(m[key]); ok {
				value, found = s, true
				break
			}
		}
		if !found {
			return fmt.Errorf("item %d (%s) has neither value nor start/end", k, label)
		}
		a.Entities[label] = append(a.Entities[label], value)
	}
	return nil
}

// Diagnostic kinds counted by Locate.
const (
	DiagUnknownLabel    = "unknown_label"
	DiagValueNotFound   = "value_not_found"
	DiagEmptyValue      = "empty_value"
	DiagExtraOccurrence = "extra_occurrence"
	DiagBadOffsets      = "bad_offsets"
)

// Locate turns an answer into spans of text (code points). The rule:
//   - values are trimmed of surrounding white space and matched exactly
//     (case and accents included);
//   - a value returned k times is given the first k of its occurrences in
//     text order that do not overlap a span already assigned (of any label):
//     never more occurrences than returned;
//   - values are placed longest first (then by label, then value), so that a
//     long value ("Jean Dupont") is not cut by a shorter one inside it
//     ("Jean"), which then takes its next free occurrence;
//   - offset items (Answer.Spans) are placed first, as given, if in range.
//
// diag counts, per kind, the values that gave no span: unknown_label (known
// returned false; nil known accepts all), empty_value, value_not_found (the
// value does not occur in the text), extra_occurrence (returned more times
// than it has free occurrences) and bad_offsets (offset item out of range or
// overlapping an earlier one). Spans come back sorted.
func Locate(text string, a Answer, known func(label string) bool) (spans []record.Span, diag map[string]int) {
	diag = map[string]int{}
	if known == nil {
		known = func(string) bool { return true }
	}
	off := record.NewOffsets(text)
	var taken []record.Span // code points
	free := func(s record.Span) bool {
		for _, t := range taken {
			if t.Overlaps(s) {
				return false
			}
		}
		return true
	}
	for _, s := range a.Spans {
		switch {
		case !known(s.Label):
			diag[DiagUnknownLabel]++
		case s.Start < 0 || s.End <= s.Start || s.End > off.Len() || !free(s):
			diag[DiagBadOffsets]++
		default:
			taken = append(taken, record.Span{Start: s.Start, End: s.End, Label: s.Label})
		}
	}

	type want struct {
		label, value string
		n, runes     int
	}
	var wants []want
	labels := make([]string, 0, len(a.Entities))
	for l := range a.Entities {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, l := range labels {
		counts := map[string]int{}
		var order []string
		for _, v := range a.Entities[l] {
			v = strings.TrimSpace(v)
			if counts[v] == 0 {
				order = append(order, v)
			}
			counts[v]++
		}
		for _, v := range order {
			wants = append(wants, want{l, v, counts[v], record.CodePointLen(v)})
		}
	}
	sort.SliceStable(wants, func(i, j int) bool { return wants[i].runes > wants[j].runes })

	for _, w := range wants {
		if !known(w.label) {
			diag[DiagUnknownLabel] += w.n
			continue
		}
		if w.value == "" {
			diag[DiagEmptyValue] += w.n
			continue
		}
		left, seen := w.n, false
		for from := 0; left > 0 && from <= len(text); {
			i := strings.Index(text[from:], w.value)
			if i < 0 {
				break
			}
			b := from + i
			seen = true
			s := record.Span{Start: off.CodePoint(b), End: off.CodePoint(b + len(w.value)), Label: w.label}
			if free(s) {
				taken = append(taken, s)
				left--
				from = b + len(w.value)
			} else {
				from = b + 1
				for from < len(text) && !utf8Start(text[from]) {
					from++
				}
			}
		}
		if !seen {
			diag[DiagValueNotFound] += w.n
		} else if left > 0 {
			diag[DiagExtraOccurrence] += left
		}
	}
	record.SortSpans(taken)
	return taken, diag
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
