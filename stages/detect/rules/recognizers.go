package rules

import (
	"net"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/piimask/piimask/internal/checksum"
)

// checkFunc validates a regexp match [s,e) (byte offsets of the recognizer's
// group) in d and returns the span to emit (possibly narrowed) and its score.
type checkFunc func(d *doc, s, e int) (ns, ne int, score float64, ok bool)

// recognizer is one pattern for one class.
type recognizer struct {
	class     string
	re        *regexp.Regexp
	anch      *regexp.Regexp // ^(?:pattern), for scanning from chosen starts
	first     [256]bool      // bytes a match can start with
	maxLen    int            // longest match, in bytes
	group     int            // submatch holding the value (0: whole match)
	need      feature        // all of these document features are required
	words     []string       // when set, one must occur in the lower-cased text
	kwMask    uint64         // words as a keyword bit set
	minDigits int            // scan: digits in a row the value group needs
	firstID   int            // index of first in Method.firstSets
	scope     scope          // where the regexp runs
	pre       prefilter      // cheap necessary condition at a start (nil: none)
	fast      matcher        // hand-written equivalent of anch (nil: none)
	check     checkFunc
	valid     float64 // spans scored at least this are validated (0: never)
}

// validated reports whether r's span with this score passed a checksum or
// a parser.
func (r *recognizer) validated(score float64) bool { return r.valid > 0 && score >= r.valid }

// Context words, English and French, lower case.
var (
	ctxCVV  = []string{"cvv", "cvv2", "cvc", "cvc2", "security code", "code de sécurité", "code de securite", "cryptogramme"}
	ctxZip  = []string{"zip", "zipcode", "zip code", "postal", "postcode", "post code", "code postal", "cp"}
	ctxSSN  = []string{"ssn", "social security", "sécurité sociale", "securite sociale", "insee", "nir"}
	ctxVIN  = []string{"vin", "vehicle", "véhicule", "vehicule", "chassis", "châssis", "car", "voiture"}
	ctxBIC  = []string{"bic", "swift", "bank", "banque", "iban"}
	ctxBTC  = []string{"bitcoin", "btc", "wallet", "portefeuille", "crypto"}
	ctxLTC  = []string{"litecoin", "ltc", "wallet", "portefeuille", "crypto"}
	ctxIMEI = []string{"imei"}
)

// Month-name stems that gate the date recognizers (lower case).
var (
	enMonthWords = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
	frMonthWords = []string{"janvier", "vrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout", "septembre", "octobre", "novembre", "cembre"}
)

const base58 = `[1-9A-HJ-NP-Za-km-z]`
const bech32 = `[02-9ac-hj-np-zAC-HJ-NP-Z]`

const enMonths = `January|February|March|April|May|June|July|August|September|October|November|December|` +
	`Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?`
const frMonths = `[Jj]anvier|[Ff][ée]vrier|[Mm]ars|[Aa]vril|[Mm]ai|[Jj]uin|[Jj]uillet|[Aa]o[ûu]t|[Ss]eptembre|[Oo]ctobre|[Nn]ovembre|[Dd][ée]cembre`

// validAlways marks a recognizer whose every span passed a checksum or a
// parser (its lowest score is above it).
const validAlways = 0.01

