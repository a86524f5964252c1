// Package score evaluates predicted PII spans against gold spans.
//
// The scorer knows no file format and no detection method: callers hand it the
// gold and predicted spans of one document at a time (ScoreDocument) and sum
// the per-document results into a Counts. Every metric in a Report derives
// from integer counts, so Counts from shards of a dataset, summed with Add,
// give exactly the metrics of a single run.
//
// # Conventions
//
// Spans use code-point offsets with an exclusive end (record.Span). Before
// scoring, the gold spans and the predicted spans of a document are each
// de-duplicated by record.Key (label, start, end; scores ignored) and sorted
// by start, end, label; duplicate predictions of the same span count once.
//
// Strict scoring (the headline "metrics" and "per_class_metrics" of
// metrics.json): a prediction is a true positive only with the same label and
// the exact same start and end as a gold span. Precision = TP/predicted,
// recall = TP/gold, support = gold count. Zero divisions follow scikit-learn's
// and seqeval's zero_division=0 convention: precision is 0 when nothing was
// predicted, recall is 0 when there is no gold span, and F-beta is 0 when
// precision and recall are both 0. Exact-match accuracy is the share of
// documents whose de-duplicated predicted set equals the de-duplicated gold set
// (a document with no gold and no prediction matches); 0 when there are no
// documents.
//
// The SemEval-2013 9.1 schemas (strict, exact, partial, ent_type) follow
// nervaluate 1.0's evaluation strategies (src/nervaluate/strategies.py):
// each schema matches predictions to gold spans one to one, greedily, in the
// sorted order above, and counts COR, INC, PAR, MIS and SPU; POSSIBLE =
// COR+INC+PAR+MIS, ACTUAL = COR+INC+PAR+SPU; precision = COR/ACTUAL and recall
// = COR/POSSIBLE for strict and exact, (COR+0.5·PAR)/ACTUAL and
// (COR+0.5·PAR)/POSSIBLE for partial and ent_type; 0 on a zero denominator.
// Two spans overlap when they share at least one code point and the shared
// part is at least 1% of the gold span (nervaluate's default
// min_overlap_percentage; it differs from "any overlap" only for gold spans
// longer than 100 code points). Per-class schema counts follow nervaluate 1.0
// too: the strategy is re-run on the document's spans of that class only, so a
// wrong-type prediction is a MIS for the gold class and a SPU for the predicted
// class. Because the matching is greedy, schemas.strict can be lower than the
// headline strict figures (an earlier overlapping prediction may claim a gold
// span that a later prediction matches exactly).
//
// The confusion matrix counts every pair of overlapping gold and predicted
// spans (any shared code point) under [gold label][predicted label]; a gold
// span that no prediction overlaps is counted under [label][MISSED], a
// prediction that overlaps no gold span under [SPURIOUS][label].
//
// The leak rate is the share of gold PII code points (the union of the gold
// spans) that no predicted span, of any label, covers; 0 when there is no gold
// code point.
//
// Scorer.Score adds the views that need the document's text — label-agnostic
// PII spans matched by IoU, entity groups, the character view (over-mask
// rate) and token-level seqeval scores — to the same summable counts; see
// views.go for their definitions.
//
// Main types: Counts (the summable integer counts of a run, with DocCounts per
// document), Scorer, Report and its metric types (GlobalMetrics, ClassMetrics,
// SchemaCounts, ConfusionMatrix, CharacterMetrics, PIISpanMetrics,
// GroupMetrics), and the bootstrap (BootstrapOptions, ConfidenceIntervals,
// PairedResult). It runs after detect in the evaluate job (jobs); its
// metrics.json feeds stages/report.
package score
