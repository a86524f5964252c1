package docs

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/piimask/piimask/stages/generate"
)

// person is one individual of a document, drawn once and written in many
// surface forms.
type person struct {
	first, middle, last string
	female              bool
	origin              *origin
	country             *country
	company             string
	domain              string // company mail domain
	title               string // job title
	email               string
	username            string
}

// pickOrigin favours English names in English documents and French (and
// French-speaking) ones in French documents, with every origin possible.
func (g *gen) pickOrigin() *origin {
	r := g.f.Float64()
	if g.fr {
		if r < 0.4 {
			return &origins[1]
		}
		if r < 0.55 {
			var fs []*origin
			for i := range origins {
				if origins[i].frenchSpeaker {
					fs = append(fs, &origins[i])
				}
			}
			return pick(g, fs)
		}
	} else if r < 0.35 {
		return &origins[0]
	}
	return &origins[g.n(len(origins))]
}

func (g *gen) pickCountry() *country {
	if g.p(0.45) {
		if g.fr {
			return countryByCode(pick(g, []string{"FR", "FR", "FR", "BE", "CH", "CA"}))
		}
		return countryByCode(pick(g, []string{"US", "US", "GB", "GB", "CA"}))
	}
	return &countries[g.n(len(countries))]
}

func countryByCode(code string) *country {
	for i := range countries {
		if countries[i].code == code {
			return &countries[i]
		}
	}
	panic("docs: no country " + code)
}

func (g *gen) person() *person {
	o := g.pickOrigin()
	p := &person{origin: o, female: g.p(0.5)}
	if p.female {
		p.first = pick(g, o.female)
	} else {
		p.first = pick(g, o.male)
	}
	p.last = pick(g, o.last)
	switch {
	case o.name == "french" && g.p(0.12):
		// compound first names: Jean-Pierre, Marie-Claire
		if p.female {
			p.first = pick(g, []string{"Marie", "Anne", "Marie", "Louise"}) + "-" + pick(g, o.female)
		} else {
			p.first = pick(g, []string{"Jean", "Pierre", "Jean", "Louis"}) + "-" + pick(g, o.male)
		}
	case (o.name == "spanish" || o.name == "portuguese") && g.p(0.35):
		// two family names, one LASTNAME span: "García López"
		p.last += " " + pick(g, o.last)
	case (o.name == "english" || o.name == "german") && g.p(0.05):
		p.last += "-" + pick(g, o.last) // Smith-Jones
	}
	if o.name == "english" && g.p(0.08) {
		// first names that are also ordinary words
		if p.female {
			p.first = pick(g, []string{"June", "April", "Rose", "Grace", "Hope", "Joy", "Amber", "May"})
		} else {
			p.first = pick(g, []string{"Will", "Mark", "Frank", "Bill", "Art", "Guy", "Rich"})
		}
	} else if o.name == "english" && g.p(0.5) {
		// gofakeit's much larger (mostly US) name lists, for variety
		p.first, p.last = g.f.FirstName(), g.f.LastName()
	}
	if g.fr {
		p.middle = pick(g, middleFR)
	} else {
		p.middle = pick(g, middleEN)
	}
	p.country = g.pickCountry()
	p.company, p.domain = g.company()
	p.title = g.jobTitle()
	p.email = g.emailFor(p, g.p(0.6))
	p.username = g.usernameFor(p)
	return p
}

// prefix returns a courtesy title for p ("Mr.", "Mme", "Dr.").
func (g *gen) prefix(p *person) string {
	if g.p(0.12) {
		return g.tr(pick(g, []string{"Dr.", "Dr", "Prof."}), pick(g, []string{"Dr", "Pr", "Me"}))
	}
	if g.fr {
		if p.female {
			return pick(g, []string{"Mme", "Mme", "Mme.", "Madame", "Mlle"})
		}
		return pick(g, []string{"M.", "M.", "Monsieur"})
	}
	if p.female {
		return pick(g, []string{"Ms.", "Mrs.", "Ms", "Mrs", "Miss"})
	}
	return pick(g, []string{"Mr.", "Mr.", "Mr"})
}

