// Package labels holds the AI4Privacy PII class taxonomy (the 200k dataset's
// names) that piimask speaks by default.
//
// It is a public data type like record: stages/taxonomy maps other label sets
// onto these classes, the detection methods emit them, and score, mask and
// report group and name spans by them. Main functions: All (the class list)
// and Known.
package labels
