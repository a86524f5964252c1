// Package record defines the one record type that flows through every piimask
// pipeline, and helpers that convert between Unicode code-point offsets (the
// offsets AI4Privacy data and every piimask output use) and Go byte offsets.
//
// It imports nothing from the rest of the project.
//
// Main types: Record (id, language, text, gold spans, origin and the input
// columns a mask job carries through), Span (label, start, end, score,
// Validated), Key (a span without its score),
// Offsets (code-point/byte conversion of one text), Origin (file and line or
// row a record came from) and Reject (a row that could not be read, with
// file, line and field). stages/read produces Records, every later stage
// reads and extends them.
package record
