package mask

import (
	"fmt"
	"sort"
	"strings"

	"github.com/piimask/piimask/record"
)

// Config is everything a Masker needs.
type Config struct {
	// Default is the operator for classes without an override.
	Default OperatorSpec
	// PerClass overrides the operator per class.
	PerClass map[string]OperatorSpec
	// Ensemble is union (default), majority or priority.
	Ensemble string
	// Selection filters candidates and adds deny-list terms.
	Selection Selection
	// Keys are the secrets of the keyed operators.
	Keys Keys
}

// Replacement is one masked span of one document: the audit record.
type Replacement struct {
	Label string `json:"label"`
	// Start, End are code-point offsets in the original text.
	Start int `json:"start"`
	End   int `json:"end"`
	// MaskedStart, MaskedEnd are code-point offsets of the replacement in
	// the masked text (equal for redact).
	MaskedStart int     `json:"masked_start"`
	MaskedEnd   int     `json:"masked_end"`
	Method      string  `json:"method"`
	Operator    string  `json:"operator"`
	Score       float64 `json:"score,omitempty"`
	// Original is the original value. It is filled by Mask; audit writers
	// drop it unless the configuration allows originals in the audit.
	Original string `json:"original,omitempty"`
	// Replacement is the text written in place of the original.
	Replacement string `json:"replacement,omitempty"`
}

// Result is a masked document.
type Result struct {
	Text         string
	Replacements []Replacement
}

// Masker applies a Config to documents. It is safe for concurrent use.
type Masker struct {
	cfg    Config
	ops    map[string]OperatorSpec
	sel    *selector
	hash   *hasher
	pseudo *Pseudonymizer
	enc    *Encrypter
}

