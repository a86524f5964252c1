package checksum

import "fmt"

// vinWeights are the ISO 3779 / 49 CFR 565.15 position weights; position 9
// (the check digit itself) weighs 0.
var vinWeights = [17]int{8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2}

// vinValue transliterates one VIN character (I, O and Q are not allowed).
func vinValue(c byte) (int, bool) {
	switch {
	case isDigit(c):
		return int(c - '0'), true
	case c >= 'A' && c <= 'H':
		return int(c-'A') + 1, true // A1 … H8
	case c >= 'J' && c <= 'N':
		return int(c-'J') + 1, true // J1 … N5
	case c == 'P':
		return 7, true
	case c == 'R':
		return 9, true
	case c >= 'S' && c <= 'Z':
		return int(c-'S') + 2, true // S2 … Z9
	}
	return 0, false
}

// VINStructure reports whether s has the shape of a VIN: 17 upper-case
// letters and digits without I, O or Q. It does not check the check digit.
func VINStructure(s string) bool {
	if len(s) != 17 {
		return false
	}
	for i := 0; i < 17; i++ {
		if _, ok := vinValue(s[i]); !ok {
			return false
		}
	}
	return true
}

// VINCheckDigit returns the check digit ('0'..'9' or 'X') that belongs at
// position 9 of a 17-character VIN; the character there now is ignored.
func VINCheckDigit(vin string) (byte, error) {
	if len(vin) != 17 {
		return 0, fmt.Errorf("vin: %d characters, want 17", len(vin))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		if i == 8 {
			continue
		}
		v, ok := vinValue(vin[i])
		if !ok {
			return 0, fmt.Errorf("vin: character %q at position %d is not allowed", vin[i], i+1)
		}
		sum += v * vinWeights[i]
	}
	r := sum % 11
	if r == 10 {
		return 'X', nil
	}
	return byte('0' + r), nil
}

// VIN reports whether s is a 17-character VIN whose position-9 check digit
// is valid. North American VINs always carry one; many European and Asian
// VINs do not, so VINStructure is the looser test for those.
func VIN(s string) bool {
	if !VINStructure(s) {
		return false
	}
	d, err := VINCheckDigit(s)
	return err == nil && d == s[8]
}
