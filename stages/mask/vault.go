package mask

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/piimask/piimask/record"
)

// The vault maps every replacement of a masked corpus back to its original
// value, encrypted with AES-256-GCM under a key derived from the secret in
// PIIMASK_VAULT_KEY. Layout:
//
//	"PIIMASK-VAULT-1\n"                 magic
//	uint32 n, n bytes                   header: nonce ‖ GCM(check text)
//	repeated: uint32 n, n bytes         record: nonce ‖ GCM(JSON VaultEntry)
//
// Each record seals one document's entries with a fresh random nonce. The
// header's sealed check text lets a reader refuse a wrong key before reading
// anything. Records are independent, so a vault is built by concatenating
// record chunks (the mask job's checkpointed parts) after one header.

const vaultMagic = "PIIMASK-VAULT-1\n"
const vaultCheck = "piimask vault key check"

// ErrWrongKey is returned when a vault does not open under the given key.
var ErrWrongKey = errors.New("vault: wrong key (or the file is not a piimask vault)")

// VaultSpan is one replacement of a masked document.
type VaultSpan struct {
	// Start, End are code-point offsets in the masked text.
	Start       int    `json:"s"`
	End         int    `json:"e"`
	Label       string `json:"l"`
	Replacement string `json:"r"`
	Original    string `json:"o"`
}

// VaultEntry is one masked document's replacements.
type VaultEntry struct {
	// Doc identifies the document: its id, or its output path (and page).
	Doc string `json:"doc"`
	// Column is the masked-text column of a JSONL row ("" for text files).
	Column string      `json:"col,omitempty"`
	Spans  []VaultSpan `json:"spans"`
}

// EntryOf builds a vault entry from a document's replacements.
func EntryOf(doc string, reps []Replacement) VaultEntry {
	e := VaultEntry{Doc: doc, Spans: make([]VaultSpan, len(reps))}
	for i, r := range reps {
		e.Spans[i] = VaultSpan{Start: r.MaskedStart, End: r.MaskedEnd, Label: r.Label, Replacement: r.Replacement, Original: r.Original}
	}
	return e
}

// Vault seals and opens vault records. It is safe for concurrent use.
type Vault struct{ aead cipher.AEAD }

// NewVault derives the vault key from secret (at least MinKeyLen bytes).
func NewVault(secret []byte) (*Vault, error) {
	if len(secret) == 0 {
		return nil, fmt.Errorf("vault: no key: set %s", EnvVaultKey)
	}
	k, err := deriveKey(secret, "vault", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("vault: %w", err)
	}
	return &Vault{aead: aead}, nil
}

func (v *Vault) seal(plain []byte) ([]byte, error) {
	nonce := make([]byte, v.aead.NonceSize(), v.aead.NonceSize()+len(plain)+v.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("vault nonce: %w", err)
	}
	return v.aead.Seal(nonce, nonce, plain, []byte(vaultMagic)), nil
}

func (v *Vault) open(sealed []byte) ([]byte, error) {
	ns := v.aead.NonceSize()
	if len(sealed) < ns+v.aead.Overhead() {
		return nil, ErrWrongKey
	}
	plain, err := v.aead.Open(nil, sealed[:ns], sealed[ns:], []byte(vaultMagic))
	if err != nil {
		return nil, ErrWrongKey
	}
	return plain, nil
}

func frame(b []byte) []byte {
	out := make([]byte, 4, 4+len(b))
	binary.BigEndian.PutUint32(out, uint32(len(b)))
	return append(out, b...)
}

// Header returns the bytes that start a vault file.
func (v *Vault) Header() ([]byte, error) {
	sealed, err := v.seal([]byte(vaultCheck))
	if err != nil {
		return nil, err
	}
	return append([]byte(vaultMagic), frame(sealed)...), nil
}

// Record returns one sealed, framed entry, to append after a header.
func (v *Vault) Record(e VaultEntry) ([]byte, error) {
	plain, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("vault entry %s: %w", e.Doc, err)
	}
	sealed, err := v.seal(plain)
	if err != nil {
		return nil, err
	}
	return frame(sealed), nil
}

// VaultReader reads a vault's entries in order.
type VaultReader struct {
	v  *Vault
	br *bufio.Reader
	n  int
}

// OpenVault checks the header of r under v's key; a wrong key gives
// ErrWrongKey before any entry is read.
func (v *Vault) OpenVault(r io.Reader) (*VaultReader, error) {
	br := bufio.NewReader(r)
	magic := make([]byte, len(vaultMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != vaultMagic {
		return nil, fmt.Errorf("vault: not a piimask vault (bad magic)")
	}
	vr := &VaultReader{v: v, br: br}
	sealed, err := vr.frame()
	if err != nil {
		return nil, fmt.Errorf("vault header: %w", err)
	}
	plain, err := v.open(sealed)
	if err != nil || string(plain) != vaultCheck {
		return nil, ErrWrongKey
	}
	return vr, nil
}

func (r *VaultReader) frame() ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r.br, n[:]); err != nil {
		return nil, err
	}
	size := binary.BigEndian.Uint32(n[:])
	if size > 1<<30 {
		return nil, fmt.Errorf("record of %d bytes: corrupted vault", size)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r.br, b); err != nil {
		return nil, fmt.Errorf("truncated record: %w", err)
	}
	return b, nil
}

