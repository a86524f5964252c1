// Package rules is piimask's rule-based PII detection method (type
// "rules"): regular expressions that propose candidates, followed by
// validators (checksums, parsers, range checks, context words) that accept,
// narrow or reject them.
//
// Regexes run on bytes; every emitted span is converted to Unicode
// code-point offsets. Word boundaries are Unicode-aware: a match may not
// start or end inside a word (letters, digits, marks), so "ID4111111111111111"
// is not a card number. Overlapping candidates are resolved inside the
// method — higher score, then longer, then earlier — so no two emitted spans
// overlap. Context words are English and French and are looked for in a
// window before (sometimes after) the candidate.
//
// Recognizers (score = base score; "ctx" = a context word nearby):
//
// | Class               | Pattern idea                                           | Validation                                                   | Score |
// |---------------------|--------------------------------------------------------|--------------------------------------------------------------|-------|
// | EMAIL               | local@domain.tld, Unicode letters allowed              | no leading/trailing/double dot in local part, word-bounded   | 0.95  |
// | URL                 | http(s)/ftp://… or www.…                               | trailing punctuation and unbalanced ) ] trimmed; net/url host | 0.95  |
// | IPV4                | d.d.d.d                                                | net/netip (no leading zeros, ≤255); not part of a.b.c.d.e    | 0.90  |
// | IPV6                | hex groups with ':' incl. '::' and embedded IPv4       | net/netip, IPv6 without zone                                 | 0.90  |
// | MAC                 | xx:xx:…, xx-xx-…, xxxx.xxxx.xxxx                       | net.ParseMAC                                                 | 0.90  |
// | PHONENUMBER         | +CC / 00CC / national digits with space . - ( )        | +: 8–15 digits 0.85; 00: 10–15 0.75; FR 0X XX XX XX XX 0.80; | ≤0.85 |
// |                     | and an optional extension (x, ext, poste)              | 0-prefixed 10–11 0.70; NANP 3-3-4 / 1-3-3-4 0.75; IP- and    |       |
// |                     |                                                        | date-like dotted forms rejected; neighbours trimmed          |       |
// | PHONEIMEI           | 15 digits, optionally 2-6-6-1 grouped                  | Luhn (checksum.IMEI); ctx "IMEI" raises to 0.97              | 0.85  |
// | CREDITCARDNUMBER    | 13–19 digits, optional uniform space/dash groups       | Luhn, IIN prefix vs length (Visa, MC, Amex, Discover, …)     | 0.95  |
// | IBAN                | CC + 2 digits + BBAN, compact or grouped by spaces     | registry length per country, ISO 7064 mod 97                 | 0.99  |
// | BIC                 | 6 letters + 2 + optional 3 alphanumerics, upper case   | ISO 9362 structure + ISO 3166 country; ctx (BIC, SWIFT,      | 0.90  |
// |                     |                                                        | bank, banque, IBAN) 0.90, else only with a digit in the      | /0.70 |
// |                     |                                                        | location/branch or branch XXX 0.70                           |       |
// | SSN                 | AAA-GG-SSSS, AAA GG SSSS, 9 digits                      | SSA rules (area ≠ 000/666/9xx, group ≠ 00, serial ≠ 0000);   | ≤0.90 |
// |                     |                                                        | dashed 0.85, spaced 0.60, bare digits only with ctx; ctx 0.90 |       |
// | SSN (France)        | NIR 1 YY MM DD CCC OOO KK, spaces allowed              | NIR key mod 97 (Corsica 2A/2B)                               | 0.90  |
// | VEHICLEVIN          | 17 of [A-HJ-NPR-Z0-9], letters and digits              | ISO 3779 check digit 0.90; without a valid check digit only  | 0.90  |
// |                     |                                                        | with ctx (VIN, vehicle, véhicule, châssis) 0.60 — European   | /0.60 |
// |                     |                                                        | and Asian VINs often carry no check digit                    |       |
// | BITCOINADDRESS      | base58 1…/3… (26–35) or bech32 bc1…                    | base58check version 0/5, or BIP-173/350 segwit; shape only   | 0.95  |
// |                     |                                                        | with ctx (bitcoin, btc, wallet, portefeuille) 0.50           | /0.50 |
// | LITECOINADDRESS     | base58 L…/M… or bech32 ltc1…                           | base58check version 0x30/0x32, or segwit "ltc"; shape + ctx  | 0.95  |
// | ETHEREUMADDRESS     | 0x + 40 hex                                            | EIP-55 checksum when mixed case (0.97); single case 0.90     | ≤0.97 |
// | DATE (numeric)      | d/m/y, m/d/y, y-m-d with one separator kind (/ . -)    | day valid for month in either order; ISO y-m-d 0.90          | 0.85  |
// | DATE (English)      | 3rd of March, 2021 / March 3, 2021 / March 2021 / Mar 3 | day 1–31, year 1000–2999; without day or year 0.70          | 0.90  |
// | DATE (French)       | 1er janvier 2024 / 3 mars / mars 2024                  | same                                                         | 0.90  |
// | TIME                | 14:30, 14:30:05, 5 pm, 5 p.m., 14h30, 9 h              | hour/minute ranges; not glued to ':' (IPv6/MAC)              | 0.80  |
// | ZIPCODE             | 5 digits (+4), UK postcode                             | only with ctx (zip, postal, code postal, CP…), a US state    | ≤0.75 |
// |                     |                                                        | code before (0.70) or "75008 Paris" after a comma (0.60)     |       |
// | NEARBYGPSCOORDINATE | lat, lon with ≥3 decimals (or lat; lon with ',' decimals) | |lat| ≤ 90, |lon| ≤ 180                                   | 0.85  |
// | USERAGENT           | Mozilla/Opera/Dalvik/x.y followed by tokens and (…)    | a (comment) 0.90, else ≥2 product tokens 0.60                | ≤0.90 |
// | CREDITCARDCVV       | ctx (CVV, CVC, security code, cryptogramme) + 3–4 digits | strong context only                                        | 0.80  |
// | PIN                 | ctx (PIN, code PIN, code secret) + 4–8 digits          | strong context only                                          | 0.75  |
// | PASSWORD            | ctx (password, pwd, mot de passe, mdp) + a token       | token mixes ≥2 character kinds (letters/digits/symbols)      | 0.70  |
//
// Validated spans: a span whose value passed a checksum or a parser is
// emitted with record.Span.Validated set. Overlap resolution
// (stages/mask.ResolveCandidates, used by mask jobs and the ensemble method)
// never lets a model span split, shorten or relabel it. They are:
//
//   - checksums: CREDITCARDNUMBER (Luhn + IIN), PHONEIMEI (Luhn), IBAN
//     (mod 97), SSN from the French NIR recognizer (NIR key), VEHICLEVIN
//     with a valid check digit (0.90, not the 0.60 context-only form),
//     BITCOINADDRESS and LITECOINADDRESS passing base58check or bech32
//     (0.95, not the 0.50 context-only form), ETHEREUMADDRESS with a
//     verified EIP-55 mixed-case checksum (0.97; single-case 0.90 has no
//     checksum and is not validated);
//   - parsers: EMAIL, URL (net/url with a host), IPV4 and IPV6 (net/netip),
//     MAC (net.ParseMAC).
//
// Everything else (phones, US SSN, BIC, dates, times, zip codes, GPS, user
// agents, CVV, PIN, password) is pattern plus context, not validated.
//
// Performance: all regexes are compiled once in New; one pass over the text
// computes cheap features (digits, '@', ':', non-ASCII, …) and an
// ASCII-lower-cased copy, and one keyword pass finds every gating/context
// word (a two-byte filter, then prefix checks), so recognizers that cannot
// match are skipped. Each recognizer runs only in its scope: digit-bearing
// recognizers in runs of tokens that hold a digit (plus one token each
// side), e-mail and URL in the tokens around '@', "://" and "www.", word
// dates and context classes in windows around their keywords. Inside a scope
// a match is tried only at bytes that can start it and that follow a
// non-word rune (a test checks this gives the same candidates as an
// unanchored FindAll); the digit-scoped recognizers share one pass over
// those starts, dispatched by first byte. The simple, hot formats (IPv4,
// IPv6, MAC, phone, IMEI, card, IBAN, BIC, SSN, NIR, VIN, coin addresses,
// Ethereum, numeric dates, time, zip, e-mail) use hand-written matchers that
// return exactly the regexp's leftmost-first match (TestMatchersEqualRegexp
// compares them at every start of the golden corpus and of random text); the
// others first pass a cheap necessary condition (prefilter.go) and then run
// the anchored regexp on a window no longer than the pattern's longest match.
// Code-point offsets are computed only for the emitted spans (none for ASCII
// texts). TestGolden pins the output on 9.5k documents. Consequence of the
// scopes: an IPv6 or MAC address, or an L…/M… Litecoin address, written
// without any decimal digit is not seen.
//
// Main types: Method and Options; Register adds the type to a
// detect.Registry. It runs in the detect stage of every job and is the first
// member of the default ensemble.
package rules
