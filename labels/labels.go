package labels

// classes is the AI4Privacy 200k class list, grouped as in its documentation.
var classes = []string{
	// Names and people
	"PREFIX", "FIRSTNAME", "MIDDLENAME", "LASTNAME", "USERNAME", "ACCOUNTNAME", "GENDER", "SEX",
	"AGE", "DOB", "EYECOLOR", "HEIGHT",
	// Contact and online
	"EMAIL", "PHONENUMBER", "PHONEIMEI", "URL", "IP", "IPV4", "IPV6", "MAC", "USERAGENT", "PASSWORD", "PIN",
	// Work
	"JOBTITLE", "JOBTYPE", "JOBAREA", "COMPANYNAME",
	// Address and place
	"STREET", "BUILDINGNUMBER", "SECONDARYADDRESS", "CITY", "COUNTY", "STATE", "ZIPCODE",
	"ORDINALDIRECTION", "NEARBYGPSCOORDINATE",
	// Finance
	"ACCOUNTNUMBER", "IBAN", "BIC", "CREDITCARDNUMBER", "CREDITCARDISSUER", "CREDITCARDCVV", "MASKEDNUMBER",
	"AMOUNT", "CURRENCY", "CURRENCYCODE", "CURRENCYNAME", "CURRENCYSYMBOL", "BITCOINADDRESS", "ETHEREUMADDRESS",
	"LITECOINADDRESS",
	// Identifiers and vehicles
	"SSN", "VEHICLEVIN", "VEHICLEVRM",
	// Time
	"DATE", "TIME",
}

// All returns a copy of the AI4Privacy class list.
func All() []string { return append([]string(nil), classes...) }

// Known reports whether name is an AI4Privacy class.
func Known(name string) bool {
	for _, c := range classes {
		if c == name {
			return true
		}
	}
	return false
}
