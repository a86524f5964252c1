#!/usr/bin/env bash
# Installs what the PDF stage and its tests need: poppler's pdftotext/pdfinfo,
# Tesseract OCR with English and French data. Idempotent; quiet when done.
set -euo pipefail
need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v pdfinfo >/dev/null 2>&1 || need+=(poppler-utils)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
for lang in eng fra; do
  if ! ls /usr/share/tesseract-ocr/*/tessdata/"$lang".traineddata >/dev/null 2>&1; then
    need+=(tesseract-ocr-"$lang")
  fi
done
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2068
$SUDO apt-get install -y -qq --no-install-recommends $(printf '%s\n' "${need[@]}" | sort -u) >/dev/null
