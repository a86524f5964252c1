#!/usr/bin/env bash
# Installs golangci-lint at the pinned version into bin/ (go install, from the
# Go module proxy; built with the local Go, so it understands this module's
# Go version). Idempotent. Used by `make lint`, not by `make test`.
set -euo pipefail
VERSION=v2.15.0
cd "$(dirname "$0")/.."
BIN="$PWD/bin"
if [ -x "$BIN/golangci-lint" ] && "$BIN/golangci-lint" version 2>/dev/null | grep -q "${VERSION#v}"; then
	exit 0
fi
mkdir -p "$BIN"
GOBIN="$BIN" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$VERSION"
"$BIN/golangci-lint" version