// New checks cfg (operators, ensemble, keys) and builds a Masker.
func New(cfg Config) (*Masker, error) {
	if !ValidEnsemble(cfg.Ensemble) {
		return nil, fmt.Errorf("unknown ensemble %q (union, majority, priority)", cfg.Ensemble)
	}
	m := &Masker{cfg: cfg, ops: map[string]OperatorSpec{}}
	cfg.Default = cfg.Default.withDefaults()
	m.cfg.Default = cfg.Default
	need := map[string]bool{cfg.Default.Type: true}
	if err := cfg.Default.validate(cfg.Keys); err != nil {
		return nil, fmt.Errorf("default operator: %w", err)
	}
	for class, spec := range cfg.PerClass {
		spec = spec.withDefaults()
		if err := spec.validate(cfg.Keys); err != nil {
			return nil, fmt.Errorf("operator for %s: %w", class, err)
		}
		m.ops[class] = spec
		need[spec.Type] = true
	}
	var err error
	if m.sel, err = compileSelection(cfg.Selection); err != nil {
		return nil, err
	}
	if need[OpHash] {
		if m.hash, err = newHasher(cfg.Keys.Hash); err != nil {
			return nil, err
		}
	}
	if need[OpPseudonym] {
		if m.pseudo, err = NewPseudonymizer(cfg.Keys.Pseudonym); err != nil {
			return nil, err
		}
	}
	if need[OpEncrypt] {
		if m.enc, err = NewEncrypter(cfg.Keys.Encrypt); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Operator returns the operator applied to class.
func (m *Masker) Operator(class string) OperatorSpec {
	if s, ok := m.ops[class]; ok {
		return s
	}
	return m.cfg.Default
}

// Spans combines, filters and resolves the methods' spans of one document:
// the spans that Mask replaces, non-overlapping and sorted.
func (m *Masker) Spans(text string, preds []MethodSpans) ([]Candidate, error) {
	off := record.NewOffsets(text)
	return m.spans(text, off, preds)
}

func (m *Masker) spans(text string, off *record.Offsets, preds []MethodSpans) ([]Candidate, error) {
	cands, err := Combine(m.cfg.Ensemble, preds)
	if err != nil {
		return nil, err
	}
	kept := cands[:0]
	for _, c := range cands {
		if c.Start < 0 || c.End <= c.Start || c.End > off.Len() {
			continue
		}
		if m.sel.keep(c, text[off.Byte(c.Start):off.Byte(c.End)]) {
			kept = append(kept, c)
		} else if c.Validated {
			// Not masked, but still evidence: no model fragment of it is.
			c.Block = true
			kept = append(kept, c)
		}
	}
	kept = append(kept, m.sel.denySpans(text, off)...)
	return ResolveCandidates(kept, off.Len(), m.cfg.Ensemble == EnsemblePriority), nil
}

// Mask masks one document given each method's spans (code points). The
// result's replacements are in text order and carry the original values.
func (m *Masker) Mask(text string, preds []MethodSpans) (Result, error) {
	off := record.NewOffsets(text)
	spans, err := m.spans(text, off, preds)
	if err != nil {
		return Result{}, err
	}
	if len(spans) == 0 {
		return Result{Text: text}, nil
	}
	var b strings.Builder
	b.Grow(len(text))
	var nums placeholderNumbers
	reps := make([]Replacement, 0, len(spans))
	prevByte, prevCP, outCP := 0, 0, 0
	for _, s := range spans {
		start, end := off.Byte(s.Start), off.Byte(s.End)
		value := text[start:end]
		op := m.Operator(s.Label)
		rep, err := m.replace(op, s.Label, value, &nums)
		if err != nil {
			return Result{}, err
		}
		b.WriteString(text[prevByte:start])
		outCP += s.Start - prevCP
		repLen := record.CodePointLen(rep)
		reps = append(reps, Replacement{Label: s.Label, Start: s.Start, End: s.End, MaskedStart: outCP, MaskedEnd: outCP + repLen,
			Method: s.Method, Operator: op.Type, Score: s.Score, Original: value, Replacement: rep})
		b.WriteString(rep)
		outCP += repLen
		prevByte, prevCP = end, s.End
	}
	b.WriteString(text[prevByte:])
	return Result{Text: b.String(), Replacements: reps}, nil
}

// replace computes one replacement.
func (m *Masker) replace(op OperatorSpec, label, value string, nums *placeholderNumbers) (string, error) {
	switch op.Type {
	case OpPlaceholder:
		return nums.get(label, value), nil
	case OpRedact:
		return "", nil
	case OpMask:
		return maskValue(value, op.Char, op.KeepLast), nil
	case OpHash:
		return m.hash.sum(label, value, op.Length), nil
	case OpPseudonym:
		return m.pseudo.Pseudonym(label, value), nil
	case OpEncrypt:
		return m.enc.Encrypt(label, value)
	case OpKeep:
		return value, nil
	}
	return "", fmt.Errorf("unknown operator %q", op.Type)
}

// Summary counts replacements per class and per operator. It is not safe for
// concurrent use; merge per-worker summaries with Add.
type Summary struct {
	Documents  int64                       `json:"documents"`
	Masked     int64                       `json:"replacements"`
	ByClass    map[string]int64            `json:"by_class"`
	ByOperator map[string]int64            `json:"by_operator"`
	ByBoth     map[string]map[string]int64 `json:"by_class_operator"`
}

// NewSummary returns an empty summary.
func NewSummary() *Summary {
	return &Summary{ByClass: map[string]int64{}, ByOperator: map[string]int64{}, ByBoth: map[string]map[string]int64{}}
}

// Count adds one document's replacements.
func (s *Summary) Count(reps []Replacement) {
	s.Documents++
	for _, r := range reps {
		s.Masked++
		s.ByClass[r.Label]++
		s.ByOperator[r.Operator]++
		if s.ByBoth[r.Label] == nil {
			s.ByBoth[r.Label] = map[string]int64{}
		}
		s.ByBoth[r.Label][r.Operator]++
	}
}

// Add merges another summary into s.
func (s *Summary) Add(o *Summary) {
	s.Documents += o.Documents
	s.Masked += o.Masked
	for k, v := range o.ByClass {
		s.ByClass[k] += v
	}
	for k, v := range o.ByOperator {
		s.ByOperator[k] += v
	}
	for c, m := range o.ByBoth {
		if s.ByBoth[c] == nil {
			s.ByBoth[c] = map[string]int64{}
		}
		for k, v := range m {
			s.ByBoth[c][k] += v
		}
	}
}

// Classes lists the classes counted, sorted.
func (s *Summary) Classes() []string {
	out := make([]string, 0, len(s.ByClass))
	for c := range s.ByClass {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
