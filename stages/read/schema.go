package read

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/piimask/piimask/labels"
	"github.com/piimask/piimask/record"
)

// detectSchema picks a schema from a row's column names.
func detectSchema(keys []string, textField string) (string, error) {
	has := make(map[string]bool, len(keys))
	for _, k := range keys {
		has[k] = true
	}
	switch {
	case has["full_text"] && has["spans"]:
		return SchemaPresidio, nil
	case has["unmasked_text"]:
		return Schema43k, nil
	case has["source_text"] && (has["uid"] || has["split"]):
		return Schema400k, nil
	case has["source_text"]:
		return Schema200k, nil
	case has[textField]:
		return SchemaPlain, nil
	}
	return "", fmt.Errorf("cannot detect the schema from the columns %v (want source_text, unmasked_text, full_text + spans or %q); set schema and text_field", keys, textField)
}

// layout names the columns one schema reads.
type layout struct {
	text     string
	ids      []string
	language string // column; "" = none
	defLang  string // language when the column is absent
	mask     string // privacy_mask-style list column; "" = none
	spanList string // 43k span_labels column; "" = none
	presidio string // presidio-research spans column; "" = none
	// extra lists columns kept in Record.Extra even without KeepColumns.
	extra []string
}

// columns lists the columns a layout reads.
func (l layout) columns() []string {
	out := append([]string{l.text}, l.ids...)
	for _, c := range []string{l.language, l.mask, l.spanList, l.presidio} {
		if c != "" {
			out = append(out, c)
		}
	}
	return append(out, l.extra...)
}

func layoutOf(schema, textField string) layout {
	switch schema {
	case Schema43k:
		return layout{text: "unmasked_text", ids: []string{"id", "uid"}, language: "language", defLang: "en", spanList: "span_labels"}
	case Schema200k:
		return layout{text: "source_text", ids: []string{"id", "uid"}, language: "language", mask: "privacy_mask"}
	case Schema400k:
		return layout{text: "source_text", ids: []string{"uid", "id"}, language: "language", mask: "privacy_mask"}
	case SchemaPresidio:
		return layout{text: "full_text", ids: []string{"id", "uid"}, language: "language", defLang: "en",
			presidio: "spans", extra: []string{"template_id"}}
	default:
		return layout{text: textField, ids: []string{"id"}, language: "language"}
	}
}

// layoutOf is the layout of schema under the stream's options: the
// configured language replaces the schema's default one.
func (s *stream) layoutOf(schema string) layout {
	l := layoutOf(schema, s.opts.textField())
	if s.opts.Language != "" {
		l.defLang = s.opts.Language
	}
	return l
}

// fieldErr is a problem with one field of a row. Its reason never quotes
// the row's content.
type fieldErr struct{ field, reason string }

