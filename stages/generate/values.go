package generate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/brianvoe/gofakeit/v7"
	"github.com/piimask/piimask/internal/checksum"
	"golang.org/x/text/unicode/norm"
)

// supported lists the classes the generator can produce, in taxonomy order.
var supported = []string{
	"PREFIX", "FIRSTNAME", "MIDDLENAME", "LASTNAME", "USERNAME", "ACCOUNTNAME", "GENDER", "SEX",
	"AGE", "DOB", "EYECOLOR", "HEIGHT",
	"EMAIL", "PHONENUMBER", "PHONEIMEI", "URL", "IP", "IPV4", "IPV6", "MAC", "USERAGENT", "PASSWORD", "PIN",
	"JOBTITLE", "JOBTYPE", "JOBAREA", "COMPANYNAME",
	"STREET", "BUILDINGNUMBER", "SECONDARYADDRESS", "CITY", "COUNTY", "STATE", "ZIPCODE",
	"ORDINALDIRECTION", "NEARBYGPSCOORDINATE",
	"ACCOUNTNUMBER", "IBAN", "BIC", "CREDITCARDNUMBER", "CREDITCARDISSUER", "CREDITCARDCVV", "MASKEDNUMBER",
	"AMOUNT", "CURRENCYCODE", "CURRENCYNAME", "CURRENCYSYMBOL", "BITCOINADDRESS", "ETHEREUMADDRESS",
	"LITECOINADDRESS",
	"SSN", "VEHICLEVIN", "VEHICLEVRM",
	"DATE", "TIME",
}

// Classes returns the AI4Privacy classes the generator produces. CURRENCY
// (free-form currency words) is the one class of the taxonomy it does not.
func Classes() []string { return append([]string(nil), supported...) }

func isSupported(label string) bool {
	for _, c := range supported {
		if c == label {
			return true
		}
	}
	return false
}

type slotKey struct{ label, tag string }

// doc holds the values drawn for one document so that a slot repeated with
// the same tag repeats the same value (and e-mails match names).
type doc struct {
	f    *gofakeit.Faker
	fr   bool
	vals map[slotKey]string
	cur  int // index into currencies, drawn once per document
}

func (d *doc) pick(list []string) string { return list[d.f.IntN(len(list))] }

func (d *doc) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + d.f.IntN(10))
	}
	return string(b)
}

const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

func (d *doc) letters(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[d.f.IntN(len(alphabet))]
	}
	return string(b)
}

// value returns the document's value for label under tag, drawing it once.
func (d *doc) value(label, tag string) string {
	k := slotKey{label, tag}
	if v, ok := d.vals[k]; ok {
		return v
	}
	v := d.draw(label, tag)
	d.vals[k] = v
	return v
}

// ascii folds a name for use in e-mail addresses and user names.
func ascii(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "user"
	}
	return b.String()
}

