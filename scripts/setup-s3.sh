#!/usr/bin/env bash
# setup-s3.sh — builds the S3-compatible server the object-storage tests
# start on loopback: versitygw (github.com/versity/versitygw, Apache-2.0, a
# real S3 gateway: SigV4 authentication, multipart uploads) with its posix
# backend, `go install`ed into <repo>/.cache/bin/versitygw (gitignored).
# Idempotent; quiet when installed. Prints the binary's path.
set -euo pipefail
version="${VERSITYGW_VERSION:-v1.8.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.cache/bin/versitygw"
stamp="$root/.cache/bin/versitygw.version"
if [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$version" ]]; then
	echo "$bin"
	exit 0
fi
echo "setup-s3: building versitygw $version (go install)" >&2
mkdir -p "$root/.cache/bin"
GOBIN="$root/.cache/bin" go install "github.com/versity/versitygw/cmd/versitygw@$version"
echo "$version" >"$stamp"
echo "$bin"
