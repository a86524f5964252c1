package hf

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"unicode"

	"github.com/piimask/piimask/stages/tokenize"
)

// Tokenizer is a loaded tokenizer.json. It is safe for concurrent use.
type Tokenizer struct {
	normalizer   normalizer
	preTokenizer preTokenizer
	model        model
	processor    processor
	added        *addedVocab
	padID        int
	// Config holds what tokenizer_config.json says, when it was loaded.
	Config Config
}

// Config is the part of tokenizer_config.json piimask uses.
type Config struct {
	// PaddingSide is "right" (default) or "left".
	PaddingSide string `json:"padding_side"`
	// ModelMaxLength is the model's maximum sequence length (0 when unknown).
	ModelMaxLength float64 `json:"model_max_length"`
	// AddBOS and AddEOS are the Llama-style flags (informational: the
	// post-processor in tokenizer.json is what Encode applies).
	AddBOS *bool `json:"add_bos_token"`
	AddEOS *bool `json:"add_eos_token"`
	// PadToken is the padding token's content, when named.
	PadToken string `json:"-"`
}

var _ tokenize.Tokenizer = (*Tokenizer)(nil)

// Load reads a tokenizer from a tokenizer.json file, or from a directory
// holding tokenizer.json and optionally tokenizer_config.json.
func Load(path string) (*Tokenizer, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %w", err)
	}
	file, cfgFile := path, ""
	if st.IsDir() {
		file = filepath.Join(path, "tokenizer.json")
		cfgFile = filepath.Join(path, "tokenizer_config.json")
	} else {
		cfgFile = filepath.Join(filepath.Dir(path), "tokenizer_config.json")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("tokenizer: %w", err)
	}
	t, err := LoadBytes(data)
	if err != nil {
		return nil, fmt.Errorf("tokenizer %s: %w", file, err)
	}
	if cfg, err := os.ReadFile(cfgFile); err == nil {
		if err := t.applyConfig(cfg); err != nil {
			return nil, fmt.Errorf("tokenizer config %s: %w", cfgFile, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("tokenizer config: %w", err)
	}
	return t, nil
}

func (t *Tokenizer) applyConfig(data []byte) error {
	if err := json.Unmarshal(data, &t.Config); err != nil {
		return err
	}
	var extra struct {
		Pad json.RawMessage `json:"pad_token"`
	}
	_ = json.Unmarshal(data, &extra)
	if len(extra.Pad) > 0 {
		var s string
		if json.Unmarshal(extra.Pad, &s) != nil {
			var obj struct {
				Content string `json:"content"`
			}
			_ = json.Unmarshal(extra.Pad, &obj)
			s = obj.Content
		}
		if id, ok := t.TokenToID(s); ok && s != "" {
			t.Config.PadToken = s
			t.padID = id
		}
	}
	return nil
}

type fileJSON struct {
	AddedTokens   []addedToken    `json:"added_tokens"`
	Normalizer    json.RawMessage `json:"normalizer"`
	PreTokenizer  json.RawMessage `json:"pre_tokenizer"`
	PostProcessor json.RawMessage `json:"post_processor"`
	Model         json.RawMessage `json:"model"`
	Padding       *struct {
		PadID int `json:"pad_id"`
	} `json:"padding"`
}

// LoadBytes parses the content of a tokenizer.json file.
func LoadBytes(data []byte) (*Tokenizer, error) {
	var f fileJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("parse tokenizer.json: %w", err)
	}
	t := &Tokenizer{}
	var err error
	if t.normalizer, err = parseNormalizer(f.Normalizer); err != nil {
		return nil, err
	}
	if t.preTokenizer, err = parsePreTokenizer(f.PreTokenizer); err != nil {
		return nil, err
	}
	if t.processor, err = parseProcessor(f.PostProcessor); err != nil {
		return nil, err
	}
	if t.model, err = parseModel(f.Model); err != nil {
		return nil, err
	}
	t.added = newAddedVocab(f.AddedTokens)
	switch {
	case f.Padding != nil:
		t.padID = f.Padding.PadID
	default:
		for _, p := range []string{"[PAD]", "<pad>", "<|pad|>", "<|endoftext|>"} {
			if id, ok := t.TokenToID(p); ok {
				t.padID = id
				t.Config.PadToken = p
				break
			}
		}
	}
	return t, nil
}