// name styles
const (
	nameFull       = iota // Sarah Mitchell
	nameFirst             // Sarah
	nameLastFirst         // Mitchell, Sarah
	nameInitial           // S. Mitchell
	nameMiddle            // Sarah J. Mitchell / Sarah Jane Mitchell
	nameUpperLast         // MITCHELL Sarah / Sarah MITCHELL
	nameCaps              // SARAH MITCHELL
	namePrefixLast        // Ms. Mitchell
	namePrefixFull        // Dr. Sarah Mitchell
	nameLower             // sarah mitchell
)

// name writes p in style; the span boundaries follow the 200k convention:
// each name part is its own entity, an initial's period is outside it, a
// prefix keeps its period ("Mr.").
func (g *gen) name(b *builder, p *person, style int) {
	first, last := p.first, p.last
	asian := p.origin.name == "chinese" || p.origin.name == "japanese" || p.origin.name == "korean"
	switch style {
	case nameFirst:
		b.ent("FIRSTNAME", first)
	case nameLastFirst:
		b.ent("LASTNAME", last)
		b.lit(", ")
		b.ent("FIRSTNAME", first)
	case nameInitial:
		b.ent("FIRSTNAME", initial(first))
		b.lit(". ")
		b.ent("LASTNAME", last)
	case nameMiddle:
		b.ent("FIRSTNAME", first)
		b.lit(" ")
		if g.p(0.5) {
			b.ent("MIDDLENAME", initial(p.middle))
			b.lit(". ")
		} else {
			b.ent("MIDDLENAME", p.middle)
			b.lit(" ")
		}
		b.ent("LASTNAME", last)
	case nameUpperLast:
		if g.p(0.5) {
			b.ent("LASTNAME", strings.ToUpper(last))
			b.lit(" ")
			b.ent("FIRSTNAME", first)
		} else {
			b.ent("FIRSTNAME", first)
			b.lit(" ")
			b.ent("LASTNAME", strings.ToUpper(last))
		}
	case nameCaps:
		b.ent("FIRSTNAME", strings.ToUpper(first))
		b.lit(" ")
		b.ent("LASTNAME", strings.ToUpper(last))
	case namePrefixLast:
		b.ent("PREFIX", g.prefix(p))
		b.lit(" ")
		b.ent("LASTNAME", last)
	case namePrefixFull:
		b.ent("PREFIX", g.prefix(p))
		b.lit(" ")
		b.ent("FIRSTNAME", first)
		b.lit(" ")
		b.ent("LASTNAME", last)
	case nameLower:
		b.ent("FIRSTNAME", strings.ToLower(first))
		if g.p(0.5) {
			b.lit(" ")
			b.ent("LASTNAME", strings.ToLower(last))
		}
	default:
		if asian && g.p(0.3) {
			b.ent("LASTNAME", last)
			b.lit(" ")
			b.ent("FIRSTNAME", first)
			return
		}
		b.ent("FIRSTNAME", first)
		b.lit(" ")
		b.ent("LASTNAME", last)
	}
}

// anyName writes p in a style drawn with realistic weights for running text.
func (g *gen) anyName(b *builder, p *person) {
	styles := []int{nameFull, nameFull, nameFull, nameFull, nameFirst, namePrefixLast, namePrefixFull, nameInitial, nameMiddle, nameLastFirst, nameUpperLast, nameCaps}
	g.name(b, p, pick(g, styles))
}

// fullName writes a name that identifies the person on its own (headers,
// signatures, records).
func (g *gen) fullName(b *builder, p *person) {
	styles := []int{nameFull, nameFull, nameFull, nameFull, nameMiddle, nameInitial, nameUpperLast, nameCaps, namePrefixFull}
	g.name(b, p, pick(g, styles))
}

func initial(s string) string {
	for _, r := range s {
		return string(r)
	}
	return s
}

// mailDomainsGeneric are providers used anywhere.
var mailDomainsGeneric = words("gmail.com outlook.com hotmail.com yahoo.com proton.me icloud.com mail.com")

