// Package pattern is the "patterns" detection method: custom recognizers
// written in a job or serve config, next to the built-in rules — Presidio's
// PatternRecognizer and deny lists without code.
//
// Each recognizer has a class (label), regular expressions with a score,
// optional context words that raise the score of a match when one of them is
// near it, an optional checksum validator from internal/checksum, the languages
// it applies to, and a deny list of terms always reported.
//
// Regular expressions use Go's regexp package: RE2 syntax, matching in time
// linear in the text, so no pattern can make a job hang (no lookaround, no
// backreferences). They are compiled once, when the method is built, and
// checked when the config is loaded (Validate).
//
// Scoring, per match, in this order (Presidio's rules):
//  1. the pattern's score;
//  2. validator set: a value that passes gets score 1 (and is marked
//     validated for overlap resolution), one that fails is dropped;
//  3. a context word found among the context_window words before the match
//     or the context_after words after it (case-insensitive; a context word
//     matches a text word that contains it, as Presidio does without a
//     lemmatizer): score = min(1, max(score + context_boost,
//     context_min_score)), defaults 0.35 and 0.4. Validated matches are not
//     boosted (they are at 1 already).
//
// Deny-list terms are found as whole words (not glued to a letter or digit
// on either side, Unicode-aware), case-insensitively unless case_sensitive,
// with score deny_list_score (default 1), then context as above.
//
// Main types: Options (the method's recognizers), Recognizer and Pattern (one
// class's expressions, context and deny list), Method, and Problem/Problems
// (config errors with their field); Register adds the type to a
// detect.Registry.
package pattern
