package mask

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tink-crypto/tink-go/v2/daead/subtle"
)

// Operator types.
const (
	OpPlaceholder = "placeholder"
	OpRedact      = "redact"
	OpMask        = "mask"
	OpHash        = "hash"
	OpPseudonym   = "pseudonym"
	OpEncrypt     = "encrypt"
	OpKeep        = "keep"
)

// OperatorTypes lists the operator types in a stable order.
func OperatorTypes() []string {
	return []string{OpPlaceholder, OpRedact, OpMask, OpHash, OpPseudonym, OpEncrypt, OpKeep}
}

// OperatorSpec says how one class of values is replaced.
type OperatorSpec struct {
	// Type is one of OperatorTypes (default placeholder).
	Type string `yaml:"type" json:"type"`
	// Char is the masking character of the mask operator (default "*").
	Char string `yaml:"char" json:"char,omitempty"`
	// KeepLast is how many trailing characters the mask operator leaves.
	KeepLast int `yaml:"keep_last" json:"keep_last,omitempty"`
	// Length is the number of hex digits the hash operator keeps (default
	// 16, at most 64).
	Length int `yaml:"length" json:"length,omitempty"`
}

func (s OperatorSpec) withDefaults() OperatorSpec {
	if s.Type == "" {
		s.Type = OpPlaceholder
	}
	if s.Type == OpMask && s.Char == "" {
		s.Char = "*"
	}
	if s.Type == OpHash && s.Length == 0 {
		s.Length = 16
	}
	return s
}

// validate checks a spec against the keys available.
func (s OperatorSpec) validate(keys Keys) error {
	switch s.Type {
	case OpPlaceholder, OpRedact, OpKeep:
	case OpMask:
		if utf8.RuneCountInString(s.Char) != 1 {
			return fmt.Errorf("mask: char must be one character, got %q", s.Char)
		}
		if s.KeepLast < 0 {
			return fmt.Errorf("mask: keep_last must not be negative")
		}
	case OpHash:
		if s.Length < 4 || s.Length > 64 {
			return fmt.Errorf("hash: length must be in [4, 64], got %d", s.Length)
		}
		if len(keys.Hash) == 0 {
			return fmt.Errorf("hash: no key: set %s (an unkeyed hash of a name or a phone number is reversed by trying every candidate)", EnvHashKey)
		}
	case OpPseudonym:
		if len(keys.Pseudonym) == 0 {
			return fmt.Errorf("pseudonym: no key: set %s", EnvPseudonymKey)
		}
	case OpEncrypt:
		if len(keys.Encrypt) == 0 {
			return fmt.Errorf("encrypt: no key: set %s", EnvEncryptKey)
		}
	default:
		return fmt.Errorf("unknown operator %q (known: %s)", s.Type, strings.Join(OperatorTypes(), ", "))
	}
	return nil
}

// maskValue replaces every code point of v but the last keep with char.
func maskValue(v, char string, keep int) string {
	n := utf8.RuneCountInString(v)
	if keep >= n {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	i := 0
	for _, r := range v {
		if i < n-keep {
			b.WriteString(char)
		} else {
			b.WriteRune(r)
		}
		i++
	}
	return b.String()
}

// hasher computes keyed value hashes.
type hasher struct{ key []byte }

func newHasher(secret []byte) (*hasher, error) {
	k, err := deriveKey(secret, "hash", 32)
	if err != nil {
		return nil, err
	}
	return &hasher{key: k}, nil
}

// sum is HMAC-SHA256(key, label 0x00 value) as hex, truncated to n digits.
// The label is part of the input so that "Paris" the city and "Paris" the
// first name do not share a hash.
func (h *hasher) sum(label, value string, n int) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(label))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))[:n]
}

// Encrypter is deterministic, reversible encryption of values with AES-SIV
// (RFC 5297, 512-bit key derived from the secret): equal values of the same
// class give equal tokens, so encrypted columns stay joinable. Tokens look
// like ENC(EMAIL:base64url) and carry their class as associated data.
type Encrypter struct{ siv *subtle.AESSIV }

// NewEncrypter derives an AES-SIV key from secret (at least MinKeyLen bytes).
func NewEncrypter(secret []byte) (*Encrypter, error) {
	k, err := deriveKey(secret, "encrypt", subtle.AESSIVKeySize)
	if err != nil {
		return nil, err
	}
	siv, err := subtle.NewAESSIV(k)
	if err != nil {
		return nil, fmt.Errorf("encrypt: %w", err)
	}
	return &Encrypter{siv: siv}, nil
}

// Encrypt returns the token for value of class label.
func (e *Encrypter) Encrypt(label, value string) (string, error) {
	ct, err := e.siv.EncryptDeterministically([]byte(value), []byte(label))
	if err != nil {
		return "", fmt.Errorf("encrypt %s value: %w", label, err)
	}
	return "ENC(" + label + ":" + base64.RawURLEncoding.EncodeToString(ct) + ")", nil
}

// tokenRE matches the tokens Encrypt writes.
var tokenRE = regexp.MustCompile(`ENC\(([A-Z0-9_]+):([A-Za-z0-9_-]+)\)`)

// Decrypt returns text with every ENC(…) token replaced by its plaintext. A
// token that does not decrypt under this key is an error: nothing is
// restored with a wrong key.
func (e *Encrypter) Decrypt(text string) (string, error) {
	var firstErr error
	out := tokenRE.ReplaceAllStringFunc(text, func(tok string) string {
		m := tokenRE.FindStringSubmatch(tok)
		ct, err := base64.RawURLEncoding.DecodeString(m[2])
		if err == nil {
			var pt []byte
			pt, err = e.siv.DecryptDeterministically(ct, []byte(m[1]))
			if err == nil {
				return string(pt)
			}
		}
		if firstErr == nil {
			firstErr = fmt.Errorf("decrypt %s token: wrong key or corrupted token", m[1])
		}
		return tok
	})
	if firstErr != nil {
		return "", firstErr
	}
	return out, nil
}

// placeholderNumbers numbers values per label within one document.
type placeholderNumbers struct {
	numbers  map[[2]string]int
	perLabel map[string]int
}

func (p *placeholderNumbers) get(label, value string) string {
	if p.numbers == nil {
		p.numbers = map[[2]string]int{}
		p.perLabel = map[string]int{}
	}
	k := [2]string{label, value}
	n, ok := p.numbers[k]
	if !ok {
		p.perLabel[label]++
		n = p.perLabel[label]
		p.numbers[k] = n
	}
	return "[" + label + "_" + strconv.Itoa(n) + "]"
}
