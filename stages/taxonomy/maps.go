package taxonomy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/piimask/piimask/labels"
)

// Names of the label sets piimask ships maps for. Each maps its labels onto
// the AI4Privacy 200k classes where such a class exists, every label onto an
// entity group, and the 200k classes back onto its labels.
const (
	// AI4Privacy200k is the 200k taxonomy itself (labels): identity.
	AI4Privacy200k = "ai4privacy-200k"
	// AI4Privacy300k is the 27-class set of the 300k release (OpenPII-220k):
	// GIVENNAME1, LASTNAME1, TEL, BOD, SOCIALNUMBER…
	AI4Privacy300k = "ai4privacy-300k"
	// AI4Privacy400k is the 17 public classes of the 400k release:
	// GIVENNAME, SURNAME, TELEPHONENUM, SOCIALNUM…
	AI4Privacy400k = "ai4privacy-400k"
	// AI4Privacy500k is the "Open PII Labelset" (20 classes) of
	// open-pii-masking-500k; also known by the name "openpii".
	AI4Privacy500k = "ai4privacy-500k"
	// OpenPII is another name of AI4Privacy500k.
	OpenPII = "openpii"
	// Presidio is Microsoft Presidio's entity types (analyzer results and
	// presidio-research data sets): PERSON, PHONE_NUMBER, US_SSN…
	Presidio = "presidio"
)

// ReversePrefix, put before a taxonomy name ("to-presidio"), selects the map
// from the 200k classes onto that taxonomy instead of the other way round.
const ReversePrefix = "to-"

// entry is one foreign label: the 200k class it names ("" when none does)
// and its entity group (derived from the class when empty).
type entry struct {
	label, class, group string
}

// Taxonomy is a label set with its maps onto the 200k classes and the
// entity groups.
type Taxonomy struct {
	// Name is the name a job config uses.
	Name string
	// Source says where the label set comes from.
	Source  string
	entries []entry
	// from200k maps a 200k class onto one of the taxonomy's labels.
	from200k map[string]string
}

// Labels returns the taxonomy's labels, sorted.
func (t *Taxonomy) Labels() []string {
	out := make([]string, len(t.entries))
	for i, e := range t.entries {
		out[i] = e.label
	}
	sort.Strings(out)
	return out
}

// Has reports whether label belongs to the taxonomy.
func (t *Taxonomy) Has(label string) bool {
	_, ok := t.find(label)
	return ok
}

func (t *Taxonomy) find(label string) (entry, bool) {
	for _, e := range t.entries {
		if e.label == label {
			return e, true
		}
	}
	return entry{}, false
}

// To200k returns the 200k class a label of the taxonomy names; ok is false
// when the label is not the taxonomy's or no 200k class matches it (Presidio's
// PERSON is a whole name, not a FIRSTNAME).
func (t *Taxonomy) To200k(label string) (string, bool) {
	e, ok := t.find(label)
	if !ok || e.class == "" {
		return "", false
	}
	return e.class, true
}

// Group returns the entity group of one of the taxonomy's labels; ok is
// false for a label the taxonomy does not have.
func (t *Taxonomy) Group(label string) (string, bool) {
	e, ok := t.find(label)
	if !ok {
		return GroupOther, false
	}
	if e.group != "" {
		return e.group, true
	}
	return GroupOf(e.class), true
}

// From200k returns the taxonomy's label for a 200k class (for predictions
// of a piimask method scored against gold in this taxonomy); ok is false
// when the taxonomy has no such label.
func (t *Taxonomy) From200k(class string) (string, bool) {
	l, ok := t.from200k[class]
	return l, ok
}

// Names lists the shipped taxonomies' names (OpenPII included), sorted.
func Names() []string {
	out := make([]string, 0, len(shipped)+1)
	for _, t := range shipped {
		out = append(out, t.Name)
	}
	out = append(out, OpenPII)
	sort.Strings(out)
	return out
}

// Lookup returns the shipped taxonomy called name (OpenPII is
// AI4Privacy500k).
func Lookup(name string) (*Taxonomy, bool) {
	if name == OpenPII {
		name = AI4Privacy500k
	}
	for _, t := range shipped {
		if t.Name == name {
			return t, true
		}
	}
	return nil, false
}

// ValidMapName reports whether name selects a shipped map: a taxonomy name,
// or ReversePrefix and one.
func ValidMapName(name string) bool {
	_, ok := Lookup(strings.TrimPrefix(name, ReversePrefix))
	return ok
}

