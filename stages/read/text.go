package read

import (
	"os"
	"unicode/utf8"

	"github.com/piimask/piimask/record"
)

// readText reads a plain text or Markdown file as one record whose id is the
// file's path.
func (s *stream) readText(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	origin := record.Origin{File: path, Row: 1}
	if !utf8.Valid(data) {
		return s.reject(record.Reject{Origin: origin, ID: path, Field: "text", Reason: "text is not valid UTF-8"})
	}
	return s.send(record.Record{ID: path, Text: string(data), Origin: origin})
}
