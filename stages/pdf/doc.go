// Package pdf extracts the text of PDF files page by page with poppler's
// pdftotext (Debian poppler-utils, installed by scripts/setup-pdf.sh).
// Pages without a text layer (scans) go through OCR: Tesseract offline
// (pdftoppm renders the page, tesseract reads it, English and French data)
// or the Mistral OCR API (POST /v1/ocr), selectable per job.
//
// A PDF is read from a file (Extract) or from memory (ExtractBytes); both
// run the same page loop. In memory, every tool reads the PDF from its stdin
// ("-" as the file name) and writes to its stdout, and OCR images go from
// pdftoppm's stdout to tesseract's stdin: nothing is written to disk, which
// is what `piimask serve` needs for uploads.
//
// Main types: Options (tools, OCR engine, languages), Source, Page and the
// OCR engines (OCR, Tesseract, Mistral, with Box, BoxOCR, LayoutPage,
// PageImage and Word for redacted PDFs). jobs reads PDF inputs with it and
// writes redacted PDFs; internal/server extracts uploads with it.
package pdf
