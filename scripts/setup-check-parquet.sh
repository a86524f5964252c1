#!/usr/bin/env bash
# Installs the independent Parquet/Arrow readers (npm @duckdb/node-api and
# apache-arrow) used by stages/dataset's TestIndependentReaders.
# Idempotent and quiet when already done.
set -euo pipefail
cd "$(dirname "$0")/check-parquet"
if [ -d node_modules/@duckdb/node-api ] && [ -d node_modules/apache-arrow ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "setup-check-parquet: npm is required (apt-get install -y nodejs npm)" >&2; exit 1; }
npm install --no-audit --no-fund --silent >/dev/null
