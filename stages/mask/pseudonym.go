package mask

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/piimask/piimask/internal/checksum"
)

// Pseudonymizer makes realistic fake values of the same class as the
// original: names, e-mails, companies and places from gofakeit, and
// format-preserving values elsewhere (same length, separators and letter
// case). Card numbers keep a valid Luhn digit, IBANs valid mod 97-10 check
// digits, VINs a valid check digit, dates stay valid dates in the original
// layout.
//
// A value's pseudonym depends only on the key, its class and the value, so
// one person keeps one pseudonym across documents, files and runs. It is
// safe for concurrent use.
type Pseudonymizer struct{ key []byte }

// NewPseudonymizer derives the pseudonym key from secret (at least
// MinKeyLen bytes).
func NewPseudonymizer(secret []byte) (*Pseudonymizer, error) {
	k, err := deriveKey(secret, "pseudonym", 32)
	if err != nil {
		return nil, err
	}
	return &Pseudonymizer{key: k}, nil
}

// faker returns a gofakeit generator seeded from HMAC(key, label, value).
func (p *Pseudonymizer) faker(label, value string) *gofakeit.Faker {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(label))
	m.Write([]byte{0})
	m.Write([]byte(value))
	sum := m.Sum(nil)
	src := rand.NewPCG(binary.LittleEndian.Uint64(sum[:8]), binary.LittleEndian.Uint64(sum[8:16]))
	return gofakeit.NewFaker(src, false)
}

// Pseudonym returns the fake value for value of class label. Several tries
// avoid returning the original itself.
func (p *Pseudonymizer) Pseudonym(label, value string) string {
	f := p.faker(label, value)
	for try := 0; try < 8; try++ {
		if v := fakeOf(f, label, value); v != value && v != "" {
			return v
		}
	}
	return shape(f, value)
}

// fakeOf draws one candidate pseudonym.
func fakeOf(f *gofakeit.Faker, label, value string) string {
	switch label {
	case "FIRSTNAME", "MIDDLENAME":
		return likeCase(f.FirstName(), value)
	case "LASTNAME":
		return likeCase(f.LastName(), value)
	case "PREFIX":
		return f.NamePrefix()
	case "USERNAME", "ACCOUNTNAME":
		return f.Username()
	case "EMAIL":
		return strings.ToLower(f.FirstName() + "." + f.LastName() + "@" + f.DomainName())
	case "COMPANYNAME":
		return f.Company()
	case "JOBTITLE":
		return f.JobTitle()
	case "JOBAREA":
		return f.JobDescriptor()
	case "JOBTYPE":
		return f.JobLevel()
	case "STREET":
		return f.StreetName()
	case "CITY", "COUNTY":
		return f.City()
	case "STATE":
		return f.State()
	case "URL":
		return f.URL()
	case "IPV4", "IP":
		if strings.Contains(value, ":") {
			return f.IPv6Address()
		}
		return f.IPv4Address()
	case "IPV6":
		return f.IPv6Address()
	case "MAC":
		return f.MacAddress()
	case "PASSWORD":
		return f.Password(true, true, true, true, false, max(8, len(value)))
	case "CREDITCARDNUMBER":
		return card(f, value)
	case "IBAN":
		return iban(f, value)
	case "VEHICLEVIN":
		return vin(f, value)
	case "TIME":
		if m := timeRE.FindStringSubmatch(value); m != nil {
			h := f.IntN(24)
			if len(m[1]) == 2 || h < 10 && m[1][0] == '0' {
				return fmt.Sprintf("%02d:%02d", h, f.IntN(60)) + m[2]
			}
			if strings.ContainsAny(m[2], "APap") {
				h = 1 + f.IntN(12)
			}
			return fmt.Sprintf("%d:%02d", h, f.IntN(60)) + m[2]
		}
	case "DATE", "DOB":
		if d, ok := shiftDate(f, value); ok {
			return d
		}
	}
	return shape(f, value)
}

// likeCase writes fake in the letter case of orig (all caps stays all caps).
func likeCase(fake, orig string) string {
	if orig != "" && strings.ToUpper(orig) == orig && strings.ToLower(orig) != orig {
		return strings.ToUpper(fake)
	}
	return fake
}

