package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

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
	case "VEHICLEVIN":
		return matchVIN
	case "ETHEREUMADDRESS":
		return matchEthereum
	case "BIC":
		return matchBIC
	case "BITCOINADDRESS":
		return coinMatcher("13", 25, 34, "bc1")
	case "LITECOINADDRESS":
		return coinMatcher("LM", 26, 33, "ltc1")
	case "TIME":
		return matchTime
	case "EMAIL":
		return matchEmail
	}
	return nil
}

// matchVIN is [A-HJ-NPR-Z0-9]{17}.
func matchVIN(s string) int {
	if run(s, 0, setVIN) >= 17 {
		return 17
	}
	return 0
}

// matchEthereum is 0[xX][0-9A-Fa-f]{40}.
func matchEthereum(s string) int {
	if at(s, 0) == '0' && (at(s, 1) == 'x' || at(s, 1) == 'X') && exactHexes(s, 2, 40) {
		return 42
	}
	return 0
}

// matchBIC is [A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?.
func matchBIC(s string) int {
	for i := 0; i < 6; i++ {
		if !isUpperByte(at(s, i)) {
			return 0
		}
	}
	n := run(s, 6, setUpperDig)
	switch {
	case n >= 5:
		return 11
	case n >= 2:
		return 8
	}
	return 0
}

// coinMatcher is [legacy…]base58{lo,hi}|(?i:hrp)bech32{11,71}.
func coinMatcher(legacy string, lo, hi int, hrp string) matcher {
	return func(s string) int {
		if strings.IndexByte(legacy, at(s, 0)) >= 0 {
			if n := min(run(s, 1, setBase58), hi); n >= lo {
				return 1 + n
			}
		}
		if len(s) < len(hrp) {
			return 0
		}
		for i := 0; i < len(hrp); i++ {
			if s[i]|0x20 != hrp[i]|0x20 || (hrp[i] >= '0' && hrp[i] <= '9') && s[i] != hrp[i] {
				return 0
			}
		}
		if n := min(run(s, len(hrp), setBech32), 71); n >= 11 {
			return len(hrp) + n
		}
		return 0
	}
}

// hourOptions returns the lengths of the hour prefixes (?:[01]?\d|2[0-3])
// can match at s, in the regexp's order of preference (at most three).
func hourOptions(s string) (opts [3]int, n int) {
	c0, c1 := at(s, 0), at(s, 1)
	if (c0 == '0' || c0 == '1') && isDigitByte(c1) {
		opts[n] = 2
		n++
	}
	if isDigitByte(c0) {
		opts[n] = 1
		n++
	}
	if c0 == '2' && c1 >= '0' && c1 <= '3' {
		opts[n] = 2
		n++
	}
	return opts, n
}

// ampm matches \s?[ap]\.?m\.? (case-insensitive) at s[i:] and returns its
// end, or -1.
func ampm(s string, i int) int {
	if isRESpace(at(s, i)) {
		i++
	}
	if c := at(s, i) | 0x20; c != 'a' && c != 'p' {
		return -1
	}
	i++
	if at(s, i) == '.' {
		i++
	}
	if at(s, i)|0x20 != 'm' {
		return -1
	}
	i++
	if at(s, i) == '.' {
		i++
	}
	return i
}

// isMinute reports whether s[i:i+2] is [0-5]\d.
func isMinute(s string, i int) bool {
	c := at(s, i)
	return c >= '0' && c <= '5' && isDigitByte(at(s, i+1))
}

// matchTime is
// (?i)(?:[01]?\d|2[0-3])(?::[0-5]\d){1,2}(?:\s?[ap]\.?m\.?)?|(?:1[0-2]|0?[1-9])\s?[ap]\.?m\.?|(?:[01]?\d|2[0-3])\s?h\s?(?:[0-5]\d)?
func matchTime(s string) int {
	opts, n := hourOptions(s)
	for _, h := range opts[:n] {
		i, groups := h, 0
		for groups < 2 && at(s, i) == ':' && isMinute(s, i+1) {
			i += 3
			groups++
		}
		if groups > 0 {
			if e := ampm(s, i); e > 0 {
				return e
			}
			return i
		}
	}
	// (?:1[0-2]|0?[1-9]) then am/pm.
	c0, c1 := at(s, 0), at(s, 1)
	var alt2 [3]int
	n2 := 0
	if c0 == '1' && c1 >= '0' && c1 <= '2' {
		alt2[n2] = 2
		n2++
	}
	if c0 == '0' && c1 >= '1' && c1 <= '9' {
		alt2[n2] = 2
		n2++
	}
	if c0 >= '1' && c0 <= '9' {
		alt2[n2] = 1
		n2++
	}
	for _, h := range alt2[:n2] {
		if e := ampm(s, h); e > 0 {
			return e
		}
	}
	for _, h := range opts[:n] {
		i := h
		if isRESpace(at(s, i)) {
			i++
		}
		if at(s, i)|0x20 != 'h' {
			continue
		}
		i++
		if isRESpace(at(s, i)) {
			i++
		}
		if isMinute(s, i) {
			i += 2
		}
		return i
	}
	return 0
}

// isLN is [\p{L}\p{N}].
func isLN(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// isL is \p{L}.
func isL(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return unicode.IsLetter(r)
}

// matchEmail is
// [\p{L}\p{N}._%+\-']+@L(?:[L\-]*L)?(?:\.L(?:[L\-]*L)?)*\.\p{L}{2,} with L
// = [\p{L}\p{N}]. A label is a whole run of [L\-] (a shorter one would be
// followed by a byte of the run, not '.'), so the regexp's choice comes down
// to: the first label, then as many whole labels as possible, backing off
// one at a time until a ".letters" (two or more) follows.
func matchEmail(s string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if isLN(rune(c)) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'' {
				i++
				continue
			}
			break
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isLN(r) {
			break
		}
		i += n
	}
	if i == 0 || at(s, i) != '@' {
		return 0
	}
	i++
	// label returns the end of the label at j, or -1.
	label := func(j int) int {
		end, last := j, -1
		for end < len(s) {
			r, n := utf8.DecodeRuneInString(s[end:])
			if r == '-' {
				if end == j {
					return -1
				}
			} else if isLN(r) {
				last = end + n
			} else {
				break
			}
			end += n
		}
		if last != end {
			return -1
		}
		return end
	}
	// letters counts the \p{L} runes at j and returns their end.
	letters := func(j int) (int, int) {
		k := 0
		for j < len(s) {
			r, n := utf8.DecodeRuneInString(s[j:])
			if !isL(r) {
				break
			}
			j += n
			k++
		}
		return j, k
	}
	e := label(i)
	if e < 0 {
		return 0
	}
	// dots[k] is the offset of the k-th '.' that follows a whole label.
	var buf [16]int
	dots := buf[:0]
	for at(s, e) == '.' {
		dots = append(dots, e)
		next := label(e + 1)
		if next < 0 {
			break
		}
		e = next
	}
	for k := len(dots) - 1; k >= 0; k-- {
		if end, n := letters(dots[k] + 1); n >= 2 {
			return end
		}
	}
	return 0
}
