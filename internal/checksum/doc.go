// Package checksum validates the check digits of structured identifiers that
// PII detectors meet (payment cards, IMEI, IBAN, VIN, cryptocurrency
// addresses, US SSN, French NIR, BIC) and generates valid check digits, so
// that a pseudonymisation operator can produce fake values that still pass
// validation.
//
// Validators take the compact form of an identifier unless their doc says
// otherwise: callers strip separators (spaces, dashes) first. They never
// panic on arbitrary input and return false for anything malformed.
//
// | Identifier        | Validator                 | Generator                   | Algorithm                          |
// |-------------------|---------------------------|-----------------------------|------------------------------------|
// | payment card      | Luhn                      | LuhnCheckDigit              | Luhn mod 10                        |
// | IMEI              | IMEI                      | LuhnCheckDigit (14 digits)  | Luhn over 15 digits                |
// | IBAN              | IBAN                      | IBANCheckDigits             | ISO 13616 / ISO 7064 mod 97-10     |
// | VIN               | VIN, VINStructure         | VINCheckDigit               | ISO 3779 / 49 CFR 565, position 9  |
// | BTC/LTC legacy    | BitcoinLegacy, LitecoinLegacy, Base58Check | Base58CheckEncode | double SHA-256, 4-byte checksum |
// | BTC/LTC segwit    | SegwitDecode              | SegwitEncode                | BIP-173 bech32 / BIP-350 bech32m   |
// | Ethereum          | EthereumAddress           | EIP55                       | EIP-55 Keccak-256 mixed case       |
// | US SSN            | SSN                       | —                           | SSA structural rules               |
// | French NIR        | NIR                       | NIRKey                      | 97 − (number mod 97)               |
// | BIC / SWIFT       | BIC                       | —                           | ISO 9362 structure, ISO 3166 code  |
//
// Used by stages/detect/rules and stages/detect/pattern (validators) and by
// stages/mask and stages/generate (valid fake values).
package checksum
