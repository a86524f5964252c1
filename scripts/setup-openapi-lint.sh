#!/usr/bin/env bash
# Installs Redocly's OpenAPI linter (npm @redocly/cli) into
# scripts/openapi-lint/node_modules, used by internal/server's TestOpenAPILint
# (`redocly lint internal/server/openapi.json`). Idempotent and quiet when done.
set -euo pipefail
cd "$(dirname "$0")/openapi-lint"
if [ -x node_modules/.bin/redocly ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "setup-openapi-lint: npm is required (apt-get install -y nodejs npm)" >&2; exit 1; }
npm install --no-audit --no-fund --silent >/dev/null
