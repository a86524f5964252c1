package hf

import (
	"container/heap"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

// mtoken is a token produced by a model; s and e are rune offsets in the word.
type mtoken struct {
	id    int
	value string
	s, e  int
}

// model turns one pre-tokenized word into tokens.
type model interface {
	tokenize(word []rune) ([]mtoken, error)
	tokenToID(tok string) (int, bool)
	idToToken(id int) (string, bool)
	vocabSize() int
}

// vocab is a token↔id table.
type vocab struct {
	ids    map[string]int
	tokens []string
}

func newVocab(m map[string]int) vocab {
	v := vocab{ids: m}
	maxID := -1
	for _, id := range m {
		if id > maxID {
			maxID = id
		}
	}
	v.tokens = make([]string, maxID+1)
	for t, id := range m {
		if id >= 0 {
			v.tokens[id] = t
		}
	}
	return v
}

func (v *vocab) tokenToID(t string) (int, bool) { id, ok := v.ids[t]; return id, ok }
func (v *vocab) idToToken(id int) (string, bool) {
	if id < 0 || id >= len(v.tokens) {
		return "", false
	}
	return v.tokens[id], true
}
func (v *vocab) vocabSize() int { return len(v.ids) }

// ---- WordPiece ----

type wordPiece struct {
	vocab
	unk      string
	unkID    int
	prefix   string
	maxChars int
}

func parseWordPiece(c rawComponent) (*wordPiece, error) {
	var m map[string]int
	if err := json.Unmarshal(c["vocab"], &m); err != nil {
		return nil, fmt.Errorf("model WordPiece: field vocab: %w", err)
	}
	w := &wordPiece{vocab: newVocab(m), unk: c.str("unk_token"), prefix: "##", maxChars: 100}
	if c.has("continuing_subword_prefix") {
		w.prefix = c.str("continuing_subword_prefix")
	}
	if c.has("max_input_chars_per_word") {
		if err := json.Unmarshal(c["max_input_chars_per_word"], &w.maxChars); err != nil {
			return nil, fmt.Errorf("model WordPiece: field max_input_chars_per_word: %w", err)
		}
	}
	id, ok := m[w.unk]
	if !ok {
		return nil, fmt.Errorf("model WordPiece: unk_token %q not in vocab", w.unk)
	}
	w.unkID = id
	return w, nil
}

func (wp *wordPiece) tokenize(word []rune) ([]mtoken, error) {
	unk := []mtoken{{id: wp.unkID, value: wp.unk, s: 0, e: len(word)}}
	if len(word) > wp.maxChars {
		return unk, nil
	}
	w := string(word)
	// byteAt[i] is the byte offset of rune i in w.
	byteAt := make([]int, len(word)+1)
	bi := 0
	for i, r := range word {
		byteAt[i] = bi
		bi += utf8.RuneLen(r)
	}
	byteAt[len(word)] = bi
	out := make([]mtoken, 0, 4)
	buf := make([]byte, 0, len(w)+len(wp.prefix))
	for start := 0; start < len(word); {
		end := len(word)
		found := false
		for start < end {
			buf = buf[:0]
			if start > 0 {
				buf = append(buf, wp.prefix...)
			}
			buf = append(buf, w[byteAt[start]:byteAt[end]]...)
			if id, ok := wp.ids[string(buf)]; ok { // no allocation for the lookup
				out = append(out, mtoken{id: id, value: wp.tokens[id], s: start, e: end})
				found = true
				break
			}
			end--
		}
		if !found {
			return unk, nil
		}
		start = end
	}
	return out, nil
}

// ---- BPE ----

type pair struct{ a, b int }
type mergeInfo struct{ rank, newID int }

type bpe struct {
	vocab
	merges        map[pair]mergeInfo
	unk           string
	hasUnk        bool
	prefix        string
	suffix        string
	fuseUnk       bool
	byteFallback  bool
	ignoreMerges  bool
	byteTokenIDs  [256]int
	haveByteToken [256]bool

	mu    sync.RWMutex
	cache map[string][]bpeSym
}

const bpeCacheCap = 10000

func parseBPE(c rawComponent) (*bpe, error) {
	var m map[string]int
	if err := json.Unmarshal(c["vocab"], &m); err != nil {
		return nil, fmt.Errorf("model BPE: field vocab: %w", err)
	}
	b := &bpe{vocab: newVocab(m), merges: map[pair]mergeInfo{}, cache: map[string][]bpeSym{}}
	if c.has("unk_token") {
		b.unk, b.hasUnk = c.str("unk_token"), true
	}
	b.prefix = c.str("continuing_subword_prefix")
	b.suffix = c.str("end_of_word_suffix")
	b.fuseUnk = c.boolOr("fuse_unk", false)
	b.byteFallback = c.boolOr("byte_fallback", false)
	b.ignoreMerges = c.boolOr("ignore_merges", false)
	for i := 0; i < 256; i++ {
		id, ok := m[fmt.Sprintf("<0x%02X>", i)]
		b.byteTokenIDs[i], b.haveByteToken[i] = id, ok
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(c["merges"], &raw); err != nil {
		return nil, fmt.Errorf("model BPE: field merges: %w", err)
	}
	for rank, r := range raw {
		var a, bb string
		var s string
		if err := json.Unmarshal(r, &s); err == nil {
			parts := strings.SplitN(s, " ", 2)
			if len(parts) != 2 {
				return nil, fmt.Errorf("model BPE: merges[%d] %q: want two tokens", rank, s)
			}
			a, bb = parts[0], parts[1]
		} else {
			var arr []string
			if err := json.Unmarshal(r, &arr); err != nil || len(arr) != 2 {
				return nil, fmt.Errorf("model BPE: merges[%d]: want \"a b\" or [a, b]", rank)
			}
			a, bb = arr[0], arr[1]
		}
		ia, ok1 := m[a]
		ib, ok2 := m[bb]
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("model BPE: merges[%d] %q %q: token not in vocab", rank, a, bb)
		}
		nb := bb
		if b.prefix != "" && strings.HasPrefix(nb, b.prefix) {
			nb = nb[len(b.prefix):]
		}
		nid, ok := m[a+nb]
		if !ok {
			return nil, fmt.Errorf("model BPE: merges[%d] %q %q: merged token not in vocab", rank, a, bb)
		}
		if _, dup := b.merges[pair{ia, ib}]; !dup {
			b.merges[pair{ia, ib}] = mergeInfo{rank, nid}
		}
	}
	return b, nil
}

// bpeSym is a symbol of a word under merging; n is its length in bytes.
type bpeSym struct {
	id         int
	prev, next int
	n          int
}

type bpeMerge struct{ pos, rank, newID int }
type mergeHeap []bpeMerge

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	if h[i].rank != h[j].rank {
		return h[i].rank < h[j].rank
	}
	return h[i].pos < h[j].pos
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(bpeMerge)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (b *bpe) mergeWord(w string) []bpeSym {
	var syms []bpeSym
	add := func(id, n int) {
		syms = append(syms, bpeSym{id: id, prev: len(syms) - 1, next: -1, n: n})
	}
	unkID, unkLen, pending := 0, 0, false
	for i, r := range w {
		size := utf8.RuneLen(r)
		isFirst, isLast := i == 0, i+size == len(w)
		s := string(r)
		if !isFirst && b.prefix != "" {
			s = b.prefix + s
		}
		if isLast && b.suffix != "" {
			s += b.suffix
		}
		if id, ok := b.ids[s]; ok {
			if pending {
				add(unkID, unkLen)
				pending = false
			}
			add(id, size)
			continue
		}
		if b.byteFallback {
			all := true
			for j := 0; j < len(s); j++ {
				if !b.haveByteToken[s[j]] {
					all = false
					break
				}
			}
			if all {
				for j := 0; j < len(s); j++ {
					add(b.byteTokenIDs[s[j]], 1)
				}
				continue
			}
		}
		if b.hasUnk {
			id := b.ids[b.unk]
			switch {
			case pending && b.fuseUnk:
				unkLen += size
			case pending:
				add(unkID, unkLen)
				unkID, unkLen = id, size
			default:
				unkID, unkLen, pending = id, size, true
			}
		}
	}
	if pending {
		add(unkID, unkLen)
	}
	for i := range syms {
		if i+1 < len(syms) {
			syms[i].next = i + 1
		}
	}
	// Merge by rank, leftmost first, as the Rust Word::merge_all does.
	h := make(mergeHeap, 0, len(syms))
	for i := 0; i+1 < len(syms); i++ {
		if m, ok := b.merges[pair{syms[i].id, syms[i+1].id}]; ok {
			h = append(h, bpeMerge{i, m.rank, m.newID})
		}
	}
	heap.Init(&h)
	for h.Len() > 0 {
		top := heap.Pop(&h).(bpeMerge)
		cur := &syms[top.pos]
		if cur.n == 0 || cur.next == -1 {
			continue
		}
		nextPos := cur.next
		right := syms[nextPos]
		if m, ok := b.merges[pair{cur.id, right.id}]; !ok || m.newID != top.newID {
			continue
		}
		cur.id = top.newID
		cur.n += right.n
		cur.next = right.next
		syms[nextPos].n = 0
		if right.next >= 0 && right.next < len(syms) {
			syms[right.next].prev = top.pos
		}
		if cur.prev >= 0 {
			if m, ok := b.merges[pair{syms[cur.prev].id, cur.id}]; ok {
				heap.Push(&h, bpeMerge{cur.prev, m.rank, m.newID})
			}
		}
		if cur.next >= 0 {
			if m, ok := b.merges[pair{cur.id, syms[cur.next].id}]; ok {
				heap.Push(&h, bpeMerge{top.pos, m.rank, m.newID})
			}
		}
	}
	out := syms[:0:0]
	for _, s := range syms {
		if s.n > 0 {
			out = append(out, s)
		}
	}
	return out
}

func (b *bpe) tokenize(word []rune) ([]mtoken, error) {
	if len(word) == 0 {
		return nil, nil
	}
	w := string(word)
	if b.ignoreMerges {
		if id, ok := b.ids[w]; ok {
			return []mtoken{{id: id, value: w, s: 0, e: len(word)}}, nil
		}
	}
	b.mu.RLock()
	syms, ok := b.cache[w]
	b.mu.RUnlock()
	if !ok {
		syms = b.mergeWord(w)
		b.mu.Lock()
		if len(b.cache) < bpeCacheCap {
			b.cache[w] = syms
		}
		b.mu.Unlock()
	}
	// Map byte offsets to rune offsets: a token ending inside a rune covers
	// that whole rune (byte-fallback tokens of one character share its span).
	runeAt := make([]int, len(w)+1)
	ri := 0
	bi := 0
	for _, r := range word {
		n := utf8.RuneLen(r)
		for k := 0; k < n; k++ {
			runeAt[bi+k] = ri
		}
		bi += n
		ri++
	}
	runeAt[len(w)] = ri
	out := make([]mtoken, 0, len(syms))
	pos := 0
	for _, s := range syms {
		start, end := pos, pos+s.n
		pos = end
		rs := runeAt[start]
		re := runeAt[end]
		if end < len(w) && runeAt[end] == runeAt[end-1] {
			re = runeAt[end] + 1
		}
		out = append(out, mtoken{id: s.id, value: b.tokens[s.id], s: rs, e: re})
	}
	return out, nil
}
