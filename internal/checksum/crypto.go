package checksum

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/mr-tron/base58"
	"golang.org/x/crypto/sha3"
)

// Version bytes of legacy (base58check) addresses.
const (
	BitcoinP2PKH  byte = 0x00 // addresses starting with 1
	BitcoinP2SH   byte = 0x05 // addresses starting with 3
	LitecoinP2PKH byte = 0x30 // addresses starting with L
	LitecoinP2SH  byte = 0x32 // addresses starting with M
)

// Base58Check decodes a base58check string: a version byte, a payload and a
// 4-byte checksum equal to the first bytes of SHA-256(SHA-256(version ‖
// payload)).
func Base58Check(s string) (version byte, payload []byte, err error) {
	raw, err := base58.Decode(s)
	if err != nil {
		return 0, nil, fmt.Errorf("base58check: %w", err)
	}
	if len(raw) < 5 {
		return 0, nil, errors.New("base58check: too short")
	}
	body, sum := raw[:len(raw)-4], raw[len(raw)-4:]
	if !bytes.Equal(doubleSHA256(body)[:4], sum) {
		return 0, nil, errors.New("base58check: checksum mismatch")
	}
	return body[0], body[1:], nil
}

// Base58CheckEncode encodes version ‖ payload with its 4-byte checksum.
func Base58CheckEncode(version byte, payload []byte) string {
	body := make([]byte, 0, 1+len(payload)+4)
	body = append(body, version)
	body = append(body, payload...)
	body = append(body, doubleSHA256(body)[:4]...)
	return base58.Encode(body)
}

func doubleSHA256(b []byte) []byte {
	h := sha256.Sum256(b)
	h = sha256.Sum256(h[:])
	return h[:]
}

// legacyAddress reports whether s is a base58check address with a 20-byte
// hash and one of the versions.
func legacyAddress(s string, versions ...byte) bool {
	if len(s) < 26 || len(s) > 35 {
		return false
	}
	v, p, err := Base58Check(s)
	if err != nil || len(p) != 20 {
		return false
	}
	return bytes.IndexByte(versions, v) >= 0
}

// BitcoinLegacy reports whether s is a valid Bitcoin P2PKH (1…) or P2SH (3…)
// address.
func BitcoinLegacy(s string) bool { return legacyAddress(s, BitcoinP2PKH, BitcoinP2SH) }

// LitecoinLegacy reports whether s is a valid Litecoin P2PKH (L…) or P2SH
// (M…) address. Old Litecoin P2SH addresses share Bitcoin's version 5 (3…)
// and cannot be told apart; BitcoinLegacy accepts those.
func LitecoinLegacy(s string) bool { return legacyAddress(s, LitecoinP2PKH, LitecoinP2SH) }

// Bech32 variants (BIP-173 and BIP-350).
const (
	Bech32  = 1
	Bech32m = 0x2bc830a3
)

const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

func bech32Polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		b := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := 0; i < 5; i++ {
			if (b>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}

func bech32HRPExpand(hrp string) []byte {
	out := make([]byte, 0, len(hrp)*2+1)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]>>5)
	}
	out = append(out, 0)
	for i := 0; i < len(hrp); i++ {
		out = append(out, hrp[i]&31)
	}
	return out
}

// Bech32Decode decodes a bech32 or bech32m string into its human-readable
// part (lower case), its 5-bit data (checksum removed) and its variant
// (Bech32 or Bech32m). Mixed case is an error, as BIP-173 requires.
func Bech32Decode(s string) (hrp string, data []byte, variant uint32, err error) {
	if len(s) > 90 {
		return "", nil, 0, errors.New("bech32: longer than 90 characters")
	}
	lower, upper := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 33 || c > 126 {
			return "", nil, 0, fmt.Errorf("bech32: invalid character at %d", i)
		}
		lower = lower || (c >= 'a' && c <= 'z')
		upper = upper || (c >= 'A' && c <= 'Z')
	}
	if lower && upper {
		return "", nil, 0, errors.New("bech32: mixed case")
	}
	s = strings.ToLower(s)
	pos := strings.LastIndexByte(s, '1')
	if pos < 1 || pos+7 > len(s) {
		return "", nil, 0, errors.New("bech32: separator misplaced")
	}
	hrp = s[:pos]
	values := bech32HRPExpand(hrp)
	for i := pos + 1; i < len(s); i++ {
		d := strings.IndexByte(bech32Charset, s[i])
		if d < 0 {
			return "", nil, 0, fmt.Errorf("bech32: invalid data character %q", s[i])
		}
		values = append(values, byte(d))
	}
	switch c := bech32Polymod(values); c {
	case Bech32, Bech32m:
		variant = c
	default:
		return "", nil, 0, errors.New("bech32: checksum mismatch")
	}
	data = values[len(values)-(len(s)-pos-1) : len(values)-6]
	return hrp, append([]byte(nil), data...), variant, nil
}