func (d *doc) draw(label, tag string) string {
	f := d.f
	switch label {
	case "PREFIX":
		if d.fr {
			return d.pick(prefixesFR)
		}
		return d.pick(prefixesEN)
	case "FIRSTNAME":
		if d.fr {
			return d.pick(frFirstNames)
		}
		return f.FirstName()
	case "MIDDLENAME":
		if d.fr {
			return d.pick(frMiddleNames)
		}
		return f.MiddleName()
	case "LASTNAME":
		if d.fr {
			return d.pick(frLastNames)
		}
		return f.LastName()
	case "USERNAME":
		first, last := ascii(d.value("FIRSTNAME", tag)), ascii(d.value("LASTNAME", tag))
		switch f.IntN(4) {
		case 0:
			return first + "." + last
		case 1:
			return first[:1] + last + d.digits(2)
		case 2:
			return last + "_" + first[:1]
		}
		return f.Username()
	case "EMAIL":
		first, last := ascii(d.value("FIRSTNAME", tag)), ascii(d.value("LASTNAME", tag))
		domain := f.DomainName()
		if d.fr && f.IntN(2) == 0 {
			domain = d.pick([]string{"orange.fr", "free.fr", "laposte.net", "sfr.fr", "gmail.com", "wanadoo.fr"})
		}
		switch f.IntN(4) {
		case 0:
			return first + "." + last + "@" + domain
		case 1:
			return first[:1] + last + "@" + domain
		case 2:
			return last + d.digits(2) + "@" + domain
		}
		return strings.ToLower(f.Email())
	case "PHONENUMBER":
		if d.fr {
			n := "0" + strconv.Itoa(1+f.IntN(7)) + d.digits(8)
			switch f.IntN(3) {
			case 0:
				return n[0:2] + " " + n[2:4] + " " + n[4:6] + " " + n[6:8] + " " + n[8:10]
			case 1:
				return "+33 " + n[1:2] + " " + n[2:4] + " " + n[4:6] + " " + n[6:8] + " " + n[8:10]
			}
			return n[0:2] + "." + n[2:4] + "." + n[4:6] + "." + n[6:8] + "." + n[8:10]
		}
		a, b, c := strconv.Itoa(200+f.IntN(800)), strconv.Itoa(200+f.IntN(800)), d.digits(4)
		switch f.IntN(4) {
		case 0:
			return "(" + a + ") " + b + "-" + c
		case 1:
			return "+1-" + a + "-" + b + "-" + c
		case 2:
			return a + "." + b + "." + c
		}
		return "+44 20 " + d.digits(4) + " " + d.digits(4)
	case "PHONEIMEI":
		payload := d.pick([]string{"35", "86", "01", "49"}) + d.digits(12)
		cd, _ := checksum.LuhnCheckDigit(payload)
		s := payload + string(cd)
		if f.IntN(3) == 0 {
			return s[0:2] + "-" + s[2:8] + "-" + s[8:14] + "-" + s[14:]
		}
		return s
	case "PASSWORD":
		return f.Password(true, true, true, f.Bool(), false, 8+f.IntN(9))
	case "PIN":
		return d.digits(4 + 2*f.IntN(2))
	case "URL":
		if f.IntN(3) == 0 {
			return "https://" + d.pick([]string{"portal", "app", "my", "intranet"}) + "." + f.DomainName() + "/" + d.pick([]string{"account", "profile", "login", "tickets"}) + "/" + d.digits(6)
		}
		return f.URL()
	case "IP":
		if f.IntN(2) == 0 {
			return d.draw("IPV4", tag)
		}
		return d.draw("IPV6", tag)
	case "IPV4":
		return f.IPv4Address()
	case "IPV6":
		return f.IPv6Address()
	case "MAC":
		m := f.MacAddress()
		switch f.IntN(3) {
		case 0:
			return strings.ToUpper(m)
		case 1:
			return strings.ReplaceAll(m, ":", "-")
		}
		return m
	case "USERAGENT":
		return f.UserAgent()
	case "JOBTITLE":
		if d.fr {
			return d.pick(frJobTitles)
		}
		return f.JobDescriptor() + " " + f.JobLevel() + " " + f.JobTitle()
	case "JOBTYPE":
		if d.fr {
			return d.pick(jobTypesFR)
		}
		return d.pick(jobTypesEN)
	case "JOBAREA":
		if d.fr {
			return d.pick(jobAreasFR)
		}
		return d.pick(jobAreasEN)
	case "COMPANYNAME":
		if d.fr {
			return d.pick(frCompanyStems) + " " + d.pick(frCompanySuffixes)
		}
		return f.Company()
	case "STREET":
		if d.fr {
			return d.pick(frStreetTypes) + " " + d.pick(frStreetNames)
		}
		return f.StreetName() + " " + f.StreetSuffix()
	case "BUILDINGNUMBER":
		n := strconv.Itoa(1 + f.IntN(250))
		if d.fr && f.IntN(6) == 0 {
			n += " bis"
		}
		return n
	case "SECONDARYADDRESS":
		list := unitsEN
		if d.fr {
			list = unitsFR
		}
		p := d.pick(list)
		if strings.Contains(p, "%c") {
			return fmt.Sprintf(p, 'A'+rune(f.IntN(8)))
		}
		return fmt.Sprintf(p, 1+f.IntN(400))
	case "CITY":
		if d.fr {
			return d.pick(frCities)
		}
		return f.City()
	case "COUNTY":
		if d.fr {
			return d.pick(frDepartements)
		}
		return d.pick(enCounties)
	case "STATE":
		if d.fr {
			return d.pick(frRegions)
		}
		if f.IntN(3) == 0 {
			return f.StateAbr()
		}
		return f.State()
	case "ZIPCODE":
		if d.fr {
			return fmt.Sprintf("%02d%03d", 1+f.IntN(95), f.IntN(1000))
		}
		if f.IntN(4) == 0 {
			return f.Zip() + "-" + d.digits(4)
		}
		return f.Zip()
	case "ORDINALDIRECTION":
		if d.fr {
			return d.pick(dirsFR)
		}
		return d.pick(dirsEN)
	case "NEARBYGPSCOORDINATE":
		lat, lon := -60+f.Float64()*130, -180+f.Float64()*360
		if d.fr {
			lat, lon = 42.3+f.Float64()*8.7, -4.8+f.Float64()*13
		}
		if f.IntN(2) == 0 {
			return fmt.Sprintf("[%.4f,%.4f]", lat, lon)
		}
		return fmt.Sprintf("%.5f, %.5f", lat, lon)
	case "ACCOUNTNUMBER":
		return d.digits(8 + f.IntN(5))
	case "ACCOUNTNAME":
		if d.fr {
			return d.pick(accountsFR)
		}
		return d.pick(accountsEN)
	case "IBAN":
		return d.iban()
	case "BIC":
		country := d.pick([]string{"FR", "DE", "GB", "ES", "IT", "NL", "BE", "CH", "US"})
		if d.fr {
			country = "FR"
		}
		bic := d.letters(4, upper) + country + d.letters(2, upper+"0123456789")
		if f.Bool() {
			bic += d.letters(3, upper+"0123456789")
		}
		return bic
	case "CREDITCARDNUMBER":
		return f.CreditCardNumber(&gofakeit.CreditCardOptions{Gaps: f.Bool()})
	case "CREDITCARDISSUER":
		return d.pick(issuers)
	case "CREDITCARDCVV":
		return d.digits(3 + f.IntN(5)/4)
	case "MASKEDNUMBER":
		last := d.digits(4)
		switch f.IntN(3) {
		case 0:
			return "************" + last
		case 1:
			return "XXXX-XXXX-XXXX-" + last
		}
		return "•••• " + last
	case "AMOUNT":
		v := float64(f.IntN(10000000)) / 100
		if f.IntN(3) == 0 {
			v = float64(f.IntN(5000))
		}
		return formatAmount(v, d.fr)
	case "CURRENCYCODE":
		return currencies[d.cur].code
	case "CURRENCYSYMBOL":
		return currencies[d.cur].symbol
	case "CURRENCYNAME":
		if d.fr {
			return currencies[d.cur].nameFR
		}
		return currencies[d.cur].nameEN
	case "BITCOINADDRESS":
		h := d.bytes(20)
		switch f.IntN(3) {
		case 0:
			return checksum.Base58CheckEncode(checksum.BitcoinP2PKH, h)
		case 1:
			return checksum.Base58CheckEncode(checksum.BitcoinP2SH, h)
		}
		a, err := checksum.SegwitEncode("bc", 0, h)
		if err != nil {
			return checksum.Base58CheckEncode(checksum.BitcoinP2PKH, h)
		}
		return a
	case "LITECOINADDRESS":
		v := checksum.LitecoinP2PKH
		if f.IntN(3) == 0 {
			v = checksum.LitecoinP2SH
		}
		return checksum.Base58CheckEncode(v, d.bytes(20))
	case "ETHEREUMADDRESS":
		raw := fmt.Sprintf("%x", d.bytes(20))
		if f.Bool() {
			if a, err := checksum.EIP55(raw); err == nil {
				return a
			}
		}
		return "0x" + raw
	case "SSN":
		if d.fr {
			return d.nir()
		}
		area := 1 + f.IntN(899)
		if area == 666 {
			area = 667
		}
		s := fmt.Sprintf("%03d-%02d-%04d", area, 1+f.IntN(99), 1+f.IntN(9999))
		if f.IntN(4) == 0 {
			return strings.ReplaceAll(s, "-", "")
		}
		return s
	case "VEHICLEVIN":
		return d.vin()
	case "VEHICLEVRM":
		if d.fr {
			return d.letters(2, "ABCDEFGHJKLMNPRSTVWXYZ") + "-" + d.digits(3) + "-" + d.letters(2, "ABCDEFGHJKLMNPRSTVWXYZ")
		}
		if f.Bool() {
			return d.letters(2, "ABCDEFGHJKLMNOPRSTUVWXY") + d.digits(2) + " " + d.letters(3, "ABCDEFGHJKLMNOPRSTUVWXYZ")
		}
		return d.digits(1) + d.letters(3, upper) + d.digits(3)
	case "DATE":
		return d.date(2015, 2027)
	case "DOB":
		return d.date(1940, 2006)
	case "AGE":
		return strconv.Itoa(18 + f.IntN(72))
	case "TIME":
		h, m := f.IntN(24), f.IntN(60)
		if d.fr {
			if f.Bool() {
				return fmt.Sprintf("%dh%02d", h, m)
			}
			return fmt.Sprintf("%02d:%02d", h, m)
		}
		switch f.IntN(3) {
		case 0:
			ap := "AM"
			if h >= 12 {
				ap = "PM"
			}
			return fmt.Sprintf("%d:%02d %s", (h+11)%12+1, m, ap)
		case 1:
			return fmt.Sprintf("%02d:%02d:%02d", h, m, f.IntN(60))
		}
		return fmt.Sprintf("%02d:%02d", h, m)
	case "GENDER":
		if d.fr {
			return d.pick(gendersFR)
		}
		return d.pick(gendersEN)
	case "SEX":
		if d.fr {
			return d.pick(sexesFR)
		}
		return d.pick(sexesEN)
	case "EYECOLOR":
		if d.fr {
			return d.pick(eyesFR)
		}
		return d.pick(eyesEN)
	case "HEIGHT":
		cm := 150 + f.IntN(50)
		if d.fr {
			if f.Bool() {
				return fmt.Sprintf("%d cm", cm)
			}
			return fmt.Sprintf("1,%02d m", cm-100)
		}
		if f.Bool() {
			return fmt.Sprintf("%d cm", cm)
		}
		in := int(float64(cm) / 2.54)
		return fmt.Sprintf("%d'%d\"", in/12, in%12)
	}
	panic("generate: no value generator for class " + label)
}