func (g *gen) emailFor(p *person, work bool) string {
	first, last := generate.ASCIIFold(p.first), generate.ASCIIFold(p.last)
	var local string
	switch g.n(9) {
	case 0, 1:
		local = first + "." + last
	case 2:
		local = first[:1] + last
	case 3:
		local = first[:1] + "." + last
	case 4:
		local = first + "_" + last
	case 5:
		local = first + last[:1]
	case 6:
		local = last + "." + first
	case 7:
		local = first + "." + last + strconv.Itoa(1+g.n(99))
	default:
		local = first
	}
	domain := p.domain
	if !work {
		if g.p(0.5) {
			domain = pick(g, p.country.domains)
		} else {
			domain = pick(g, mailDomainsGeneric)
		}
	}
	return local + "@" + domain
}

func (g *gen) usernameFor(p *person) string {
	first, last := generate.ASCIIFold(p.first), generate.ASCIIFold(p.last)
	switch g.n(7) {
	case 0:
		return first + "." + last
	case 1:
		return first[:1] + last
	case 2:
		return first + "_" + last[:1]
	case 3:
		return last + g.digits(2)
	case 4:
		return first + g.digits(1+g.n(3))
	case 5:
		return pick(g, words("blue night dark silver quick lazy happy red")) + pick(g, words("fox wolf tiger owl coder panda hawk")) + "_" + g.digits(2)
	}
	return first[:1] + last + g.digits(2)
}

var companyStems = words("Acme Northwind Brightline Helios Vertex Bluewave Orchid Granite Meridian Aurora Evergreen Lumen Cobalt Pinnacle Sapphire Quantum Riverstone Atlas Nimbus Falcon Harbor Keystone Solaris Tandem Veridian Zephyr Beaulieu Cévennes Boréal Étoile Nordlicht Sonnenberg Lindqvist Fjord Kasvu Tähti")
var companyWords = words("Logistics Consulting Software Systems Foods Energy Analytics Partners Media Dynamics Labs Health Capital Engineering Robotics Textiles Pharma Design Networks Solutions")
var companyWordsFR = words("Conseil Logistique Informatique Services Bâtiment Énergie Santé Transports Distribution Ingénierie Assurances Imprimerie")

// city draws a city of c: for the US often from gofakeit's list of real
// cities, otherwise from the country's own list.
func (g *gen) city(c *country) string {
	if c.code == "US" && g.p(0.6) {
		return g.f.City()
	}
	return pick(g, c.cities)
}

// company returns a company name in one of many shapes and its mail domain.
func (g *gen) company() (string, string) {
	if !g.fr && g.p(0.2) {
		name := g.f.Company()
		return name, generate.ASCIIFold(strings.Fields(name)[0]) + pick(g, words(".com .com .io .net"))
	}
	stem := pick(g, companyStems)
	var name string
	switch g.n(11) {
	case 0:
		name = stem + " " + pick(g, words("Inc Inc. LLC Corp. Ltd Limited plc"))
	case 1:
		name = stem + "-" + pick(g, origins[g.n(len(origins))].last)
	case 2:
		a, b, c := pick(g, origins[0].last), pick(g, origins[0].last), pick(g, origins[5].last)
		name = a + ", " + b + g.tr(" and ", " et ") + c
	case 3:
		name = stem + " " + pick(g, companyWords) + " GmbH"
	case 4:
		name = stem + " " + pick(g, companyWordsFR) + " " + pick(g, words("SA SAS SARL"))
	case 5:
		name = pick(g, origins[g.n(len(origins))].last) + " & " + pick(g, words("Sons Partners Associates Fils Co."))
	case 6:
		name = stem + " " + pick(g, companyWords)
	case 7:
		name = stem + " " + pick(g, words("BV NV AB Oy AS A/S S.p.A. S.L. Sp._z_o.o. OÜ"))
	case 8:
		name = strings.ToUpper(stem) + " " + pick(g, companyWords)
	case 9:
		name = stem + pick(g, words("Tech soft ify ware hub")) + " " + pick(g, words("Ltd Inc. GmbH SAS"))
	default:
		name = pick(g, origins[g.n(len(origins))].last) + " " + pick(g, companyWords) + " " + pick(g, words("Group Ltd Inc. AG"))
	}
	domain := generate.ASCIIFold(strings.Fields(name)[0]) + pick(g, words(".com .com .io .fr .de .co.uk .eu .net"))
	return name, domain
}