// toRecord normalises one row. A row that cannot be used comes back as a
// reject instead.
func (s *stream) toRecord(l layout, r row, origin record.Origin) (record.Record, *record.Reject) {
	rec := record.Record{Origin: origin, Language: l.defLang}
	for _, name := range l.ids {
		if v, ok, _ := r.get(name); ok {
			if id, ok := asID(v); ok {
				rec.ID = id
				break
			}
		}
	}
	if rec.ID == "" {
		rec.ID = origin.String()
	}
	bad := func(fe *fieldErr) (record.Record, *record.Reject) {
		return record.Record{}, &record.Reject{Origin: origin, ID: rec.ID, Field: fe.field, Reason: fe.reason}
	}

	v, ok, err := r.get(l.text)
	switch {
	case err != nil:
		return bad(&fieldErr{l.text, "cannot be decoded"})
	case !ok || v == nil:
		return bad(&fieldErr{l.text, "missing text"})
	}
	text, ok := asString(v)
	if !ok {
		return bad(&fieldErr{l.text, fmt.Sprintf("text is not a string (%s)", kindOf(v))})
	}
	if !utf8.ValidString(text) {
		return bad(&fieldErr{l.text, "text is not valid UTF-8"})
	}
	rec.Text = text

	if l.language != "" {
		if v, ok, _ := r.get(l.language); ok && v != nil {
			lang, isStr := asString(v)
			if !isStr {
				return bad(&fieldErr{l.language, fmt.Sprintf("language is not a string (%s)", kindOf(v))})
			}
			if lang != "" {
				rec.Language = lang
			}
		}
	}

	var off *record.Offsets
	if l.mask != "" {
		v, _, err := r.get(l.mask)
		if err != nil {
			return bad(&fieldErr{l.mask, "cannot be decoded"})
		}
		off = record.NewOffsets(text)
		spans, fe := maskSpans(l.mask, v, text, off)
		if fe != nil {
			return bad(fe)
		}
		rec.Gold = spans
	}
	if l.spanList != "" {
		v, _, err := r.get(l.spanList)
		if err != nil {
			return bad(&fieldErr{l.spanList, "cannot be decoded"})
		}
		if off == nil {
			off = record.NewOffsets(text)
		}
		spans, fe := spanLabels(l.spanList, v, off)
		if fe != nil {
			return bad(fe)
		}
		rec.Gold = spans
	}
	if l.presidio != "" {
		v, _, err := r.get(l.presidio)
		if err != nil {
			return bad(&fieldErr{l.presidio, "cannot be decoded"})
		}
		if off == nil {
			off = record.NewOffsets(text)
		}
		spans, fe := presidioSpans(l.presidio, v, text, off)
		if fe != nil {
			return bad(fe)
		}
		rec.Gold = spans
	}
	if !s.opts.KeepColumns {
		for _, k := range l.extra {
			v, ok, err := r.get(k)
			if err != nil {
				return bad(&fieldErr{k, "cannot be decoded"})
			}
			if ok && v != nil {
				if rec.Extra == nil {
					rec.Extra = map[string]any{}
				}
				rec.Extra[k] = v
			}
		}
	}
	switch {
	case len(rec.Gold) == 0:
		rec.Gold = nil // no spans, whether the list was absent, null or empty
	case len(rec.Gold) > 1:
		record.SortSpans(rec.Gold)
	}

	if s.opts.KeepColumns {
		keys := r.keys()
		rec.Extra = make(map[string]any, len(keys))
		for _, k := range keys {
			if k == l.text {
				continue
			}
			v, _, err := r.get(k)
			if err != nil {
				return bad(&fieldErr{k, "cannot be decoded"})
			}
			rec.Extra[k] = v
		}
		rec.Columns = keys
		if o, ok := r.(orderedRow); ok {
			if names := o.order(); len(names) == len(keys) {
				rec.Columns = names
			}
			rec.Raw = o.native()
		}
	}
	return rec, nil
}

// kindOf names the JSON kind of a decoded value, for messages.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string, []byte:
		return "string"
	case bool:
		return "boolean"
	case []any:
		return "list"
	case map[string]any:
		return "object"
	}
	if _, err := asFloat(v); err == nil {
		return "number"
	}
	return fmt.Sprintf("%T", v)
}

// maskSpans reads a privacy_mask list of {value, start, end, label}. The
// list may also arrive as a JSON string (some exports store it so).
func maskSpans(field string, v any, text string, off *record.Offsets) ([]record.Span, *fieldErr) {
	if str, ok := asString(v); ok {
		if strings.TrimSpace(str) == "" {
			return nil, nil
		}
		var decoded any
		if err := unmarshalNumber([]byte(str), &decoded); err != nil {
			return nil, &fieldErr{field, "string is not valid JSON"}
		}
		v = decoded
	}
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, &fieldErr{field, fmt.Sprintf("want a list of {value, start, end, label}, got %s", kindOf(v))}
	}
	spans := make([]record.Span, 0, len(list))
	for i, e := range list {
		name := fmt.Sprintf("%s[%d]", field, i)
		m, ok := e.(map[string]any)
		if !ok {
			return nil, &fieldErr{name, fmt.Sprintf("want an object {value, start, end, label}, got %s", kindOf(e))}
		}
		start, err := asInt(m["start"])
		if err != nil {
			return nil, &fieldErr{name + ".start", "start " + err.Error()}
		}
		end, err := asInt(m["end"])
		if err != nil {
			return nil, &fieldErr{name + ".end", "end " + err.Error()}
		}
		label, _ := asString(m["label"])
		if label == "" {
			return nil, &fieldErr{name + ".label", "missing label"}
		}
		if fe := checkRange(name, start, end, off.Len()); fe != nil {
			return nil, fe
		}
		if raw, present := m["value"]; present && raw != nil {
			value, ok := asString(raw)
			if !ok {
				return nil, &fieldErr{name + ".value", fmt.Sprintf("value is not a string (%s)", kindOf(raw))}
			}
			got := text[off.Byte(int(start)):off.Byte(int(end))]
			if value != got {
				return nil, &fieldErr{name + ".value", fmt.Sprintf(
					"value (%d code points) does not match the text at [%d,%d) (%d code points)",
					utf8.RuneCountInString(value), start, end, end-start)}
			}
		}
		spans = append(spans, record.Span{Start: int(start), End: int(end), Label: label})
	}
	return spans, nil
}

