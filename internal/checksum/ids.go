package checksum

import (
	"fmt"
	"strconv"
	"strings"
)

// SSN reports whether s is a structurally valid US Social Security number in
// one of the forms AAA-GG-SSSS, AAA GG SSSS or AAAGGSSSS: area not 000, 666
// or 900–999, group not 00, serial not 0000. SSNs carry no check digit.
func SSN(s string) bool {
	var area, group, serial string
	switch len(s) {
	case 9:
		area, group, serial = s[:3], s[3:5], s[5:]
	case 11:
		if s[3] != s[6] || (s[3] != '-' && s[3] != ' ') {
			return false
		}
		area, group, serial = s[:3], s[4:6], s[7:]
	default:
		return false
	}
	if !allDigits(area) || !allDigits(group) || !allDigits(serial) {
		return false
	}
	return area != "000" && area != "666" && area[0] != '9' && group != "00" && serial != "0000"
}

// NIR reports whether s is a valid French social security number (NIR /
// numéro INSEE): 15 characters (spaces allowed between groups), sex digit
// 1, 2, 3, 4, 7 or 8, a month 01–12 or 20–99 (unknown or provisional), a
// department (2A/2B for Corsica) and a key equal to NIRKey of the first 13.
func NIR(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) != 15 || !allDigits(s[13:]) {
		return false
	}
	key, err := NIRKey(s[:13])
	if err != nil {
		return false
	}
	got, _ := strconv.Atoi(s[13:])
	return got == key
}

// NIRKey returns the two-digit key (1–97) of the first 13 characters of a
// NIR: 97 − (number mod 97), with Corsican departments 2A and 2B counted as
// 19 and 18.
func NIRKey(nir13 string) (int, error) {
	if len(nir13) != 13 {
		return 0, fmt.Errorf("nir: %d characters, want 13", len(nir13))
	}
	if strings.IndexByte("123478", nir13[0]) < 0 {
		return 0, fmt.Errorf("nir: sex digit %q", nir13[0])
	}
	digits := nir13
	switch nir13[5:7] {
	case "2A":
		digits = nir13[:5] + "19" + nir13[7:]
	case "2B":
		digits = nir13[:5] + "18" + nir13[7:]
	}
	if !allDigits(digits) {
		return 0, fmt.Errorf("nir: not numeric (apart from a 2A/2B department)")
	}
	if m, _ := strconv.Atoi(digits[3:5]); m == 0 || (m > 12 && m < 20) {
		return 0, fmt.Errorf("nir: month %02d", m)
	}
	n, _ := strconv.ParseUint(digits, 10, 64)
	return int(97 - n%97), nil
}

// iso3166 lists the ISO 3166-1 alpha-2 country codes, plus XK (Kosovo),
// which SWIFT uses.
const iso3166 = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ " +
	"BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM " +
	"DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS " +
	"GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN " +
	"KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ " +
	"MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM " +
	"PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV " +
	"SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI " +
	"VN VU WF WS YE YT ZA ZM ZW XK"

// CountryCode reports whether cc is an ISO 3166-1 alpha-2 code (or XK).
func CountryCode(cc string) bool {
	if len(cc) != 2 || !isUpper(cc[0]) || !isUpper(cc[1]) {
		return false
	}
	for i := 0; i+2 <= len(iso3166); i += 3 {
		if iso3166[i:i+2] == cc {
			return true
		}
	}
	return false
}

// BIC reports whether s has the ISO 9362 structure of a BIC (SWIFT code):
// 4 letters or digits for the institution (the first a letter), an ISO 3166 country code, 2
// letters or digits for the location and an optional 3-character branch.
// BICs carry no check digit, so this is a structural test only.
func BIC(s string) bool {
	if len(s) != 8 && len(s) != 11 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isUpperAlnum(s[i]) {
			return false
		}
	}
	return isUpper(s[0]) && CountryCode(s[4:6])
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