// MapNames lists the names a label map may be given by: every taxonomy and
// its reverse.
func MapNames() []string {
	out := Names()
	for _, n := range Names() {
		if n != AI4Privacy200k {
			out = append(out, ReversePrefix+n)
		}
	}
	return out
}

// shipped are the taxonomies piimask ships.
var shipped = []*Taxonomy{tax200k(), tax300k(), tax400k(), tax500k(), taxPresidio()}

func tax200k() *Taxonomy {
	t := &Taxonomy{Name: AI4Privacy200k, Source: "ai4privacy/pii-masking-200k (labels)", from200k: map[string]string{}}
	for _, c := range labels.All() {
		t.entries = append(t.entries, entry{label: c, class: c})
		t.from200k[c] = c
	}
	return t
}

// tax300k: the 27 classes of ai4privacy/pii-masking-300k (its dataset card:
// "OpenPII-220k text entries have 27 PII classes").
func tax300k() *Taxonomy {
	return &Taxonomy{
		Name:   AI4Privacy300k,
		Source: "ai4privacy/pii-masking-300k dataset card (OpenPII-220k, 27 classes)",
		entries: []entry{
			{"TITLE", "PREFIX", ""},
			{"GIVENNAME1", "FIRSTNAME", ""},
			{"GIVENNAME2", "MIDDLENAME", ""},
			{"LASTNAME1", "LASTNAME", ""},
			{"LASTNAME2", "LASTNAME", ""},
			{"LASTNAME3", "LASTNAME", ""},
			{"SEX", "SEX", ""},
			{"BOD", "DOB", ""},
			{"EMAIL", "EMAIL", ""},
			{"TEL", "PHONENUMBER", ""},
			{"IP", "IP", ""},
			{"USERNAME", "USERNAME", ""},
			{"PASS", "PASSWORD", ""},
			{"STREET", "STREET", ""},
			{"BUILDING", "BUILDINGNUMBER", ""},
			{"SECADDRESS", "SECONDARYADDRESS", ""},
			{"CITY", "CITY", ""},
			{"STATE", "STATE", ""},
			{"POSTCODE", "ZIPCODE", ""},
			{"COUNTRY", "", GroupLocation},
			{"GEOCOORD", "NEARBYGPSCOORDINATE", ""},
			{"SOCIALNUMBER", "SSN", ""},
			{"IDCARD", "", GroupIDNumber},
			{"PASSPORT", "", GroupIDNumber},
			{"DRIVERLICENSE", "", GroupIDNumber},
			{"DATE", "DATE", ""},
			{"TIME", "TIME", ""},
		},
		from200k: map[string]string{
			"PREFIX": "TITLE", "FIRSTNAME": "GIVENNAME1", "MIDDLENAME": "GIVENNAME2", "LASTNAME": "LASTNAME1",
			"SEX": "SEX", "DOB": "BOD", "EMAIL": "EMAIL", "PHONENUMBER": "TEL", "IP": "IP", "IPV4": "IP", "IPV6": "IP",
			"USERNAME": "USERNAME", "PASSWORD": "PASS", "STREET": "STREET", "BUILDINGNUMBER": "BUILDING",
			"SECONDARYADDRESS": "SECADDRESS", "CITY": "CITY", "STATE": "STATE", "ZIPCODE": "POSTCODE",
			"NEARBYGPSCOORDINATE": "GEOCOORD", "SSN": "SOCIALNUMBER", "DATE": "DATE", "TIME": "TIME",
		},
	}
}