// recognizerSpecs lists every recognizer: class, pattern, prefilter, check,
// and valid: the lowest score at which the recognizer's span is validated
// (its check verified a checksum or parsed the value), 0 for never; see
// doc.go ("Validated spans"). The doc.go table describes them; keep the two
// in step.
func recognizerSpecs() []struct {
	class, pattern string
	group          int
	need           feature
	words          []string
	check          checkFunc
	scope          scope
	valid          float64
} {
	type spec = struct {
		class, pattern string
		group          int
		need           feature
		words          []string
		check          checkFunc
		scope          scope
		valid          float64
	}
	return []spec{
		{"EMAIL", `[\p{L}\p{N}._%+\-']+@[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}\-]*[\p{L}\p{N}])?)*\.\p{L}{2,}`, 0, fAt | fDot, []string{"@"}, checkEmail, scopeTokens, validAlways},
		{"URL", `(?i)(?:https?|ftp)://[^\s<>"'{}|\\^` + "`" + `]+|www\.[^\s<>"'{}|\\^` + "`" + `]+`, 0, fDot, []string{"://", "www."}, checkURL, scopeTokens, validAlways},
		{"IPV4", `\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}`, 0, fDigit | fDot, nil, checkIPv4, scopeDigits, validAlways},
		{"IPV6", `(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?`, 0, fColon, nil, checkIPv6, scopeDigits, validAlways},
		{"MAC", `[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}`, 0, 0, nil, checkMAC, scopeDigits, validAlways},
		{"PHONENUMBER", `\+?\(?\d[\d \-.()]{5,24}\d(?:\s?(?:x|ext\.?|poste)\s?\d{1,5})?`, 0, fDigit, nil, checkPhone, scopeDigits, 0},
		{"PHONEIMEI", `\d{2}[ \-]?\d{6}[ \-]?\d{6}[ \-]?\d`, 0, fDigit, nil, checkIMEI, scopeDigits, validAlways},
		{"CREDITCARDNUMBER", `\d(?:[ \-]?\d){12,18}`, 0, fDigit, nil, checkCard, scopeDigits, validAlways},
		{"IBAN", `[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,32}`, 0, fUpper | fDigit, nil, checkIBAN, scopeDigits, validAlways},
		{"BIC", `[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?`, 0, fUpper, nil, checkBIC, scopeText, 0},
		{"SSN", `\d{3}[- ]\d{2}[- ]\d{4}|\d{9}`, 0, fDigit, nil, checkSSN, scopeDigits, 0},
		{"SSN", `[1-478] ?\d{2} ?\d{2} ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2}`, 0, fDigit, nil, checkNIR, scopeDigits, validAlways},
		{"VEHICLEVIN", `[A-HJ-NPR-Z0-9]{17}`, 0, fUpper | fDigit, nil, checkVIN, scopeDigits, 0.9},
		{"BITCOINADDRESS", `[13]` + base58 + `{25,34}|(?i:bc1)` + bech32 + `{11,71}`, 0, fDigit, nil, checkBitcoin, scopeDigits, 0.95},
		{"LITECOINADDRESS", `[LM]` + base58 + `{26,33}|(?i:ltc1)` + bech32 + `{11,71}`, 0, 0, nil, checkLitecoin, scopeDigits, 0.95},
		{"ETHEREUMADDRESS", `0[xX][0-9A-Fa-f]{40}`, 0, fDigit, nil, checkEthereum, scopeDigits, 0.97},
		{"DATE", `\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}`, 0, fDigit, nil, checkDateNumeric, scopeDigits, 0},
		{"DATE", `(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:` + enMonths + `),?\s+\d{4}` +
			`|(?:` + enMonths + `)\s+\d{1,2}(?:st|nd|rd|th)?(?:,\s*|\s+)\d{4}` +
			`|(?:` + enMonths + `),?\s+\d{4}` +
			`|(?:` + enMonths + `)\s+\d{1,2}(?:st|nd|rd|th)?)`, 0, fDigit | fUpper, enMonthWords, checkDateWords, scopeWindow(30, 30), 0},
		{"DATE", `(?:1er|\d{1,2})\s+(?:` + frMonths + `)(?:\s+\d{4})?|(?:` + frMonths + `)\s+\d{4}`, 0, fDigit, frMonthWords, checkDateWords, scopeWindow(12, 20), 0},
		{"TIME", `(?i)(?:[01]?\d|2[0-3])(?::[0-5]\d){1,2}(?:\s?[ap]\.?m\.?)?|(?:1[0-2]|0?[1-9])\s?[ap]\.?m\.?|(?:[01]?\d|2[0-3])\s?h\s?(?:[0-5]\d)?`, 0, fDigit, nil, checkTime, scopeDigits, 0},
		{"ZIPCODE", `\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}`, 0, fDigit, nil, checkZip, scopeDigits, 0},
		{"NEARBYGPSCOORDINATE", `[-+]?\d{1,2}\.\d{3,}°?\s*[,;]\s*[-+]?\d{1,3}\.\d{3,}°?|[-+]?\d{1,2},\d{3,}°?\s*;\s*[-+]?\d{1,3},\d{3,}°?`, 0, fDigit, nil, checkGPS, scopeDigits, 0},
		{"USERAGENT", `(?:Mozilla|Opera|Dalvik)/\d+(?:\.\d+)*(?:\s+(?:\([^()\n]{1,200}\)|[A-Za-z][\w.\-]*/[\w.\-+]+))*`, 0, fSlash | fDigit, []string{"mozilla/", "opera/", "dalvik/"}, checkUserAgent, scopeWindow(0, 1000), 0},
		{"CREDITCARDCVV", `(?i)(?:cvv2?|cvc2?|security code|code de s[ée]curit[ée]|cryptogramme(?: visuel)?)[^\d\n]{0,12}(\d{3,4})`, 1, fDigit, ctxCVV, checkContextDigits(0.8), scopeWindow(8, 40), 0},
		{"PIN", `(?i)(?:pin(?:\s?code)?|code\s(?:pin|secret|confidentiel))[^\d\n]{0,12}(\d{4,8})`, 1, fDigit, []string{"pin", "code"}, checkContextDigits(0.75), scopeWindow(8, 40), 0},
		{"PASSWORD", `(?i)(?:password|passwd|passcode|pwd|mot de passe|mdp)\s*(?:is|was|est|:|=)?\s*[:=]?\s*(\S{4,64})`, 1, 0, []string{"pass", "pwd", "mdp"}, checkPassword, scopeWindow(16, 100), 0},
	}
}

