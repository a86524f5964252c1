package read

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// row is one input row whose columns are decoded on demand. Values are
// string, bool, nil, a number (json.Number or a Go integer or float type),
// []any or map[string]any.
type row interface {
	// keys lists the row's column names, sorted.
	keys() []string
	// get returns the decoded value of a column, whether it is present, and
	// an error when its value cannot be decoded.
	get(name string) (any, bool, error)
}

// mapRow is a row already decoded into a map (Parquet).
type mapRow map[string]any

func (m mapRow) keys() []string {
	k := make([]string, 0, len(m))
	for name := range m {
		k = append(k, name)
	}
	sort.Strings(k)
	return k
}

func (m mapRow) get(name string) (any, bool, error) {
	v, ok := m[name]
	return v, ok, nil
}

// jsonRow is a JSON object whose members are decoded when asked for.
type jsonRow map[string]json.RawMessage

func (j jsonRow) keys() []string {
	k := make([]string, 0, len(j))
	for name := range j {
		k = append(k, name)
	}
	sort.Strings(k)
	return k
}

func (j jsonRow) get(name string) (any, bool, error) {
	raw, ok := j[name]
	if !ok {
		return nil, false, nil
	}
	v, err := decodeJSON(raw)
	return v, true, err
}

// decodeJSON decodes one JSON value, keeping numbers exact as json.Number.
func decodeJSON(raw []byte) (any, error) {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	var v any
	if err := unmarshalNumber(raw, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// asString returns v as a string; ok is false when v is not a string.
func asString(v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		if b, isBytes := v.([]byte); isBytes {
			return string(b), true
		}
	}
	return s, ok
}

// asID renders an id column (a string or an integer) as a string.
func asID(v any) (string, bool) {
	if s, ok := asString(v); ok {
		return s, s != ""
	}
	if n, err := asInt(v); err == nil {
		return strconv.FormatInt(n, 10), true
	}
	return "", false
}

// asInt returns v as an integer: any Go integer type, a float with no
// fraction, or a json.Number holding one.
func asInt(v any) (int64, error) {
	switch n := v.(type) {
	case int:
		return int64(n), nil
	case int8:
		return int64(n), nil
	case int16:
		return int64(n), nil
	case int32:
		return int64(n), nil
	case int64:
		return n, nil
	case uint8:
		return int64(n), nil
	case uint16:
		return int64(n), nil
	case uint32:
		return int64(n), nil
	case uint64:
		if n > math.MaxInt64 {
			return 0, fmt.Errorf("integer %d too large", n)
		}
		return int64(n), nil
	case float32:
		return floatInt(float64(n))
	case float64:
		return floatInt(n)
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, nil
		}
		f, err := n.Float64()
		if err != nil {
			return 0, fmt.Errorf("not a number")
		}
		return floatInt(f)
	case nil:
		return 0, fmt.Errorf("missing")
	}
	return 0, fmt.Errorf("not an integer (%T)", v)
}

func floatInt(f float64) (int64, error) {
	if f != math.Trunc(f) || math.IsInf(f, 0) || math.Abs(f) > 1<<53 {
		return 0, fmt.Errorf("not an integer")
	}
	return int64(f), nil
}

// asFloat returns v as a float64.
func asFloat(v any) (float64, error) {
	switch n := v.(type) {
	case float32:
		return float64(n), nil
	case float64:
		return n, nil
	case json.Number:
		f, err := n.Float64()
		if err != nil {
			return 0, fmt.Errorf("not a number")
		}
		return f, nil
	}
	i, err := asInt(v)
	if err != nil {
		return 0, fmt.Errorf("not a number (%T)", v)
	}
	return float64(i), nil
}

// unmarshalNumber decodes raw into v with numbers kept as json.Number.
func unmarshalNumber(raw []byte, v *any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after JSON value")
	}
	return nil
}
