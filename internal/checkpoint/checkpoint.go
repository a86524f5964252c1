package checkpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/piimask/piimask/stages/write"
)

// FileName is the checkpoint file inside the work directory.
const FileName = "checkpoint.json"

// Part is one committed part.
type Part struct {
	// Index numbers parts from 0.
	Index int `json:"index"`
	// Docs is the number of documents in the part.
	Docs int64 `json:"docs"`
}

// State is what checkpoint.json holds.
type State struct {
	Version     int    `json:"version"`
	Fingerprint string `json:"fingerprint"`
	Parts       []Part `json:"parts"`
	// Extra carries job data that must survive a restart (summary counts…).
	Extra json.RawMessage `json:"extra,omitempty"`
}

// Docs is the number of documents in committed parts.
func (s *State) Docs() int64 {
	var n int64
	for _, p := range s.Parts {
		n += p.Docs
	}
	return n
}

// Store is a job's work directory.
type Store struct {
	dir   string
	state State
}

// ErrMismatch means the work directory belongs to another job configuration.
var ErrMismatch = errors.New("checkpoint belongs to a different job configuration or input")

// Open opens (or creates) the work directory dir for a job whose
// configuration hashes to fingerprint, and loads its state. A state with
// another fingerprint is ErrMismatch: delete the directory to start over.
func Open(dir, fingerprint string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("checkpoint: create %s: %w", dir, err)
	}
	s := &Store{dir: dir, state: State{Version: 1, Fingerprint: fingerprint}}
	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", filepath.Join(dir, FileName), err)
	}
	if st.Fingerprint != fingerprint {
		return nil, fmt.Errorf("%s: %w (remove %s to start over)", filepath.Join(dir, FileName), ErrMismatch, dir)
	}
	for i, p := range st.Parts {
		if p.Index != i {
			return nil, fmt.Errorf("checkpoint %s: part %d has index %d", filepath.Join(dir, FileName), i, p.Index)
		}
	}
	s.state = st
	return s, nil
}

// Dir is the work directory.
func (s *Store) Dir() string { return s.dir }

// State returns the loaded state (do not modify its slices).
func (s *Store) State() State { return s.state }

// PartPath is the path of the part file named name of part index.
func (s *Store) PartPath(index int, name string) string {
	return filepath.Join(s.dir, fmt.Sprintf("part-%06d.%s", index, name))
}

// Commit records part p (whose files must already be in place) and the job's
// extra data, atomically.
func (s *Store) Commit(p Part, extra any) error {
	if p.Index != len(s.state.Parts) {
		return fmt.Errorf("checkpoint: commit part %d, expected %d", p.Index, len(s.state.Parts))
	}
	next := s.state
	next.Parts = append(append([]Part(nil), s.state.Parts...), p)
	if extra != nil {
		raw, err := json.Marshal(extra)
		if err != nil {
			return fmt.Errorf("checkpoint extra: %w", err)
		}
		next.Extra = raw
	}
	data, err := json.Marshal(next)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := write.WriteFileAtomic(filepath.Join(s.dir, FileName), data); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	s.state = next
	return nil
}

// Assemble writes final as head followed by the part files named name of
// every committed part, in order; final appears only when complete. Parts
// without that file contribute nothing.
func (s *Store) Assemble(final, name string, head []byte) error {
	f, err := write.CreateAtomic(final)
	if err != nil {
		return err
	}
	if _, err := f.Write(head); err != nil {
		f.Abort()
		return fmt.Errorf("write %s: %w", final, err)
	}
	for _, p := range s.state.Parts {
		src, err := os.Open(s.PartPath(p.Index, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			f.Abort()
			return fmt.Errorf("assemble %s: %w", final, err)
		}
		_, err = io.Copy(f, src)
		src.Close()
		if err != nil {
			f.Abort()
			return fmt.Errorf("assemble %s from part %d: %w", final, p.Index, err)
		}
	}
	return f.Commit()
}

// Remove deletes the work directory once the outputs are assembled.
func (s *Store) Remove() error {
	if err := os.RemoveAll(s.dir); err != nil {
		return fmt.Errorf("checkpoint: remove %s: %w", s.dir, err)
	}
	return nil
}
