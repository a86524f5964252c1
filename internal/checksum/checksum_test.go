package checksum

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func TestLuhnAndIMEI(t *testing.T) {
	tests := []struct {
		in         string
		luhn, imei bool
	}{
		{"4111111111111111", true, false}, // Visa test card
		{"5555555555554444", true, false}, // Mastercard test card
		{"378282246310005", true, true},   // Amex test card (15 digits, Luhn-valid)
		{"6011111111111117", true, false}, // Discover test card
		{"490154203237518", true, true},   // IMEI example from Wikipedia
		{"356938035643809", true, true},   // IMEI
		{"4111111111111112", false, false},
		{"490154203237517", false, false},
		{"49015420323751", true, false}, // 14 digits happen to pass Luhn: not an IMEI
		{"4111-1111-1111-1111", false, false},
		{"", false, false},
		{"0", false, false},
		{"00", true, false},
		{"12a4", false, false},
	}
	for _, tt := range tests {
		if got := Luhn(tt.in); got != tt.luhn {
			t.Errorf("Luhn(%q) = %v, want %v", tt.in, got, tt.luhn)
		}
		if got := IMEI(tt.in); got != tt.imei {
			t.Errorf("IMEI(%q) = %v, want %v", tt.in, got, tt.imei)
		}
	}
}

func TestLuhnCheckDigit(t *testing.T) {
	tests := []struct {
		payload string
		want    byte
	}{
		{"411111111111111", '1'},
		{"49015420323751", '8'},
		{"7992739871", '3'}, // Wikipedia's worked example
		{"37828224631000", '5'},
	}
	for _, tt := range tests {
		got, err := LuhnCheckDigit(tt.payload)
		if err != nil || got != tt.want {
			t.Errorf("LuhnCheckDigit(%q) = %q, %v; want %q", tt.payload, got, err, tt.want)
		}
		if !Luhn(tt.payload + string(got)) {
			t.Errorf("payload+check digit %q fails Luhn", tt.payload+string(got))
		}
	}
	for _, bad := range []string{"", "12x"} {
		if _, err := LuhnCheckDigit(bad); err == nil {
			t.Errorf("LuhnCheckDigit(%q): want error", bad)
		}
	}
}

