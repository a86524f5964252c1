package hf

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// TrainOption adjusts a trainer.
type TrainOption func(*trainConfig)

type trainConfig struct {
	lowercase bool
	minFreq   int
	ctx       context.Context
}

// WithLowercase makes TrainWordPiece lowercase and strip accents (an
// "uncased" BERT tokenizer). Default false (cased).
func WithLowercase(on bool) TrainOption { return func(c *trainConfig) { c.lowercase = on } }

// WithMinFrequency sets how often a character must occur to get its own
// token, and a pair to be merged (default 2).
func WithMinFrequency(n int) TrainOption { return func(c *trainConfig) { c.minFreq = n } }

// WithContext lets ctx cancel training (checked between merges).
func WithContext(ctx context.Context) TrainOption { return func(c *trainConfig) { c.ctx = ctx } }

func newTrainConfig(opts []TrainOption) trainConfig {
	c := trainConfig{minFreq: 2, ctx: context.Background()}
	for _, o := range opts {
		o(&c)
	}
	if c.minFreq < 1 {
		c.minFreq = 1
	}
	return c
}

// WordPieceSpecials are the special tokens of TrainWordPiece, ids 0..4.
var WordPieceSpecials = []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}

// BPESpecials are the special tokens of TrainByteFallbackBPE, ids 0..2.
var BPESpecials = []string{"<unk>", "<s>", "</s>"}