// presidioSpans reads presidio-research's spans: a list of
// {entity_type, entity_value, start_position, end_position}; entity_value,
// when present, must equal text[start:end] in code points.
func presidioSpans(field string, v any, text string, off *record.Offsets) ([]record.Span, *fieldErr) {
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, &fieldErr{field, fmt.Sprintf("want a list of {entity_type, entity_value, start_position, end_position}, got %s", kindOf(v))}
	}
	spans := make([]record.Span, 0, len(list))
	for i, e := range list {
		name := fmt.Sprintf("%s[%d]", field, i)
		m, ok := e.(map[string]any)
		if !ok {
			return nil, &fieldErr{name, fmt.Sprintf("want an object {entity_type, entity_value, start_position, end_position}, got %s", kindOf(e))}
		}
		start, err := asInt(m["start_position"])
		if err != nil {
			return nil, &fieldErr{name + ".start_position", "start_position " + err.Error()}
		}
		end, err := asInt(m["end_position"])
		if err != nil {
			return nil, &fieldErr{name + ".end_position", "end_position " + err.Error()}
		}
		label, _ := asString(m["entity_type"])
		if label == "" {
			return nil, &fieldErr{name + ".entity_type", "missing entity_type"}
		}
		if fe := checkRange(name, start, end, off.Len()); fe != nil {
			fe.field = strings.NewReplacer(".start", ".start_position", ".end", ".end_position").Replace(fe.field)
			return nil, fe
		}
		if raw, present := m["entity_value"]; present && raw != nil {
			value, ok := asString(raw)
			if !ok {
				return nil, &fieldErr{name + ".entity_value", fmt.Sprintf("entity_value is not a string (%s)", kindOf(raw))}
			}
			if got := text[off.Byte(int(start)):off.Byte(int(end))]; value != got {
				return nil, &fieldErr{name + ".entity_value", fmt.Sprintf(
					"entity_value (%d code points) does not match the text at [%d,%d) (%d code points)",
					utf8.RuneCountInString(value), start, end, end-start)}
			}
		}
		spans = append(spans, record.Span{Start: int(start), End: int(end), Label: label})
	}
	return spans, nil
}

// checkRange validates span offsets against a text of n code points.
func checkRange(name string, start, end int64, n int) *fieldErr {
	switch {
	case start < 0:
		return &fieldErr{name + ".start", fmt.Sprintf("negative start %d", start)}
	case end < 0:
		return &fieldErr{name + ".end", fmt.Sprintf("negative end %d", end)}
	case start >= end:
		return &fieldErr{name + ".end", fmt.Sprintf("end %d is not after start %d", end, start)}
	case end > int64(n):
		return &fieldErr{name + ".end", fmt.Sprintf("end %d is beyond the text's %d code points", end, n)}
	}
	return nil
}

// suffix matches the "_1" style numbering some datasets append to labels.
var suffix = regexp.MustCompile(`_[0-9]+$`)

// NormaliseLabel strips a trailing "_<n>" from a label when what remains is
// an AI4Privacy class ("FIRSTNAME_1" → "FIRSTNAME"); other labels are
// returned unchanged.
func NormaliseLabel(label string) string {
	if loc := suffix.FindStringIndex(label); loc != nil {
		if base := label[:loc[0]]; labels.Known(base) {
			return base
		}
	}
	return label
}

// spanLabels reads the 43k dataset's span_labels: a Python-style list of
// [start, end, label] lists, as a string or a real list. "O" entries are not
// spans.
func spanLabels(field string, v any, off *record.Offsets) ([]record.Span, *fieldErr) {
	if str, ok := asString(v); ok {
		if strings.TrimSpace(str) == "" {
			return nil, nil
		}
		parsed, err := parsePyList(str)
		if err != nil {
			return nil, &fieldErr{field, "not a Python-style list: " + err.Error()}
		}
		v = parsed
	}
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, &fieldErr{field, fmt.Sprintf("want a list of [start, end, label], got %s", kindOf(v))}
	}
	var spans []record.Span
	for i, e := range list {
		name := fmt.Sprintf("%s[%d]", field, i)
		triple, ok := e.([]any)
		if !ok || len(triple) != 3 {
			return nil, &fieldErr{name, "want [start, end, label]"}
		}
		label, ok := asString(triple[2])
		if !ok || label == "" {
			return nil, &fieldErr{name + ".label", "missing label"}
		}
		if label == "O" {
			continue
		}
		start, err := asInt(triple[0])
		if err != nil {
			return nil, &fieldErr{name + ".start", "start " + err.Error()}
		}
		end, err := asInt(triple[1])
		if err != nil {
			return nil, &fieldErr{name + ".end", "end " + err.Error()}
		}
		if fe := checkRange(name, start, end, off.Len()); fe != nil {
			return nil, fe
		}
		spans = append(spans, record.Span{Start: int(start), End: int(end), Label: NormaliseLabel(label)})
	}
	return spans, nil
}
