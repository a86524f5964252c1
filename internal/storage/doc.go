// Package storage gives piimask jobs object-storage inputs and outputs:
// s3:// and file:// URLs through gocloud.dev/blob (s3blob, fileblob).
//
// Jobs read and write local files; this package stands between them and the
// bucket. Inputs are streamed into a local cache (same path and modification
// time for the same object, so a resumed job's checkpoint fingerprint still
// matches). An output URL gets a local staging directory: before the run the
// object store's resume state (.work/, the checkpoint and its committed
// parts) is pulled into it; while the job runs a syncer uploads what changed,
// always the parts before the checkpoint that names them, so the checkpoint
// in the bucket never refers to a part the bucket lacks and a pod killed
// with SIGKILL resumes from the bucket on any machine. Publication is
// atomic: each object is a single PUT (multipart for large files, which S3
// makes visible only when complete), and a finished run ends by removing
// stale objects and writing the manifest (ManifestName) last. A run in
// progress has no manifest: consumers wait for it.
//
// Main API: FetchInput (an input URL to a cached local file), Location (an
// opened bucket URL) and Output (OpenOutput: the staging directory, Start
// and Sync for the syncer, Finish to publish). jobs wraps a job's input and
// output paths with them; internal/checkpoint's files are what the syncer
// orders.
package storage
