package jobs

// piimask unmask: restore the original text of a mask job's output from its
// vault. JSONL rows keep their key order (written with the mask job's own
// write.JSONObject), Parquet files their schema (write.ParquetMirror with the
// masked column replaced in place), text files are restored whole. The
// masked-text column of a tabular file is the one its rows' vault entries
// name (VaultEntry.Column).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/piimask/piimask/stages/mask"
	"github.com/piimask/piimask/stages/read"
	"github.com/piimask/piimask/stages/write"
)

// UnmaskOptions are the arguments of piimask unmask.
type UnmaskOptions struct {
	// Vault is the mask job's vault.bin.
	Vault string
	// In is a masked file under the job's masked/ directory.
	In string
	// Out is the restored file, written atomically; "" writes to Stdout
	// (JSONL and text only).
	Out string
}

// Unmask restores opts.In from the vault under the key in PIIMASK_VAULT_KEY.
// Without the key, with another key, or when a masked row or file was edited
// (a replacement is no longer at its offsets), nothing is written.
func Unmask(ctx context.Context, opts UnmaskOptions, env *Env) error {
	env.defaults()
	if opts.Vault == "" || opts.In == "" {
		return fmt.Errorf("--vault and --in are required")
	}
	format := maskExts[strings.ToLower(filepath.Ext(opts.In))]
	if format == read.FormatParquet && opts.Out == "" {
		return fmt.Errorf("%s: a Parquet file is restored into a file: give --out", opts.In)
	}
	key, _ := env.LookupEnv(mask.EnvVaultKey)
	v, err := mask.NewVault([]byte(key))
	if err != nil {
		return err
	}
	vf, err := os.Open(opts.Vault)
	if err != nil {
		return err
	}
	defer vf.Close()
	idx, err := v.ReadVaultIndex(bufio.NewReader(vf))
	if err != nil {
		return fmt.Errorf("%s: %w", opts.Vault, err)
	}
	doc, ok := idx.Document(opts.In)
	if !ok {
		return fmt.Errorf("%s: the vault holds no document for this file", opts.In)
	}
	if format == read.FormatParquet {
		return unmaskParquet(ctx, idx, doc, opts.In, opts.Out)
	}
	w := env.Stdout
	var af *write.AtomicFile
	if opts.Out != "" {
		if af, err = write.CreateAtomic(opts.Out); err != nil {
			return err
		}
		defer af.Abort()
		w = af
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if format == read.FormatJSONL {
		err = unmaskJSONL(ctx, idx, doc, opts.In, bw)
	} else {
		err = unmaskText(idx, doc, opts.In, bw)
	}
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if af != nil {
		return af.Commit()
	}
	return nil
}

// unmaskText restores a text or page file whole.
func unmaskText(idx *mask.VaultIndex, doc, in string, w io.Writer) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	e, ok := idx.Entry(doc)
	if !ok {
		_, err := w.Write(data) // nothing was masked in this file
		return err
	}
	orig, err := mask.Unmask(string(data), e)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	_, err = io.WriteString(w, orig)
	return err
}

// unmaskJSONL restores a JSONL file line by line; lines without a vault
// entry (nothing masked) are copied.
func unmaskJSONL(ctx context.Context, idx *mask.VaultIndex, doc, in string, w io.Writer) error {
	last, _, err := idx.Table(doc)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	obj := write.NewJSONObject()
	var out bytes.Buffer
	n := 0
	for {
		line, readErr := br.ReadBytes('\n')
		if readErr != nil && readErr != io.EOF {
			return fmt.Errorf("%s: %w", in, readErr)
		}
		if len(line) > 0 {
			n++
			if n%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			body := bytes.TrimSuffix(line, []byte{'\n'})
			if e, ok := idx.Entry(doc + "#" + strconv.Itoa(n)); ok {
				out.Reset()
				if err := unmaskJSONRow(obj, &out, body, e); err != nil {
					return fmt.Errorf("%s:%d: %w", in, n, err)
				}
				body = out.Bytes()
			}
			if _, err := w.Write(body); err != nil {
				return err
			}
			if _, err := w.Write([]byte{'\n'}); err != nil {
				return err
			}
		}
		if readErr == io.EOF {
			break
		}
	}
	if n < last {
		return fmt.Errorf("%s: %d rows, but the vault holds masked row %d: file truncated or not from this vault", in, n, last)
	}
	return nil
}

// unmaskJSONRow appends to dst the row line with its masked column (e.Column)
// restored: the line's keys in its order, the other values as they are.
func unmaskJSONRow(obj *write.JSONObject, dst *bytes.Buffer, line []byte, e mask.VaultEntry) error {
	var row map[string]json.RawMessage
	if err := json.Unmarshal(line, &row); err != nil || row == nil {
		return fmt.Errorf("document %s: not a JSON object row", e.Doc)
	}
	var text string
	if raw, ok := row[e.Column]; !ok || json.Unmarshal(raw, &text) != nil {
		return fmt.Errorf("document %s: no text column %q", e.Doc, e.Column)
	}
	orig, err := mask.Unmask(text, e)
	if err != nil {
		return err
	}
	obj.Begin(dst)
	for _, k := range read.ObjectKeys(line) {
		var v any = row[k]
		if k == e.Column {
			v = orig
		}
		if err := obj.Put(k, v); err != nil {
			return fmt.Errorf("document %s: %w", e.Doc, err)
		}
	}
	obj.End()
	return nil
}

// unmaskParquet restores a Parquet file row group by row group into out:
// the same schema (columns, order, types), one row group per input row
// group, the masked column restored in rows the vault holds.
func unmaskParquet(ctx context.Context, idx *mask.VaultIndex, doc, in, out string) error {
	last, col, err := idx.Table(doc)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	pf, err := write.OpenParquet(in)
	if err != nil {
		return err
	}
	defer pf.Close()
	mirror, err := write.NewParquetMirror(pf.Schema(), col, col, func(string) bool { return false })
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	w, err := write.NewBatchWriter(out, write.Parquet, write.MirrorTable(mirror.Schema()), write.WithBatchRows(math.MaxInt))
	if err != nil {
		return err
	}
	defer w.Abort()
	var restored parquet.Row
	rows := 0
	err = pf.EachRow(ctx, func(n int, r parquet.Row) error {
		rows = n
		row, err := restoreParquetRow(idx, mirror, doc, col, n, r, &restored)
		if err != nil {
			return fmt.Errorf("%s: row %d: %w", in, n, err)
		}
		if err := w.Write(row); err != nil {
			return fmt.Errorf("%s: write restored row %d: %w", out, n, err)
		}
		return nil
	}, w.Flush)
	if err != nil {
		return err
	}
	if rows < last {
		return fmt.Errorf("%s: %d rows, but the vault holds masked row %d: file truncated or not from this vault", in, rows, last)
	}
	return w.Commit()
}

// restoreParquetRow returns row n (r) of the masked file with its text
// restored when the vault holds it (built in *buf), else r itself.
func restoreParquetRow(idx *mask.VaultIndex, mirror *write.ParquetMirror, doc, col string, n int, r parquet.Row, buf *parquet.Row) (parquet.Row, error) {
	e, ok := idx.Entry(doc + "#" + strconv.Itoa(n))
	if !ok {
		return r, nil
	}
	text, ok := mirror.Text(r)
	if !ok {
		return nil, fmt.Errorf("no text in column %q", col)
	}
	orig, err := mask.Unmask(text, e)
	if err != nil {
		return nil, err
	}
	*buf = mirror.Row(*buf, r, orig)
	return *buf, nil
}