func parseModel(raw json.RawMessage) (model, error) {
	var c rawComponent
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	typ := c.str("type")
	if typ == "" {
		// Infer as the Rust library does from the fields present.
		switch {
		case c.has("merges"):
			typ = "BPE"
		case c.has("continuing_subword_prefix") && c.has("max_input_chars_per_word"):
			typ = "WordPiece"
		case len(c["vocab"]) > 0 && c["vocab"][0] == '[':
			typ = "Unigram"
		case c.has("vocab"):
			typ = "WordLevel"
		}
	}
	switch typ {
	case "WordPiece":
		return parseWordPiece(c)
	case "BPE":
		return parseBPE(c)
	case "Unigram":
		return parseUnigram(c)
	case "":
		return nil, fmt.Errorf("model: cannot infer the model type (no type, merges, or vocab)")
	default:
		return nil, fmt.Errorf("unsupported model %q", typ)
	}
}

// VocabSize is the size of the vocabulary including added tokens.
func (t *Tokenizer) VocabSize() int {
	n := t.model.vocabSize()
	for _, a := range t.added.tokens {
		if _, ok := t.model.tokenToID(a.Content); !ok {
			n++
		}
	}
	return n
}

// TokenToID looks up a token (added tokens first, then the model vocab).
func (t *Tokenizer) TokenToID(tok string) (int, bool) {
	if id, ok := t.added.byContent[tok]; ok {
		return id, true
	}
	return t.model.tokenToID(tok)
}

// IDToToken returns the token string of an id.
func (t *Tokenizer) IDToToken(id int) (string, bool) {
	if s, ok := t.added.byID[id]; ok {
		return s, true
	}
	return t.model.idToToken(id)
}

// PadID is the padding token's id (0 when the tokenizer defines none).
func (t *Tokenizer) PadID() int { return t.padID }

// Encode tokenizes text; addSpecial applies the post-processor's special
// tokens. No truncation or padding.
func (t *Tokenizer) Encode(text string, addSpecial bool) (*tokenize.Encoding, error) {
	return t.EncodeContext(context.Background(), text, addSpecial)
}

// EncodeContext is Encode with cancellation (checked between words).
func (t *Tokenizer) EncodeContext(ctx context.Context, text string, addSpecial bool) (*tokenize.Encoding, error) {
	runes := []rune(text)
	root := newNormStr(runes, 0)
	type split struct {
		n      *normStr
		tokens []mtoken
		added  bool
	}
	var splits []split
	// 1. Added tokens matched on the original text, 2. normalization and
	// added tokens matched on the normalized text.
	for _, p := range t.added.split(root, false) {
		if p.id >= 0 {
			splits = append(splits, split{n: p.n, added: true, tokens: []mtoken{{id: p.id, value: string(p.n.runes), s: 0, e: p.n.len()}}})
			continue
		}
		if t.normalizer != nil {
			if err := t.normalizer.normalize(p.n); err != nil {
				return nil, err
			}
		}
		for _, q := range t.added.split(p.n, true) {
			if q.id >= 0 {
				splits = append(splits, split{n: q.n, added: true, tokens: []mtoken{{id: q.id, value: string(q.n.runes), s: 0, e: q.n.len()}}})
			} else {
				splits = append(splits, split{n: q.n})
			}
		}
	}
	// 3. Pre-tokenization of the pieces that are not added tokens.
	var words []split
	for _, s := range splits {
		if s.added || t.preTokenizer == nil {
			if s.n.len() > 0 {
				words = append(words, s)
			}
			continue
		}
		pieces, err := t.preTokenizer.split(s.n)
		if err != nil {
			return nil, err
		}
		for _, p := range pieces {
			if p.len() > 0 {
				words = append(words, split{n: p})
			}
		}
	}
	// 4. The model.
	enc := newEncoding()
	for wi, w := range words {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		toks := w.tokens
		if !w.added {
			var err error
			if toks, err = t.model.tokenize(w.n.runes); err != nil {
				return nil, err
			}
		}
		for _, tk := range toks {
			o := w.n.origRange(tk.s, tk.e)
			enc.IDs = append(enc.IDs, tk.id)
			enc.Tokens = append(enc.Tokens, tk.value)
			enc.TypeIDs = append(enc.TypeIDs, 0)
			enc.AttentionMask = append(enc.AttentionMask, 1)
			enc.SpecialTokensMask = append(enc.SpecialTokensMask, 0)
			enc.Offsets = append(enc.Offsets, o)
			enc.WordIDs = append(enc.WordIDs, wi)
		}
	}
	if t.processor != nil {
		enc = t.processor.process(enc, addSpecial)
	}
	return enc, nil
}

