package read

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/piimask/piimask/record"
)

// PredictionRow is one document's predictions made elsewhere (for
// `piimask score --pred`). In piimask's own contract (what the writers
// produce) a row is id, method, language, spans {start, end, label, score},
// masked_text, failure; only id and spans are required. See
// PredictionOptions for Presidio's and Hugging Face's shapes.
type PredictionRow struct {
	ID       string
	Method   string
	Language string
	Spans    []record.Span
	Failure  string
	Origin   record.Origin
	// Index is the row's 0-based position among the file's rows. A row
	// without an id (a bare list of spans, NoID) belongs to the gold
	// document at that position.
	Index int64
	// NoID is set for a row that is a bare JSON list of spans.
	NoID bool
}

// Prediction formats ReadPredictionsWith understands.
const (
	// PredPiimask: spans {start, end, label, score} (piimask's own output).
	PredPiimask = "piimask"
	// PredPresidio: Presidio analyzer results, {entity_type, start, end,
	// score} per entity.
	PredPresidio = "presidio"
	// PredHF: Hugging Face token-classification pipeline output,
	// {entity_group | entity, start, end, score, word} per entity; token
	// level "entity" tags with B-/I- prefixes are joined into entities.
	PredHF = "hf"
)

// PredictionOptions say how to read a predictions file.
type PredictionOptions struct {
	// Format is piimask, presidio, hf or "" (auto: told apart per span by
	// its keys — label, entity_type, entity_group or entity).
	Format string
}

// PredFormats lists the prediction formats ("" = auto).
func PredFormats() []string { return []string{PredPiimask, PredPresidio, PredHF} }

// spanKeys are the names a predictions row may give its span list.
var spanKeys = []string{"spans", "entities", "predictions", "results"}

// ReadPredictions streams a JSONL or Parquet predictions file (format from
// the extension) and calls emit for each row. Predictions are machine
// output, so a bad row is an error naming the file, row and field, not a
// reject. Offsets are code points, as in the input data.
func ReadPredictions(ctx context.Context, path string, emit func(PredictionRow) error) error {
	return ReadPredictionsWith(ctx, path, PredictionOptions{}, emit)
}

// ReadPredictionsWith is ReadPredictions in a chosen span format. A JSONL
// line is an object with an id and a span list (spans, entities,
// predictions or results), or a bare JSON list of spans with no id (a
// Presidio BatchAnalyzerEngine or HF pipeline dump, one document a line):
// such a row belongs to the gold document at the same position (see
// PredictionRow.Index); a file mixing both is an error.
func ReadPredictionsWith(ctx context.Context, path string, opts PredictionOptions, emit func(PredictionRow) error) error {
	switch opts.Format {
	case "", PredPiimask, PredPresidio, PredHF:
	default:
		return fmt.Errorf("unknown predictions format %q (want %s, or empty to detect it)", opts.Format, strings.Join(PredFormats(), ", "))
	}
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	var readErr error
	switch format {
	case FormatJSONL:
		readErr = readPredictionsJSONL(ctx, path, opts, emit)
	case FormatParquet:
		readErr = readPredictionsParquet(ctx, path, opts, emit)
	default:
		return fmt.Errorf("%s: predictions must be JSONL or Parquet", path)
	}
	if errors.Is(readErr, ErrStop) {
		return nil
	}
	return readErr
}

func readPredictionsJSONL(ctx context.Context, path string, opts PredictionOptions, emit func(PredictionRow) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := newLineReader(f)
	var line, index int64
	withID, withoutID := int64(0), int64(0)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, readErr := br.next()
		if readErr != nil && readErr != io.EOF {
			return fmt.Errorf("%s:%d: %w", path, line+1, readErr)
		}
		if data == nil && readErr == io.EOF {
			return nil
		}
		line++
		if len(data) > 0 {
			origin := record.Origin{File: path, Row: line}
			var p PredictionRow
			if data[0] == '[' {
				var list any
				if err := unmarshalNumber(data, &list); err != nil {
					return fmt.Errorf("%s: invalid JSON list", origin)
				}
				spans, err := predSpansOf("[]", list, opts.Format, origin)
				if err != nil {
					return err
				}
				p = PredictionRow{Spans: spans, Origin: origin, NoID: true}
				withoutID++
			} else {
				var obj jsonRow
				if err := json.Unmarshal(data, &obj); err != nil || obj == nil {
					return fmt.Errorf("%s: %s", origin, jsonReason(err))
				}
				if p, err = predictionOf(obj, origin, opts.Format); err != nil {
					return err
				}
				withID++
			}
			if withID > 0 && withoutID > 0 {
				return fmt.Errorf("%s: the file mixes rows with an id and bare lists without one; give every row an id, or none", origin)
			}
			p.Index = index
			index++
			if err := emit(p); err != nil {
				return err
			}
		}
		if readErr == io.EOF {
			return nil
		}
	}
}

