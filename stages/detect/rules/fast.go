package rules

import "strings"

// matcher is a hand-written equivalent of a recognizer's anchored pattern:
// it returns the length in bytes of the match Go's regexp (leftmost-first,
// greedy) finds at the start of s, or 0 when there is none. Matchers
// replace the regexp for the simple, hot formats; TestMatchersEqualRegexp
// compares each with its pattern at every start of the golden corpus and of
// random text.
type matcher func(s string) int

// digits counts the ASCII digits at s[i:], up to limit.
func digits(s string, i, limit int) int {
	n := 0
	for n < limit && i+n < len(s) && isDigitByte(s[i+n]) {
		n++
	}
	return n
}

// hexes counts the hexadecimal digits at s[i:], up to limit.
func hexes(s string, i, limit int) int {
	n := 0
	for n < limit && i+n < len(s) && isHexByte(s[i+n]) {
		n++
	}
	return n
}

// exactDigits reports whether s[i:i+n] are n digits.
func exactDigits(s string, i, n int) bool { return digits(s, i, n) == n }

// exactHexes reports whether s[i:i+n] are n hexadecimal digits.
func exactHexes(s string, i, n int) bool { return hexes(s, i, n) == n }

// dottedQuad matches \d{1,3}(?:\.\d{1,3}){3} at s[i:] and returns its end,
// or -1.
func dottedQuad(s string, i int) int {
	for g := 0; g < 3; g++ {
		k := digits(s, i, 4)
		if k < 1 || k > 3 || at(s, i+k) != '.' {
			return -1
		}
		i += k + 1
	}
	k := digits(s, i, 3)
	if k < 1 {
		return -1
	}
	return i + k
}

// matchIPv4 is \d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}.
func matchIPv4(s string) int { return max(0, dottedQuad(s, 0)) }

// matchIPv6 is (?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?
func matchIPv6(s string) int {
	i, groups := 0, 0
	for groups < 7 {
		k := hexes(s, i, 5)
		if k > 4 || at(s, i+k) != ':' {
			break
		}
		i += k + 1
		groups++
	}
	if groups < 2 {
		return 0
	}
	if e := dottedQuad(s, i); e > 0 {
		return e
	}
	return i + hexes(s, i, 4)
}

// matchMAC is hex{2}(?::hex{2}){5}|hex{2}(?:-hex{2}){5}|hex{4}\.hex{4}\.hex{4}.
func matchMAC(s string) int {
	for _, sep := range [2]byte{':', '-'} {
		ok := exactHexes(s, 0, 2)
		for g := 0; ok && g < 5; g++ {
			ok = at(s, 2+3*g) == sep && exactHexes(s, 3+3*g, 2)
		}
		if ok {
			return 17
		}
	}
	if exactHexes(s, 0, 4) && at(s, 4) == '.' && exactHexes(s, 5, 4) && at(s, 9) == '.' && exactHexes(s, 10, 4) {
		return 14
	}
	return 0
}

// isPhoneClass is [\d \-.()].
func isPhoneClass(c byte) bool {
	return isDigitByte(c) || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'
}

// matchPhone is \+?\(?\d[\d \-.()]{5,24}\d(?:\s?(?:x|ext\.?|poste)\s?\d{1,5})?
func matchPhone(s string) int {
	i := 0
	if at(s, i) == '+' {
		i++
	}
	if at(s, i) == '(' {
		i++
	}
	if !isDigitByte(at(s, i)) {
		return 0
	}
	j := i + 1
	n := 0
	for n < 24 && j+n < len(s) && isPhoneClass(s[j+n]) {
		n++
	}
	// The class run gives back bytes until a digit follows it.
	for n >= 5 && !isDigitByte(at(s, j+n)) {
		n--
	}
	if n < 5 {
		return 0
	}
	end := j + n + 1
	// Optional extension.
	k := end
	if isRESpace(at(s, k)) {
		k++
	}
	switch {
	case at(s, k) == 'x':
		k++
	case strings.HasPrefix(s[min(k, len(s)):], "ext"):
		k += 3
		if at(s, k) == '.' {
			k++
		}
	case strings.HasPrefix(s[min(k, len(s)):], "poste"):
		k += 5
	default:
		return end
	}
	if isRESpace(at(s, k)) {
		k++
	}
	if d := digits(s, k, 5); d > 0 {
		return k + d
	}
	return end
}

// isSepSpaceDash is [ \-].
func isSepSpaceDash(c byte) bool { return c == ' ' || c == '-' }

// matchIMEI is \d{2}[ \-]?\d{6}[ \-]?\d{6}[ \-]?\d.
func matchIMEI(s string) int {
	i := 0
	for g, n := range [4]int{2, 6, 6, 1} {
		if g > 0 && isSepSpaceDash(at(s, i)) {
			i++
		}
		if !exactDigits(s, i, n) {
			return 0
		}
		i += n
	}
	return i
}

