package write

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// JSONObject writes one JSON object at a time member by member, keys in the
// order they are put (encoding/json would sort a map's keys). Values are
// encoded as encoding/json does with HTML left unescaped: json.Number keeps
// a number's digits, json.RawMessage is copied (compacted). The mask job
// writes its JSONL rows with it and unmask restores them with it, so a
// restored row keeps the input line's key order. It is not safe for
// concurrent use.
type JSONObject struct {
	dst     *bytes.Buffer
	scratch bytes.Buffer
	enc     *json.Encoder
	n       int
}

// NewJSONObject returns a writer; call Begin before each object.
func NewJSONObject() *JSONObject {
	o := &JSONObject{}
	o.enc = json.NewEncoder(&o.scratch)
	o.enc.SetEscapeHTML(false)
	return o
}

// Begin starts an object appended to dst.
func (o *JSONObject) Begin(dst *bytes.Buffer) {
	o.dst, o.n = dst, 0
}

// Put appends the member k: v. On error dst holds a partial object.
func (o *JSONObject) Put(k string, v any) error {
	if o.n == 0 {
		o.dst.WriteByte('{')
	} else {
		o.dst.WriteByte(',')
	}
	o.n++
	for i, x := range [2]any{k, v} {
		o.scratch.Reset()
		if err := o.enc.Encode(x); err != nil {
			return fmt.Errorf("column %s: %w", k, err)
		}
		o.dst.Write(bytes.TrimSuffix(o.scratch.Bytes(), []byte{'\n'}))
		if i == 0 {
			o.dst.WriteByte(':')
		}
	}
	return nil
}

// End closes the object (no newline).
func (o *JSONObject) End() {
	if o.n == 0 {
		o.dst.WriteByte('{')
	}
	o.dst.WriteByte('}')
}
