package checksum

import "fmt"

// Luhn reports whether number (ASCII digits only, at least two) passes the
// Luhn mod-10 check used by payment cards and IMEI numbers.
func Luhn(number string) bool {
	if len(number) < 2 {
		return false
	}
	sum, ok := luhnSum(number, false)
	return ok && sum%10 == 0
}

// LuhnCheckDigit returns the digit ('0'..'9') that, appended to payload,
// makes a Luhn-valid number. payload must be non-empty ASCII digits.
func LuhnCheckDigit(payload string) (byte, error) {
	if payload == "" {
		return 0, fmt.Errorf("luhn: empty payload")
	}
	sum, ok := luhnSum(payload, true)
	if !ok {
		// The payload is (part of) a card number: never put it in an error.
		return 0, fmt.Errorf("luhn: payload of %d characters has a non-digit", len(payload))
	}
	return byte('0' + (10-sum%10)%10), nil
}

// luhnSum sums digits from the right, doubling every second one. When
// doubleFirst is set the rightmost digit is doubled (the payload of a number
// whose check digit is still missing).
func luhnSum(s string, doubleFirst bool) (int, bool) {
	sum := 0
	double := doubleFirst
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int(c - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum, true
}

// IMEI reports whether s is a 15-digit IMEI with a valid Luhn check digit.
func IMEI(s string) bool { return len(s) == 15 && Luhn(s) }