// TrainWordPiece learns a BERT-style WordPiece tokenizer (BertNormalizer,
// BertPreTokenizer, [CLS] … [SEP]) from texts and returns its tokenizer.json.
// Training is deterministic: characters by frequency, then BPE-style merges
// of the most frequent pair (ties broken lexically) until vocabSize.
func TrainWordPiece(texts []string, vocabSize int, opts ...TrainOption) ([]byte, error) {
	cfg := newTrainConfig(opts)
	if vocabSize < len(WordPieceSpecials)+1 {
		return nil, fmt.Errorf("train wordpiece: vocab size %d too small", vocabSize)
	}
	norm := &bertNormalizer{cleanText: true, chineseChars: true, lowercase: cfg.lowercase, stripAccents: cfg.lowercase}
	counts := map[string]int{}
	for i, t := range texts {
		n := newNormStr([]rune(t), 0)
		if err := norm.normalize(n); err != nil {
			return nil, fmt.Errorf("train wordpiece: text %d: %w", i, err)
		}
		words, _ := bertPre{}.split(n)
		for _, w := range words {
			counts[w.String()]++
		}
	}
	// Words as symbol sequences: first char, then "##"-prefixed chars.
	words := sortedWords(counts)
	seqs := make([][]string, len(words))
	symFreq := map[string]int{}
	for i, w := range words {
		k := 0
		for _, r := range w.s {
			s := string(r)
			if k > 0 {
				s = "##" + s
			}
			seqs[i] = append(seqs[i], s)
			symFreq[s] += w.n
			k++
		}
	}
	v := append([]string(nil), WordPieceSpecials...)
	for _, s := range byFreq(symFreq, 1) {
		if len(v) >= vocabSize {
			break
		}
		v = append(v, s)
	}
	known := map[string]bool{}
	for _, s := range v {
		known[s] = true
	}
	join := func(a, b string) string { return a + strings.TrimPrefix(b, "##") }
	inVocab := map[string]bool{}
	for _, s := range v {
		inVocab[s] = true
	}
	err := learnMerges(cfg.ctx, seqs, words, known, vocabSize-len(v), cfg.minFreq, join, func(tok string) bool {
		if inVocab[tok] {
			return false
		}
		inVocab[tok] = true
		v = append(v, tok)
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("train wordpiece: %w", err)
	}

	vocab := make(map[string]int, len(v))
	for i, s := range v {
		vocab[s] = i
	}
	var added []map[string]any
	for i, s := range WordPieceSpecials {
		added = append(added, addedJSON(i, s, true))
	}
	doc := map[string]any{
		"version":      "1.0",
		"truncation":   nil,
		"padding":      nil,
		"added_tokens": added,
		"normalizer": map[string]any{"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
			"strip_accents": nil, "lowercase": cfg.lowercase},
		"pre_tokenizer":  map[string]any{"type": "BertPreTokenizer"},
		"post_processor": templateJSON([]string{"[CLS]"}, []string{"[SEP]"}, map[string]int{"[CLS]": 2, "[SEP]": 3}),
		"decoder":        map[string]any{"type": "WordPiece", "prefix": "##", "cleanup": true},
		"model": map[string]any{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
			"max_input_chars_per_word": 100, "vocab": vocab},
	}
	return json.MarshalIndent(doc, "", " ")
}

// TrainByteFallbackBPE learns a Llama-style SentencePiece BPE tokenizer
// (normalizer Prepend/Replace "▁", byte_fallback with <0x00>…<0xFF>, BOS
// <s> added) and returns its tokenizer.json. Ids: <unk>=0, <s>=1, </s>=2,
// the 256 byte tokens, characters seen at least the minimum frequency, then
// merges. Pieces never mix letters, digits and other characters (SentencePiece's
// split_by_unicode_script and split_by_number). Deterministic.
func TrainByteFallbackBPE(texts []string, vocabSize int, opts ...TrainOption) ([]byte, error) {
	cfg := newTrainConfig(opts)
	base := len(BPESpecials) + 256
	if vocabSize < base {
		return nil, fmt.Errorf("train bpe: vocab size %d below %d (specials + byte tokens)", vocabSize, base)
	}
	counts := map[string]int{}
	for _, t := range texts {
		if t == "" {
			continue
		}
		s := "▁" + strings.ReplaceAll(t, " ", "▁")
		// Words start at each ▁ (merged with next), as SentencePiece does,
		// and are cut where the character class changes (letters, digits,
		// other), as SentencePiece's split_by_unicode_script and
		// split_by_number do: no learned piece spans "son," or "42,", so a
		// token-label boundary can fall wherever an entity ends.
		start, prev := 0, classNone
		for i, r := range s {
			c := charClass(r)
			if i > start && (r == '▁' || (prev != classNone && c != prev)) {
				counts[s[start:i]]++
				start = i
			}
			if r == '▁' {
				prev = classNone
			} else {
				prev = c
			}
		}
		counts[s[start:]]++
	}
	words := sortedWords(counts)
	charFreq := map[string]int{}
	for _, w := range words {
		for _, r := range w.s {
			charFreq[string(r)] += w.n
		}
	}
	v := append([]string(nil), BPESpecials...)
	for b := 0; b < 256; b++ {
		v = append(v, fmt.Sprintf("<0x%02X>", b))
	}
	known := map[string]bool{}
	for _, s := range byFreq(charFreq, cfg.minFreq) {
		if len(v) >= vocabSize {
			break
		}
		v = append(v, s)
		known[s] = true
	}
	seqs := make([][]string, len(words))
	for i, w := range words {
		for _, r := range w.s {
			seqs[i] = append(seqs[i], string(r))
		}
	}
	var merges [][2]string
	inVocab := map[string]bool{}
	for _, s := range v {
		inVocab[s] = true
	}
	err := learnMergesPairs(cfg.ctx, seqs, words, known, vocabSize-len(v), cfg.minFreq, func(a, b string) string { return a + b },
		func(tok string, a, b string) bool {
			merges = append(merges, [2]string{a, b})
			if inVocab[tok] {
				return false
			}
			inVocab[tok] = true
			v = append(v, tok)
			return true
		})
	if err != nil {
		return nil, fmt.Errorf("train bpe: %w", err)
	}
	vocab := make(map[string]int, len(v))
	for i, s := range v {
		vocab[s] = i
	}
	added := []map[string]any{addedJSON(0, "<unk>", true), addedJSON(1, "<s>", true), addedJSON(2, "</s>", true)}
	doc := map[string]any{
		"version":      "1.0",
		"truncation":   nil,
		"padding":      nil,
		"added_tokens": added,
		"normalizer": map[string]any{"type": "Sequence", "normalizers": []any{
			map[string]any{"type": "Prepend", "prepend": "▁"},
			map[string]any{"type": "Replace", "pattern": map[string]any{"String": " "}, "content": "▁"},
		}},
		"pre_tokenizer":  nil,
		"post_processor": templateJSON([]string{"<s>"}, nil, map[string]int{"<s>": 1}),
		"decoder": map[string]any{"type": "Sequence", "decoders": []any{
			map[string]any{"type": "Replace", "pattern": map[string]any{"String": "▁"}, "content": " "},
			map[string]any{"type": "ByteFallback"},
			map[string]any{"type": "Fuse"},
			map[string]any{"type": "Strip", "content": " ", "start": 1, "stop": 0},
		}},
		"model": map[string]any{"type": "BPE", "dropout": nil, "unk_token": "<unk>", "continuing_subword_prefix": nil,
			"end_of_word_suffix": nil, "fuse_unk": true, "byte_fallback": true, "ignore_merges": false,
			"vocab": vocab, "merges": merges},
	}
	return json.MarshalIndent(doc, "", " ")
}

// Character classes that a trained BPE piece never mixes (the leading ▁
// joins any class).
const (
	classNone = iota
	classLetter
	classDigit
	classOther
)

func charClass(r rune) int {
	switch {
	case unicode.IsLetter(r) || unicode.IsMark(r):
		return classLetter
	case unicode.IsDigit(r):
		return classDigit
	}
	return classOther
}

func addedJSON(id int, s string, special bool) map[string]any {
	return map[string]any{"id": id, "content": s, "single_word": false, "lstrip": false, "rstrip": false,
		"normalized": false, "special": special}
}

func templateJSON(pre, post []string, ids map[string]int) map[string]any {
	var single, pair []any
	add := func(dst *[]any, s string, typ int) {
		*dst = append(*dst, map[string]any{"SpecialToken": map[string]any{"id": s, "type_id": typ}})
	}
	seq := func(dst *[]any, id string, typ int) {
		*dst = append(*dst, map[string]any{"Sequence": map[string]any{"id": id, "type_id": typ}})
	}
	for _, s := range pre {
		add(&single, s, 0)
		add(&pair, s, 0)
	}
	seq(&single, "A", 0)
	seq(&pair, "A", 0)
	for _, s := range post {
		add(&single, s, 0)
		add(&pair, s, 0)
	}
	seq(&pair, "B", 1)
	for _, s := range post {
		add(&pair, s, 1)
	}
	specials := map[string]any{}
	for s, id := range ids {
		specials[s] = map[string]any{"id": s, "ids": []int{id}, "tokens": []string{s}}
	}
	return map[string]any{"type": "TemplateProcessing", "single": single, "pair": pair, "special_tokens": specials}
}

type wordCount struct {
	s string
	n int
}

func sortedWords(counts map[string]int) []wordCount {
	out := make([]wordCount, 0, len(counts))
	for s, n := range counts {
		out = append(out, wordCount{s, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].s < out[j].s })
	return out
}

// byFreq lists keys with count >= min, most frequent first, ties lexical.
func byFreq(m map[string]int, min int) []string {
	var out []string
	for s, n := range m {
		if n >= min {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if m[out[i]] != m[out[j]] {
			return m[out[i]] > m[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

func learnMerges(ctx context.Context, seqs [][]string, words []wordCount, known map[string]bool, budget, minFreq int,
	join func(a, b string) string, emit func(tok string) bool) error {
	return learnMergesPairs(ctx, seqs, words, known, budget, minFreq, join, func(tok, _, _ string) bool { return emit(tok) })
}

// learnMergesPairs repeatedly merges the most frequent adjacent pair of known
// symbols (ties: lexically smallest pair) inside words, calling emit for each
// merge (emit reports whether the token was new to the vocabulary), until
// budget new tokens or no pair reaches minFreq. It stops with ctx's error
// when ctx is cancelled.
func learnMergesPairs(ctx context.Context, seqs [][]string, words []wordCount, known map[string]bool, budget, minFreq int,
	join func(a, b string) string, emit func(tok, a, b string) bool) error {
	type pr struct{ a, b string }
	counts := map[pr]int{}
	where := map[pr]map[int]bool{}
	addWord := func(i int, sign int) {
		s := seqs[i]
		for k := 0; k+1 < len(s); k++ {
			if !known[s[k]] || !known[s[k+1]] {
				continue
			}
			p := pr{s[k], s[k+1]}
			counts[p] += sign * words[i].n
			if sign > 0 {
				if where[p] == nil {
					where[p] = map[int]bool{}
				}
				where[p][i] = true
			}
		}
	}
	for i := range seqs {
		addWord(i, 1)
	}
	for made := 0; made < budget; {
		if err := ctx.Err(); err != nil {
			return err
		}
		var best pr
		bestN := 0
		for p, n := range counts {
			if n > bestN || (n == bestN && n > 0 && (p.a < best.a || (p.a == best.a && p.b < best.b))) {
				best, bestN = p, n
			}
		}
		if bestN < minFreq || bestN == 0 {
			return nil
		}
		tok := join(best.a, best.b)
		known[tok] = true
		ids := make([]int, 0, len(where[best]))
		for i := range where[best] {
			ids = append(ids, i)
		}
		sort.Ints(ids)
		for _, i := range ids {
			addWord(i, -1)
			s := seqs[i]
			out := s[:0:0]
			for k := 0; k < len(s); k++ {
				if k+1 < len(s) && s[k] == best.a && s[k+1] == best.b {
					out = append(out, tok)
					k++
					continue
				}
				out = append(out, s[k])
			}
			seqs[i] = out
			addWord(i, 1)
		}
		delete(counts, best)
		delete(where, best)
		for p, n := range counts {
			if n <= 0 {
				delete(counts, p)
			}
		}
		if emit(tok, best.a, best.b) {
			made++
		}
	}
	return nil
}
