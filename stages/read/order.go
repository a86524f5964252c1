package read

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
)

// orderedRow is a row that knows its columns' input order and, for
// Parquet, its native value (with KeepColumns).
type orderedRow interface {
	row
	// order lists the row's column names in input order, each once.
	order() []string
	// native returns the row in its format's own form (nil for JSONL).
	native() any
}

// orderedJSON is a JSON row with its keys in line order.
type orderedJSON struct {
	jsonRow
	names []string
}

func (o orderedJSON) order() []string { return o.names }
func (o orderedJSON) native() any     { return nil }

// parquetRow is a decoded Parquet row with the file's column order (shared
// by every row of the file) and the raw row it was decoded from.
type parquetRow struct {
	mapRow
	names []string
	raw   parquet.Row
}

func (p parquetRow) order() []string { return p.names }
func (p parquetRow) native() any     { return p.raw }

// ObjectKeys returns the member names of the JSON object line in order,
// each once (first occurrence), as the mask job keeps them for JSONL output.
// line must be a valid JSON object (decode it first); names are unescaped.
func ObjectKeys(line []byte) []string { return topLevelKeys(line) }

// topLevelKeys returns the member names of the JSON object data in order,
// each once (first occurrence). data must already have been decoded as a
// JSON object; names are unescaped as encoding/json does.
func topLevelKeys(data []byte) []string {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil
	}
	i++
	var keys []string
	for {
		i = skipSpace(data, i)
		if i >= len(data) || data[i] == '}' {
			return keys
		}
		if data[i] == ',' {
			i++
			continue
		}
		if data[i] != '"' {
			return keys
		}
		end := skipString(data, i)
		raw := data[i:end]
		var k string
		if plainKey(raw) {
			k = string(raw[1 : len(raw)-1])
		} else if err := json.Unmarshal(raw, &k); err != nil {
			return keys
		}
		dup := false
		for _, seen := range keys {
			if seen == k {
				dup = true
				break
			}
		}
		if !dup {
			keys = append(keys, k)
		}
		i = skipSpace(data, end)
		if i < len(data) && data[i] == ':' {
			i++
		}
		i = skipValue(data, skipSpace(data, i))
	}
}

// plainKey reports whether a quoted JSON string needs no unescaping: no
// backslash and only ASCII (invalid UTF-8 is replaced by encoding/json).
func plainKey(raw []byte) bool {
	if len(raw) < 2 {
		return false
	}
	for _, c := range raw[1 : len(raw)-1] {
		if c == '\\' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the JSON string starting at data[i].
func skipString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(data)
}

// skipValue returns the index after the JSON value starting at data[i].
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				i = skipString(data, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(data) {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}
