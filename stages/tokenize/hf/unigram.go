package hf

import (
	"encoding/json"
	"fmt"
	"math"
)

// unigram is the SentencePiece Unigram model (Viterbi over pieces).
type unigram struct {
	vocab
	scores       []float64
	unkID        int
	hasUnk       bool
	byteFallback bool
	fuseUnk      bool
	minScore     float64
	// trie over runes: edges keyed by node<<32 | rune; pieceAt[node] is
	// the piece id ending at node, or -1.
	edges   map[uint64]int32
	pieceAt []int32
}

const unkPenalty = 10.0

func parseUnigram(c rawComponent) (*unigram, error) {
	var pieces [][2]json.RawMessage
	if err := json.Unmarshal(c["vocab"], &pieces); err != nil {
		return nil, fmt.Errorf("model Unigram: field vocab: %w", err)
	}
	u := &unigram{edges: map[uint64]int32{}, pieceAt: []int32{-1}, minScore: math.Inf(1),
		fuseUnk: true, byteFallback: c.boolOr("byte_fallback", false)}
	m := make(map[string]int, len(pieces))
	u.scores = make([]float64, len(pieces))
	for i, p := range pieces {
		var s string
		var sc float64
		if err := json.Unmarshal(p[0], &s); err != nil {
			return nil, fmt.Errorf("model Unigram: vocab[%d]: %w", i, err)
		}
		if err := json.Unmarshal(p[1], &sc); err != nil {
			return nil, fmt.Errorf("model Unigram: vocab[%d]: %w", i, err)
		}
		if _, dup := m[s]; !dup {
			m[s] = i
		}
		u.scores[i] = sc
		if sc < u.minScore {
			u.minScore = sc
		}
		u.insert(s, i)
	}
	u.vocab = newVocab(m)
	if c.has("unk_id") {
		if err := json.Unmarshal(c["unk_id"], &u.unkID); err != nil {
			return nil, fmt.Errorf("model Unigram: field unk_id: %w", err)
		}
		if u.unkID < 0 || u.unkID >= len(pieces) {
			return nil, fmt.Errorf("model Unigram: unk_id %d out of range", u.unkID)
		}
		u.hasUnk = true
	}
	return u, nil
}

func (u *unigram) insert(s string, id int) {
	node := int32(0)
	for _, r := range s {
		k := uint64(node)<<32 | uint64(uint32(r))
		nx, ok := u.edges[k]
		if !ok {
			nx = int32(len(u.pieceAt))
			u.pieceAt = append(u.pieceAt, -1)
			u.edges[k] = nx
		}
		node = nx
	}
	if node != 0 && u.pieceAt[node] < 0 {
		u.pieceAt[node] = int32(id)
	}
}

func (u *unigram) tokenize(word []rune) ([]mtoken, error) {
	n := len(word)
	if n == 0 {
		return nil, nil
	}
	type best struct {
		score float64
		start int
		id    int
		set   bool
	}
	bp := make([]best, n+1)
	unkScore := u.minScore - unkPenalty
	for s := 0; s < n; s++ {
		base := bp[s].score
		single := false
		node := int32(0)
		for e := s; e < n; e++ {
			nx, ok := u.edges[uint64(node)<<32|uint64(uint32(word[e]))]
			if !ok {
				break
			}
			node = nx
			id := u.pieceAt[node]
			if id < 0 {
				continue
			}
			cand := base + u.scores[id]
			t := &bp[e+1]
			if !t.set || cand > t.score {
				*t = best{cand, s, int(id), true}
			}
			if e == s {
				single = true
			}
		}
		if !single {
			if !u.hasUnk {
				return nil, fmt.Errorf("unigram: no piece for %q and no unk_id", string(word[s]))
			}
			cand := base + unkScore
			t := &bp[s+1]
			if !t.set || cand > t.score {
				*t = best{cand, s, u.unkID, true}
			}
		}
	}
	// Backtrack, fusing consecutive unknowns.
	type seg struct{ s, e, id int }
	var segs []seg
	for e := n; e > 0; {
		b := bp[e]
		if u.fuseUnk && u.hasUnk && b.id == u.unkID && len(segs) > 0 && segs[len(segs)-1].id == u.unkID && segs[len(segs)-1].s == e {
			segs[len(segs)-1].s = b.start
		} else {
			segs = append(segs, seg{b.start, e, b.id})
		}
		e = b.start
	}
	out := make([]mtoken, 0, len(segs))
	for i := len(segs) - 1; i >= 0; i-- {
		sg := segs[i]
		str := string(word[sg.s:sg.e])
		id, ok := u.ids[str]
		if !ok {
			if u.byteFallback {
				var bts []mtoken
				all := true
				for j := 0; j < len(str); j++ {
					bid, ok := u.ids[fmt.Sprintf("<0x%02X>", str[j])]
					if !ok {
						all = false
						break
					}
					bts = append(bts, mtoken{id: bid, value: fmt.Sprintf("<0x%02X>", str[j]), s: sg.s, e: sg.e})
				}
				if all {
					out = append(out, bts...)
					continue
				}
			}
			id = u.unkID
		}
		out = append(out, mtoken{id: id, value: str, s: sg.s, e: sg.e})
	}
	return out, nil
}
