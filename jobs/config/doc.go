// Package config loads and validates piimask YAML job configs: ${ENV}
// interpolation, unknown keys, wrong types and missing required fields are all
// reported with file:line, every problem at once.
//
// LoadFile runs the one checking pass that `piimask validate` and
// `piimask run` share: the shape of the file (schema.go), then the sections
// of the job kind (sections.go), the method options each method type
// declared with its constructor (Rules.MethodOptions), label maps, and the
// input keys a kind never reads (inputkeys.go). Defaults returns the values
// the code applies, which configs/reference.yaml shows (a test compares
// them).
package config
