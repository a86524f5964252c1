// Package s3test starts a real S3-compatible server for tests: versitygw
// (built by scripts/setup-s3.sh into <repo>/.cache/bin) with its posix
// backend, on a free loopback port, stopped when the test ends. It speaks
// S3 as AWS does — SigV4-signed requests only, multipart uploads — and
// stores each object as a file under Dir/<bucket>/<key>.
//
// A missing binary skips the test, unless CI is set: then it fails.
//
// Main type: Server (Start; Endpoint, Dir, Bucket, Client, Env). Used by the
// tests of internal/storage and cmd/piimask.
package s3test