func readPredictionsParquet(ctx context.Context, path string, opts PredictionOptions, emit func(PredictionRow) error) error {
	pf, f, err := parquetFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	schema := pf.Schema()
	var rowNum int64
	buf := make([]parquet.Row, parquetBatch)
	for gi, rg := range pf.RowGroups() {
		err := func() error {
			rows := rg.Rows()
			defer rows.Close()
			for {
				if err := ctx.Err(); err != nil {
					return err
				}
				n, readErr := safeReadRows(rows, buf)
				for i := 0; i < n; i++ {
					if err := ctx.Err(); err != nil {
						return err
					}
					rowNum++
					m := map[string]any{}
					if err := safeReconstruct(schema, &m, buf[i]); err != nil {
						return fmt.Errorf("%s: row group %d, row %d: %w", path, gi, rowNum, err)
					}
					p, err := predictionOf(mapRow(m), record.Origin{File: path, Row: rowNum}, opts.Format)
					if err != nil {
						return err
					}
					p.Index = rowNum - 1
					if err := emit(p); err != nil {
						return err
					}
				}
				if errors.Is(readErr, io.EOF) {
					return nil
				}
				if readErr != nil {
					return fmt.Errorf("%s: row group %d, after row %d: %w", path, gi, rowNum, readErr)
				}
				if n == 0 {
					return fmt.Errorf("%s: row group %d, after row %d: reader made no progress", path, gi, rowNum)
				}
			}
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// predictionOf reads one predictions row; format is the span format ("" =
// detect).
func predictionOf(r row, origin record.Origin, format string) (PredictionRow, error) {
	p := PredictionRow{Origin: origin}
	fail := func(field, reason string) (PredictionRow, error) {
		return PredictionRow{}, fmt.Errorf("%s: field %s: %s", origin, field, reason)
	}
	v, ok, err := r.get("id")
	if err != nil || !ok || v == nil {
		return fail("id", "missing id")
	}
	if p.ID, ok = asID(v); !ok {
		return fail("id", fmt.Sprintf("id is not a string (%s)", kindOf(v)))
	}
	for _, name := range []string{"method", "language", "failure"} {
		v, ok, err := r.get(name)
		if err != nil {
			return fail(name, "cannot be decoded")
		}
		if !ok || v == nil {
			continue
		}
		s, isStr := asString(v)
		if !isStr {
			return fail(name, fmt.Sprintf("not a string (%s)", kindOf(v)))
		}
		switch name {
		case "method":
			p.Method = s
		case "language":
			p.Language = s
		case "failure":
			p.Failure = s
		}
	}
	key := ""
	for _, k := range spanKeys {
		if _, ok, _ := r.get(k); ok {
			key = k
			break
		}
	}
	if key == "" {
		return fail("spans", "missing spans (or entities, predictions, results)")
	}
	v, _, err = r.get(key)
	if err != nil {
		return fail(key, "cannot be decoded")
	}
	if s, ok := asString(v); ok {
		var decoded any
		if err := unmarshalNumber([]byte(s), &decoded); err != nil {
			return fail(key, "string is not valid JSON")
		}
		v = decoded
	}
	spans, err := predSpansOf(key, v, format, origin)
	if err != nil {
		return PredictionRow{}, err
	}
	p.Spans = spans
	return p, nil
}

// predSpansOf reads a span list in format ("" = per span, from its keys):
// piimask {start, end, label, score}, presidio {entity_type, start, end,
// score}, hf {entity_group | entity, start, end, score, word}. HF token
// entities ("entity": "B-PER", "I-PER") are joined into entities.
func predSpansOf(key string, v any, format string, origin record.Origin) ([]record.Span, error) {
	fail := func(field, reason string) ([]record.Span, error) {
		return nil, fmt.Errorf("%s: field %s: %s", origin, field, reason)
	}
	if v == nil {
		return nil, nil
	}
	list, ok := v.([]any)
	if !ok {
		return fail(key, fmt.Sprintf("want a list of spans, got %s", kindOf(v)))
	}
	spans := make([]record.Span, 0, len(list))
	var tokens []hfToken
	for i, e := range list {
		name := fmt.Sprintf("%s[%d]", key, i)
		m, ok := e.(map[string]any)
		if !ok {
			return fail(name, fmt.Sprintf("want an object {start, end, label, score}, got %s", kindOf(e)))
		}
		start, err := asInt(m["start"])
		if err != nil {
			return fail(name+".start", "start "+err.Error())
		}
		end, err := asInt(m["end"])
		if err != nil {
			return fail(name+".end", "end "+err.Error())
		}
		if fe := checkRange(name, start, end, int(^uint(0)>>1)); fe != nil {
			return fail(fe.field, fe.reason)
		}
		sp := record.Span{Start: int(start), End: int(end)}
		if sv, present := m["score"]; present && sv != nil {
			sc, err := asFloat(sv)
			if err != nil {
				return fail(name+".score", "score "+err.Error())
			}
			sp.Score = sc
		}
		labelKey := spanLabelKey(m, format)
		label, _ := asString(m[labelKey])
		if label == "" {
			return fail(name+"."+labelKey, "missing "+labelKey)
		}
		if labelKey == "entity" {
			idx, hasIdx := int64(-1), false
			if iv, present := m["index"]; present && iv != nil {
				if n, err := asInt(iv); err == nil {
					idx, hasIdx = n, true
				}
			}
			tokens = append(tokens, hfToken{span: sp, tag: label, index: idx, hasIndex: hasIdx})
			continue
		}
		sp.Label = label
		spans = append(spans, sp)
	}
	spans = append(spans, joinHFTokens(tokens)...)
	if len(spans) == 0 {
		return nil, nil
	}
	return spans, nil
}

// spanLabelKey names the key that holds a span's label in format, or, for
// auto, the first of label, entity_type, entity_group, entity present.
func spanLabelKey(m map[string]any, format string) string {
	switch format {
	case PredPiimask:
		return "label"
	case PredPresidio:
		return "entity_type"
	case PredHF:
		if _, ok := m["entity_group"]; ok {
			return "entity_group"
		}
		return "entity"
	}
	for _, k := range []string{"label", "entity_type", "entity_group", "entity"} {
		if _, ok := m[k]; ok {
			return k
		}
	}
	return "label" // reported as a missing label
}

// hfToken is one token-level entity of an HF pipeline without aggregation.
type hfToken struct {
	span     record.Span
	tag      string
	index    int64
	hasIndex bool
}

// joinHFTokens joins token-level HF entities into entities, as the
// pipeline's "simple" aggregation does: a B- tag, a change of type, or a
// gap starts a new entity; an I- tag (or a bare type) of the same type
// right after the previous token continues it. "Right after" is the next
// token index when both carry one, else at most one character apart (O
// tokens are not in the output). The score is the tokens' mean.
func joinHFTokens(tokens []hfToken) []record.Span {
	var out []record.Span
	var cur record.Span
	var sum float64
	n := 0
	prev := hfToken{}
	flush := func() {
		if n > 0 {
			cur.Score = sum / float64(n)
			out = append(out, cur)
		}
		n, sum = 0, 0
	}
	for _, t := range tokens {
		bi, typ := "I", t.tag
		if len(t.tag) > 2 && (t.tag[0] == 'B' || t.tag[0] == 'I') && t.tag[1] == '-' {
			bi, typ = t.tag[:1], t.tag[2:]
		}
		adjacent := false
		if n > 0 {
			if t.hasIndex && prev.hasIndex {
				adjacent = t.index == prev.index+1
			} else {
				adjacent = t.span.Start >= cur.End && t.span.Start-cur.End <= 1
			}
		}
		if n > 0 && bi == "I" && typ == cur.Label && adjacent {
			cur.End = t.span.End
		} else {
			flush()
			cur = record.Span{Start: t.span.Start, End: t.span.End, Label: typ}
		}
		sum += t.span.Score
		n++
		prev = t
	}
	flush()
	return out
}
