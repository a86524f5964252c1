package generate

// templatesEN are the English templates (syntax: see parseTemplate).
var templatesEN = []string{
	// e-mail and correspondence
	`{?Hi|Hello|Dear} {PREFIX} {LASTNAME}, thank you for contacting {COMPANYNAME}. We have updated the e-mail on your file to {EMAIL} and will call you at {PHONENUMBER} if we need anything else.`,
	`From: {FIRSTNAME} {LASTNAME} <{EMAIL}>
Subject: {?Meeting|Catch-up|Quick call} on {DATE}

Hi team, can we move our call to {TIME}? My new number is {PHONENUMBER}. Thanks, {FIRSTNAME}`,
	`Dear {FIRSTNAME} {MIDDLENAME} {LASTNAME}, we are pleased to offer you the position of {JOBTITLE} at {COMPANYNAME}, starting on {DATE}. Please sign and return the contract to {EMAIL}.`,
	`{FIRSTNAME:a} forwarded the thread to {FIRSTNAME:b} ({EMAIL:b}) and asked {?her|him|them} to check the invoice for {CURRENCYSYMBOL}{AMOUNT} before {DATE}.`,
	// support tickets
	`Ticket #{ACCOUNTNUMBER}: user {USERNAME} reports being locked out after a password reset. Last successful login from {IPV4} at {TIME} on {DATE}. User agent: {USERAGENT}`,
	`Support chat — customer {FIRSTNAME} {LASTNAME} says the app crashes on their phone (IMEI {PHONEIMEI}). Callback requested on {PHONENUMBER} before {TIME}.`,
	`Hello, my username is {USERNAME} and I forgot my password. The temporary one you sent ({PASSWORD}) does not work from {URL}. Can you help? — {FIRSTNAME}`,
	`Escalation: {PREFIX} {FIRSTNAME} {LASTNAME}, {AGE} years old, disputes a charge of {AMOUNT} {CURRENCYCODE} on card ending {MASKEDNUMBER}. Contact: {EMAIL}.`,
	// HR
	`HR record update — employee {FIRSTNAME} {LASTNAME}, {JOBTYPE} in {JOBAREA}, date of birth {DOB}, SSN {SSN}. New home address: {BUILDINGNUMBER} {STREET}, {SECONDARYADDRESS}, {CITY}, {STATE} {ZIPCODE}.`,
	`Please congratulate {FIRSTNAME} {LASTNAME} on their promotion to {JOBTITLE}! {FIRSTNAME} joined {COMPANYNAME} in {?our Boston office|the London team|the remote team} and can be reached at {EMAIL}.`,
	`Payroll notice: the salary of {PREFIX} {LASTNAME} ({ACCOUNTNAME}, account {ACCOUNTNUMBER}) will be paid to IBAN {IBAN}, BIC {BIC}, on {DATE}.`,
	`Exit interview scheduled with {FIRSTNAME} {LASTNAME} ({JOBTITLE}) on {DATE} at {TIME}. Please collect badge and laptop (MAC {MAC}) before {?noon|5 pm|the end of the day}.`,
	`Emergency contact form: name {FIRSTNAME} {MIDDLENAME} {LASTNAME}, gender {GENDER}, age {AGE}, phone {PHONENUMBER}, lives at {BUILDINGNUMBER} {STREET}, {CITY}.`,
	// banking and payments
	`Your transfer of {CURRENCYSYMBOL}{AMOUNT} to IBAN {IBAN} (BIC {BIC}) was completed on {DATE} at {TIME}. If you did not authorise it, call us at {PHONENUMBER}.`,
	`Card payment declined: {CREDITCARDISSUER} card {CREDITCARDNUMBER}, CVV {CREDITCARDCVV}, amount {AMOUNT} {CURRENCYCODE}. Cardholder: {FIRSTNAME} {LASTNAME}.`,
	`Dear {PREFIX} {LASTNAME}, the PIN for your new {CREDITCARDISSUER} card is {PIN}. Never share it, not even with staff of {COMPANYNAME}.`,
	`Statement for account {ACCOUNTNUMBER} ({ACCOUNTNAME}): opening balance {AMOUNT} {CURRENCYNAME}, {?3|5|12} transactions, closing date {DATE}.`,
	`Wire instructions: beneficiary {FIRSTNAME} {LASTNAME}, {BUILDINGNUMBER} {STREET}, {ZIPCODE} {CITY}. IBAN: {IBAN}. Amount: {AMOUNT} {CURRENCYCODE}.`,
	`Please send {AMOUNT} {CURRENCYCODE} worth of BTC to {BITCOINADDRESS} by {DATE}; the remaining balance goes to the Ethereum wallet {ETHEREUMADDRESS}.`,
	`Crypto withdrawal alert: {AMOUNT} LTC sent to {LITECOINADDRESS} from IP {IP} at {TIME}. If this was not you, reset your password for {USERNAME} immediately.`,
	`Refund approved for {FIRSTNAME} {LASTNAME}: {CURRENCYSYMBOL}{AMOUNT} back to the {CREDITCARDISSUER} card ending in {MASKEDNUMBER}, within {?3|5|7} business days.`,
	// medical
	`Appointment reminder: {PREFIX} {LASTNAME}, your visit with Dr. {LASTNAME:doc} is on {DATE} at {TIME}. Please bring your ID (SSN {SSN}) and arrive 15 minutes early.`,
	`Patient intake — {FIRSTNAME} {LASTNAME}, DOB {DOB}, {AGE} y/o, sex: {SEX}, height {HEIGHT}, eye colour {EYECOLOR}. Address: {BUILDINGNUMBER} {STREET}, {CITY}, {ZIPCODE}.`,
	`Lab results for {FIRSTNAME} {MIDDLENAME} {LASTNAME} (born {DOB}) are ready. Log in at {URL} with username {USERNAME} to view them.`,
	`Nurse note {DATE} {TIME}: patient {FIRSTNAME} {LASTNAME}, {GENDER}, {AGE} years. Next of kin {FIRSTNAME:kin} {LASTNAME:kin} can be reached at {PHONENUMBER:kin}.`,
	// IT logs
	`{DATE} {TIME} WARN auth: failed login for user={USERNAME} src={IPV4} ua="{USERAGENT}"`,
	`[{TIME}] DHCP lease renewed for {MAC} -> {IPV4}; host owner {EMAIL}; gateway {IPV6}`,
	`sshd[2211]: Accepted publickey for {USERNAME} from {IPV6} port 52144 at {TIME} on {DATE}`,
	`Incident report: device IMEI {PHONEIMEI} (MAC {MAC}) connected from {IP} and downloaded files from {URL}. Owner: {FIRSTNAME} {LASTNAME}, {JOBTITLE}.`,
	`New account created: username {USERNAME}, temporary password {PASSWORD}, e-mail {EMAIL}, PIN {PIN}. Please change the password before {DATE}.`,
	// deliveries and orders
	`Your parcel is on its way! Delivery to {FIRSTNAME} {LASTNAME}, {BUILDINGNUMBER} {STREET}, {SECONDARYADDRESS}, {CITY}, {STATE} {ZIPCODE}, expected on {DATE} between {TIME} and {TIME:end}.`,
	`Courier note: leave the package at the {ORDINALDIRECTION} entrance of {BUILDINGNUMBER} {STREET}. Drop-off coordinates {NEARBYGPSCOORDINATE}. Call {PHONENUMBER} on arrival.`,
	`Order confirmation for {EMAIL}: total {CURRENCYSYMBOL}{AMOUNT}, paid with {CREDITCARDISSUER} {MASKEDNUMBER}. Ships to {CITY}, {COUNTY}, {STATE}.`,
	// forms
	`Name: {FIRSTNAME} {LASTNAME}
Date of birth: {DOB}
Phone: {PHONENUMBER}
Email: {EMAIL}
Address: {BUILDINGNUMBER} {STREET}, {CITY}, {STATE} {ZIPCODE}`,
	`Rental application — applicant {PREFIX} {FIRSTNAME} {LASTNAME}, employer {COMPANYNAME}, job title {JOBTITLE}, monthly income {AMOUNT} {CURRENCYCODE}, SSN {SSN}.`,
	`Membership form: {FIRSTNAME} {LASTNAME}, {AGE}, {GENDER}. Preferred contact {EMAIL} or {PHONENUMBER}. Website: {URL}`,
	// vehicles and insurance
	`Insurance claim {ACCOUNTNUMBER}: vehicle VIN {VEHICLEVIN}, registration {VEHICLEVRM}, owned by {FIRSTNAME} {LASTNAME}. Accident on {DATE} at {TIME} near {NEARBYGPSCOORDINATE}.`,
	`Parking ticket issued to {VEHICLEVRM} on {STREET}, {CITY}, at {TIME}. Registered keeper {PREFIX} {LASTNAME} has until {DATE} to pay {CURRENCYSYMBOL}{AMOUNT}.`,
	`Service booking: {FIRSTNAME} {LASTNAME} will drop off the car (VIN {VEHICLEVIN}) at our {CITY} garage on {DATE}. Contact {PHONENUMBER}.`,
	// travel, legal, property, education
	`Booking reference for {PREFIX} {FIRSTNAME} {LASTNAME}: check-in {DATE}, arrival around {TIME}. Billing address {BUILDINGNUMBER} {STREET}, {CITY}, {COUNTY}.`,
	`The lease between {COMPANYNAME} and {FIRSTNAME} {LASTNAME} for the property at {BUILDINGNUMBER} {STREET}, {SECONDARYADDRESS}, {CITY} {ZIPCODE} starts on {DATE}; deposit {AMOUNT} {CURRENCYNAME}.`,
	`Student {FIRSTNAME} {LASTNAME} (ID {ACCOUNTNUMBER}, born {DOB}) enrolled for the {JOBAREA} course. Parent contact: {FIRSTNAME:p} {LASTNAME}, {PHONENUMBER}.`,
	`Meet me at the {ORDINALDIRECTION} gate of the park in {CITY} — GPS {NEARBYGPSCOORDINATE} — on {DATE} at {TIME}. Text {PHONENUMBER} if you're late. {FIRSTNAME}`,
	`Witness statement: I, {FIRSTNAME} {MIDDLENAME} {LASTNAME}, aged {AGE}, living in {CITY}, {STATE}, saw a vehicle with plate {VEHICLEVRM} leave at {TIME}.`,
	`Hey {FIRSTNAME}! It's {FIRSTNAME:me}. Wi-Fi password for the {CITY} flat is {PASSWORD}, router admin at {URL}. See you {DATE}!`,
	`Vendor onboarding: {COMPANYNAME}, contact {FIRSTNAME} {LASTNAME} ({JOBTITLE}), {EMAIL}, bank {BIC} / {IBAN}, payment terms {?30|45|60} days.`,
	`Gift card bought by {USERNAME} for {CURRENCYSYMBOL}{AMOUNT} with card {CREDITCARDNUMBER} (CVV {CREDITCARDCVV}) from device {IPV4}.`,
}