var jobTitlesEN = []string{
	"Account Manager", "Senior Software Engineer", "Head of Marketing", "Office Manager", "Financial Controller",
	"HR Business Partner", "Sales Director", "Customer Success Manager", "Data Analyst", "Chief Operating Officer",
	"Project Coordinator", "Legal Counsel", "Procurement Specialist", "Nurse Practitioner", "IT Support Technician",
	"Product Owner", "Executive Assistant", "Warehouse Supervisor", "Quality Assurance Lead", "Marketing Coordinator",
	"Chief Financial Officer", "Senior Accountant", "Research Scientist", "Operations Manager", "UX Designer",
	"Recruitment Consultant", "Payroll Administrator", "Regional Sales Manager", "Managing Director", "DevOps Engineer",
	"General Practitioner", "Physiotherapist", "Paralegal", "Facilities Manager", "Junior Web Developer",
}
var jobTitlesFR = []string{
	"chargée de clientèle", "ingénieur logiciel", "directrice marketing", "responsable administratif", "contrôleur de gestion",
	"responsable des ressources humaines", "directeur commercial", "chef de projet", "analyste de données", "directrice générale",
	"assistante de direction", "juriste", "acheteur", "infirmière", "technicien support",
	"comptable", "responsable logistique", "développeuse web", "consultant SAP", "chargé de recrutement",
	"gestionnaire de paie", "médecin généraliste", "kinésithérapeute", "directeur financier", "responsable qualité",
	"Directrice des opérations", "Chef de service", "Responsable commercial", "Ingénieure d'études", "Conseiller en gestion de patrimoine",
}

func (g *gen) jobTitle() string {
	t := g.trl(jobTitlesEN, jobTitlesFR)
	if g.p(0.05) {
		t = strings.ToUpper(t)
	}
	return t
}

// phone draws a phone number in one of the country's formats.
func (g *gen) phone(c *country) string { return g.pattern(pick(g, c.phones)) }

func (g *gen) zip(c *country) string { return g.pattern(pick(g, c.zip)) }

// address writes an address of country c. multiline puts each part on its
// own line (letters, signatures); otherwise the parts are joined with ", ".
// withCountry adds the country line (labelled STATE: 200k has no COUNTRY).
func (g *gen) address(b *builder, c *country, multiline, withCountry bool) {
	sep := ", "
	if multiline {
		sep = "\n"
	}
	street := pick(g, c.streets)
	num := strconv.Itoa(1 + g.n(180))
	if g.p(0.08) {
		num += pick(g, []string{"A", "B", " bis", "a"})
	}
	unit := ""
	if g.p(0.35) && len(c.units) > 0 {
		unit = g.pattern(pick(g, c.units))
	}
	upperCity := g.p(0.3)
	if unit != "" && c.numberFirst && g.p(0.5) && multiline {
		// "Flat 3" / "Apt 4B" on its own line above the street
		b.ent("SECONDARYADDRESS", unit)
		b.lit(sep)
		unit = ""
	}
	attached := strings.HasPrefix(unit, "-") || strings.HasPrefix(unit, "/")
	if c.numberFirst {
		b.ent("BUILDINGNUMBER", num)
		if c.code == "FR" || g.p(0.85) {
			b.lit(" ")
		} else {
			b.lit(", ")
		}
		b.ent("STREET", street)
	} else {
		b.ent("STREET", street)
		if c.code == "ES" && g.p(0.6) {
			b.lit(", ")
		} else {
			b.lit(" ")
		}
		b.ent("BUILDINGNUMBER", num)
	}
	if unit != "" {
		if attached {
			b.ent("SECONDARYADDRESS", unit)
		} else {
			b.lit(pick(g, []string{", ", sep}))
			b.ent("SECONDARYADDRESS", unit)
		}
	}
	b.lit(sep)
	city := g.city(c)
	if upperCity {
		city = strings.ToUpper(city)
	}
	zip := g.zip(c)
	switch c.cityLine {
	case "csz":
		b.ent("CITY", city)
		b.lit(", ")
		if len(c.regions) > 0 {
			b.ent("STATE", pick(g, c.regions))
			b.lit(" ")
		}
		b.ent("ZIPCODE", zip)
	case "cz":
		b.ent("CITY", city)
		b.lit(pick(g, []string{", ", " "}))
		b.ent("ZIPCODE", zip)
	case "cz2":
		b.ent("CITY", city)
		if len(c.regions) > 0 && g.p(0.3) {
			b.lit(sep)
			b.ent("COUNTY", pick(g, c.regions))
		}
		b.lit(sep)
		b.ent("ZIPCODE", zip)
	default:
		b.ent("ZIPCODE", zip)
		b.lit(" ")
		b.ent("CITY", city)
		if c.code == "IT" && g.p(0.5) {
			b.lit(" ")
			b.ent("STATE", pick(g, c.regions))
		}
	}
	if withCountry {
		b.lit(sep)
		name := g.tr(c.nameEN, c.nameFR)
		if upperCity || g.p(0.3) {
			name = strings.ToUpper(name)
		}
		b.ent("STATE", name)
	}
}

