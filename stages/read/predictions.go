package read

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"

	"github.com/piimask/piimask/stages/record"
)

// PredictionRow is one document's predictions made elsewhere (for
// `piimask score --pred`), in the contract the writers produce:
// id, method, language, spans {start, end, label, score}, masked_text,
// failure. Only id and spans are required.
type PredictionRow struct {
	ID       string
	Method   string
	Language string
	Spans    []record.Span
	Failure  string
	Origin   record.Origin
}

// spanKeys are the names a predictions row may give its span list.
var spanKeys = []string{"spans", "entities", "predictions"}

// ReadPredictions streams a JSONL or Parquet predictions file (format from
// the extension) and calls emit for each row. Predictions are machine
// output, so a bad row is an error naming the file, row and field, not a
// reject. Offsets are code points, as in the input data.
func ReadPredictions(ctx context.Context, path string, emit func(PredictionRow) error) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	var readErr error
	switch format {
	case FormatJSONL:
		readErr = readPredictionsJSONL(ctx, path, emit)
	case FormatParquet:
		readErr = readPredictionsParquet(ctx, path, emit)
	default:
		return fmt.Errorf("%s: predictions must be JSONL or Parquet", path)
	}
	if errors.Is(readErr, ErrStop) {
		return nil
	}
	return readErr
}

func readPredictionsJSONL(ctx context.Context, path string, emit func(PredictionRow) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	br := newLineReader(f)
	var line int64
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
			var obj jsonRow
			if err := json.Unmarshal(data, &obj); err != nil || obj == nil {
				return fmt.Errorf("%s: %s", origin, jsonReason(err))
			}
			p, err := predictionOf(obj, origin)
			if err != nil {
				return err
			}
			if err := emit(p); err != nil {
				return err
			}
		}
		if readErr == io.EOF {
			return nil
		}
	}
}

func readPredictionsParquet(ctx context.Context, path string, emit func(PredictionRow) error) error {
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
					p, err := predictionOf(mapRow(m), record.Origin{File: path, Row: rowNum})
					if err != nil {
						return err
					}
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

// predictionOf reads one predictions row.
func predictionOf(r row, origin record.Origin) (PredictionRow, error) {
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
		return fail("spans", "missing spans (or entities, predictions)")
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
	if v == nil {
		return p, nil
	}
	list, ok := v.([]any)
	if !ok {
		return fail(key, fmt.Sprintf("want a list of {start, end, label, score}, got %s", kindOf(v)))
	}
	p.Spans = make([]record.Span, 0, len(list))
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
		label, _ := asString(m["label"])
		if label == "" {
			if l, ok := asString(m["entity_group"]); ok {
				label = l
			}
		}
		if label == "" {
			return fail(name+".label", "missing label")
		}
		sp := record.Span{Start: int(start), End: int(end), Label: label}
		if sv, present := m["score"]; present && sv != nil {
			sc, err := asFloat(sv)
			if err != nil {
				return fail(name+".score", "score "+err.Error())
			}
			sp.Score = sc
		}
		p.Spans = append(p.Spans, sp)
	}
	if len(p.Spans) == 0 {
		p.Spans = nil
	}
	return p, nil
}
