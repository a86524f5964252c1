package read

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/piimask/piimask/record"
)

// CoNLL token files (CoNLL-2003, WikiANN, WNUT17 and the like): one token a
// line, `token<TAB>tag` or `token tag` (with more columns the first is the
// token and the last the tag), a blank line between sentences. Each
// sentence becomes one record: its tokens joined by one space (offsets exact
// in code points), its id "file:line" of its first token line. A
// `-DOCSTART-` line ends the sentence before it and is skipped. Tags are
// BIO / IOB1 / IOB2 / IOBES, decoded into spans as seqeval does in its
// default mode (an I- tag after O or after another type starts an entity).
// WikiANN writes every token as "xx:token": when every token of a sentence
// carries the same such prefix it is stripped from the text and gives the
// record's language; otherwise the language is Options.Language.
//
// A line without a tag, or with a tag that is not O or [BIES]-TYPE, rejects
// its sentence (file:line of that line, field "tag") and reading goes on.

// conllToken is one token line of a sentence.
type conllToken struct {
	text, tag string
}

// readCoNLL streams one CoNLL file, sentence by sentence.
func (s *stream) readCoNLL(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	lr := newLineReader(f)
	var (
		line    int64
		first   int64 // line of the sentence's first token (0: no sentence open)
		tokens  []conllToken
		badLine int64
		badWhy  string
	)
	flush := func() error {
		defer func() { tokens, first, badLine, badWhy = tokens[:0], 0, 0, "" }()
		if first == 0 {
			return nil
		}
		origin := record.Origin{File: path, Row: first}
		if badLine != 0 {
			return s.reject(record.Reject{Origin: record.Origin{File: path, Row: badLine}, ID: origin.String(), Field: "tag", Reason: badWhy})
		}
		return s.send(s.conllRecord(origin, tokens))
	}
	for {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		data, readErr := lr.next()
		if readErr != nil && readErr != io.EOF {
			return fmt.Errorf("%s:%d: %w", path, line+1, readErr)
		}
		if data == nil && readErr == io.EOF {
			return flush()
		}
		line++
		switch {
		case len(data) == 0:
			if err := flush(); err != nil {
				return err
			}
		case bytes.HasPrefix(data, []byte("-DOCSTART-")):
			if err := flush(); err != nil {
				return err
			}
		default:
			if first == 0 {
				first = line
			}
			if badLine != 0 {
				break // the sentence is rejected already; skip to its end
			}
			tok, why := parseCoNLLLine(data)
			if why != "" {
				badLine, badWhy = line, why
				break
			}
			tokens = append(tokens, tok)
		}
		if readErr == io.EOF {
			return flush()
		}
	}
}

// parseCoNLLLine splits one token line. The reason never quotes the token.
func parseCoNLLLine(data []byte) (conllToken, string) {
	if !utf8.Valid(data) {
		return conllToken{}, "line is not valid UTF-8"
	}
	line := string(data)
	var fields []string
	if strings.Contains(line, "\t") {
		fields = strings.Split(line, "\t")
	} else {
		fields = strings.Fields(line)
	}
	if len(fields) < 2 {
		return conllToken{}, "line has no tag column (want token<TAB>tag or token tag)"
	}
	tok := strings.TrimSpace(fields[0])
	tag := strings.TrimSpace(fields[len(fields)-1])
	if tok == "" {
		return conllToken{}, "empty token"
	}
	if _, _, ok := splitTag(tag); !ok {
		return conllToken{}, fmt.Sprintf("tag of %d characters is not O or B-/I-/E-/S-TYPE", utf8.RuneCountInString(tag))
	}
	return conllToken{text: tok, tag: tag}, ""
}

// splitTag splits a BIO/IOBES tag into its prefix (B, I, E, S or O) and
// type; ok is false for anything else.
func splitTag(tag string) (prefix byte, typ string, ok bool) {
	if tag == "O" {
		return 'O', "", true
	}
	if len(tag) < 3 || tag[1] != '-' {
		return 0, "", false
	}
	switch tag[0] {
	case 'B', 'I', 'E', 'S':
		return tag[0], tag[2:], true
	}
	return 0, "", false
}

