package config

import "github.com/piimask/piimask/stages/mask"

// Mask configures the mask job (kind: mask). Keys are never set here: the
// keyed operators read PIIMASK_HASH_KEY, PIIMASK_PSEUDONYM_KEY,
// PIIMASK_ENCRYPT_KEY and the vault PIIMASK_VAULT_KEY from the environment.
type Mask struct {
	// Policy is what is masked and how: ensemble, operator, operators,
	// include, exclude, min_score, allow, deny — the same policy a POST
	// /v1/mask request takes (stages/mask.Policy).
	mask.Policy `yaml:",inline"`
	// OutputColumn names the masked-text column of JSONL/Parquet output.
	// Empty (default): the masked text replaces the text column in place.
	// Set: the masked text is added as the last column under this name and
	// the original text column is left out (it holds the PII). A carried
	// column of the same name is an error. Output mirrors the input format
	// (Parquet in, Parquet out), in the input's column order and types.
	OutputColumn string `yaml:"output_column"`
	// DropColumns are input columns left out of the output. AI4Privacy
	// columns that hold PII values (privacy_mask, token lists, unmasked
	// text) are always dropped.
	DropColumns []string `yaml:"drop_columns"`
	// Vault writes vault.bin, the encrypted replacement → original map
	// (needs PIIMASK_VAULT_KEY).
	Vault bool `yaml:"vault"`
	// AuditOriginals writes original values into the audit (off by default).
	AuditOriginals bool `yaml:"audit_originals"`
	// PartDocs is the number of documents per checkpointed part (default 2000).
	PartDocs int `yaml:"part_docs"`
	// OCR reads PDF pages without a text layer: none (default), tesseract or
	// mistral (needs MISTRAL_API_KEY).
	OCR string `yaml:"ocr"`
	// OCRLanguages are Tesseract languages (default eng+fra).
	OCRLanguages string `yaml:"ocr_languages"`
	// MistralURL overrides the Mistral API base URL.
	MistralURL string `yaml:"mistral_url"`
	// PDFOutput is what a masked PDF becomes: markdown (default: one
	// page-NNNN.md per page) or redacted (the same PDF path with every page
	// an image, the masked words blacked out, no text layer).
	PDFOutput string `yaml:"pdf_output"`
	// PDFDPI is the resolution of redacted pages (default 150, 72 to 600).
	PDFDPI int `yaml:"pdf_dpi"`
}

// MaskOperator is one operator setting (stages/mask.OperatorSpec).
type MaskOperator = mask.OperatorSpec

// MaskDeny is a deny-list term and its class (default CUSTOM).
type MaskDeny = mask.DenyTerm

// Check reports problems of the mask section with file:line.
func (m *Mask) Check(l *Loaded) Problems {
	var ps Problems
	if !oneOf(m.OCR, "", "none", "tesseract", "mistral") {
		ps = append(ps, l.Problem("mask.ocr", "unknown OCR engine %q (none, tesseract, mistral)", m.OCR))
	}
	if m.PartDocs < 0 {
		ps = append(ps, l.Problem("mask.part_docs", "must not be negative"))
	}
	if !oneOf(m.PDFOutput, "", "markdown", "redacted") {
		ps = append(ps, l.Problem("mask.pdf_output", "unknown PDF output %q (markdown, redacted)", m.PDFOutput))
	}
	if m.PDFOutput == "redacted" && m.OCR == "mistral" {
		ps = append(ps, l.Problem("mask.ocr", "pdf_output redacted needs word boxes: use ocr tesseract or none (the Mistral OCR API gives none)"))
	}
	if m.PDFDPI != 0 && (m.PDFDPI < 72 || m.PDFDPI > 600) {
		ps = append(ps, l.Problem("mask.pdf_dpi", "must be between 72 and 600, not %d", m.PDFDPI))
	}
	return append(ps, policyProblems(l.File, l.lines, "mask", m.Policy)...)
}

// policyProblems checks a masking policy (keys are checked when the job
// runs), each problem at its line under prefix.
func policyProblems(file string, lines map[string]int, prefix string, p mask.Policy) Problems {
	var ps Problems
	for _, fe := range p.Validate(nil) {
		path := prefix + "." + fe.Field
		ps = append(ps, Problem{File: file, Line: lineNear(lines, path), Path: path, Message: fe.Message})
	}
	return ps
}
