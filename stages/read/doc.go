// Package read turns piimask's inputs — JSON Lines, Parquet and plain text
// files — into a stream of record.Record values.
//
// Every supported dataset schema (AI4Privacy 43k, 200k, 300k/400k,
// presidio-research InputSample JSON, CoNLL-style BIO/IOBES token files, and
// "plain" rows that only carry a text column) is normalised into one record:
// an id, a language, the text and the gold spans in Unicode code-point
// offsets. Files are streamed: JSONL and CoNLL line by line (lines of any
// length), a JSON array element by element, and Parquet row group by row
// group in small batches of rows, so a file of many gigabytes is never held
// in memory.
//
// Bad rows do not stop a run: a row with invalid JSON, a missing text or a
// span that does not fit its text becomes a record.Reject (file, line or row,
// field and a reason that never quotes the PII value) handed to the caller's
// reject function, and reading goes on. A file that cannot be read as its
// format at all (not Parquet, truncated, unreadable) is an error naming it.
//
// It is the first stage of every job's pipeline (jobs). Main types: Options
// (format, schema, default language, text column, kept columns), Filter
// (languages, limit, seeded sampling), Chunk (one entity decoded from a BIO
// or IOBES tag sequence), and PredictionOptions/PredictionRow for reading
// saved predictions back for scoring.
package read
