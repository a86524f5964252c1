// Package generate makes synthetic PII documents in the AI4Privacy 200k
// schema, in English and French, from many hand-written templates filled with
// seeded fake values (github.com/brianvoe/gofakeit/v7 plus small curated
// French lists). The same seed and count always give byte-identical output.
//
// Values with a checksum are valid: card numbers and IMEIs pass Luhn, IBANs
// carry ISO 7064 mod 97-10 check digits, VINs a valid position-9 check digit,
// French NIRs their mod-97 key, Bitcoin and Litecoin addresses a base58check
// (or bech32) checksum, and half the Ethereum addresses are EIP-55 cased.
//
// Main types: Config (seed, count, languages), Generator (All yields Rows),
// Row (one AI4Privacy-200k row), Entity, Values (the checksum-valid fake
// values, also drawn by stages/generate/docs) and RowSource (what the
// writers WriteFile, WriteRows, WriteJSONL and WriteParquet take).
// `piimask generate` (cmd/piimask) writes its rows; the documents mode
// (stages/generate/docs), which jobs use for input.generate, builds on it.
package generate
