// Package gold is the "gold" detection method: it answers with the record's
// own gold spans (the dataset's labels), so labelled data can be masked
// exactly and the masking operators tested without detection errors.
//
// Main type: Method; Register adds the type to a detect.Registry.
package gold
