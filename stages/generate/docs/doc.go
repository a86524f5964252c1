// Package docs is the "documents" generation mode: AI4Privacy-200k rows
// (the generate.Row schema, 200k labels, code-point offsets) shaped like real
// documents rather than template sentences. A document is composed, not
// picked: a kind (e-mail, letter, ticket, chat, form, CSV, JSON, log,
// invoice, medical or HR note, CV, meeting notes) chooses its sections, and
// each section is built from phrase pools with slots, so that no sentence
// shape dominates. Most of every document is PII-free prose (by default
// about 88% of its characters): built-in prose pools, optionally mixed with
// sentences from a prose file extracted from Debian packages at model-build
// time (see ExtractProse). PII appears in many surface forms: name orders and
// initials, ALL CAPS, lowercase in chat, prefixes, names of some twenty
// origins, multi-line addresses of eighteen countries, international phone
// formats, e-mails derived from the person's name, and checksum-valid IBANs
// and cards drawn by stages/generate.
//
// The same Config always gives byte-identical rows.
//
// Main types: Config and Options (kinds, languages, prose share), Generator,
// Prose and ProseSources (the prose pools and files) and ProseStats.
package docs
