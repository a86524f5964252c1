package read

import (
	"fmt"
	"strconv"
	"strings"
)

// parsePyList parses a Python literal made of lists (or tuples), integers and
// quoted strings — the form of the AI4Privacy 43k span_labels column, e.g.
// "[[0, 5, 'FIRSTNAME'], [5, 6, 'O']]". Integers come back as int64, strings
// as string, lists as []any. Errors give the byte position, never the text.
func parsePyList(s string) (any, error) {
	p := pyParser{s: s}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, fmt.Errorf("unexpected data at byte %d", p.i)
	}
	return v, nil
}

type pyParser struct {
	s string
	i int
}

const maxPyDepth = 32

func (p *pyParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *pyParser) value(depth int) (any, error) {
	p.space()
	if p.i >= len(p.s) {
		return nil, fmt.Errorf("unexpected end at byte %d", p.i)
	}
	switch c := p.s[p.i]; {
	case c == '[' || c == '(':
		if depth >= maxPyDepth {
			return nil, fmt.Errorf("lists nested deeper than %d at byte %d", maxPyDepth, p.i)
		}
		return p.list(depth)
	case c == '\'' || c == '"':
		return p.str()
	case c == '-' || c == '+' || (c >= '0' && c <= '9'):
		return p.int()
	}
	return nil, fmt.Errorf("unexpected character at byte %d", p.i)
}

func (p *pyParser) list(depth int) (any, error) {
	closer := byte(']')
	if p.s[p.i] == '(' {
		closer = ')'
	}
	p.i++
	out := []any{}
	for {
		p.space()
		if p.i < len(p.s) && p.s[p.i] == closer {
			p.i++
			return out, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.space()
		if p.i >= len(p.s) {
			return nil, fmt.Errorf("unclosed list at byte %d", p.i)
		}
		switch p.s[p.i] {
		case ',':
			p.i++
		case closer:
			p.i++
			return out, nil
		default:
			return nil, fmt.Errorf("want ',' or '%c' at byte %d", closer, p.i)
		}
	}
}

func (p *pyParser) int() (any, error) {
	start := p.i
	if p.s[p.i] == '-' || p.s[p.i] == '+' {
		p.i++
	}
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	n, err := strconv.ParseInt(p.s[start:p.i], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("bad integer at byte %d", start)
	}
	return n, nil
}

// str reads a quoted string with Python's common backslash escapes.
func (p *pyParser) str() (any, error) {
	quote := p.s[p.i]
	start := p.i
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == quote:
			p.i++
			return b.String(), nil
		case c == '\\':
			if p.i+1 >= len(p.s) {
				return nil, fmt.Errorf("unterminated string starting at byte %d", start)
			}
			e := p.s[p.i+1]
			p.i += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '\\', '\'', '"':
				b.WriteByte(e)
			case 'u', 'x':
				width := 4
				if e == 'x' {
					width = 2
				}
				if p.i+width > len(p.s) {
					return nil, fmt.Errorf("bad escape at byte %d", p.i-2)
				}
				r, err := strconv.ParseUint(p.s[p.i:p.i+width], 16, 32)
				if err != nil {
					return nil, fmt.Errorf("bad escape at byte %d", p.i-2)
				}
				b.WriteRune(rune(r))
				p.i += width
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return nil, fmt.Errorf("unterminated string starting at byte %d", start)
}
