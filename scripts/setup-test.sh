#!/usr/bin/env bash
# setup-test.sh — what the test suite needs beyond scripts/setup.sh, installed
# by the project itself on a fresh Debian machine (idempotent; each step is
# quiet when already done):
#   setup-python.sh         python3 for the independent scorer check
#   setup-check-parquet.sh  npm DuckDB + apache-arrow: independent Parquet/Arrow readers
#   setup-chromium.sh       Debian chromium: report and web UI tests in a real browser
#   setup-pdf.sh            poppler-utils + tesseract-ocr (eng, fra): PDF and OCR tests
#   setup-prometheus.sh     prometheus + promtool + pushgateway: metrics tests
#   setup-openapi-lint.sh   npm @redocly/cli: lints the serve API's openapi.json
#   setup-s3.sh             versitygw (go install): the S3 server of the object-storage tests
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
for step in setup-python setup-check-parquet setup-chromium setup-pdf setup-prometheus setup-openapi-lint setup-s3; do
	if [[ -x "$root/scripts/$step.sh" ]]; then
		"$root/scripts/$step.sh" >/dev/null
	elif [[ -f "$root/scripts/$step.sh" ]]; then
		bash "$root/scripts/$step.sh" >/dev/null
	fi
done
