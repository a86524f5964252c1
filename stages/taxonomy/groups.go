package taxonomy

// Entity groups: a small label set that every taxonomy maps onto, so that
// methods trained on different label sets can be compared class-blind but
// not meaning-blind.
//
//	group         200k classes
//	PERSON        PREFIX FIRSTNAME MIDDLENAME LASTNAME
//	DEMOGRAPHIC   GENDER SEX AGE EYECOLOR HEIGHT JOBTITLE JOBTYPE JOBAREA
//	CONTACT       EMAIL PHONENUMBER
//	NETWORK       URL IP IPV4 IPV6 MAC USERAGENT PHONEIMEI
//	CREDENTIAL    USERNAME ACCOUNTNAME PASSWORD PIN
//	ORGANIZATION  COMPANYNAME
//	LOCATION      STREET BUILDINGNUMBER SECONDARYADDRESS CITY COUNTY STATE ZIPCODE ORDINALDIRECTION NEARBYGPSCOORDINATE
//	FINANCIAL     ACCOUNTNUMBER IBAN BIC CREDITCARDNUMBER CREDITCARDISSUER CREDITCARDCVV MASKEDNUMBER AMOUNT CURRENCY CURRENCYCODE CURRENCYNAME CURRENCYSYMBOL BITCOINADDRESS ETHEREUMADDRESS LITECOINADDRESS
//	ID_NUMBER     SSN VEHICLEVIN VEHICLEVRM
//	DATE_TIME     DOB DATE TIME
//	OTHER         anything else
const (
	GroupPerson       = "PERSON"
	GroupDemographic  = "DEMOGRAPHIC"
	GroupContact      = "CONTACT"
	GroupNetwork      = "NETWORK"
	GroupCredential   = "CREDENTIAL"
	GroupOrganization = "ORGANIZATION"
	GroupLocation     = "LOCATION"
	GroupFinancial    = "FINANCIAL"
	GroupIDNumber     = "ID_NUMBER"
	GroupDateTime     = "DATE_TIME"
	GroupOther        = "OTHER"
)

// groupClasses lists each group's 200k classes, in the table's order.
var groupClasses = []struct {
	group   string
	classes []string
}{
	{GroupPerson, []string{"PREFIX", "FIRSTNAME", "MIDDLENAME", "LASTNAME"}},
	{GroupDemographic, []string{"GENDER", "SEX", "AGE", "EYECOLOR", "HEIGHT", "JOBTITLE", "JOBTYPE", "JOBAREA"}},
	{GroupContact, []string{"EMAIL", "PHONENUMBER"}},
	{GroupNetwork, []string{"URL", "IP", "IPV4", "IPV6", "MAC", "USERAGENT", "PHONEIMEI"}},
	{GroupCredential, []string{"USERNAME", "ACCOUNTNAME", "PASSWORD", "PIN"}},
	{GroupOrganization, []string{"COMPANYNAME"}},
	{GroupLocation, []string{"STREET", "BUILDINGNUMBER", "SECONDARYADDRESS", "CITY", "COUNTY", "STATE", "ZIPCODE", "ORDINALDIRECTION", "NEARBYGPSCOORDINATE"}},
	{GroupFinancial, []string{"ACCOUNTNUMBER", "IBAN", "BIC", "CREDITCARDNUMBER", "CREDITCARDISSUER", "CREDITCARDCVV", "MASKEDNUMBER", "AMOUNT", "CURRENCY", "CURRENCYCODE", "CURRENCYNAME", "CURRENCYSYMBOL", "BITCOINADDRESS", "ETHEREUMADDRESS", "LITECOINADDRESS"}},
	{GroupIDNumber, []string{"SSN", "VEHICLEVIN", "VEHICLEVRM"}},
	{GroupDateTime, []string{"DOB", "DATE", "TIME"}},
}

// Groups returns the entity group names in table order, OTHER last.
func Groups() []string {
	out := make([]string, 0, len(groupClasses)+1)
	for _, g := range groupClasses {
		out = append(out, g.group)
	}
	return append(out, GroupOther)
}

// GroupOf returns the entity group of a 200k class, the group itself when
// class is already a group name, and OTHER for anything else.
func GroupOf(class string) string {
	for _, g := range groupClasses {
		if g.group == class {
			return class
		}
		for _, c := range g.classes {
			if c == class {
				return g.group
			}
		}
	}
	return GroupOther
}
