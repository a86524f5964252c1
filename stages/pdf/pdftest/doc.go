// Package pdftest makes the PDF fixtures of the tests that read PDFs
// (stages/pdf, internal/server, jobs, cmd/piimask): made in the test, never checked in.
package pdftest