// Next returns the next entry, or io.EOF after the last one.
func (r *VaultReader) Next() (VaultEntry, error) {
	sealed, err := r.frame()
	if err == io.EOF {
		return VaultEntry{}, io.EOF
	}
	r.n++
	if err != nil {
		return VaultEntry{}, fmt.Errorf("vault record %d: %w", r.n, err)
	}
	plain, err := r.v.open(sealed)
	if err != nil {
		return VaultEntry{}, fmt.Errorf("vault record %d: %w", r.n, err)
	}
	var e VaultEntry
	if err := json.Unmarshal(plain, &e); err != nil {
		return VaultEntry{}, fmt.Errorf("vault record %d: %w", r.n, err)
	}
	return e, nil
}

// Unmask restores a masked text from its vault entry. Every span must still
// hold its replacement at its offsets; otherwise the text was edited or does
// not belong to the entry, and nothing is restored.
func Unmask(masked string, e VaultEntry) (string, error) {
	off := record.NewOffsets(masked)
	var b strings.Builder
	prev := 0
	for i, s := range e.Spans {
		got, err := off.Slice(masked, s.Start, s.End)
		if err != nil || got != s.Replacement || off.Byte(s.Start) < prev {
			return "", fmt.Errorf("document %s: span %d [%d,%d) does not hold its replacement: text edited or not from this vault", e.Doc, i, s.Start, s.End)
		}
		b.WriteString(masked[prev:off.Byte(s.Start)])
		b.WriteString(s.Original)
		prev = off.Byte(s.End)
	}
	b.WriteString(masked[prev:])
	return b.String(), nil
}

// VaultIndex is a whole vault in memory, keyed by document (for unmask).
type VaultIndex struct {
	entries map[string]VaultEntry
	paths   map[string]bool // document keys without their "#row" suffix
	tables  map[string]*vaultTable
}

// vaultTable is what the vault says of one tabular output (JSONL, Parquet).
type vaultTable struct {
	last int             // highest row number with an entry
	cols map[string]bool // masked-text columns its rows name
}

// ReadVaultIndex reads every entry of a vault under v's key.
func (v *Vault) ReadVaultIndex(r io.Reader) (*VaultIndex, error) {
	vr, err := v.OpenVault(r)
	if err != nil {
		return nil, err
	}
	idx := &VaultIndex{entries: map[string]VaultEntry{}, paths: map[string]bool{}, tables: map[string]*vaultTable{}}
	for {
		e, err := vr.Next()
		if err == io.EOF {
			return idx, nil
		}
		if err != nil {
			return nil, err
		}
		idx.entries[e.Doc] = e
		p := e.Doc
		// A row of a tabular output is "path#N"; a text file's name may
		// hold a '#' of its own.
		if i := strings.LastIndex(p, "#"); i >= 0 {
			if row, err := strconv.Atoi(e.Doc[i+1:]); err == nil && row > 0 {
				p = p[:i]
				t := idx.tables[p]
				if t == nil {
					t = &vaultTable{cols: map[string]bool{}}
					idx.tables[p] = t
				}
				t.last = max(t.last, row)
				t.cols[e.Column] = true
			}
		}
		idx.paths[p] = true
	}
}

// Document returns the vault path (relative to the masked output root) that
// file is: the longest one that file ends with at a path boundary.
func (x *VaultIndex) Document(file string) (string, bool) {
	file = "/" + strings.TrimPrefix(strings.ReplaceAll(file, "\\", "/"), "./")
	best := ""
	for p := range x.paths {
		if strings.HasSuffix(file, "/"+p) && len(p) > len(best) {
			best = p
		}
	}
	return best, best != ""
}

// Entry returns the entry of a document key.
func (x *VaultIndex) Entry(doc string) (VaultEntry, bool) {
	e, ok := x.entries[doc]
	return e, ok
}

// Table describes the rows of tabular output doc (a JSONL or Parquet file)
// that the vault holds: the highest row number (1-based) with replacements
// and the masked-text column, which the mask job records in every row's
// entry (VaultEntry.Column) and which is the same for every row of a file.
func (x *VaultIndex) Table(doc string) (lastRow int, column string, err error) {
	t := x.tables[doc]
	if t == nil {
		return 0, "", fmt.Errorf("vault: no masked rows for %s", doc)
	}
	if len(t.cols) != 1 || t.cols[""] {
		cols := make([]string, 0, len(t.cols))
		for c := range t.cols {
			cols = append(cols, strconv.Quote(c))
		}
		sort.Strings(cols)
		return 0, "", fmt.Errorf("vault: the rows of %s name masked-text columns %s, want one", doc, strings.Join(cols, ", "))
	}
	for c := range t.cols {
		column = c
	}
	return t.last, column, nil
}
