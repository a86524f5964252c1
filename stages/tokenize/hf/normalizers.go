package hf

import (
	"encoding/json"
	"fmt"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normalizer rewrites a normStr in place, keeping alignments.
type normalizer interface {
	normalize(n *normStr) error
}

type normalizerSeq []normalizer

func (s normalizerSeq) normalize(n *normStr) error {
	for _, x := range s {
		if err := x.normalize(n); err != nil {
			return err
		}
	}
	return nil
}

// rawComponent is the common shape of a tokenizer.json component.
type rawComponent map[string]json.RawMessage

func (c rawComponent) str(key string) string {
	var s string
	if v, ok := c[key]; ok {
		_ = json.Unmarshal(v, &s)
	}
	return s
}

func (c rawComponent) boolOr(key string, def bool) bool {
	v, ok := c[key]
	if !ok {
		return def
	}
	var b *bool
	if err := json.Unmarshal(v, &b); err != nil || b == nil {
		return def
	}
	return *b
}

func (c rawComponent) has(key string) bool {
	v, ok := c[key]
	return ok && string(v) != "null"
}

func parseNormalizer(raw json.RawMessage) (normalizer, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var c rawComponent
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("normalizer: %w", err)
	}
	typ := c.str("type")
	switch typ {
	case "Sequence":
		var items []json.RawMessage
		if err := json.Unmarshal(c["normalizers"], &items); err != nil {
			return nil, fmt.Errorf("normalizer Sequence: field normalizers: %w", err)
		}
		var seq normalizerSeq
		for i, it := range items {
			n, err := parseNormalizer(it)
			if err != nil {
				return nil, fmt.Errorf("normalizer Sequence item %d: %w", i, err)
			}
			if n != nil {
				seq = append(seq, n)
			}
		}
		return seq, nil
	case "BertNormalizer":
		b := &bertNormalizer{
			cleanText:    c.boolOr("clean_text", true),
			chineseChars: c.boolOr("handle_chinese_chars", true),
			lowercase:    c.boolOr("lowercase", true),
		}
		b.stripAccents = c.boolOr("strip_accents", b.lowercase)
		return b, nil
	case "NFC":
		return unicodeNorm{norm.NFC}, nil
	case "NFD":
		return unicodeNorm{norm.NFD}, nil
	case "NFKC":
		return unicodeNorm{norm.NFKC}, nil
	case "NFKD":
		return unicodeNorm{norm.NFKD}, nil
	case "Lowercase":
		return lowercaseNorm{}, nil
	case "StripAccents":
		return stripAccentsNorm{}, nil
	case "Strip":
		return stripNorm{left: c.boolOr("strip_left", true), right: c.boolOr("strip_right", true)}, nil
	case "Prepend":
		return prependNorm(c.str("prepend")), nil
	case "Append":
		return appendNorm(c.str("append")), nil
	case "Replace":
		p, err := parsePattern(c["pattern"])
		if err != nil {
			return nil, fmt.Errorf("normalizer Replace: %w", err)
		}
		return replaceNorm{pat: p, content: c.str("content")}, nil
	case "Nmt":
		return nmtNorm{}, nil
	case "Precompiled":
		p, err := parsePrecompiled(c.str("precompiled_charsmap"))
		if err != nil {
			return nil, fmt.Errorf("normalizer Precompiled: %w", err)
		}
		return p, nil
	default:
		return nil, fmt.Errorf("unsupported normalizer %q", typ)
	}
}

var (
	nfc = norm.NFC
	nfd = norm.NFD
)

// isOther is Rust's char::is_other: categories Cc, Cf, Cs, Co, Cn.
func isOther(r rune) bool {
	if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Cs, unicode.Co) {
		return true
	}
	return !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z)
}

func isChineseChar(r rune) bool {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF,
		r >= 0x20000 && r <= 0x2A6DF, r >= 0x2A700 && r <= 0x2B73F,
		r >= 0x2B740 && r <= 0x2B81F, r >= 0x2B920 && r <= 0x2CEAF,
		r >= 0xF900 && r <= 0xFAFF, r >= 0x2F800 && r <= 0x2FA1F:
		return true
	}
	return false
}

type bertNormalizer struct {
	cleanText, chineseChars, stripAccents, lowercase bool
}