func TestIBAN(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"GB82WEST12345698765432", true},
		{"FR1420041010050500013M02606", true},
		{"DE89370400440532013000", true},
		{"NL91ABNA0417164300", true},
		{"BE68539007547034", true},
		{"CH9300762011623852957", true},
		{"GB82WEST12345698765433", false},      // last digit changed
		{"GB28WEST12345698765432", false},      // check digits swapped
		{"GB82WEST1234569876543", false},       // one short for GB
		{"XX82WEST12345698765432", false},      // unknown country
		{"gb82west12345698765432", false},      // electronic form is upper case
		{"GB82 WEST 1234 5698 7654 32", false}, // print form: use CompactIBAN
		{"GB8", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IBAN(tt.in); got != tt.want {
			t.Errorf("IBAN(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if !IBAN(CompactIBAN("GB82 WEST 1234 5698 7654 32")) {
		t.Error("CompactIBAN of the print form should validate")
	}
}

func TestIBANCheckDigits(t *testing.T) {
	tests := []struct{ country, bban, want string }{
		{"GB", "WEST12345698765432", "82"},
		{"FR", "20041010050500013M02606", "14"},
		{"DE", "370400440532013000", "89"},
	}
	for _, tt := range tests {
		got, err := IBANCheckDigits(tt.country, tt.bban)
		if err != nil || got != tt.want {
			t.Errorf("IBANCheckDigits(%s, %s) = %q, %v; want %q", tt.country, tt.bban, got, err, tt.want)
		}
		if !IBAN(tt.country + got + tt.bban) {
			t.Errorf("generated IBAN %s%s%s does not validate", tt.country, got, tt.bban)
		}
	}
	for _, bad := range [][2]string{{"gb", "WEST12345698765432"}, {"GB", "WEST1234569876543"}, {"GB", "west12345698765432"}, {"ZZ", ""}} {
		if _, err := IBANCheckDigits(bad[0], bad[1]); err == nil {
			t.Errorf("IBANCheckDigits(%q, %q): want error", bad[0], bad[1])
		}
	}
	if n, ok := IBANLength("FR"); !ok || n != 27 {
		t.Errorf("IBANLength(FR) = %d, %v", n, ok)
	}
}

func TestVIN(t *testing.T) {
	tests := []struct {
		in              string
		valid, structOK bool
	}{
		{"1M8GDM9AXKP042788", true, true}, // check digit X
		{"1HGCM82633A004352", true, true},
		{"JH4KA7561PC008269", true, true},
		{"11111111111111111", true, true},
		{"WVWZZZ1JZXW000001", false, true},  // European VIN: no check digit
		{"1M8GDM9A1KP042788", false, true},  // wrong check digit
		{"1M8GDM9AXKP04278", false, false},  // 16 characters
		{"1M8GDM9AXKP04278O", false, false}, // O is not allowed
		{"1m8gdm9axkp042788", false, false},
	}
	for _, tt := range tests {
		if got := VIN(tt.in); got != tt.valid {
			t.Errorf("VIN(%q) = %v, want %v", tt.in, got, tt.valid)
		}
		if got := VINStructure(tt.in); got != tt.structOK {
			t.Errorf("VINStructure(%q) = %v, want %v", tt.in, got, tt.structOK)
		}
	}
	d, err := VINCheckDigit("1M8GDM9A0KP042788")
	if err != nil || d != 'X' {
		t.Errorf("VINCheckDigit = %q, %v; want X", d, err)
	}
	if _, err := VINCheckDigit("1M8GDM9AXKP0427I8"); err == nil {
		t.Error("VINCheckDigit with I: want error")
	}
}

func TestLegacyAddresses(t *testing.T) {
	tests := []struct {
		in       string
		btc, ltc bool
	}{
		{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", true, false}, // Bitcoin genesis block address
		{"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", true, false}, // BIP-13 P2SH example
		{"LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9", false, true},
		{"LTdsVS8VDw6syvfQADdhf2PHAm3rMGJvPX", false, true},
		{"MGxNPPB7eBoWPUaprtX9v9CXJZoD2465zN", false, true},
		{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", false, false}, // last char changed
		{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0", false, false}, // 0 is not base58
		{"1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf", false, false},
		{"", false, false},
	}
	for _, tt := range tests {
		if got := BitcoinLegacy(tt.in); got != tt.btc {
			t.Errorf("BitcoinLegacy(%q) = %v, want %v", tt.in, got, tt.btc)
		}
		if got := LitecoinLegacy(tt.in); got != tt.ltc {
			t.Errorf("LitecoinLegacy(%q) = %v, want %v", tt.in, got, tt.ltc)
		}
	}
	v, p, err := Base58Check("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
	if err != nil || v != 0 || hex.EncodeToString(p) != "62e907b15cbf27d5425399ebf6f0fb50ebb88f18" {
		t.Errorf("Base58Check(genesis) = %d, %x, %v", v, p, err)
	}
	if got := Base58CheckEncode(BitcoinP2PKH, p); got != "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa" {
		t.Errorf("Base58CheckEncode round trip = %q", got)
	}
	if ltc := Base58CheckEncode(LitecoinP2PKH, p); !LitecoinLegacy(ltc) || ltc[0] != 'L' {
		t.Errorf("generated Litecoin address %q invalid", ltc)
	}
}

func TestSegwit(t *testing.T) {
	tests := []struct {
		hrp, in string
		version int
		program string // hex; empty when invalid
	}{
		// BIP-173 / BIP-350 test vectors.
		{"bc", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", 0, "751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"bc", "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3", 0, "1863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},
		{"bc", "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y", 1, "751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
		{"ltc", "ltc1q3qkpj5s4ru3cx9t7dt27pdfmz5aqy3wplamkns", 0, "882c1952151f2383157e6ad5e0b53b153a0245c1"},
		{"bc", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", 0, ""},                     // BIP-173: invalid checksum
		{"bc", "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", 0, ""},                     // invalid witness version
		{"bc", "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", 0, ""},                          // BIP-173: invalid padding
		{"bc", "bc1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", 0, ""},                     // mixed case
		{"bc", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", 0, ""}, // BIP-350: v1 with bech32 checksum
		{"bc", "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", 0, ""},                     // testnet prefix
		{"ltc", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", 0, ""},                    // wrong chain
	}
	for _, tt := range tests {
		v, p, err := SegwitDecode(tt.hrp, tt.in)
		if tt.program == "" {
			if err == nil {
				t.Errorf("SegwitDecode(%q) = %d, %x; want error", tt.in, v, p)
			}
			continue
		}
		if err != nil || v != tt.version || hex.EncodeToString(p) != tt.program {
			t.Errorf("SegwitDecode(%q) = %d, %x, %v; want %d, %s", tt.in, v, p, err, tt.version, tt.program)
			continue
		}
		enc, err := SegwitEncode(tt.hrp, v, p)
		if err != nil || enc != strings.ToLower(tt.in) {
			t.Errorf("SegwitEncode round trip = %q, %v; want %q", enc, err, strings.ToLower(tt.in))
		}
	}
	if _, err := SegwitEncode("bc", 0, bytes.Repeat([]byte{1}, 21)); err == nil {
		t.Error("SegwitEncode v0 with a 21-byte program: want error")
	}
}

func TestEthereum(t *testing.T) {
	// EIP-55 test vectors.
	valid := []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	}
	for _, a := range valid {
		if !EthereumAddress(a) {
			t.Errorf("EthereumAddress(%q) = false", a)
		}
		got, err := EIP55(strings.ToLower(a))
		if err != nil || got != a {
			t.Errorf("EIP55(lower %s) = %q, %v", a, got, err)
		}
		if !EthereumAddress(strings.ToLower(a)) {
			t.Errorf("all-lower %s should be accepted on shape", a)
		}
	}
	invalid := []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", // case of one letter flipped
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe",  // 39 hex digits
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", // not hex
		"5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00",
	}
	for _, a := range invalid {
		if EthereumAddress(a) {
			t.Errorf("EthereumAddress(%q) = true", a)
		}
	}
	if _, err := EIP55("0x123"); err == nil {
		t.Error("EIP55 of a short address: want error")
	}
}

func TestSSN(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"123-45-6789", true},
		{"123 45 6789", true},
		{"123456789", true},
		{"078-05-1120", true}, // the famous Woolworth wallet card number is structurally valid
		{"000-45-6789", false},
		{"666-45-6789", false},
		{"912-45-6789", false},
		{"123-00-6789", false},
		{"123-45-0000", false},
		{"123-45 6789", false}, // mixed separators
		{"123-456-789", false},
		{"12345678", false},
		{"12a-45-6789", false},
	}
	for _, tt := range tests {
		if got := SSN(tt.in); got != tt.want {
			t.Errorf("SSN(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNIR(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"269054958815780", true},       // example used in INSEE documentation
		{"2 55 08 14 168 025 38", true}, // spaces allowed
		{"1 84 12 76 451 089 46", true},
		{"269054958815781", false}, // wrong key
		{"569054958815780", false}, // sex digit 5
		{"269154958815780", false}, // month 15
		{"26905495881578", false},  // 14 characters
	}
	for _, tt := range tests {
		if got := NIR(tt.in); got != tt.want {
			t.Errorf("NIR(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	// Corsica: 2A counts as 19, 2B as 18.
	k, err := NIRKey("1850520A00123")
	if err == nil {
		t.Errorf("NIRKey with letter outside department: got %d, want error", k)
	}
	ka, err := NIRKey("185052A001234")
	if err != nil {
		t.Fatal(err)
	}
	kn, _ := NIRKey("1850519001234")
	if ka != kn {
		t.Errorf("2A key %d != key with 19 %d", ka, kn)
	}
}

func TestBIC(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"DEUTDEFF", true},
		{"DEUTDEFF500", true},
		{"BNPAFRPPXXX", true},
		{"NEDSZAJJXXX", true},
		{"DEUTXXFF", false}, // XX is not a country
		{"DEUTDEFF50", false},
		{"deutdeff", false},
		{"1EUTDEFF", false},
		{"DEUT-DEFF", false},
	}
	for _, tt := range tests {
		if got := BIC(tt.in); got != tt.want {
			t.Errorf("BIC(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if !CountryCode("FR") || CountryCode("ZZ") || !CountryCode("XK") || CountryCode("fr") {
		t.Error("CountryCode table wrong")
	}
}

func FuzzValidatorsNoPanic(f *testing.F) {
	for _, s := range []string{"GB82WEST12345698765432", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"} {
		f.Add(s)
	}
	// Each validator must not panic, and whatever it accepts must have the
	// identifier's basic shape (the package doc: false for anything malformed).
	validators := []struct {
		name  string
		valid func(string) bool
		shape func(string) bool
	}{
		{"Luhn", Luhn, func(s string) bool { return len(s) >= 2 && allDigits(s) }},
		{"IBAN", IBAN, func(s string) bool { return len(s) >= 15 && len(s) <= 34 && isUpper(s[0]) && isUpper(s[1]) }},
		{"VIN", VIN, func(s string) bool { return len(s) == 17 }},
		{"BitcoinLegacy", BitcoinLegacy, func(s string) bool { return s[0] == '1' || s[0] == '3' }},
		{"EthereumAddress", EthereumAddress, func(s string) bool { return len(s) == 42 && (s[:2] == "0x" || s[:2] == "0X") }},
		{"SSN", SSN, func(s string) bool { return len(s) == 9 || len(s) == 11 }},
		{"NIR", NIR, func(s string) bool { return len(strings.ReplaceAll(s, " ", "")) == 15 }},
		{"BIC", BIC, func(s string) bool { return len(s) == 8 || len(s) == 11 }},
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, v := range validators {
			if v.valid(s) && !v.shape(s) {
				t.Errorf("%s(%q) = true for a value of the wrong shape", v.name, s)
			}
		}
		if version, program, err := SegwitDecode("bc", s); err == nil {
			if version < 0 || version > 16 || len(program) < 2 || len(program) > 40 {
				t.Errorf("SegwitDecode(%q) = version %d, %d-byte program, want 0..16 and 2..40 bytes", s, version, len(program))
			}
		}
	})
}

// TestGeneratorErrorsHoldNoValue checks that a rejected input (a card, NIR or
// IBAN fragment, i.e. PII) is not copied into the error message.
func TestGeneratorErrorsHoldNoValue(t *testing.T) {
	tests := []struct {
		name  string
		value string
		call  func(string) error
	}{
		{"LuhnCheckDigit", "41111111x111111", func(s string) error { _, err := LuhnCheckDigit(s); return err }},
		{"NIRKey", "18512x5123456", func(s string) error { _, err := NIRKey(s); return err }},
		{"IBANCheckDigits", "3000600001123456789018x", func(s string) error { _, err := IBANCheckDigits("FR", s); return err }},
	}
	for _, tt := range tests {
		err := tt.call(tt.value)
		if err == nil {
			t.Errorf("%s(%q): no error", tt.name, tt.value)
			continue
		}
		if strings.Contains(err.Error(), tt.value) {
			t.Errorf("%s error %q holds the value", tt.name, err)
		}
	}
}
