package hf

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// precompiled is SentencePiece's precompiled_charsmap normalizer: a
// darts-clone double-array trie of UTF-8 keys whose values index
// NUL-terminated replacement strings.
type precompiled struct {
	trie       []uint32
	normalized []byte
}

func parsePrecompiled(s string) (*precompiled, error) {
	data, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("field precompiled_charsmap: %w", err)
	}
	if len(data) < 4 {
		return nil, fmt.Errorf("field precompiled_charsmap: %d bytes, too short", len(data))
	}
	size := int(binary.LittleEndian.Uint32(data))
	if size%4 != 0 || 4+size > len(data) {
		return nil, fmt.Errorf("field precompiled_charsmap: bad trie size %d for %d bytes", size, len(data))
	}
	p := &precompiled{trie: make([]uint32, size/4), normalized: data[4+size:]}
	for i := range p.trie {
		p.trie[i] = binary.LittleEndian.Uint32(data[4+4*i:])
	}
	return p, nil
}

func unitHasLeaf(u uint32) bool  { return (u>>8)&1 == 1 }
func unitValue(u uint32) uint32  { return u & (1<<31 - 1) }
func unitLabel(u uint32) uint32  { return u & (1<<31 | 0xFF) }
func unitOffset(u uint32) uint32 { return (u >> 10) << ((u & (1 << 9)) >> 6) }

// transform returns the replacement of the shortest trie key that prefixes
// chunk (the behaviour of the Rust spm_precompiled crate).
func (p *precompiled) transform(chunk string) (string, bool) {
	if len(p.trie) == 0 {
		return "", false
	}
	pos := uint32(0)
	unit := p.trie[pos]
	pos ^= unitOffset(unit)
	for i := 0; i < len(chunk); i++ {
		c := chunk[i]
		if c == 0 {
			break
		}
		pos ^= uint32(c)
		if int(pos) >= len(p.trie) {
			return "", false
		}
		unit = p.trie[pos]
		if unitLabel(unit) != uint32(c) {
			return "", false
		}
		pos ^= unitOffset(unit)
		if int(pos) >= len(p.trie) {
			return "", false
		}
		if unitHasLeaf(unit) {
			idx := int(unitValue(p.trie[pos]))
			if idx >= len(p.normalized) {
				return "", false
			}
			end := idx
			for end < len(p.normalized) && p.normalized[end] != 0 {
				end++
			}
			return string(p.normalized[idx:end]), true
		}
	}
	return "", false
}

func (p *precompiled) normalize(n *normStr) error {
	dest := make([]change, 0, len(n.runes))
	modified := false
	// push replaces old code points by norm: all replace (0), the extra ones
	// are inserted (1), and a shrink is charged to the last change pushed
	// so far (even one from an earlier grapheme), as the Rust library does.
	push := func(old int, norm string) {
		nr := []rune(norm)
		for _, r := range nr {
			dest = append(dest, change{r, 0})
		}
		diff := len(nr) - old
		switch {
		case diff > 0:
			for i := len(dest) - diff; i < len(dest); i++ {
				dest[i].c = 1
			}
		case diff < 0 && len(dest) > 0:
			dest[len(dest)-1].c += diff
		}
	}
	rest := string(n.runes)
	state := -1
	for len(rest) > 0 {
		var g string
		g, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if len(g) < 6 {
			if norm, ok := p.transform(g); ok {
				modified = true
				push(utf8.RuneCountInString(g), norm)
				continue
			}
		}
		for _, r := range g {
			if norm, ok := p.transform(string(r)); ok {
				modified = true
				push(1, norm)
			} else {
				dest = append(dest, change{r, 0})
			}
		}
	}
	if modified {
		n.transform(dest, 0)
	}
	return nil
}