// ---- added vocabulary ----

type addedToken struct {
	ID         int    `json:"id"`
	Content    string `json:"content"`
	SingleWord bool   `json:"single_word"`
	LStrip     bool   `json:"lstrip"`
	RStrip     bool   `json:"rstrip"`
	Normalized bool   `json:"normalized"`
	Special    bool   `json:"special"`
}

type addedVocab struct {
	tokens    []addedToken
	byContent map[string]int
	byID      map[int]string
	// per first rune, candidate tokens (longest first), for raw / normalized.
	raw, norm map[rune][]addedEntry
}

type addedEntry struct {
	runes []rune
	tok   *addedToken
}

func newAddedVocab(toks []addedToken) *addedVocab {
	a := &addedVocab{tokens: toks, byContent: map[string]int{}, byID: map[int]string{},
		raw: map[rune][]addedEntry{}, norm: map[rune][]addedEntry{}}
	for i := range toks {
		tk := &a.tokens[i]
		a.byContent[tk.Content] = tk.ID
		a.byID[tk.ID] = tk.Content
		rs := []rune(tk.Content)
		if len(rs) == 0 {
			continue
		}
		m := a.raw
		if tk.Normalized {
			m = a.norm
		}
		m[rs[0]] = append(m[rs[0]], addedEntry{rs, tk})
	}
	for _, m := range []map[rune][]addedEntry{a.raw, a.norm} {
		for k := range m {
			sort.SliceStable(m[k], func(i, j int) bool { return len(m[k][i].runes) > len(m[k][j].runes) })
		}
	}
	return a
}

type addedPiece struct {
	n  *normStr
	id int // -1 when not an added token
}

func isWordChar(r rune) bool { return isWordRune(r) }

// split cuts n on the added tokens (leftmost-longest, non-overlapping), with
// single_word / lstrip / rstrip handling as in the Rust AddedVocabulary.
func (a *addedVocab) split(n *normStr, normalized bool) []addedPiece {
	m := a.raw
	if normalized {
		m = a.norm
	}
	rs := n.runes
	if len(m) == 0 || len(rs) == 0 {
		return []addedPiece{{n, -1}}
	}
	var out []addedPiece
	startOff := 0
	for i := 0; i < len(rs); {
		cands := m[rs[i]]
		var hit *addedEntry
		for k := range cands {
			c := &cands[k]
			if i+len(c.runes) > len(rs) {
				continue
			}
			ok := true
			for j, r := range c.runes {
				if rs[i+j] != r {
					ok = false
					break
				}
			}
			if ok {
				hit = c
				break
			}
		}
		if hit == nil {
			i++
			continue
		}
		start, stop := i, i+len(hit.runes)
		i = stop
		if hit.tok.SingleWord {
			startSpace := start == 0 || !isWordChar(rs[start-1])
			stopSpace := stop == len(rs) || !isWordChar(rs[stop])
			if !startSpace || !stopSpace {
				continue
			}
		}
		if hit.tok.LStrip {
			for start > startOff && unicode.IsSpace(rs[start-1]) {
				start--
			}
		}
		if hit.tok.RStrip {
			for stop < len(rs) && unicode.IsSpace(rs[stop]) {
				stop++
			}
			i = stop
		}
		if start > startOff {
			out = append(out, addedPiece{n.slice(startOff, start), -1})
		}
		out = append(out, addedPiece{n.slice(start, stop), hit.tok.ID})
		startOff = stop
	}
	if startOff < len(rs) {
		out = append(out, addedPiece{n.slice(startOff, len(rs)), -1})
	}
	if len(out) == 1 && out[0].id < 0 {
		out[0].n = n
	}
	return out
}

func newEncoding() *tokenize.Encoding {
	return &tokenize.Encoding{IDs: []int{}, Tokens: []string{}, TypeIDs: []int{}, AttentionMask: []int{},
		SpecialTokensMask: []int{}, Offsets: [][2]int{}, WordIDs: []int{}}
}