// Bech32Encode encodes hrp and 5-bit data with the variant's checksum.
func Bech32Encode(hrp string, data []byte, variant uint32) string {
	hrp = strings.ToLower(hrp)
	values := append(bech32HRPExpand(hrp), data...)
	values = append(values, 0, 0, 0, 0, 0, 0)
	mod := bech32Polymod(values) ^ variant
	var b strings.Builder
	b.WriteString(hrp)
	b.WriteByte('1')
	for _, d := range data {
		b.WriteByte(bech32Charset[d])
	}
	for i := 0; i < 6; i++ {
		b.WriteByte(bech32Charset[(mod>>(5*(5-i)))&31])
	}
	return b.String()
}

// convertBits regroups bits (8→5 or 5→8). With pad unset, leftover bits
// must be zero padding.
func convertBits(data []byte, from, to uint, pad bool) ([]byte, error) {
	acc, bits := uint32(0), uint(0)
	maxv := uint32(1)<<to - 1
	out := make([]byte, 0, len(data)*int(from)/int(to)+1)
	for _, v := range data {
		if uint32(v)>>from != 0 {
			return nil, errors.New("bech32: value out of range")
		}
		acc = acc<<from | uint32(v)
		bits += from
		for bits >= to {
			bits -= to
			out = append(out, byte(acc>>bits&maxv))
		}
	}
	if pad {
		if bits > 0 {
			out = append(out, byte(acc<<(to-bits)&maxv))
		}
	} else if bits >= from || acc<<(to-bits)&maxv != 0 {
		return nil, errors.New("bech32: invalid padding")
	}
	return out, nil
}

// SegwitDecode decodes a segregated-witness address (BIP-173/BIP-350) for the
// given human-readable part ("bc" for Bitcoin, "ltc" for Litecoin) and
// returns its witness version and program. Version 0 must use bech32 and a
// 20- or 32-byte program; versions 1–16 must use bech32m.
func SegwitDecode(hrp, addr string) (version int, program []byte, err error) {
	h, data, variant, err := Bech32Decode(addr)
	if err != nil {
		return 0, nil, err
	}
	if h != hrp {
		return 0, nil, fmt.Errorf("segwit: prefix %q, want %q", h, hrp)
	}
	if len(data) < 1 || data[0] > 16 {
		return 0, nil, errors.New("segwit: invalid witness version")
	}
	program, err = convertBits(data[1:], 5, 8, false)
	if err != nil {
		return 0, nil, err
	}
	version = int(data[0])
	if len(program) < 2 || len(program) > 40 {
		return 0, nil, fmt.Errorf("segwit: program of %d bytes", len(program))
	}
	if version == 0 && len(program) != 20 && len(program) != 32 {
		return 0, nil, fmt.Errorf("segwit: v0 program of %d bytes", len(program))
	}
	if (version == 0) != (variant == Bech32) {
		return 0, nil, errors.New("segwit: wrong checksum variant for witness version")
	}
	return version, program, nil
}

// SegwitEncode encodes a witness version and program as an address.
func SegwitEncode(hrp string, version int, program []byte) (string, error) {
	if version < 0 || version > 16 {
		return "", fmt.Errorf("segwit: witness version %d", version)
	}
	data, err := convertBits(program, 8, 5, true)
	if err != nil {
		return "", err
	}
	variant := uint32(Bech32m)
	if version == 0 {
		variant = Bech32
	}
	addr := Bech32Encode(hrp, append([]byte{byte(version)}, data...), variant)
	if _, _, err := SegwitDecode(strings.ToLower(hrp), addr); err != nil {
		return "", err
	}
	return addr, nil
}

// EthereumAddress reports whether s is "0x" followed by 40 hexadecimal
// digits. An all-lower or all-upper address carries no checksum and is
// accepted on shape; a mixed-case one must match its EIP-55 checksum.
func EthereumAddress(s string) bool {
	if len(s) != 42 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') {
		return false
	}
	lower, upper := false, false
	for i := 2; i < 42; i++ {
		c := s[i]
		switch {
		case isDigit(c):
		case c >= 'a' && c <= 'f':
			lower = true
		case c >= 'A' && c <= 'F':
			upper = true
		default:
			return false
		}
	}
	if !(lower && upper) {
		return true
	}
	want, err := EIP55(s)
	return err == nil && want[2:] == s[2:]
}

// EIP55 returns the EIP-55 mixed-case checksummed form ("0x" + 40 hex) of an
// Ethereum address given in any case, with or without the 0x prefix.
func EIP55(addr string) (string, error) {
	a := strings.TrimPrefix(strings.TrimPrefix(addr, "0x"), "0X")
	a = strings.ToLower(a)
	if len(a) != 40 {
		return "", fmt.Errorf("eip55: %d hex digits, want 40", len(a))
	}
	if _, err := hex.DecodeString(a); err != nil {
		return "", fmt.Errorf("eip55: %w", err)
	}
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(a))
	sum := h.Sum(nil)
	out := []byte("0x" + a)
	for i := 0; i < 40; i++ {
		nib := sum[i/2] >> 4
		if i%2 == 1 {
			nib = sum[i/2] & 0x0f
		}
		if c := out[i+2]; c >= 'a' && c <= 'f' && nib >= 8 {
			out[i+2] = c - 'a' + 'A'
		}
	}
	return string(out), nil
}
