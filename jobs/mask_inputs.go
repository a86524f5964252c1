package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/piimask/piimask/internal/checkpoint"
	"github.com/piimask/piimask/jobs/config"
	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/mask"
	"github.com/piimask/piimask/stages/read"
)

// maskInput is one input file.
type maskInput struct {
	path   string
	rel    string // path relative to its root, for the mirrored output
	format string // jsonl, parquet, text, pdf
}

var maskExts = map[string]string{".jsonl": read.FormatJSONL, ".json": read.FormatJSONL, ".ndjson": read.FormatJSONL,
	".parquet": read.FormatParquet, ".pq": read.FormatParquet, ".txt": read.FormatText, ".md": read.FormatText,
	".markdown": read.FormatText, ".pdf": "pdf"}

// expandMaskInputs lists the input files, sorted, each with its path relative
// to the root it was found under (a directory pattern, the fixed prefix of a
// glob, or the file's own directory).
func expandMaskInputs(patterns []string) ([]maskInput, error) {
	seen := map[string]bool{}
	var out []maskInput
	add := func(p, root string) {
		p = filepath.Clean(p)
		f, ok := maskExts[strings.ToLower(filepath.Ext(p))]
		if !ok || seen[p] {
			return
		}
		seen[p] = true
		rel, err := filepath.Rel(root, p)
		if err != nil || strings.HasPrefix(rel, "..") {
			rel = filepath.Base(p)
		}
		out = append(out, maskInput{path: p, rel: rel, format: f})
	}
	for _, pat := range patterns {
		n := len(out)
		st, err := os.Stat(pat)
		switch {
		case err == nil && st.IsDir():
			err = filepath.WalkDir(pat, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if p != pat && strings.HasPrefix(d.Name(), ".") {
					if d.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				if !d.IsDir() {
					add(p, pat)
				}
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("input %q: %w", pat, err)
			}
		case err == nil:
			add(pat, filepath.Dir(pat))
		default:
			base, _ := doublestar.SplitPattern(filepath.ToSlash(pat))
			matches, gerr := doublestar.FilepathGlob(pat)
			if gerr != nil {
				return nil, fmt.Errorf("input %q: %w", pat, gerr)
			}
			for _, mt := range matches {
				if s, e := os.Stat(mt); e == nil && !s.IsDir() {
					add(mt, filepath.FromSlash(base))
				}
			}
		}
		if len(out) == n {
			return nil, fmt.Errorf("input %q matches no file piimask can mask", pat)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out, nil
}

// fingerprint identifies the job: config bytes, inputs (size, mtime) and a
// hash of the keys, so a checkpoint is never resumed under other settings.
func (m *maskRun) fingerprint(file string, inputs []maskInput) (string, error) {
	h := sha256.New()
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	h.Write(data)
	for _, in := range inputs {
		st, err := os.Stat(in.path)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "\x00%s\x00%d\x00%d", in.path, st.Size(), st.ModTime().UnixNano())
	}
	for _, k := range []string{mask.EnvHashKey, mask.EnvPseudonymKey, mask.EnvEncryptKey} {
		v, _ := m.env.LookupEnv(k)
		kh := sha256.Sum256([]byte("piimask-fingerprint\x00" + v))
		h.Write(kh[:])
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// openCheckpoint opens the run's checkpoint under .work and restores what
// it records; it returns the number of documents already done.
func (m *maskRun) openCheckpoint(file string, inputs []maskInput) (int64, error) {
	fp, err := m.fingerprint(file, inputs)
	if err != nil {
		return 0, err
	}
	p := m.parts
	if p.store, err = checkpoint.Open(filepath.Join(m.dir, ".work"), fp); err != nil {
		return 0, err
	}
	st := p.store.State()
	done := st.Docs()
	p.part = len(st.Parts)
	if len(st.Extra) > 0 {
		ps := partState{Summary: p.summary, RowNums: p.rowNums}
		if err := json.Unmarshal(st.Extra, &ps); err != nil {
			return 0, fmt.Errorf("checkpoint: %w", err)
		}
		p.summary, p.rowNums = ps.Summary, ps.RowNums
	}
	if done > 0 {
		m.env.Logger.Info("resuming mask job", "job", m.job.Name, "documents_done", done, "parts_done", len(st.Parts))
	}
	return done, nil
}

// produce emits every document in order, skipping the first done ones.
func (m *maskRun) produce(ctx context.Context, inputs []maskInput, done int64, emit func(*maskItem) error) error {
	var idx int64
	// Every row goes through the job's row gate (jobs/input.go): shard,
	// counts, filters and rejects as in evaluate. PDF pages are owned by
	// their file's shard (every page of a PDF stays in one shard).
	gate, err := newRowGate(m.job, &m.counts, m.env.Metrics, m.rejects.Write)
	if err != nil {
		return err
	}
	emitItem := func(it *maskItem) error {
		it.idx = idx
		idx++
		if it.idx < done {
			return nil
		}
		return emit(it)
	}
	send := func(it *maskItem) error {
		keep := func(r record.Record) error {
			it.rec = r
			return emitItem(it)
		}
		if it.page != 0 { // the PDF's shard was decided by its path
			return gate.owned(it.rec, keep)
		}
		return gate.row(it.rec, keep)
	}
	err = m.produceAll(ctx, inputs, done, &idx, send, gate.reject)
	if errors.Is(err, read.ErrStop) {
		return nil
	}
	return err
}

// hasFilters reports whether the job's filters can drop documents.
func hasFilters(j *config.Job) bool {
	f := j.Filters
	return len(f.Languages) > 0 || f.Limit > 0 || f.Sample != nil
}

// checkMaskFilters refuses filters.languages over text and PDF inputs: their
// documents carry no language, so the filter would drop every one.
func checkMaskFilters(l *config.Loaded, inputs []maskInput) error {
	if len(l.Job.Filters.Languages) == 0 {
		return nil
	}
	for _, in := range inputs {
		if in.format == read.FormatText || in.format == "pdf" {
			return fmt.Errorf("%s:%d: filters.languages: %s is a %s file, whose documents have no language (use languages with JSONL/Parquet rows only)",
				l.File, l.Line("filters.languages"), in.path, in.format)
		}
	}
	return nil
}

// produceAll reads every input in order and sends its documents.
func (m *maskRun) produceAll(ctx context.Context, inputs []maskInput, done int64, idx *int64, send func(*maskItem) error, reject func(record.Reject) error) error {
	shard := jobShard(m.job)
	if g := m.job.Input.Generate; g != nil {
		return generateRecords(ctx, g, func(r record.Record) error {
			return send(&maskItem{rec: r, target: 0})
		})
	}
	opts := read.Options{Schema: m.job.Input.Schema, TextField: m.job.Input.TextField, KeepColumns: true}
	target := 0
	for _, in := range inputs {
		var err error
		switch in.format {
		case read.FormatJSONL, read.FormatParquet:
			o := opts
			o.Format = in.format
			t := target
			target++
			err = read.Read(ctx, []string{in.path}, o, func(r record.Record) error {
				return send(&maskItem{rec: r, target: t})
			}, reject)
		case read.FormatText:
			err = read.Read(ctx, []string{in.path}, read.Options{Format: read.FormatText}, func(r record.Record) error {
				return send(&maskItem{rec: r, target: -1, out: in.rel})
			}, reject)
		case "pdf":
			if shard.Owns(in.path) {
				err = m.producePDF(ctx, in, done, idx, send)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}