// matchCard is \d(?:[ \-]?\d){12,18}.
func matchCard(s string) int {
	if !isDigitByte(at(s, 0)) {
		return 0
	}
	i, reps := 1, 0
	for reps < 18 {
		j := i
		if isSepSpaceDash(at(s, j)) {
			j++
		}
		if !isDigitByte(at(s, j)) {
			break
		}
		i = j + 1
		reps++
	}
	if reps < 12 {
		return 0
	}
	return i
}

// isUpperDigit is [A-Z0-9].
func isUpperDigit(c byte) bool { return isUpperByte(c) || isDigitByte(c) }

// matchIBAN is [A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,32}.
func matchIBAN(s string) int {
	if !isUpperByte(at(s, 0)) || !isUpperByte(at(s, 1)) || !exactDigits(s, 2, 2) {
		return 0
	}
	i, reps := 4, 0
	for reps < 32 {
		j := i
		if at(s, j) == ' ' {
			j++
		}
		if !isUpperDigit(at(s, j)) {
			break
		}
		i = j + 1
		reps++
	}
	if reps < 10 {
		return 0
	}
	return i
}

// matchSSN is \d{3}[- ]\d{2}[- ]\d{4}|\d{9}.
func matchSSN(s string) int {
	if exactDigits(s, 0, 3) && isSepSpaceDash(at(s, 3)) && exactDigits(s, 4, 2) && isSepSpaceDash(at(s, 6)) && exactDigits(s, 7, 4) {
		return 11
	}
	if exactDigits(s, 0, 9) {
		return 9
	}
	return 0
}

// matchNIR is [1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}.
func matchNIR(s string) int {
	switch at(s, 0) {
	case '1', '2', '3', '4', '7', '8':
	default:
		return 0
	}
	i := 1
	for g, n := range [6]int{2, 2, 2, 3, 3, 2} {
		if at(s, i) == ' ' {
			i++
		}
		if g == 2 && !exactDigits(s, i, 2) {
			if at(s, i) == '2' && (at(s, i+1) == 'A' || at(s, i+1) == 'B') {
				i += 2
				continue
			}
			return 0
		}
		if !exactDigits(s, i, n) {
			return 0
		}
		i += n
	}
	return i
}

// matchDateNumeric is \d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}.
func matchDateNumeric(s string) int {
	i := 0
	for _, most := range [2]int{4, 2} {
		k := digits(s, i, most+1)
		if k < 1 || k > most {
			return 0
		}
		i += k
		if c := at(s, i); c != '/' && c != '.' && c != '-' {
			return 0
		}
		i++
	}
	k := digits(s, i, 4)
	if k < 1 {
		return 0
	}
	return i + k
}

// matchZip is \d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}.
func matchZip(s string) int {
	if exactDigits(s, 0, 5) {
		if at(s, 5) == '-' && exactDigits(s, 6, 4) {
			return 10
		}
		return 5
	}
	if !isUpperByte(at(s, 0)) {
		return 0
	}
	i := 1
	if isUpperByte(at(s, 1)) {
		i = 2
	}
	if !isDigitByte(at(s, i)) {
		return 0
	}
	i++
	// [A-Z\d]? then " ?", each preferring to take a byte.
	for _, opt1 := range [2]bool{true, false} {
		if opt1 && !isUpperDigit(at(s, i)) {
			continue
		}
		j := i
		if opt1 {
			j++
		}
		for _, opt2 := range [2]bool{true, false} {
			if opt2 && at(s, j) != ' ' {
				continue
			}
			k := j
			if opt2 {
				k++
			}
			if isDigitByte(at(s, k)) && isUpperByte(at(s, k+1)) && isUpperByte(at(s, k+2)) {
				return k + 3
			}
		}
	}
	return 0
}

// matcherFor returns the hand-written matcher for a recognizer, or nil.
func matcherFor(class, pattern string) matcher {
	switch class {
	case "IPV4":
		return matchIPv4
	case "IPV6":
		return matchIPv6
	case "MAC":
		return matchMAC
	case "PHONENUMBER":
		return matchPhone
	case "PHONEIMEI":
		return matchIMEI
	case "CREDITCARDNUMBER":
		return matchCard
	case "IBAN":
		return matchIBAN
	case "SSN":
		if strings.HasPrefix(pattern, `[1-478]`) {
			return matchNIR
		}
		return matchSSN
	case "DATE":
		if strings.HasPrefix(pattern, `\d{1,4}[/.\-]`) {
			return matchDateNumeric
		}
	case "ZIPCODE":
		return matchZip
	}
	return nil
}