// tax400k: the 17 public classes of ai4privacy/pii-masking-400k (its
// dataset card: "Number of PII classes in public dataset: 17").
func tax400k() *Taxonomy {
	return &Taxonomy{
		Name:   AI4Privacy400k,
		Source: "ai4privacy/pii-masking-400k dataset card (17 public classes)",
		entries: []entry{
			{"GIVENNAME", "FIRSTNAME", ""},
			{"SURNAME", "LASTNAME", ""},
			{"DATEOFBIRTH", "DOB", ""},
			{"EMAIL", "EMAIL", ""},
			{"TELEPHONENUM", "PHONENUMBER", ""},
			{"USERNAME", "USERNAME", ""},
			{"PASSWORD", "PASSWORD", ""},
			{"STREET", "STREET", ""},
			{"BUILDINGNUM", "BUILDINGNUMBER", ""},
			{"CITY", "CITY", ""},
			{"ZIPCODE", "ZIPCODE", ""},
			{"ACCOUNTNUM", "ACCOUNTNUMBER", ""},
			{"CREDITCARDNUMBER", "CREDITCARDNUMBER", ""},
			{"SOCIALNUM", "SSN", ""},
			{"IDCARDNUM", "", GroupIDNumber},
			{"DRIVERLICENSENUM", "", GroupIDNumber},
			{"TAXNUM", "", GroupIDNumber},
		},
		from200k: map[string]string{
			"FIRSTNAME": "GIVENNAME", "MIDDLENAME": "GIVENNAME", "LASTNAME": "SURNAME", "DOB": "DATEOFBIRTH",
			"EMAIL": "EMAIL", "PHONENUMBER": "TELEPHONENUM", "USERNAME": "USERNAME", "PASSWORD": "PASSWORD",
			"STREET": "STREET", "BUILDINGNUMBER": "BUILDINGNUM", "CITY": "CITY", "ZIPCODE": "ZIPCODE",
			"ACCOUNTNUMBER": "ACCOUNTNUM", "CREDITCARDNUMBER": "CREDITCARDNUMBER", "SSN": "SOCIALNUM",
		},
	}
}

// tax500k: the "Open PII Labelset" of ai4privacy/open-pii-masking-500k (its
// dataset card: "Number of Unique PII Classes: 20 (Open PII Labelset)").
func tax500k() *Taxonomy {
	return &Taxonomy{
		Name:   AI4Privacy500k,
		Source: "ai4privacy/open-pii-masking-500k-ai4privacy dataset card (Open PII Labelset, 20 classes)",
		entries: []entry{
			{"TITLE", "PREFIX", ""},
			{"GIVENNAME", "FIRSTNAME", ""},
			{"SURNAME", "LASTNAME", ""},
			{"GENDER", "GENDER", ""},
			{"SEX", "SEX", ""},
			{"AGE", "AGE", ""},
			{"EMAIL", "EMAIL", ""},
			{"TELEPHONENUM", "PHONENUMBER", ""},
			{"STREET", "STREET", ""},
			{"BUILDINGNUM", "BUILDINGNUMBER", ""},
			{"CITY", "CITY", ""},
			{"ZIPCODE", "ZIPCODE", ""},
			{"CREDITCARDNUMBER", "CREDITCARDNUMBER", ""},
			{"SOCIALNUM", "SSN", ""},
			{"IDCARDNUM", "", GroupIDNumber},
			{"PASSPORTNUM", "", GroupIDNumber},
			{"DRIVERLICENSENUM", "", GroupIDNumber},
			{"TAXNUM", "", GroupIDNumber},
			{"DATE", "DATE", ""},
			{"TIME", "TIME", ""},
		},
		from200k: map[string]string{
			"PREFIX": "TITLE", "FIRSTNAME": "GIVENNAME", "MIDDLENAME": "GIVENNAME", "LASTNAME": "SURNAME",
			"GENDER": "GENDER", "SEX": "SEX", "AGE": "AGE", "EMAIL": "EMAIL", "PHONENUMBER": "TELEPHONENUM",
			"STREET": "STREET", "BUILDINGNUMBER": "BUILDINGNUM", "CITY": "CITY", "ZIPCODE": "ZIPCODE",
			"CREDITCARDNUMBER": "CREDITCARDNUMBER", "SSN": "SOCIALNUM", "DATE": "DATE", "DOB": "DATE", "TIME": "TIME",
		},
	}
}

