package rules

import "strings"

// prefilter is a cheap necessary condition for a recognizer's anchored
// pattern to match a non-empty prefix of s (the bounded window scanStarts
// gives the regexp). It may accept where the pattern then fails, never the
// other way round: rejecting only skips a regexp call that would have found
// nothing, so the output is unchanged. TestPrefiltersAreNecessary checks
// this on the golden corpus and on random text.
type prefilter func(s string) bool

func isUpperByte(c byte) bool { return c >= 'A' && c <= 'Z' }

// at is s[i], or 0 past the end.
func at(s string, i int) byte {
	if i < len(s) {
		return s[i]
	}
	return 0
}

// run counts the bytes of s from i that are in set.
func run(s string, i int, set *[256]bool) int {
	n := 0
	for i+n < len(s) && set[s[i+n]] {
		n++
	}
	return n
}

// countIn counts, in the longest run of s from i made of bytes in set, the
// bytes that are also in want.
func countIn(s string, i int, set, want *[256]bool) int {
	n := 0
	for ; i < len(s) && set[s[i]]; i++ {
		if want[s[i]] {
			n++
		}
	}
	return n
}

func byteSet(chars string, ranges ...[2]byte) *[256]bool {
	var set [256]bool
	for i := 0; i < len(chars); i++ {
		set[chars[i]] = true
	}
	for _, r := range ranges {
		for c := int(r[0]); c <= int(r[1]); c++ {
			set[c] = true
		}
	}
	return &set
}

var (
	setDigit     = byteSet("", [2]byte{'0', '9'})
	setHex       = byteSet("", [2]byte{'0', '9'}, [2]byte{'a', 'f'}, [2]byte{'A', 'F'})
	setDigitSpDa = byteSet(" -", [2]byte{'0', '9'})                  // [\d \-]
	setPhone     = byteSet(" -.()", [2]byte{'0', '9'})               // [\d \-.()]
	setUpperDig  = byteSet("", [2]byte{'A', 'Z'}, [2]byte{'0', '9'}) // [A-Z0-9]
	setUpperDigS = byteSet(" ", [2]byte{'A', 'Z'}, [2]byte{'0', '9'})
	setNIR       = byteSet(" AB", [2]byte{'0', '9'})
	setVIN       = byteSet("", [2]byte{'A', 'H'}, [2]byte{'J', 'N'}, [2]byte{'P', 'P'}, [2]byte{'R', 'Z'}, [2]byte{'0', '9'})
	setBase58    = byteSet("", [2]byte{'1', '9'}, [2]byte{'A', 'H'}, [2]byte{'J', 'N'}, [2]byte{'P', 'Z'}, [2]byte{'a', 'k'}, [2]byte{'m', 'z'})
	setBech32    = byteSet("", [2]byte{'0', '0'}, [2]byte{'2', '9'}, [2]byte{'a', 'a'}, [2]byte{'c', 'h'}, [2]byte{'j', 'n'}, [2]byte{'p', 'z'},
		[2]byte{'A', 'A'}, [2]byte{'C', 'H'}, [2]byte{'J', 'N'}, [2]byte{'P', 'Z'})
	// ASCII bytes of an e-mail local part; any non-ASCII byte may be part
	// of a letter or digit.
	setEmailLocal = byteSet("._%+-'", [2]byte{'a', 'z'}, [2]byte{'A', 'Z'}, [2]byte{'0', '9'}, [2]byte{0x80, 0xFF})
)

// \s in Go regexps: [\t\n\f\r ].
func isRESpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