func (d *doc) bytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(d.f.IntN(256))
	}
	return b
}

// iban draws a valid IBAN (ISO 7064 mod 97-10 check digits), in electronic
// form or grouped by four.
func (d *doc) iban() string {
	c := ibanCountries[d.f.IntN(len(ibanCountries))]
	if d.fr && d.f.IntN(3) > 0 {
		c = ibanCountries[0]
	}
	b := make([]byte, len(c.pattern))
	for i := range c.pattern {
		switch c.pattern[i] {
		case '9':
			b[i] = byte('0' + d.f.IntN(10))
		case 'A':
			b[i] = upper[d.f.IntN(26)]
		default:
			if d.f.IntN(4) == 0 {
				b[i] = upper[d.f.IntN(26)]
			} else {
				b[i] = byte('0' + d.f.IntN(10))
			}
		}
	}
	bban := string(b)
	check, err := checksum.IBANCheckDigits(c.code, bban)
	if err != nil {
		panic("generate: bad IBAN pattern for " + c.code + ": " + err.Error())
	}
	s := c.code + check + bban
	if d.f.Bool() {
		var g strings.Builder
		for i := 0; i < len(s); i += 4 {
			if i > 0 {
				g.WriteByte(' ')
			}
			g.WriteString(s[i:min(i+4, len(s))])
		}
		return g.String()
	}
	return s
}

