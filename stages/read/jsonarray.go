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

// readJSON reads a .json/.jsonl file: JSON Lines, or, when its first
// non-blank byte is '[', a JSON array of row objects (presidio-research
// writes its sets so).
func (s *stream) readJSON(path string) error {
	first, err := firstByte(path)
	if err != nil {
		return err
	}
	if first == '[' {
		return s.readJSONArray(path)
	}
	return s.readJSONL(path)
}

// firstByte returns the first byte of path that is not white space (0 for
// an empty or blank file).
func firstByte(path string) (byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	for {
		b, err := br.ReadByte()
		if err == io.EOF {
			return 0, nil
		}
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return b, nil
	}
}

// readJSONArray streams a JSON array of row objects with a json.Decoder
// token walk: one element is decoded at a time, never the whole file. A row
// that is not an object, or whose fields are bad, is a reject at the line
// where the element starts; a syntax error ends the file with an error
// naming its line (the rest of the array cannot be found).
func (s *stream) readJSONArray(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	lc := &lineCounter{r: bufio.NewReaderSize(f, 1<<20)}
	dec := json.NewDecoder(lc)
	at := func(err error) error {
		return fmt.Errorf("%s:%d: %s", path, lc.lineAt(dec.InputOffset()), jsonArrayReason(err))
	}
	tok, err := dec.Token()
	if err != nil {
		return at(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("%s:1: want a JSON array of objects", path)
	}
	objs := s.newJSONObjects()
	for dec.More() {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		// The element starts after the separating comma and white space.
		line := lc.lineAt(dec.InputOffset() + lc.skipSpace(dec.InputOffset()))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return at(err)
		}
		origin := record.Origin{File: path, Row: line}
		var obj jsonRow
		if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
			reason := "element is not a JSON object"
			if err == nil {
				reason = "element is not a JSON object (null)"
			}
			if err := s.reject(record.Reject{Origin: origin, Field: "json", Reason: reason}); err != nil {
				return err
			}
			continue
		}
		if err := objs.handle(obj, raw, origin); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return at(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%s:%d: data after the JSON array", path, lc.lineAt(dec.InputOffset()))
	}
	return nil
}

// jsonArrayReason describes a decoding failure without quoting the data.
func jsonArrayReason(err error) string {
	var syn *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON array is truncated"
	case errors.As(err, &syn):
		return "invalid JSON: " + syn.Error()
	}
	return "invalid JSON: " + err.Error()
}

// lineCounter passes bytes through and remembers where lines end, so a
// byte offset of the stream can be turned into a 1-based line number.
// Offsets are asked for in increasing order; newline positions before the
// last offset asked for are dropped, so memory stays bounded by the
// decoder's read-ahead.
type lineCounter struct {
	r *bufio.Reader
	// read is how many bytes have passed through.
	read int64
	// nl holds the offsets of newlines not yet counted, in order.
	nl []int64
	// line is the number of newlines before the last offset asked for.
	line int64
	// tail keeps the bytes read since the last offset asked for, to skip
	// white space after it.
	tail     []byte
	tailFrom int64
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			c.nl = append(c.nl, c.read+int64(i))
		}
	}
	c.tail = append(c.tail, p[:n]...)
	c.read += int64(n)
	return n, err
}

// lineAt returns the 1-based line of byte offset off.
func (c *lineCounter) lineAt(off int64) int64 {
	i := 0
	for i < len(c.nl) && c.nl[i] < off {
		i++
	}
	c.line += int64(i)
	c.nl = c.nl[i:]
	if drop := off - c.tailFrom; drop > 0 && drop <= int64(len(c.tail)) {
		c.tail = c.tail[drop:]
		c.tailFrom = off
	}
	return c.line + 1
}

// skipSpace returns how many bytes of commas and white space follow offset
// off in what was read so far.
func (c *lineCounter) skipSpace(off int64) int64 {
	start := off - c.tailFrom
	if start < 0 || start > int64(len(c.tail)) {
		return 0
	}
	rest := c.tail[start:]
	trimmed := bytes.TrimLeft(rest, " \t\r\n,")
	return int64(len(rest) - len(trimmed))
}