// taxPresidio: Presidio's entity types — the predefined recognizers' and
// those of presidio-research's data sets (GPE, STREET_ADDRESS, TITLE, …).
// Whole names and whole addresses have no 200k class (the 200k set labels
// their parts), so PERSON, STREET_ADDRESS, LOCATION, GPE, DATE_TIME map onto
// groups only.
func taxPresidio() *Taxonomy {
	return &Taxonomy{
		Name:   Presidio,
		Source: "Presidio supported entities and presidio-research data sets",
		entries: []entry{
			{"PERSON", "", GroupPerson},
			// presidio-research's TITLE holds both job titles and honorifics.
			{"TITLE", "", GroupDemographic},
			{"AGE", "AGE", ""},
			{"NRP", "", GroupDemographic},
			{"EMAIL_ADDRESS", "EMAIL", ""},
			{"PHONE_NUMBER", "PHONENUMBER", ""},
			{"URL", "URL", ""},
			{"DOMAIN_NAME", "", GroupNetwork},
			{"IP_ADDRESS", "IP", ""},
			{"MAC_ADDRESS", "MAC", ""},
			{"ORGANIZATION", "COMPANYNAME", ""},
			{"STREET_ADDRESS", "", GroupLocation},
			{"LOCATION", "", GroupLocation},
			{"GPE", "", GroupLocation},
			{"ZIP_CODE", "ZIPCODE", ""},
			{"UK_POSTCODE", "ZIPCODE", ""},
			{"DATE_TIME", "", GroupDateTime},
			{"CREDIT_CARD", "CREDITCARDNUMBER", ""},
			{"IBAN_CODE", "IBAN", ""},
			{"US_BANK_NUMBER", "ACCOUNTNUMBER", ""},
			{"ABA_ROUTING_NUMBER", "", GroupFinancial},
			// Presidio's crypto recognizer finds Bitcoin addresses only.
			{"CRYPTO", "BITCOINADDRESS", ""},
			{"US_SSN", "SSN", ""},
			{"US_ITIN", "", GroupIDNumber},
			{"US_PASSPORT", "", GroupIDNumber},
			{"US_DRIVER_LICENSE", "", GroupIDNumber},
			{"MEDICAL_LICENSE", "", GroupIDNumber},
			{"UK_NHS", "", GroupIDNumber},
			{"UK_NINO", "", GroupIDNumber},
			{"ES_NIF", "", GroupIDNumber},
			{"ES_NIE", "", GroupIDNumber},
			{"IT_FISCAL_CODE", "", GroupIDNumber},
			{"IT_DRIVER_LICENSE", "", GroupIDNumber},
			{"IT_VAT_CODE", "", GroupIDNumber},
			{"IT_PASSPORT", "", GroupIDNumber},
			{"IT_IDENTITY_CARD", "", GroupIDNumber},
			{"PL_PESEL", "", GroupIDNumber},
			{"SG_NRIC_FIN", "", GroupIDNumber},
			{"AU_ABN", "", GroupIDNumber},
			{"AU_ACN", "", GroupIDNumber},
			{"AU_TFN", "", GroupIDNumber},
			{"AU_MEDICARE", "", GroupIDNumber},
			{"IN_PAN", "", GroupIDNumber},
			{"IN_AADHAAR", "", GroupIDNumber},
			{"IN_VOTER", "", GroupIDNumber},
			{"IN_PASSPORT", "", GroupIDNumber},
			{"IN_VEHICLE_REGISTRATION", "VEHICLEVRM", ""},
			{"FI_PERSONAL_IDENTITY_CODE", "", GroupIDNumber},
		},
		from200k: map[string]string{
			"PREFIX": "TITLE", "FIRSTNAME": "PERSON", "MIDDLENAME": "PERSON", "LASTNAME": "PERSON",
			"AGE": "AGE", "JOBTITLE": "TITLE", "EMAIL": "EMAIL_ADDRESS", "PHONENUMBER": "PHONE_NUMBER",
			"URL": "URL", "IP": "IP_ADDRESS", "IPV4": "IP_ADDRESS", "IPV6": "IP_ADDRESS", "MAC": "MAC_ADDRESS",
			"COMPANYNAME": "ORGANIZATION", "STREET": "STREET_ADDRESS", "BUILDINGNUMBER": "STREET_ADDRESS",
			"SECONDARYADDRESS": "STREET_ADDRESS", "CITY": "GPE", "COUNTY": "GPE", "STATE": "GPE",
			"ZIPCODE": "ZIP_CODE", "DOB": "DATE_TIME", "DATE": "DATE_TIME",
			"TIME": "DATE_TIME", "CREDITCARDNUMBER": "CREDIT_CARD", "IBAN": "IBAN_CODE", "ACCOUNTNUMBER": "US_BANK_NUMBER",
			"BITCOINADDRESS": "CRYPTO", "SSN": "US_SSN",
		},
	}
}

// errUnknownMap is the error of a map name that is not shipped.
func errUnknownMap(name string) error {
	return fmt.Errorf("unknown label map %q (shipped: %s; or give a mapping, or a JSON/YAML file)", name, strings.Join(MapNames(), ", "))
}
