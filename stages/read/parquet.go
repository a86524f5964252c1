package read

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/parquet-go/parquet-go"

	"github.com/piimask/piimask/record"
)

// parquetBatch is how many rows are decoded at a time.
const parquetBatch = 64

// parquetFile opens path as Parquet. Only the footer is read here; row
// groups are read as they are iterated.
func parquetFile(path string) (*parquet.File, *os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: not a readable Parquet file: %w", path, err)
	}
	return pf, f, nil
}

// ParquetSchema opens the Parquet file at path and returns its schema and the
// name of the column that Read takes the text from under opts (schema
// detected from the columns when opts.Schema is auto).
func ParquetSchema(path string, opts Options) (*parquet.Schema, string, error) {
	pf, f, err := parquetFile(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	schema := opts.schema()
	if schema == SchemaAuto {
		if schema, err = detectSchema(sortedStrings(columnNames(pf.Schema())), opts.textField()); err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
	}
	return pf.Schema(), layoutOf(schema, opts.textField()).text, nil
}

// columnNames lists the top-level columns of a Parquet schema.
func columnNames(s *parquet.Schema) []string {
	fields := s.Fields()
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name()
	}
	return names
}

// project returns a schema holding only the named top-level columns of s
// that exist, so that other columns' pages are never read.
func project(s *parquet.Schema, names []string) (*parquet.Schema, parquet.Conversion, error) {
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[n] = true
	}
	group := parquet.Group{}
	for _, f := range s.Fields() {
		if want[f.Name()] {
			group[f.Name()] = f
		}
	}
	if len(group) == len(s.Fields()) {
		return s, nil, nil
	}
	ps := parquet.NewSchema(s.Name(), group)
	conv, err := parquet.Convert(ps, s)
	if err != nil {
		return nil, nil, err
	}
	return ps, conv, nil
}

// readParquet streams one Parquet file, row group by row group, in batches.
func (s *stream) readParquet(path string) error {
	pf, f, err := parquetFile(path)
	if err != nil {
		return err
	}
	defer f.Close()

	schema := s.opts.schema()
	if schema == SchemaAuto {
		schema, err = detectSchema(sortedStrings(columnNames(pf.Schema())), s.opts.textField())
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	l := s.layoutOf(schema)
	readSchema, conv := pf.Schema(), parquet.Conversion(nil)
	if !s.opts.KeepColumns {
		ps, c, err := project(pf.Schema(), l.columns())
		if err == nil {
			readSchema, conv = ps, c
		}
	}

	var rowNum int64
	rows := make([]parquet.Row, parquetBatch)
	for gi, rg := range pf.RowGroups() {
		if conv != nil {
			rg = parquet.ConvertRowGroup(rg, conv)
		}
		err := s.readRowGroup(path, gi, rg, readSchema, l, rows, &rowNum)
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *stream) readRowGroup(path string, gi int, rg parquet.RowGroup, schema *parquet.Schema, l layout, buf []parquet.Row, rowNum *int64) error {
	rows := rg.Rows()
	defer rows.Close()
	var names []string
	if s.opts.KeepColumns {
		names = columnNames(schema)
	}
	for {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		n, readErr := safeReadRows(rows, buf)
		for i := 0; i < n; i++ {
			if err := s.ctx.Err(); err != nil {
				return err
			}
			*rowNum++
			m := map[string]any{}
			if err := safeReconstruct(schema, &m, buf[i]); err != nil {
				return fmt.Errorf("%s: row group %d, row %d: %w", path, gi, *rowNum, err)
			}
			var r row = mapRow(m)
			if s.opts.KeepColumns {
				r = parquetRow{mapRow: m, names: names, raw: buf[i].Clone()}
			}
			if err := s.handle(l, r, record.Origin{File: path, Row: *rowNum}); err != nil {
				return err
			}
		}
		if errors.Is(readErr, io.EOF) {
			return nil
		}
		if readErr != nil {
			return fmt.Errorf("%s: row group %d, after row %d: %w", path, gi, *rowNum, readErr)
		}
		if n == 0 {
			return fmt.Errorf("%s: row group %d, after row %d: reader made no progress", path, gi, *rowNum)
		}
	}
}

func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// safeReadRows reads rows, turning a panic of the Parquet decoder on corrupt
// data into an error.
func safeReadRows(rows parquet.Rows, buf []parquet.Row) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			n, err = 0, fmt.Errorf("corrupt data: %v", r)
		}
	}()
	return rows.ReadRows(buf)
}

// safeReconstruct decodes one row into m, turning a decoder panic into an error.
func safeReconstruct(schema *parquet.Schema, m *map[string]any, row parquet.Row) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("corrupt data: %v", r)
		}
	}()
	return schema.Reconstruct(m, row)
}