// maxMatchLen bounds a class's match length in bytes (all patterns are
// bounded except URL, e-mail and user agent, which get generous limits).
func maxMatchLen(class string) int {
	switch class {
	case "URL":
		return 4096
	case "USERAGENT":
		return 1100
	case "EMAIL":
		return 330
	}
	return 200
}

// --- checks -----------------------------------------------------------------

func checkEmail(d *doc, s, e int) (int, int, float64, bool) {
	at := strings.IndexByte(d.text[s:e], '@')
	local := d.text[s : s+at]
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return 0, 0, 0, false
	}
	if !bounded(d.text, s, e) {
		return 0, 0, 0, false
	}
	return s, e, 0.95, true
}

func checkURL(d *doc, s, e int) (int, int, float64, bool) {
	if isWord(runeBefore(d.text, s)) {
		return 0, 0, 0, false
	}
	// Trim trailing punctuation and closing brackets that do not belong.
	for e > s {
		c := d.text[e-1]
		if strings.IndexByte(".,;:!?'\"", c) >= 0 {
			e--
			continue
		}
		if c == ')' && strings.Count(d.text[s:e], "(") < strings.Count(d.text[s:e], ")") ||
			c == ']' && strings.Count(d.text[s:e], "[") < strings.Count(d.text[s:e], "]") {
			e--
			continue
		}
		break
	}
	raw := d.text[s:e]
	if strings.HasPrefix(strings.ToLower(raw), "www.") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || !strings.Contains(u.Host, ".") && u.Hostname() != "localhost" {
		return 0, 0, 0, false
	}
	return s, e, 0.95, true
}

func checkIPv4(d *doc, s, e int) (int, int, float64, bool) {
	if !bounded(d.text, s, e) || gluedNumber(d.text, s, e, ".") {
		return 0, 0, 0, false
	}
	a, err := netip.ParseAddr(d.text[s:e])
	if err != nil || !a.Is4() {
		return 0, 0, 0, false
	}
	return s, e, 0.9, true
}