// nir draws a French social security number (NIR) with its mod-97 key.
func (d *doc) nir() string {
	body := fmt.Sprintf("%d%02d%02d%02d%03d%03d", 1+d.f.IntN(2), d.f.IntN(100), 1+d.f.IntN(12), 1+d.f.IntN(95), 1+d.f.IntN(999), 1+d.f.IntN(999))
	n, _ := strconv.ParseInt(body, 10, 64)
	key := 97 - n%97
	if d.f.Bool() {
		return fmt.Sprintf("%s %s %s %s %s %s %02d", body[0:1], body[1:3], body[3:5], body[5:7], body[7:10], body[10:13], key)
	}
	return fmt.Sprintf("%s%02d", body, key)
}

// vin draws a 17-character VIN with a valid position-9 check digit.
func (d *doc) vin() string {
	const alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789" // no I, O, Q
	wmi := d.pick([]string{"1HG", "1FA", "2T1", "3VW", "JHM", "WVW", "VF1", "VF3", "WBA", "ZFA", "SAL", "5YJ"})
	v := []byte(wmi + d.letters(5, alphabet) + "0" + d.letters(1, "ABCDEFGHJKLMNPRSTVWXY123456789") + d.letters(7, alphabet))
	cd, err := checksum.VINCheckDigit(string(v))
	if err != nil {
		panic("generate: " + err.Error())
	}
	v[8] = cd
	return string(v)
}

var monthsEN = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// date draws a valid calendar date between the years and formats it the
// way the document's language writes dates.
func (d *doc) date(fromYear, toYear int) string {
	y := fromYear + d.f.IntN(toYear-fromYear+1)
	m := 1 + d.f.IntN(12)
	days := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
	if m == 2 && (y%4 == 0 && (y%100 != 0 || y%400 == 0)) {
		days = 29
	}
	day := 1 + d.f.IntN(days)
	if d.fr {
		switch d.f.IntN(3) {
		case 0:
			return fmt.Sprintf("%02d/%02d/%d", day, m, y)
		case 1:
			return fmt.Sprintf("%d %s %d", day, monthsFR[m-1], y)
		}
		return fmt.Sprintf("%d-%02d-%02d", y, m, day)
	}
	switch d.f.IntN(4) {
	case 0:
		return fmt.Sprintf("%02d/%02d/%d", m, day, y)
	case 1:
		return fmt.Sprintf("%s %d, %d", monthsEN[m-1], day, y)
	case 2:
		return fmt.Sprintf("%d %s %d", day, monthsEN[m-1], y)
	}
	return fmt.Sprintf("%d-%02d-%02d", y, m, day)
}

// formatAmount writes v with two decimals in English (1,234.56) or French
// (1 234,56) style.
func formatAmount(v float64, fr bool) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	intPart, dec := s[:len(s)-3], s[len(s)-2:]
	sep, point := ",", "."
	if fr {
		sep, point = " ", ","
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	if dec == "00" && len(intPart) > 0 && intPart[len(intPart)-1]%2 == 0 {
		return b.String()
	}
	return b.String() + point + dec
}
