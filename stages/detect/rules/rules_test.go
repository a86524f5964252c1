package rules

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/piimask/piimask/record"
	"github.com/piimask/piimask/stages/detect"
)

// w is an expected span given by its value; offsets are found by searching
// the text left to right, counting runes with unicode/utf8 (independent of
// record.Offsets, which the method uses).
type w struct{ label, value string }

func expect(t *testing.T, text string, want []w) []record.Span {
	t.Helper()
	var out []record.Span
	cursor := 0
	for _, x := range want {
		i := strings.Index(text[cursor:], x.value)
		if i < 0 {
			t.Fatalf("test bug: %q not in %q after byte %d", x.value, text, cursor)
		}
		b := cursor + i
		start := utf8.RuneCountInString(text[:b])
		out = append(out, record.Span{Start: start, End: start + utf8.RuneCountInString(x.value), Label: x.label})
		cursor = b + len(x.value)
	}
	return out
}

func keys(spans []record.Span) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = fmt.Sprintf("%s[%d,%d)", s.Label, s.Start, s.End)
	}
	return out
}

func mustNew(t testing.TB, opts Options) *Method {
	t.Helper()
	m, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// recognizerCase is one TestRecognizers row.
type recognizerCase struct {
	name string
	text string
	want []w
}

// recognizerCases are the hand-written recognizer examples; the golden test
// also runs their texts.
func recognizerCases() []recognizerCase {
	return []recognizerCase{
		// EMAIL
		{"email", "Write to jean.dupont@exemple.fr.", []w{{"EMAIL", "jean.dupont@exemple.fr"}}},
		{"email plus tag", "mail: a.b+news@mail.co.uk, thanks", []w{{"EMAIL", "a.b+news@mail.co.uk"}}},
		{"email accented", "Écrivez à élodie.martin@exemple.fr", []w{{"EMAIL", "élodie.martin@exemple.fr"}}},
		{"email no tld", "user@localhost is not matched", nil},
		{"email double dot", "bad..dot@example.com", nil},
		{"email handle", "ping @jean on chat", nil},
		// URL
		{"url https", "See https://www.exemple.fr/page?id=3). Bye", []w{{"URL", "https://www.exemple.fr/page?id=3"}}},
		{"url parens kept", "at https://en.wikipedia.org/wiki/Go_(language), ok", []w{{"URL", "https://en.wikipedia.org/wiki/Go_(language)"}}},
		{"url www", "visit www.test-site.com, now", []w{{"URL", "www.test-site.com"}}},
		{"url no host", "scheme http:// alone", nil},
		{"url glued", "xhttps://example.com", nil},
		// IPV4
		{"ipv4", "server 192.168.1.10, port 22", []w{{"IPV4", "192.168.1.10"}}},
		{"ipv4 out of range", "value 256.1.1.1 here", nil},
		{"ipv4 version string", "version 1.2.3.4.5 here", nil},
		{"ipv4 leading zero", "addr 010.1.1.1 here", nil},
		// IPV6
		{"ipv6 full", "v6 2001:0db8:85a3:0000:0000:8a2e:0370:7334 ok", []w{{"IPV6", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"}}},
		{"ipv6 compressed", "v6 fe80::1ff:fe23:4567:890a and 2001:db8::1.", []w{{"IPV6", "fe80::1ff:fe23:4567:890a"}, {"IPV6", "2001:db8::1"}}},
		{"ipv6 trailing colon", "host fe80::1: down", []w{{"IPV6", "fe80::1"}}},
		{"ipv6 embedded v4", "mapped ::ffff:192.0.2.128 here", []w{{"IPV6", "::ffff:192.0.2.128"}}},
		{"ipv6 too many groups", "bad 1:2:3:4:5:6:7:8:9 here", nil},
		// MAC
		{"mac colon", "MAC 00:1A:2B:3C:4D:5E.", []w{{"MAC", "00:1A:2B:3C:4D:5E"}}},
		{"mac dash", "MAC 00-1a-2b-3c-4d-5e", []w{{"MAC", "00-1a-2b-3c-4d-5e"}}},
		{"mac cisco", "MAC 001a.2b3c.4d5e", []w{{"MAC", "001a.2b3c.4d5e"}}},
		{"mac too long", "MAC 00:1A:2B:3C:4D:5E:6F", nil},
		// PHONENUMBER
		{"phone intl parens", "Call +1 (555) 123-4567 now", []w{{"PHONENUMBER", "+1 (555) 123-4567"}}},
		{"phone fr intl", "Tél. +33 1 23 45 67 89.", []w{{"PHONENUMBER", "+33 1 23 45 67 89"}}},
		{"phone fr national", "Portable : 06 12 34 56 78", []w{{"PHONENUMBER", "06 12 34 56 78"}}},
		{"phone fr dots", "fixe 01.23.45.67.89", []w{{"PHONENUMBER", "01.23.45.67.89"}}},
		{"phone nanp", "or 555-987-6543 or (555) 987-6543", []w{{"PHONENUMBER", "555-987-6543"}, {"PHONENUMBER", "(555) 987-6543"}}},
		{"phone 00 ext", "dial 001-728-226-5050x1234 today", []w{{"PHONENUMBER", "001-728-226-5050x1234"}}},
		{"phone uk", "ring 020 7946 0958 please", []w{{"PHONENUMBER", "020 7946 0958"}}},
		{"phone trailing number dropped", "call 555-123-4567 12 times", []w{{"PHONENUMBER", "555-123-4567"}}},
		{"phone too short", "code +33 12 34", nil},
		{"phone bare digits", "order 5551234567 shipped", nil},
		{"phone glued to letters", "ref AB06 12 34 56 78", nil},
		// PHONEIMEI
		{"imei", "IMEI: 490154203237518", []w{{"PHONEIMEI", "490154203237518"}}},
		{"imei grouped", "device 49-015420-323751-8 lost", []w{{"PHONEIMEI", "49-015420-323751-8"}}},
		{"imei bad luhn", "IMEI: 490154203237519", nil},
		// CREDITCARDNUMBER
		{"card visa spaces", "carte 4111 1111 1111 1111, merci", []w{{"CREDITCARDNUMBER", "4111 1111 1111 1111"}}},
		{"card amex dashes", "amex 3782-822463-10005.", []w{{"CREDITCARDNUMBER", "3782-822463-10005"}}},
		{"card compact mc", "mc 5555555555554444 ok", []w{{"CREDITCARDNUMBER", "5555555555554444"}}},
		{"card followed by year", "card 4111111111111111 2025 exp", []w{{"CREDITCARDNUMBER", "4111111111111111"}}},
		{"card bad luhn", "carte 4111 1111 1111 1112", nil},
		{"card bad iin", "num 9111111111111119 here", nil},
		{"card mixed separators", "carte 4111-1111 1111-1111", nil},
		{"card glued", "ID4111111111111111", nil},
		// IBAN
		{"iban compact", "IBAN GB82WEST12345698765432.", []w{{"IBAN", "GB82WEST12345698765432"}}},
		{"iban grouped", "IBAN : FR14 2004 1010 0505 0001 3M02 606 merci", []w{{"IBAN", "FR14 2004 1010 0505 0001 3M02 606"}}},
		{"iban bad checksum", "IBAN GB82WEST12345698765433", nil},
		{"iban wrong length", "IBAN DE8937040044053201300", nil},
		// BIC
		{"bic context", "BIC: DEUTDEFF, bank", []w{{"BIC", "DEUTDEFF"}}},
		{"bic branch", "code NEDSZAJJXXX used", []w{{"BIC", "NEDSZAJJXXX"}}},
		{"bic no context", "BUSINESS meeting", nil},
		{"bic bad country", "SWIFT ABCDXXFF", nil},
		// SSN
		{"ssn dashed", "SSN 123-45-6789.", []w{{"SSN", "123-45-6789"}}},
		{"ssn plain context", "social security number 123456789", []w{{"SSN", "123456789"}}},
		{"ssn plain no context", "order 123456789 shipped", nil},
		{"ssn area 666", "SSN 666-45-6789", nil},
		{"nir", "NIR 2 69 05 49 588 157 80 ok", []w{{"SSN", "2 69 05 49 588 157 80"}}},
		{"nir bad key", "NIR 2 69 05 49 588 157 81 ok", nil},
		// VEHICLEVIN
		{"vin check digit", "car 1M8GDM9AXKP042788.", []w{{"VEHICLEVIN", "1M8GDM9AXKP042788"}}},
		{"vin european with context", "VIN : WVWZZZ1JZXW000001", []w{{"VEHICLEVIN", "WVWZZZ1JZXW000001"}}},
		{"vin european without context", "ref WVWZZZ1JZXW000001", nil},
		// Crypto
		{"btc genesis", "send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa now", []w{{"BITCOINADDRESS", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"}}},
		{"btc bech32", "to bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4.", []w{{"BITCOINADDRESS", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"}}},
		{"btc bad checksum", "to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb now", nil},
		{"btc shape with context", "wallet 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", []w{{"BITCOINADDRESS", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"}}},
		{"ltc", "LTC LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9", []w{{"LITECOINADDRESS", "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9"}}},
		{"ltc bech32", "to ltc1q3qkpj5s4ru3cx9t7dt27pdfmz5aqy3wplamkns ok", []w{{"LITECOINADDRESS", "ltc1q3qkpj5s4ru3cx9t7dt27pdfmz5aqy3wplamkns"}}},
		{"eth eip55", "ETH 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", []w{{"ETHEREUMADDRESS", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}}},
		{"eth lower", "eth 0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed.", []w{{"ETHEREUMADDRESS", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}}},
		{"eth bad eip55", "ETH 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", nil},
		// DATE
		{"date slash", "Né le 12/05/1990, ok", []w{{"DATE", "12/05/1990"}}},
		{"date us order", "born 12/31/1990", []w{{"DATE", "12/31/1990"}}},
		{"date iso", "on 2023-05-12.", []w{{"DATE", "2023-05-12"}}},
		{"date fr words", "le 3 mars 2021 et le 1er janvier", []w{{"DATE", "3 mars 2021"}, {"DATE", "1er janvier"}}},
		{"date fr accents", "le 14 février 2024", []w{{"DATE", "14 février 2024"}}},
		{"date en words", "on March 3rd, 2021 and 5 of June 2020", []w{{"DATE", "March 3rd, 2021"}, {"DATE", "5 of June 2020"}}},
		{"date en month year", "since March 2021", []w{{"DATE", "March 2021"}}},
		{"date invalid", "on 31/31/2020 and 2023-13-01", nil},
		{"date mixed separators", "on 12/05-1990", nil},
		// TIME
		{"time colon", "at 10:45 and 23:59:59.", []w{{"TIME", "10:45"}, {"TIME", "23:59:59"}}},
		{"time ampm", "at 5 p.m. or 7pm.", []w{{"TIME", "5 p.m."}, {"TIME", "7pm"}}},
		{"time french", "à 14h30 ou 9h", []w{{"TIME", "14h30"}, {"TIME", "9h"}}},
		{"time invalid", "score 25:70 and 10 amazing", nil},
		// ZIPCODE
		{"zip context", "Zip code 90210.", []w{{"ZIPCODE", "90210"}}},
		{"zip state", "Springfield, IL 62704", []w{{"ZIPCODE", "62704"}}},
		{"zip fr city", "12 rue de la Paix, 75002 Paris", []w{{"ZIPCODE", "75002"}}},
		{"zip uk", "postcode SW1A 1AA", []w{{"ZIPCODE", "SW1A 1AA"}}},
		{"zip no context", "we sold 75002 units", nil},
		// NEARBYGPSCOORDINATE
		{"gps", "Position 48.8566, 2.3522 ici", []w{{"NEARBYGPSCOORDINATE", "48.8566, 2.3522"}}},
		{"gps negative brackets", "at [-33.8688, 151.2093]", []w{{"NEARBYGPSCOORDINATE", "-33.8688, 151.2093"}}},
		{"gps french decimals", "coord 48,8566; 2,3522", []w{{"NEARBYGPSCOORDINATE", "48,8566; 2,3522"}}},
		{"gps out of range", "at 95.1234, 200.1234", nil},
		// USERAGENT
		{"useragent", "UA Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 ok",
			[]w{{"USERAGENT", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"}}},
		{"useragent bare", "the Mozilla/5.0 string", nil},
		// Context-only classes
		{"cvv", "CVV: 123, merci", []w{{"CREDITCARDCVV", "123"}}},
		{"cvv fr", "cryptogramme visuel 456", []w{{"CREDITCARDCVV", "456"}}},
		{"pin", "code PIN 4321.", []w{{"PIN", "4321"}}},
		{"password fr", "mot de passe : Soleil2024! et", []w{{"PASSWORD", "Soleil2024!"}}},
		{"password en", "the password is hunter2.", []w{{"PASSWORD", "hunter2"}}},
		{"password word", "reset your password link", nil},
		{"no context digits", "room 123 and 4321", nil},
		// Mixed
		{"several", "Mail a@b.fr, tél 06 12 34 56 78, IP 10.0.0.1",
			[]w{{"EMAIL", "a@b.fr"}, {"PHONENUMBER", "06 12 34 56 78"}, {"IPV4", "10.0.0.1"}}},
	}
}

func TestRecognizers(t *testing.T) {
	m := mustNew(t, Options{})
	for _, tt := range recognizerCases() {
		t.Run(tt.name, func(t *testing.T) {
			got := keys(m.Find(tt.text))
			want := keys(expect(t, tt.text, tt.want))
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("Find(%q)\n got  %v\n want %v", tt.text, got, want)
			}
		})
	}
}

// TestCodePointOffsets checks hand-counted code-point offsets after accented
// letters and emoji (multi-byte and astral characters).
func TestCodePointOffsets(t *testing.T) {
	m := mustNew(t, Options{})
	tests := []struct {
		text string
		want []string
	}{
		// "Écrivez à " is 10 code points (12 bytes).
		{"Écrivez à élodie@exemple.fr", []string{"EMAIL[10,27)"}},
		// Two emoji (4 bytes each) and a space: the e-mail starts at code point 9.
		{"😀😀 email a@b.co", []string{"EMAIL[9,15)"}},
		// "Carte bancaire réglée : " = 24 code points; the card has 19.
		{"Carte bancaire réglée : 4111 1111 1111 1111 👍 né le 12/05/1990",
			[]string{"CREDITCARDNUMBER[24,43)", "DATE[52,62)"}},
		// A French month with an accent inside the span: "5 août 2022" = 11.
		{"🇫🇷 le 5 août 2022", []string{"DATE[6,17)"}},
	}
	for _, tt := range tests {
		got := keys(m.Find(tt.text))
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("Find(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestOverlapResolution(t *testing.T) {
	tests := []struct {
		name string
		in   []record.Span
		want []string
	}{
		{"higher score wins", []record.Span{{Start: 0, End: 10, Label: "A", Score: 0.5}, {Start: 5, End: 8, Label: "B", Score: 0.9}}, []string{"B[5,8)"}},
		{"longer wins on tie", []record.Span{{Start: 0, End: 4, Label: "A", Score: 0.9}, {Start: 2, End: 9, Label: "B", Score: 0.9}}, []string{"B[2,9)"}},
		{"earlier wins on tie", []record.Span{{Start: 3, End: 6, Label: "B", Score: 0.9}, {Start: 1, End: 4, Label: "A", Score: 0.9}}, []string{"A[1,4)"}},
		{"label order on identical span", []record.Span{{Start: 0, End: 4, Label: "Z", Score: 0.9}, {Start: 0, End: 4, Label: "A", Score: 0.9}}, []string{"A[0,4)"}},
		{"adjacent both kept, sorted", []record.Span{{Start: 4, End: 8, Label: "B", Score: 0.1}, {Start: 0, End: 4, Label: "A", Score: 0.9}}, []string{"A[0,4)", "B[4,8)"}},
		{"middle blocks both sides", []record.Span{{Start: 0, End: 3, Label: "A", Score: 0.5}, {Start: 2, End: 6, Label: "M", Score: 0.9}, {Start: 5, End: 9, Label: "C", Score: 0.5}, {Start: 10, End: 12, Label: "D", Score: 0.1}}, []string{"M[2,6)", "D[10,12)"}},
	}
	for _, tt := range tests {
		got := keys(resolve(tt.in))
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	// In the method: an IPv4 inside a URL is absorbed by the URL.
	m := mustNew(t, Options{})
	if got := keys(m.Find("go to http://192.168.1.1/admin now")); strings.Join(got, " ") != "URL[6,30)" {
		t.Errorf("URL with IP: got %v", got)
	}
}

func TestNoOverlapOnCorpus(t *testing.T) {
	m := mustNew(t, Options{})
	for _, text := range benchCorpus(200) {
		spans := m.Find(text)
		n := utf8.RuneCountInString(text)
		for i, s := range spans {
			if s.Start < 0 || s.End > n || s.Start >= s.End {
				t.Fatalf("span %v out of range in %q", s, text)
			}
			if i > 0 && spans[i-1].End > s.Start {
				t.Fatalf("overlap %v %v in %q", spans[i-1], s, text)
			}
		}
	}
}

func TestOptions(t *testing.T) {
	text := "Mail a@b.fr, IP 10.0.0.1, tél 06 12 34 56 78"
	tests := []struct {
		name    string
		opts    detect.Options
		labels  []string
		want    []string
		wantErr string
	}{
		{"default", nil, nil, []string{"EMAIL", "IPV4", "PHONENUMBER"}, ""},
		{"include", detect.Options{"classes": []any{"EMAIL"}}, nil, []string{"EMAIL"}, ""},
		{"exclude", detect.Options{"exclude": []any{"EMAIL", "IPV4"}}, nil, []string{"PHONENUMBER"}, ""},
		{"min score", detect.Options{"min_score": 0.9}, nil, []string{"EMAIL", "IPV4"}, ""},
		{"job labels", nil, []string{"IPV4", "FIRSTNAME"}, []string{"IPV4"}, ""},
		{"unknown class", detect.Options{"classes": []any{"EMAIL", "FIRSTNAM"}}, nil, nil, `"FIRSTNAM"`},
		{"unknown exclude", detect.Options{"exclude": []any{"NOPE"}}, nil, nil, `"NOPE"`},
		{"unknown key", detect.Options{"clases": []any{"EMAIL"}}, nil, nil, "clases"},
		{"bad min score", detect.Options{"min_score": 2}, nil, nil, "min_score"},
		{"all excluded", detect.Options{"classes": []any{"EMAIL"}, "exclude": []any{"EMAIL"}}, nil, nil, "no class"},
		{"no supported job label", nil, []string{"FIRSTNAME"}, nil, "none of the job's labels"},
	}
	reg := detect.NewRegistry()
	Register(reg)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			meth, err := reg.New(context.Background(), detect.Spec{Name: "r1", Type: "rules", Options: tt.opts, Labels: tt.labels})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer meth.Close()
			if meth.Name() != "r1" {
				t.Errorf("Name() = %q", meth.Name())
			}
			preds, err := meth.Detect(context.Background(), []record.Record{{Text: text}, {Text: ""}})
			if err != nil || len(preds) != 2 || len(preds[1].Spans) != 0 {
				t.Fatalf("Detect = %v, %v", preds, err)
			}
			var got []string
			for _, s := range preds[0].Spans {
				got = append(got, s.Label)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("labels = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDetectCancelled(t *testing.T) {
	m := mustNew(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Detect(ctx, []record.Record{{Text: "a@b.fr"}}); err == nil {
		t.Fatal("want context error")
	}
}

func TestClassesAreAI4Privacy(t *testing.T) {
	for _, c := range Classes() {
		if !labelsKnown(c) {
			t.Errorf("class %q is not an AI4Privacy class", c)
		}
	}
}