func isHexByte(c byte) bool {
	return isDigitByte(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func checkIPv6(d *doc, s, e int) (int, int, float64, bool) {
	if s > 0 && (isHexByte(d.text[s-1]) || d.text[s-1] == ':' || isWord(runeBefore(d.text, s))) {
		return 0, 0, 0, false
	}
	for try := 0; try < 2; try++ {
		if !isWord(runeAfter(d.text, e)) && !gluedNumber(d.text, s, e, ":.") && !(e+1 < len(d.text) && d.text[e] == ':' && isHexByte(d.text[e+1])) {
			if a, err := netip.ParseAddr(d.text[s:e]); err == nil && a.Is6() && a.Zone() == "" {
				if strings.ContainsAny(d.text[s:e], "0123456789abcdefABCDEF") {
					return s, e, 0.9, true
				}
			}
		}
		// "fe80::1:" at the end of a clause: drop one trailing colon.
		if e-s > 2 && d.text[e-1] == ':' && d.text[e-2] != ':' {
			e--
			continue
		}
		break
	}
	return 0, 0, 0, false
}

func checkMAC(d *doc, s, e int) (int, int, float64, bool) {
	if !bounded(d.text, s, e) || gluedNumber(d.text, s, e, ":-.") {
		return 0, 0, 0, false
	}
	if _, err := net.ParseMAC(d.text[s:e]); err != nil {
		return 0, 0, 0, false
	}
	return s, e, 0.9, true
}

// phoneScore classifies a phone candidate; ok is false when it is not a
// plausible phone number.
func phoneScore(c string) (float64, bool) {
	core := c
	if i := strings.IndexAny(core, "xep"); i >= 0 { // extension
		core = strings.TrimRight(core[:i], " ")
	}
	var digits [32]byte
	nd := 0
	groups := make([]int, 0, 8)
	cur, opens, closes, seps := 0, 0, 0, 0
	prevSep := false
	for i := 0; i < len(core); i++ {
		ch := core[i]
		switch {
		case isDigitByte(ch):
			if nd < len(digits) {
				digits[nd] = ch
			}
			nd++
			cur++
			prevSep = false
			continue
		case ch == '(':
			opens++
			if opens > 1 || closes > 0 {
				return 0, false
			}
		case ch == ')':
			closes++
			if closes > opens {
				return 0, false
			}
		case ch == '+':
			if i != 0 {
				return 0, false
			}
		default: // ' ', '-', '.'
			if prevSep {
				return 0, false
			}
			prevSep = true
			seps++
		}
		if cur > 0 {
			groups = append(groups, cur)
			cur = 0
		}
	}
	if cur > 0 {
		groups = append(groups, cur)
	}
	if opens != closes || nd > len(digits) {
		return 0, false
	}
	d := string(digits[:nd])
	if strings.Contains(core, ".") && (len(groups) == 4 && maxInt(groups) <= 3 || looksLikeDate(groups)) {
		return 0, false
	}
	sep := seps > 0 || opens > 0
	switch {
	case core[0] == '+':
		if nd >= 8 && nd <= 15 {
			return 0.85, true
		}
	case strings.HasPrefix(d, "00") && core[0] != '(':
		if nd >= 10 && nd <= 15 && sep {
			return 0.75, true
		}
	case d[0] == '0':
		if nd == 10 && len(groups) == 5 && groups[0] == 2 && groups[1] == 2 && groups[4] == 2 {
			return 0.8, true // French 0X XX XX XX XX
		}
		if nd >= 10 && nd <= 11 && (sep || nd == 10) {
			return 0.7, true
		}
	case nd == 10 && sep && (equalInts(groups, 3, 3, 4)):
		return 0.75, true // NANP (555) 555-5555, 555-555-5555
	case nd == 11 && d[0] == '1' && sep && equalInts(groups, 1, 3, 3, 4):
		return 0.75, true
	}
	return 0, false
}

func looksLikeDate(g []int) bool {
	return len(g) == 3 && (g[0] <= 2 && g[1] <= 2 && (g[2] == 4 || g[2] == 2) || g[0] == 4 && g[1] <= 2 && g[2] <= 2)
}

func maxInt(v []int) int {
	m := 0
	for _, x := range v {
		if x > m {
			m = x
		}
	}
	return m
}

func equalInts(v []int, want ...int) bool {
	if len(v) != len(want) {
		return false
	}
	for i := range v {
		if v[i] != want[i] {
			return false
		}
	}
	return true
}

func checkPhone(d *doc, s, e int) (int, int, float64, bool) {
	try := func(a, b int) (float64, bool) {
		// Trailing ')' or '(' left over from a neighbouring aside.
		if !bounded(d.text, a, b) || gluedNumber(d.text, a, b, ".-/:,") {
			return 0, false
		}
		if a > 0 && (d.text[a-1] == '+' || d.text[a-1] == '/') {
			return 0, false
		}
		return phoneScore(d.text[a:b])
	}
	if sc, ok := try(s, e); ok {
		return s, e, sc, true
	}
	// Unbalanced trailing ')' (the number closes an aside) or a dangling '('.
	if e-s > 1 && d.text[e-1] == ')' {
		if sc, ok := try(s, e-1); ok {
			return s, e - 1, sc, true
		}
	}
	return shrink(d.text, s, e, true, try)
}

func checkIMEI(d *doc, s, e int) (int, int, float64, bool) {
	if !bounded(d.text, s, e) || gluedNumber(d.text, s, e, " -") {
		return 0, 0, 0, false
	}
	raw := d.text[s:e]
	if strings.Contains(raw, " ") && strings.Contains(raw, "-") {
		return 0, 0, 0, false
	}
	var buf [20]byte
	digits := string(digitsOf(buf[:0], raw))
	if !checksum.IMEI(digits) {
		return 0, 0, 0, false
	}
	if d.contextBefore(s, 40, ctxIMEI) {
		return s, e, 0.97, true
	}
	return s, e, 0.85, true
}

// iinOK checks the issuer prefix against the card length.
func iinOK(d string) bool {
	n := len(d)
	p2, _ := strconv.Atoi(d[:2])
	p3, _ := strconv.Atoi(d[:3])
	p4, _ := strconv.Atoi(d[:4])
	switch {
	case d[0] == '4':
		return n == 13 || n == 16 || n == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return n == 16
	case p2 == 34 || p2 == 37:
		return n == 15
	case p3 >= 300 && p3 <= 305, p2 == 36, p2 == 38, p2 == 39:
		return n >= 14 && n <= 19
	case p4 == 6011, p2 == 65, p3 >= 644 && p3 <= 649:
		return n >= 16 && n <= 19
	case p2 == 35, p2 == 62:
		return n >= 16 && n <= 19
	case p2 == 50, p2 >= 56 && p2 <= 69:
		return n >= 12 && n <= 19 // Maestro
	}
	return false
}

func cardScore(raw string) (float64, bool) {
	var buf [24]byte
	digits := digitsOf(buf[:0], raw)
	if len(digits) < 13 || len(digits) > 19 {
		return 0, false
	}
	var sep byte
	first := -1
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if isDigitByte(c) {
			continue
		}
		if first < 0 {
			first = i
		}
		if sep != 0 && c != sep {
			return 0, false // mixed separators
		}
		sep = c
	}
	if first >= 0 && first != 4 {
		return 0, false // grouped numbers start with a group of four
	}
	d := string(digits)
	if !checksum.Luhn(d) || !iinOK(d) {
		return 0, false
	}
	return 0.95, true
}

func checkCard(d *doc, s, e int) (int, int, float64, bool) {
	try := func(a, b int) (float64, bool) {
		if !bounded(d.text, a, b) || gluedNumber(d.text, a, b, ".,-/") {
			return 0, false
		}
		return cardScore(d.text[a:b])
	}
	if sc, ok := try(s, e); ok {
		return s, e, sc, true
	}
	return shrink(d.text, s, e, false, try)
}

func checkIBAN(d *doc, s, e int) (int, int, float64, bool) {
	if isWord(runeBefore(d.text, s)) {
		return 0, 0, 0, false
	}
	n, ok := checksum.IBANLength(d.text[s : s+2])
	if !ok {
		return 0, 0, 0, false
	}
	var buf [40]byte
	compact := buf[:0]
	end := s
	for i := s; i < e && len(compact) < n; i++ {
		if d.text[i] != ' ' {
			compact = append(compact, d.text[i])
			end = i + 1
		}
	}
	if len(compact) != n || isWord(runeAfter(d.text, end)) || !checksum.IBAN(string(compact)) {
		return 0, 0, 0, false
	}
	return s, end, 0.99, true
}

func checkBIC(d *doc, s, e int) (int, int, float64, bool) {
	if !bounded(d.text, s, e) || !checksum.BIC(d.text[s:e]) {
		return 0, 0, 0, false
	}
	if d.contextBefore(s, 40, ctxBIC) {
		return s, e, 0.9, true
	}
	tail := d.text[s+6 : e]
	if strings.ContainsAny(tail, "0123456789") || strings.HasSuffix(tail, "XXX") {
		return s, e, 0.7, true
	}
	return 0, 0, 0, false
}

func checkSSN(d *doc, s, e int) (int, int, float64, bool) {
	if !bounded(d.text, s, e) || gluedNumber(d.text, s, e, ".-/ ") && e-s == 9 {
		return 0, 0, 0, false
	}
	raw := d.text[s:e]
	if !checksum.SSN(raw) {
		return 0, 0, 0, false
	}
	ctx := d.contextBefore(s, 40, ctxSSN)
	switch {
	case len(raw) == 9 && !ctx:
		return 0, 0, 0, false
	case ctx:
		return s, e, 0.9, true
	case raw[3] == '-':
		return s, e, 0.85, true
	}
	return s, e, 0.6, true
}

func checkNIR(d *doc, s, e int) (int, int, float64, bool) {
	if !bounded(d.text, s, e) || !checksum.NIR(d.text[s:e]) {
		return 0, 0, 0, false
	}
	return s, e, 0.9, true
}

func checkVIN(d *doc, s, e int) (int, int, float64, bool) {
	raw := d.text[s:e]
	if !bounded(d.text, s, e) || !strings.ContainsAny(raw, "0123456789") || !strings.ContainsAny(raw, "ABCDEFGHJKLMNPRSTUVWXYZ") {
		return 0, 0, 0, false
	}
	if checksum.VIN(raw) {
		return s, e, 0.9, true
	}
	if d.contextBefore(s, 40, ctxVIN) {
		return s, e, 0.6, true // European/Asian VINs carry no check digit
	}
	return 0, 0, 0, false
}

func checkBitcoin(d *doc, s, e int) (int, int, float64, bool) {
	return checkCoin(d, s, e, coinBitcoin)
}

func checkLitecoin(d *doc, s, e int) (int, int, float64, bool) {
	return checkCoin(d, s, e, coinLitecoin)
}

// coin says how checkCoin validates one currency's addresses.
type coin struct {
	legacyFirst string            // first characters of a base58check address
	legacy      func(string) bool // base58check validator
	hrp         string            // bech32 human-readable part
	ctx         []string          // context words for an unvalidated address
}

var (
	coinBitcoin  = coin{legacyFirst: "13", legacy: checksum.BitcoinLegacy, hrp: "bc", ctx: ctxBTC}
	coinLitecoin = coin{legacyFirst: "LM", legacy: checksum.LitecoinLegacy, hrp: "ltc", ctx: ctxLTC}
)

// checkCoin accepts a valid legacy (base58check) or segwit (bech32)
// address at 0.95, or an alphanumeric one after a context word at 0.5.
func checkCoin(d *doc, s, e int, c coin) (int, int, float64, bool) {
	if !bounded(d.text, s, e) {
		return 0, 0, 0, false
	}
	raw := d.text[s:e]
	if strings.IndexByte(c.legacyFirst, raw[0]) >= 0 {
		if c.legacy(raw) {
			return s, e, 0.95, true
		}
	} else if _, _, err := checksum.SegwitDecode(c.hrp, raw); err == nil {
		return s, e, 0.95, true
	}
	if d.contextBefore(s, 40, c.ctx) && hasMixedAlnum(raw) {
		return s, e, 0.5, true
	}
	return 0, 0, 0, false
}

func hasMixedAlnum(s string) bool {
	return strings.ContainsAny(s, "0123456789") && strings.IndexFunc(s, func(r rune) bool { return (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') }) >= 0
}

func checkEthereum(d *doc, s, e int) (int, int, float64, bool) {
	raw := d.text[s:e]
	if !bounded(d.text, s, e) || !checksum.EthereumAddress(raw) {
		return 0, 0, 0, false
	}
	if strings.ContainsAny(raw[2:], "abcdef") && strings.ContainsAny(raw[2:], "ABCDEF") {
		return s, e, 0.97, true // EIP-55 checksum verified
	}
	return s, e, 0.9, true
}

var monthDays = [13]int{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func validDay(day, month int) bool {
	return month >= 1 && month <= 12 && day >= 1 && day <= monthDays[month]
}

func checkDateNumeric(d *doc, s, e int) (int, int, float64, bool) {
	if !bounded(d.text, s, e) || gluedNumber(d.text, s, e, "./-:") {
		return 0, 0, 0, false
	}
	raw := d.text[s:e]
	i := strings.IndexAny(raw, "/.-")
	j := i + 1 + strings.IndexAny(raw[i+1:], "/.-")
	if raw[i] != raw[j] {
		return 0, 0, 0, false
	}
	a, b, c := raw[:i], raw[i+1:j], raw[j+1:]
	na, _ := strconv.Atoi(a)
	nb, _ := strconv.Atoi(b)
	nc, _ := strconv.Atoi(c)
	switch {
	case len(a) == 4 && len(b) == 2 && len(c) == 2: // ISO / year first
		if validDay(nc, nb) && na >= 1000 && na < 3000 {
			if raw[i] == '-' {
				return s, e, 0.9, true
			}
			return s, e, 0.85, true
		}
	case len(a) <= 2 && len(b) <= 2 && (len(c) == 4 || len(c) == 2):
		if len(c) == 4 && (nc < 1000 || nc >= 3000) {
			return 0, 0, 0, false
		}
		if validDay(na, nb) || validDay(nb, na) {
			return s, e, 0.85, true
		}
	}
	return 0, 0, 0, false
}

// checkDateWords checks the day number(s) of a date written with a month
// name: each 1–2 digit number must be a day 1–31, each 4-digit one a year.
func checkDateWords(d *doc, s, e int) (int, int, float64, bool) {
	if !bounded(d.text, s, e) || gluedNumber(d.text, s, e, "./-:") {
		return 0, 0, 0, false
	}
	hasYear, hasDay := false, false
	raw := d.text[s:e]
	for i := 0; i < len(raw); i++ {
		if !isDigitByte(raw[i]) {
			continue
		}
		j := i
		for j < len(raw) && isDigitByte(raw[j]) {
			j++
		}
		n := raw[i:j]
		i = j
		v, _ := strconv.Atoi(n)
		switch {
		case len(n) == 4 && v >= 1000 && v < 3000:
			hasYear = true
		case len(n) <= 2 && v >= 1 && v <= 31:
			hasDay = true
		default:
			return 0, 0, 0, false
		}
	}
	if strings.HasPrefix(d.text[s:e], "1er") {
		hasDay = true
	}
	if hasYear && hasDay {
		return s, e, 0.9, true
	}
	return s, e, 0.7, true
}

func checkTime(d *doc, s, e int) (int, int, float64, bool) {
	raw := d.text[s:e]
	// "at 5 pm." — keep the final dot only when it closes "p.m.".
	if strings.HasSuffix(raw, "m.") && !strings.HasSuffix(raw, ".m.") {
		e--
		raw = raw[:len(raw)-1]
	}
	if !bounded(d.text, s, e) || gluedNumber(d.text, s, e, ":.-/") {
		return 0, 0, 0, false
	}
	if s > 0 && d.text[s-1] == ':' || e < len(d.text) && d.text[e] == ':' {
		return 0, 0, 0, false
	}
	lower := strings.ToLower(raw)
	if strings.ContainsRune(lower, 'h') && !strings.ContainsRune(lower, ':') {
		// French "14h30", "9 h": the 'h' form needs minutes or a 2-digit hour.
		if lower[len(lower)-1] == 'h' && strings.IndexByte(lower, 'h') < 2 && !strings.Contains(lower, " ") {
			return s, e, 0.6, true
		}
	}
	return s, e, 0.8, true
}

var usStates = " AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC "

func checkZip(d *doc, s, e int) (int, int, float64, bool) {
	if !bounded(d.text, s, e) || gluedNumber(d.text, s, e, ".,-/:") {
		return 0, 0, 0, false
	}
	if d.contextBefore(s, 30, ctxZip) {
		return s, e, 0.75, true
	}
	before := strings.TrimRight(d.text[max(0, s-6):s], " ,")
	if len(before) >= 2 && (len(before) == 2 || before[len(before)-3] == ' ' || before[len(before)-3] == ',') &&
		strings.Contains(usStates, " "+before[len(before)-2:]+" ") && isDigitByte(d.text[s]) {
		return s, e, 0.7, true // "Springfield, IL 62704"
	}
	// "75008 Paris", "12345 Berlin" after a comma or line start.
	prev := strings.TrimRight(d.text[:s], " ")
	if isDigitByte(d.text[s]) && e-s == 5 && (prev == "" || strings.HasSuffix(prev, ",") || strings.HasSuffix(prev, "\n")) {
		if r := runeAfter(d.text, e); r == ' ' {
			if next := runeAfter(d.text, e+1); next >= 0 && unicode.IsUpper(next) {
				return s, e, 0.6, true
			}
		}
	}
	return 0, 0, 0, false
}

func checkGPS(d *doc, s, e int) (int, int, float64, bool) {
	if !bounded(d.text, s, e) || gluedNumber(d.text, s, e, ".,") {
		return 0, 0, 0, false
	}
	raw := strings.ReplaceAll(d.text[s:e], "°", "")
	var lat, lon string
	if i := strings.IndexByte(raw, ';'); i >= 0 {
		lat, lon = raw[:i], raw[i+1:]
		lat = strings.Replace(strings.TrimSpace(lat), ",", ".", 1)
		lon = strings.Replace(strings.TrimSpace(lon), ",", ".", 1)
	} else {
		i := strings.IndexByte(raw, ',')
		lat, lon = strings.TrimSpace(raw[:i]), strings.TrimSpace(raw[i+1:])
	}
	la, err1 := strconv.ParseFloat(lat, 64)
	lo, err2 := strconv.ParseFloat(lon, 64)
	if err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 {
		return 0, 0, 0, false
	}
	return s, e, 0.85, true
}

func checkUserAgent(d *doc, s, e int) (int, int, float64, bool) {
	if isWord(runeBefore(d.text, s)) {
		return 0, 0, 0, false
	}
	raw := d.text[s:e]
	if strings.Contains(raw, "(") {
		return s, e, 0.9, true
	}
	if strings.Count(raw, "/") >= 2 {
		return s, e, 0.6, true
	}
	return 0, 0, 0, false
}

func checkContextDigits(score float64) checkFunc {
	return func(d *doc, s, e int) (int, int, float64, bool) {
		if !bounded(d.text, s, e) || gluedNumber(d.text, s, e, ".,-/: ") {
			return 0, 0, 0, false
		}
		return s, e, score, true
	}
}

func checkPassword(d *doc, s, e int) (int, int, float64, bool) {
	for e-s > 4 && strings.IndexByte(".,;)\"'", d.text[e-1]) >= 0 {
		e--
	}
	raw := d.text[s:e]
	var lower, upper, digit, other bool
	for _, r := range raw {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		default:
			other = true
		}
	}
	kinds := 0
	for _, k := range []bool{lower, upper, digit, other} {
		if k {
			kinds++
		}
	}
	if kinds < 2 || !(digit || other) && len(raw) < 8 {
		return 0, 0, 0, false
	}
	return s, e, 0.7, true
}
