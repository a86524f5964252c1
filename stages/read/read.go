package read

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/piimask/piimask/record"
)

// Formats the readers understand.
const (
	FormatJSONL   = "jsonl"
	FormatParquet = "parquet"
	FormatText    = "text"
	// FormatCoNLL is a token-per-line file: `token<TAB>tag` or `token tag`
	// lines (the last column is the tag), a blank line between sentences.
	FormatCoNLL = "conll"
)

// Schemas the readers understand.
const (
	SchemaAuto  = "auto"
	Schema43k   = "ai4privacy-43k"
	Schema200k  = "ai4privacy-200k"
	Schema400k  = "ai4privacy-400k"
	SchemaPlain = "plain"
	// SchemaPresidio is presidio-research's InputSample JSON (an array or
	// JSON Lines): full_text, spans [{entity_type, entity_value,
	// start_position, end_position}], template_id.
	SchemaPresidio = "presidio"
	// SchemaCoNLL is a BIO / IOB2 / IOBES token file (FormatCoNLL).
	SchemaCoNLL = "conll"
)

// Schemas lists every schema name Options.Schema accepts.
func Schemas() []string {
	return []string{SchemaAuto, Schema43k, Schema200k, Schema400k, SchemaPresidio, SchemaCoNLL, SchemaPlain}
}

// Formats lists every format name Options.Format accepts ("" = from the
// extension).
func Formats() []string { return []string{FormatJSONL, FormatParquet, FormatText, FormatCoNLL} }

// ErrStop, returned by an emit function, ends Read early without an error
// (Filter.Wrap returns it once its limit is reached).
var ErrStop = errors.New("read: stop")

// Options says how to read input files.
type Options struct {
	// Format is "jsonl", "parquet", "text", "conll" or "" to choose from
	// each file's extension (.jsonl/.json/.ndjson, .parquet/.pq,
	// .txt/.md/.markdown, .conll/.bio/.iob/.iob2/.iobes); a file with
	// another extension is sniffed and read as CoNLL when its first lines
	// are `token tag` lines. A .json/.jsonl file that holds a JSON array of
	// rows is read element by element.
	Format string
	// Schema is "auto" (or ""), "ai4privacy-43k", "ai4privacy-200k",
	// "ai4privacy-400k", "presidio", "conll" or "plain". Auto detects it per
	// file from the column names (JSONL: the keys of the first valid row;
	// Parquet: the file schema); CoNLL files are conll.
	Schema string
	// Language is the language of records whose data gives none (CoNLL
	// without a WikiANN-style "xx:" token prefix, presidio-research rows;
	// default "en" for presidio, "" for CoNLL).
	Language string
	// TextField names the text column of "plain" rows (default "text").
	TextField string
	// KeepColumns carries every column except the text column into
	// Record.Extra, decoded (JSON numbers stay json.Number, exact).
	KeepColumns bool
}

// Validate reports an unknown format or schema.
func (o Options) Validate() error {
	switch o.Format {
	case "", FormatJSONL, FormatParquet, FormatText, FormatCoNLL:
	default:
		return fmt.Errorf("read: unknown format %q (want jsonl, parquet, text or conll)", o.Format)
	}
	switch o.Schema {
	case "", SchemaAuto, Schema43k, Schema200k, Schema400k, SchemaPresidio, SchemaCoNLL, SchemaPlain:
	default:
		return fmt.Errorf("read: unknown schema %q (want one of %s)", o.Schema, strings.Join(Schemas(), ", "))
	}
	if o.Schema == SchemaCoNLL && o.Format != "" && o.Format != FormatCoNLL {
		return fmt.Errorf("read: schema conll reads CoNLL token files, not format %q", o.Format)
	}
	return nil
}

func (o Options) textField() string {
	if o.TextField == "" {
		return "text"
	}
	return o.TextField
}

func (o Options) schema() string {
	if o.Schema == "" {
		return SchemaAuto
	}
	return o.Schema
}

// FormatOf returns the format of path from its extension, or an error when
// the extension is not one piimask reads.
func FormatOf(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".json", ".ndjson":
		return FormatJSONL, nil
	case ".parquet", ".pq":
		return FormatParquet, nil
	case ".txt", ".md", ".markdown":
		return FormatText, nil
	case ".conll", ".bio", ".iob", ".iob2", ".iobes":
		return FormatCoNLL, nil
	}
	return "", fmt.Errorf("%s: cannot tell the format from the extension %q; set the format (jsonl, parquet, text or conll)", path, filepath.Ext(path))
}

// formatFor picks how to read path under opts: the configured format, the
// schema's (conll), the extension's, or a CoNLL file recognised from its
// first lines.
func formatFor(path string, opts Options) (string, error) {
	if opts.Format != "" {
		return opts.Format, nil
	}
	if opts.Schema == SchemaCoNLL {
		return FormatCoNLL, nil
	}
	f, err := FormatOf(path)
	if err == nil {
		return f, nil
	}
	if ok, serr := sniffCoNLL(path); serr == nil && ok {
		return FormatCoNLL, nil
	}
	return "", err
}

// stream is the state shared by the readers of one Read call.
type stream struct {
	ctx    context.Context
	opts   Options
	seq    int64
	emit   func(record.Record) error
	reject func(record.Reject) error
}

// Read reads paths in order and calls emit for every usable record and reject
// for every unusable row. Records get Seq numbers 0, 1, 2… in stream order
// across all files. Read stops at the first error from emit or reject and
// returns it, except ErrStop, which ends reading with a nil error. A file that
// cannot be read as its format is an error naming it; ctx cancellation stops
// reading between rows and returns ctx.Err().
func Read(ctx context.Context, paths []string, opts Options, emit func(record.Record) error, reject func(record.Reject) error) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	if reject == nil {
		reject = func(record.Reject) error { return nil }
	}
	s := &stream{ctx: ctx, opts: opts, emit: emit, reject: reject}
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		format, err := formatFor(p, opts)
		if err != nil {
			return err
		}
		switch format {
		case FormatJSONL:
			err = s.readJSON(p)
		case FormatCoNLL:
			err = s.readCoNLL(p)
		case FormatParquet:
			err = s.readParquet(p)
		case FormatText:
			err = s.readText(p)
		}
		if errors.Is(err, ErrStop) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// send numbers a record and hands it to emit.
func (s *stream) send(r record.Record) error {
	r.Seq = s.seq
	s.seq++
	return s.emit(r)
}
