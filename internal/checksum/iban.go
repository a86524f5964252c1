package checksum

import (
	"fmt"
	"strings"
)

// ibanLengths is the total IBAN length per country, from the SWIFT IBAN
// registry (ISO 13616).
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
	"BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
	"DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
	"GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
	"IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
	"LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
	"MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
	"PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
	"SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
	"TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// IBANLength returns the registered IBAN length (country code and check
// digits included) for an ISO 3166 country code, and whether it is known.
func IBANLength(country string) (int, bool) {
	n, ok := ibanLengths[country]
	return n, ok
}

// IBAN reports whether s is a valid IBAN in electronic form (upper case, no
// spaces): a known country, that country's length, and ISO 7064 mod 97-10
// check digits.
func IBAN(s string) bool {
	if len(s) < 5 {
		return false
	}
	n, ok := ibanLengths[s[:2]]
	if !ok || len(s) != n || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	for i := 4; i < len(s); i++ {
		if !isUpperAlnum(s[i]) {
			return false
		}
	}
	r, ok := mod97(s[4:], s[:4])
	return ok && r == 1
}

// IBANCheckDigits returns the two check digits for an IBAN with the given
// country code and BBAN (upper-case letters and digits). When the country is
// in the registry the BBAN length must match it.
func IBANCheckDigits(country, bban string) (string, error) {
	if len(country) != 2 || !isUpper(country[0]) || !isUpper(country[1]) {
		return "", fmt.Errorf("iban: country %q is not two upper-case letters", country)
	}
	if n, ok := ibanLengths[country]; ok && len(bban)+4 != n {
		return "", fmt.Errorf("iban: %s BBAN must have %d characters, got %d", country, n-4, len(bban))
	}
	r, ok := mod97(bban, country+"00")
	if !ok || bban == "" {
		return "", fmt.Errorf("iban: BBAN of %d characters must be non-empty upper-case letters and digits", len(bban))
	}
	return fmt.Sprintf("%02d", 98-r), nil
}

// mod97 computes the ISO 7064 mod 97-10 remainder of a+b with letters
// expanded to two digits (A=10 … Z=35).
func mod97(a, b string) (int, bool) {
	r := 0
	for _, s := range [2]string{a, b} {
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case isDigit(c):
				r = (r*10 + int(c-'0')) % 97
			case isUpper(c):
				r = (r*100 + int(c-'A') + 10) % 97
			default:
				return 0, false
			}
		}
	}
	return r, true
}

// CompactIBAN removes spaces from an IBAN in print form.
func CompactIBAN(s string) string { return strings.ReplaceAll(s, " ", "") }

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isUpper(c byte) bool      { return c >= 'A' && c <= 'Z' }
func isUpperAlnum(c byte) bool { return isDigit(c) || isUpper(c) }
