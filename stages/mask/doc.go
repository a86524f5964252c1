// Package mask replaces detected PII spans in a text with replacement strings.
//
// It sits after detect in the mask job (jobs) and behind POST /v1/mask
// (internal/server): ResolveCandidates and Combine turn the methods' spans
// into one non-overlapping set (validated spans are never cut), a Policy
// (Selection of classes, scores, allow and deny lists, and an OperatorSpec per
// class) chooses what is replaced and how, and a Masker applies it. Operators:
// placeholders, redaction, partial masking, hashing, format-preserving
// pseudonyms (Pseudonymizer), and reversible encryption (Encrypter, Keys) with
// an unmask Vault (Vault, VaultEntry, VaultIndex, VaultReader). Main result
// types: Result, Replacement, Summary; FieldError reports a policy problem by
// field.
package mask
