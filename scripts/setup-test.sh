#!/usr/bin/env bash
# setup-test.sh — what the test suite needs beyond scripts/setup.sh: Debian
# packages and npm tools used by tests. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
