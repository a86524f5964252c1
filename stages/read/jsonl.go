package read

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/piimask/piimask/record"
)

// readJSONL streams one JSON Lines file. Lines may be of any length. (A
// file holding a JSON array goes to readJSONArray instead: see readJSON.)
func (s *stream) readJSONL(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	lr := newLineReader(f)

	objs := s.newJSONObjects()
	var line int64
	for {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		data, readErr := lr.next()
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
				if err := s.reject(record.Reject{Origin: origin, Field: "json", Reason: jsonReason(err)}); err != nil {
					return err
				}
			} else if err := objs.handle(obj, data, origin); err != nil {
				return err
			}
		}
		if readErr == io.EOF {
			return nil
		}
	}
}

// handle normalises a row and sends it to emit or reject.
func (s *stream) handle(l layout, r row, origin record.Origin) error {
	rec, rej := s.toRecord(l, r, origin)
	if rej != nil {
		return s.reject(*rej)
	}
	return s.send(rec)
}

// jsonReason describes a JSON decoding failure without quoting the line.
func jsonReason(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return "line is not a JSON object (null)"
	case errors.As(err, &syn):
		return fmt.Sprintf("invalid JSON at byte %d of the line", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("line is not a JSON object (%s)", typ.Value)
	}
	return "invalid JSON"
}

// lineReader reads lines of any length; a line longer than the buffer is
// assembled in a reusable slice.
type lineReader struct {
	br  *bufio.Reader
	buf []byte
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 1<<20)}
}

// next returns the next line without surrounding white space, valid until
// the following call. At the end of the input it returns nil and io.EOF; the
// last line, when not ended by a newline, comes with io.EOF.
func (l *lineReader) next() ([]byte, error) {
	l.buf = l.buf[:0]
	for {
		chunk, err := l.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			l.buf = append(l.buf, chunk...)
			continue
		}
		data := chunk
		if len(l.buf) > 0 {
			l.buf = append(l.buf, chunk...)
			data = l.buf
			if cap(l.buf) > 16<<20 {
				l.buf = nil // do not hold on to a huge buffer
			}
		}
		if len(data) == 0 {
			if err == nil {
				err = io.EOF
			}
			return nil, err
		}
		trimmed := bytes.TrimSpace(data)
		if trimmed == nil {
			trimmed = data[:0]
		}
		return trimmed, err
	}
}

// jsonObjects turns the JSON objects of one file (JSONL lines or array
// elements) into records: the schema is the configured one, or detected from
// the first object's keys.
type jsonObjects struct {
	s        *stream
	l        layout
	detected bool
}

func (s *stream) newJSONObjects() *jsonObjects {
	o := &jsonObjects{s: s, detected: s.opts.schema() != SchemaAuto}
	if o.detected {
		o.l = s.layoutOf(s.opts.schema())
	}
	return o
}

// handle reads one object (raw is its JSON text, for the key order kept with
// KeepColumns) found at origin.
func (o *jsonObjects) handle(obj jsonRow, raw []byte, origin record.Origin) error {
	if !o.detected {
		schema, err := detectSchema(obj.keys(), o.s.opts.textField())
		if err != nil {
			return fmt.Errorf("%s:%d: %w", origin.File, origin.Row, err)
		}
		o.l = o.s.layoutOf(schema)
		o.detected = true
	}
	var r row = obj
	if o.s.opts.KeepColumns {
		r = orderedJSON{obj, topLevelKeys(raw)}
	}
	return o.s.handle(o.l, r, origin)
}