// conllRecord joins a sentence's tokens and decodes its tags into spans.
func (s *stream) conllRecord(origin record.Origin, tokens []conllToken) record.Record {
	lang := s.opts.Language
	if p := commonLangPrefix(tokens); p != "" {
		lang = p
		for i := range tokens {
			tokens[i].text = tokens[i].text[len(p)+1:]
		}
	}
	var b strings.Builder
	starts := make([]int, len(tokens))
	ends := make([]int, len(tokens))
	pos := 0
	tags := make([]string, len(tokens))
	for i, t := range tokens {
		if i > 0 {
			b.WriteByte(' ')
			pos++
		}
		starts[i] = pos
		b.WriteString(t.text)
		pos += utf8.RuneCountInString(t.text)
		ends[i] = pos
		tags[i] = t.tag
	}
	rec := record.Record{ID: origin.String(), Origin: origin, Language: lang, Text: b.String()}
	for _, c := range Chunks(tags) {
		rec.Gold = append(rec.Gold, record.Span{Start: starts[c.Start], End: ends[c.End-1], Label: c.Type})
	}
	return rec
}

// commonLangPrefix returns "xx" when every token starts with the same
// WikiANN-style language prefix "xx:" (2 or 3 lower-case letters) followed
// by at least one character, and "" otherwise.
func commonLangPrefix(tokens []conllToken) string {
	if len(tokens) == 0 {
		return ""
	}
	p := langPrefix(tokens[0].text)
	if p == "" {
		return ""
	}
	for _, t := range tokens[1:] {
		if langPrefix(t.text) != p {
			return ""
		}
	}
	return p
}

func langPrefix(tok string) string {
	i := strings.IndexByte(tok, ':')
	if i < 2 || i > 3 || i == len(tok)-1 {
		return ""
	}
	for j := 0; j < i; j++ {
		if tok[j] < 'a' || tok[j] > 'z' {
			return ""
		}
	}
	return tok[:i]
}

// Chunk is one entity decoded from a tag sequence: tokens [Start, End).
type Chunk struct {
	Type       string
	Start, End int
}

// Chunks decodes BIO / IOB1 / IOB2 / IOBES tags into entities exactly as
// seqeval's get_entities does in its default (non-strict) mode: an entity
// starts at B- or S-, at an I- or E- tag after O, E- or S-, or at any tag
// whose type differs from the previous one; it ends before a B-, S- or O
// tag, after an E- or S- tag, or where the type changes. Tags that are not
// O or [BIES]-TYPE count as O.
func Chunks(tags []string) []Chunk {
	var out []Chunk
	prevTag, prevType := byte('O'), ""
	begin := -1
	for i := 0; i <= len(tags); i++ {
		tag, typ := byte('O'), ""
		if i < len(tags) {
			if p, t, ok := splitTag(tags[i]); ok {
				tag, typ = p, t
			}
		}
		if begin >= 0 && endOfChunk(prevTag, tag, prevType, typ) {
			out = append(out, Chunk{Type: prevType, Start: begin, End: i})
			begin = -1
		}
		if startOfChunk(prevTag, tag, prevType, typ) {
			begin = i
		}
		prevTag, prevType = tag, typ
	}
	return out
}

// endOfChunk reports whether an entity ends between the previous tag and
// this one (seqeval's end_of_chunk).
func endOfChunk(prevTag, tag byte, prevType, typ string) bool {
	switch {
	case prevTag == 'E', prevTag == 'S':
		return true
	case (prevTag == 'B' || prevTag == 'I') && (tag == 'B' || tag == 'S' || tag == 'O'):
		return true
	case prevTag != 'O' && prevType != typ:
		return true
	}
	return false
}

// startOfChunk reports whether an entity starts at this tag (seqeval's
// start_of_chunk).
func startOfChunk(prevTag, tag byte, prevType, typ string) bool {
	switch {
	case tag == 'B', tag == 'S':
		return true
	case (tag == 'E' || tag == 'I') && (prevTag == 'E' || prevTag == 'S' || prevTag == 'O'):
		return true
	case tag != 'O' && prevType != typ:
		return true
	}
	return false
}

// sniffCoNLL reports whether path looks like a CoNLL token file: its first
// non-blank lines (up to 20) are all `token tag` lines with a valid tag or
// -DOCSTART-, and at least one of them is a token line.
func sniffCoNLL(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	seen := 0
	for sc.Scan() && seen < 20 {
		l := bytes.TrimSpace(sc.Bytes())
		if len(l) == 0 || bytes.HasPrefix(l, []byte("-DOCSTART-")) {
			continue
		}
		if _, why := parseCoNLLLine(l); why != "" {
			return false, nil
		}
		seen++
	}
	return seen > 0, nil
}