// shape replaces digits with digits and letters with letters of the same
// case, keeping every other character: a phone number stays a phone number
// in the same layout.
func shape(f *gofakeit.Faker, value string) string {
	var b strings.Builder
	b.Grow(len(value))
	first := true
	for _, r := range value {
		switch {
		case r >= '0' && r <= '9':
			if first && r != '0' {
				b.WriteByte(byte('1' + f.IntN(9))) // no new leading zero
			} else {
				b.WriteByte(byte('0' + f.IntN(10)))
			}
		case unicode.IsUpper(r):
			b.WriteByte(byte('A' + f.IntN(26)))
		case unicode.IsLower(r):
			b.WriteByte(byte('a' + f.IntN(26)))
		default:
			b.WriteRune(r)
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			first = false
		}
	}
	return b.String()
}

// card keeps the layout and first digit of a card number, draws the other
// digits and sets a valid Luhn check digit.
func card(f *gofakeit.Faker, value string) string {
	var digits []byte
	for i := 0; i < len(value); i++ {
		if value[i] >= '0' && value[i] <= '9' {
			digits = append(digits, value[i])
		}
	}
	if len(digits) < 12 {
		return shape(f, value)
	}
	for i := 1; i < len(digits)-1; i++ {
		digits[i] = byte('0' + f.IntN(10))
	}
	cd, err := checksum.LuhnCheckDigit(string(digits[:len(digits)-1]))
	if err != nil {
		return shape(f, value)
	}
	digits[len(digits)-1] = cd
	return refill(value, digits, func(c byte) bool { return c >= '0' && c <= '9' })
}

// refill writes chars into the positions of value that keep selects.
func refill(value string, chars []byte, keep func(byte) bool) string {
	out := []byte(value)
	j := 0
	for i := range out {
		if keep(out[i]) && j < len(chars) {
			out[i] = chars[j]
			j++
		}
	}
	return string(out)
}

// iban keeps the country and layout of an IBAN, draws a new BBAN of the same
// character kinds and computes its check digits.
func iban(f *gofakeit.Faker, value string) string {
	compact := checksum.CompactIBAN(value)
	if len(compact) < 5 {
		return shape(f, value)
	}
	country := strings.ToUpper(compact[:2])
	bban := []byte(shape(f, compact[4:]))
	check, err := checksum.IBANCheckDigits(country, string(bban))
	if err != nil {
		return shape(f, value)
	}
	full := []byte(country + check + string(bban))
	return refill(value, full, func(c byte) bool { return c != ' ' })
}

// vin draws a new VIN keeping the manufacturer code, with a valid check digit.
func vin(f *gofakeit.Faker, value string) string {
	if len(value) != 17 {
		return shape(f, value)
	}
	const alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
	b := []byte(value)
	for i := 3; i < 17; i++ {
		if i != 8 {
			b[i] = alphabet[f.IntN(len(alphabet))]
		}
	}
	cd, err := checksum.VINCheckDigit(string(b))
	if err != nil {
		return shape(f, value)
	}
	b[8] = cd
	return string(b)
}

// timeRE matches an hour and minutes; the rest (seconds, am/pm) keeps its shape.
var timeRE = regexp.MustCompile(`^(\d{1,2}):\d{2}(.*)$`)

// dateLayouts are the date layouts shiftDate recognises (English and
// numeric French/ISO ones).
var dateLayouts = []string{"2006-01-02", "01/02/2006", "02/01/2006", "January 2, 2006", "2 January 2006", "02.01.2006", "1/2/2006"}

// shiftDate moves a date by 1 to 730 days either way, written in its
// original layout. It fails for text it cannot parse.
func shiftDate(f *gofakeit.Faker, value string) (string, bool) {
	for _, layout := range dateLayouts {
		t, err := time.Parse(layout, value)
		if err != nil {
			continue
		}
		days := 1 + f.IntN(730)
		if f.Bool() {
			days = -days
		}
		return t.AddDate(0, 0, days).Format(layout), true
	}
	return "", false
}

// String describes the pseudonymizer without its key.
func (p *Pseudonymizer) String() string {
	return fmt.Sprintf("Pseudonymizer(key %d bytes)", len(p.key))
}