func (b *bertNormalizer) normalize(n *normStr) error {
	if b.cleanText {
		n.filter(func(r rune) bool {
			if r == 0 || r == 0xFFFD {
				return false
			}
			if r == '\t' || r == '\n' || r == '\r' {
				return true
			}
			return !isOther(r)
		})
		n.mapRunes(func(r rune) rune {
			if unicode.IsSpace(r) {
				return ' '
			}
			return r
		})
	}
	if b.chineseChars {
		has := false
		for _, r := range n.runes {
			if isChineseChar(r) {
				has = true
				break
			}
		}
		if has {
			dest := make([]change, 0, len(n.runes)+8)
			for _, r := range n.runes {
				if isChineseChar(r) {
					dest = append(dest, change{' ', 0}, change{r, 1}, change{' ', 1})
				} else {
					dest = append(dest, change{r, 0})
				}
			}
			n.transform(dest, 0)
		}
	}
	if b.stripAccents {
		if err := (unicodeNorm{norm.NFD}).normalize(n); err != nil {
			return err
		}
		// BertNormalizer drops nonspacing marks only (Mn); StripAccents
		// drops every mark (the Rust library differs the same way).
		n.filter(func(r rune) bool { return !unicode.Is(unicode.Mn, r) })
	}
	if b.lowercase {
		return lowercaseNorm{}.normalize(n)
	}
	return nil
}

type unicodeNorm struct{ f norm.Form }

func (u unicodeNorm) normalize(n *normStr) error {
	if len(n.runes) == 0 {
		return nil
	}
	src := []byte(string(n.runes))
	if u.f.IsNormal(src) {
		return nil
	}
	dest := make([]change, 0, len(n.runes)+4)
	for len(src) > 0 {
		b := u.f.NextBoundary(src, true)
		if b <= 0 || b > len(src) {
			b = len(src)
		}
		seg := src[:b]
		src = src[b:]
		k := utf8.RuneCount(seg)
		out := []rune(string(u.f.Bytes(seg)))
		m := len(out)
		if m >= k {
			for i, r := range out {
				c := 0
				if i >= k {
					c = 1
				}
				dest = append(dest, change{r, c})
			}
		} else {
			for i, r := range out {
				c := 0
				if i == 0 {
					c = -(k - m)
				}
				dest = append(dest, change{r, c})
			}
		}
	}
	n.transform(dest, 0)
	return nil
}

type lowercaseNorm struct{}

func (lowercaseNorm) normalize(n *normStr) error {
	need := false
	for _, r := range n.runes {
		if unicode.ToLower(r) != r || r == 0x130 {
			need = true
			break
		}
	}
	if !need {
		return nil
	}
	dest := make([]change, 0, len(n.runes)+1)
	for _, r := range n.runes {
		if r == 0x130 { // İ lowercases to i + combining dot above
			dest = append(dest, change{'i', 0}, change{0x307, 1})
			continue
		}
		dest = append(dest, change{unicode.ToLower(r), 0})
	}
	n.transform(dest, 0)
	return nil
}

type stripAccentsNorm struct{}

func (stripAccentsNorm) normalize(n *normStr) error {
	n.filter(func(r rune) bool { return !unicode.Is(unicode.M, r) })
	return nil
}

type stripNorm struct{ left, right bool }

func (s stripNorm) normalize(n *normStr) error {
	lead, trail := 0, 0
	if s.left {
		for lead < len(n.runes) && unicode.IsSpace(n.runes[lead]) {
			lead++
		}
	}
	if s.right {
		for trail < len(n.runes)-lead && unicode.IsSpace(n.runes[len(n.runes)-1-trail]) {
			trail++
		}
	}
	if lead == 0 && trail == 0 {
		return nil
	}
	l := len(n.runes)
	dest := make([]change, 0, l-lead-trail)
	for i := lead; i < l-trail; i++ {
		c := 0
		if i == l-trail-1 {
			c = -trail
		}
		dest = append(dest, change{n.runes[i], c})
	}
	n.transform(dest, lead)
	return nil
}

type prependNorm string

func (p prependNorm) normalize(n *normStr) error {
	n.prepend(string(p))
	return nil
}

type appendNorm string

func (p appendNorm) normalize(n *normStr) error {
	n.appendStr(string(p))
	return nil
}

type replaceNorm struct {
	pat     pattern
	content string
}

func (r replaceNorm) normalize(n *normStr) error {
	hits, err := r.pat.find(n.runes)
	if err != nil {
		return err
	}
	if len(hits) > 0 {
		n.replaceMatches(hits, r.content)
	}
	return nil
}

type nmtNorm struct{}

func (nmtNorm) normalize(n *normStr) error {
	n.filter(func(r rune) bool {
		switch {
		case r >= 0x1 && r <= 0x8, r == 0xB, r >= 0xE && r <= 0x1F, r == 0x7F, r == 0x8F, r == 0x9F:
			return false
		}
		return true
	})
	n.mapRunes(func(r rune) rune {
		switch {
		case r == 0x9, r == 0xA, r == 0xC, r == 0xD, r == 0x1680, r >= 0x200B && r <= 0x200F,
			r == 0x2028, r == 0x2029, r == 0x2581, r == 0xFEFF, r == 0xFFFD:
			return ' '
		}
		return r
	})
	return nil
}