// prefilters, by recognizer class and pattern (the SSN and DATE classes
// have several patterns).
func prefilterFor(class, pattern string) prefilter {
	switch class {
	case "EMAIL":
		// local part, then '@'.
		return func(s string) bool {
			n := run(s, 0, setEmailLocal)
			return n > 0 && at(s, n) == '@'
		}
	case "IPV4":
		return func(s string) bool {
			k := run(s, 0, setDigit)
			return k >= 1 && k <= 3 && at(s, k) == '.' && isDigitByte(at(s, k+1))
		}
	case "IPV6":
		return func(s string) bool {
			k := run(s, 0, setHex)
			return k <= 4 && at(s, k) == ':'
		}
	case "MAC":
		return func(s string) bool {
			if !setHex[at(s, 0)] || !setHex[at(s, 1)] {
				return false
			}
			c := at(s, 2)
			return (c == ':' || c == '-') && setHex[at(s, 3)] || setHex[c] && setHex[at(s, 3)] && at(s, 4) == '.'
		}
	case "PHONENUMBER":
		return func(s string) bool {
			i := 0
			if at(s, i) == '+' {
				i++
			}
			if at(s, i) == '(' {
				i++
			}
			// \d[\d \-.()]{5,24}\d: at least 7 bytes of the class, the
			// first one a digit.
			return isDigitByte(at(s, i)) && run(s, i, setPhone) >= 7
		}
	case "PHONEIMEI":
		return func(s string) bool { return countIn(s, 0, setDigitSpDa, setDigit) >= 15 }
	case "CREDITCARDNUMBER":
		return func(s string) bool { return countIn(s, 0, setDigitSpDa, setDigit) >= 13 }
	case "IBAN":
		return func(s string) bool {
			return isUpperByte(at(s, 0)) && isUpperByte(at(s, 1)) && isDigitByte(at(s, 2)) && isDigitByte(at(s, 3)) &&
				countIn(s, 4, setUpperDigS, setUpperDig) >= 10
		}
	case "BIC":
		return func(s string) bool {
			for i := 0; i < 6; i++ {
				if !isUpperByte(at(s, i)) {
					return false
				}
			}
			return setUpperDig[at(s, 6)] && setUpperDig[at(s, 7)]
		}
	case "SSN":
		if strings.HasPrefix(pattern, `[1-478]`) { // NIR: 15 characters, spaces allowed
			return func(s string) bool { return run(s, 0, setNIR) >= 15 }
		}
		return func(s string) bool { return countIn(s, 0, setDigitSpDa, setDigit) >= 9 }
	case "VEHICLEVIN":
		return func(s string) bool { return run(s, 0, setVIN) >= 17 }
	case "BITCOINADDRESS":
		return func(s string) bool {
			if c := s[0]; c == '1' || c == '3' {
				return run(s, 1, setBase58) >= 25
			}
			return len(s) >= 14 && strings.EqualFold(s[:3], "bc1") && run(s, 3, setBech32) >= 11
		}
	case "LITECOINADDRESS":
		return func(s string) bool {
			if c := s[0]; (c == 'L' || c == 'M') && run(s, 1, setBase58) >= 26 {
				return true
			}
			return len(s) >= 15 && strings.EqualFold(s[:4], "ltc1") && run(s, 4, setBech32) >= 11
		}
	case "ETHEREUMADDRESS":
		return func(s string) bool {
			return len(s) >= 42 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && run(s, 2, setHex) >= 40
		}
	case "DATE":
		switch {
		case strings.HasPrefix(pattern, `\d{1,4}[/.\-]`): // numeric
			return func(s string) bool {
				k := run(s, 0, setDigit)
				c := at(s, k)
				return k >= 1 && k <= 4 && (c == '/' || c == '.' || c == '-') && isDigitByte(at(s, k+1))
			}
		case strings.Contains(pattern, "January"): // English words
			return preDateEnglish
		default: // French words
			return preDateFrench
		}
	case "TIME":
		// An hour of one or two digits, then ':', or [ap]m or h after an
		// optional space.
		return func(s string) bool {
			k := run(s, 0, setDigit)
			if k < 1 || k > 2 {
				return false
			}
			c := at(s, k)
			if c == ':' {
				return true
			}
			if isRESpace(c) {
				c = at(s, k+1)
			}
			switch c | 0x20 {
			case 'a', 'p', 'h':
				return true
			}
			return false
		}
	case "ZIPCODE":
		return func(s string) bool {
			if isDigitByte(s[0]) {
				return run(s, 0, setDigit) >= 5
			}
			return isUpperByte(s[0]) && (isDigitByte(at(s, 1)) || isUpperByte(at(s, 1)) && isDigitByte(at(s, 2)))
		}
	case "NEARBYGPSCOORDINATE":
		return func(s string) bool {
			i := 0
			if c := s[0]; c == '-' || c == '+' {
				i++
			}
			k := run(s, i, setDigit)
			c := at(s, i+k)
			return k >= 1 && k <= 2 && (c == '.' || c == ',') && run(s, i+k+1, setDigit) >= 3
		}
	}
	return nil
}

// skipSpaces returns the index after the \s+ at s[i:], or -1 when there is
// no space there.
func skipSpaces(s string, i int) int {
	if !isRESpace(at(s, i)) {
		return -1
	}
	for isRESpace(at(s, i)) {
		i++
	}
	return i
}

// enMonthStem reports whether an English month name or abbreviation (as
// the DATE pattern writes them: capitalised) starts at s[i:].
func enMonthStem(s string, i int) bool {
	if i+3 > len(s) {
		return false
	}
	switch s[i : i+3] {
	case "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec":
		return true
	}
	return false
}

// preDateEnglish: "3rd of March", "March 3", "March, 2021" — a month must
// follow the day, and a space and a digit must follow the month.
func preDateEnglish(s string) bool {
	if k := run(s, 0, setDigit); k > 0 {
		if k > 2 {
			return false
		}
		j := k
		switch s[j:min(j+2, len(s))] {
		case "st", "nd", "rd", "th":
			j += 2
		}
		if j = skipSpaces(s, j); j < 0 {
			return false
		}
		if strings.HasPrefix(s[j:], "of") {
			if k := skipSpaces(s, j+2); k > 0 {
				j = k
			}
		}
		return enMonthStem(s, j)
	}
	if !enMonthStem(s, 0) {
		return false
	}
	j := 3
	for j < len(s) && s[j] >= 'a' && s[j] <= 'z' {
		j++
	}
	if at(s, j) == '.' {
		j++
	}
	if at(s, j) == ',' {
		j++
	}
	if j = skipSpaces(s, j); j < 0 {
		return false
	}
	return isDigitByte(at(s, j))
}

// frMonthNames are the French month names as the DATE pattern spells them
// (the first letter in either case).
var frMonthNames = []string{"janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout",
	"septembre", "octobre", "novembre", "décembre", "decembre"}

// frMonthAt reports whether a French month name starts at s[i:].
func frMonthAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i] | 0x20
	for _, m := range frMonthNames {
		if m[0] == c && strings.HasPrefix(s[i+1:], m[1:]) {
			return true
		}
	}
	return false
}

// preDateFrench: "1er janvier", "3 mars 2024", "mars 2024".
func preDateFrench(s string) bool {
	if k := run(s, 0, setDigit); k > 0 {
		j := k
		if strings.HasPrefix(s, "1er") {
			j = 3
			if k2 := skipSpaces(s, j); k2 > 0 && frMonthAt(s, k2) {
				return true
			}
			j = k
		}
		if k > 2 {
			return false
		}
		if j = skipSpaces(s, j); j < 0 {
			return false
		}
		return frMonthAt(s, j)
	}
	if !frMonthAt(s, 0) {
		return false
	}
	j := 0
	for j < len(s) && !isRESpace(s[j]) {
		j++
	}
	if j = skipSpaces(s, j); j < 0 {
		return false
	}
	return exactDigits(s, j, 4)
}
