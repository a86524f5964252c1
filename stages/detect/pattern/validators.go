package pattern

import (
	"sort"
	"strings"

	"github.com/piimask/piimask/internal/checksum"
)

// validators are the checks a recognizer can name, each over a match as
// written in the text (separators the check allows are removed first).
var validators = map[string]func(string) bool{
	// Luhn mod 10 (payment cards, IMEIs, many employee and customer numbers);
	// spaces and dashes are ignored.
	"luhn": func(s string) bool { return checksum.Luhn(stripSeparators(s)) },
	// ISO 13616 IBAN, mod 97-10; spaces ignored, case folded.
	"iban": func(s string) bool { return checksum.IBAN(strings.ToUpper(stripSeparators(s))) },
	// 15-digit IMEI with its Luhn check digit.
	"imei": func(s string) bool { return checksum.IMEI(stripSeparators(s)) },
	// 17-character VIN with its position-9 check digit.
	"vin": func(s string) bool { return checksum.VIN(strings.ToUpper(s)) },
	// US SSN structure (AAA-GG-SSSS); SSNs have no check digit.
	"ssn": checksum.SSN,
	// French NIR with its key.
	"nir": checksum.NIR,
	// ISO 9362 BIC structure and country.
	"bic": func(s string) bool { return checksum.BIC(strings.ToUpper(s)) },
	// Ethereum address (EIP-55 checksum when mixed case).
	"ethereum": checksum.EthereumAddress,
	// Bitcoin address: base58check (P2PKH, P2SH) or bech32/bech32m segwit.
	"bitcoin": func(s string) bool {
		if checksum.BitcoinLegacy(s) {
			return true
		}
		_, _, err := checksum.SegwitDecode("bc", s)
		return err == nil
	},
	// Litecoin address: base58check or ltc1 segwit.
	"litecoin": func(s string) bool {
		if checksum.LitecoinLegacy(s) {
			return true
		}
		_, _, err := checksum.SegwitDecode("ltc", s)
		return err == nil
	},
}

// Validators lists the validator names, sorted.
func Validators() []string {
	out := make([]string, 0, len(validators))
	for k := range validators {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// stripSeparators removes spaces and dashes.
func stripSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
}