var weekdaysEN = words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
var weekdaysFR = words("lundi mardi mercredi jeudi vendredi samedi dimanche")
var monthsEN = words("January February March April May June July August September October November December")
var monthsFR = words("janvier février mars avril mai juin juillet août septembre octobre novembre décembre")

// day draws a calendar day between the years.
func (g *gen) day(from, to int) time.Time {
	start := time.Date(from, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(to+1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	return start.AddDate(0, 0, g.n(days))
}

func weekdayIndex(t time.Time) int { return (int(t.Weekday()) + 6) % 7 }

// date formats t in one of the language's many date styles (the weekday,
// when written, is part of the DATE span).
func (g *gen) date(t time.Time) string {
	d, m, y := t.Day(), int(t.Month()), t.Year()
	if g.fr {
		switch g.n(8) {
		case 0, 1:
			return fmt.Sprintf("%02d/%02d/%d", d, m, y)
		case 2:
			return fmt.Sprintf("%d %s %d", d, monthsFR[m-1], y)
		case 3:
			return fmt.Sprintf("%s %d %s %d", weekdaysFR[weekdayIndex(t)], d, monthsFR[m-1], y)
		case 4:
			return fmt.Sprintf("%d-%02d-%02d", y, m, d)
		case 5:
			return fmt.Sprintf("%02d.%02d.%d", d, m, y)
		case 6:
			return fmt.Sprintf("%02d/%02d/%02d", d, m, y%100)
		}
		day := strconv.Itoa(d)
		if d == 1 {
			day = "1er"
		}
		return fmt.Sprintf("%s %s %d", day, monthsFR[m-1], y)
	}
	switch g.n(10) {
	case 0:
		return fmt.Sprintf("%02d/%02d/%d", m, d, y)
	case 1:
		return fmt.Sprintf("%s %d, %d", monthsEN[m-1], d, y)
	case 2:
		return fmt.Sprintf("%d %s %d", d, monthsEN[m-1], y)
	case 3:
		return fmt.Sprintf("%d-%02d-%02d", y, m, d)
	case 4:
		return fmt.Sprintf("%s, %s %d, %d", weekdaysEN[weekdayIndex(t)], monthsEN[m-1], d, y)
	case 5:
		return fmt.Sprintf("%s %d, %d", monthsEN[m-1][:3], d, y)
	case 6:
		return fmt.Sprintf("%02d/%02d/%d", d, m, y)
	case 7:
		return fmt.Sprintf("%d%s %s %d", d, ordinal(d), monthsEN[m-1], y)
	case 8:
		return fmt.Sprintf("%02d.%02d.%d", d, m, y)
	}
	return fmt.Sprintf("%d/%d/%02d", m, d, y%100)
}

func ordinal(d int) string {
	switch {
	case d%10 == 1 && d != 11:
		return "st"
	case d%10 == 2 && d != 12:
		return "nd"
	case d%10 == 3 && d != 13:
		return "rd"
	}
	return "th"
}

func (g *gen) anyDate() string { return g.date(g.day(2018, 2027)) }

// clock formats a time of day in one of the language's styles.
func (g *gen) clock() string {
	h, m := g.n(24), g.n(60)
	if g.n(3) == 0 {
		h = 8 + g.n(10)
		m = 15 * g.n(4)
	}
	if g.fr {
		switch g.n(4) {
		case 0:
			if m == 0 {
				return fmt.Sprintf("%dh", h)
			}
			return fmt.Sprintf("%dh%02d", h, m)
		case 1:
			return fmt.Sprintf("%02d h %02d", h, m)
		}
		return fmt.Sprintf("%02d:%02d", h, m)
	}
	switch g.n(4) {
	case 0, 1:
		ap := pick(g, []string{"AM", "am", "a.m."})
		if h >= 12 {
			ap = pick(g, []string{"PM", "pm", "p.m."})
		}
		sep := pick(g, []string{" ", ""})
		return fmt.Sprintf("%d:%02d%s%s", (h+11)%12+1, m, sep, ap)
	case 2:
		return fmt.Sprintf("%02d:%02d:%02d", h, m, g.n(60))
	}
	return fmt.Sprintf("%02d:%02d", h, m)
}

var currencyCodes = words("EUR USD GBP CHF SEK NOK DKK PLN CZK CAD JPY INR")
var currencySymbols = map[string]string{"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹"}

// money writes an amount with its currency in one of several layouts.
func (g *gen) money(b *builder, lo, hi float64) {
	v := lo + g.f.Float64()*(hi-lo)
	v = float64(int64(v*100)) / 100
	code := "EUR"
	if !g.fr && g.p(0.5) {
		code = pick(g, []string{"USD", "GBP", "USD"})
	}
	if g.p(0.2) {
		code = pick(g, currencyCodes)
	}
	amount := generate.FormatAmount(v, g.fr || (code == "EUR" && g.p(0.3)))
	if g.fr && g.p(0.2) {
		amount = strings.ReplaceAll(amount, " ", ".") // 1.234,56
	}
	sym, hasSym := currencySymbols[code]
	switch {
	case hasSym && !g.fr && g.p(0.6):
		b.ent("CURRENCYSYMBOL", sym)
		b.ent("AMOUNT", amount)
	case hasSym && g.p(0.5):
		b.ent("AMOUNT", amount)
		b.lit(" ")
		b.ent("CURRENCYSYMBOL", sym)
	case g.p(0.5):
		b.ent("CURRENCYCODE", code)
		b.lit(" ")
		b.ent("AMOUNT", amount)
	default:
		b.ent("AMOUNT", amount)
		b.lit(" ")
		b.ent("CURRENCYCODE", code)
	}
}

// age writes an age phrase, the number alone being the AGE span.
func (g *gen) age(b *builder, lo, hi int) {
	a := strconv.Itoa(lo + g.n(hi-lo+1))
	if g.fr {
		switch g.n(3) {
		case 0:
			b.lit(pick(g, []string{"âgé de ", "âgée de "}))
			b.ent("AGE", a)
			b.lit(" ans")
		case 1:
			b.ent("AGE", a)
			b.lit(" ans")
		default:
			b.lit("âge : ")
			b.ent("AGE", a)
		}
		return
	}
	switch g.n(4) {
	case 0:
		b.lit("aged ")
		b.ent("AGE", a)
	case 1:
		b.ent("AGE", a)
		b.lit(" years old")
	case 2:
		b.ent("AGE", a)
		b.lit("-year-old")
	default:
		b.lit("age ")
		b.ent("AGE", a)
	}
}

// capFirst upper-cases the first letter of s.
func capFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+utf8Len(r):]
	}
	return s
}

func utf8Len(r rune) int { return len(string(r)) }
