// Package calibrate turns a token classifier's span scores into
// probabilities that a span is right, and picks per-class decision
// thresholds on them: the thresholds.json table a model directory ships
// (see Table) and the onnx method applies.
//
// Method, fitted on a validation set of generated documents (never an
// evaluation set):
//
//   - every predicted span is matched one-to-one against the gold spans of
//     its document: it is correct when a gold span of the same entity group
//     (stages/taxonomy: FIRSTNAME and LASTNAME are both PERSON) overlaps it
//     with character IoU ≥ 0.5 (predictions are matched by score, highest
//     first, each to the unmatched gold span of highest IoU). The group, not
//     the exact class, because the decision the threshold makes is "PII or
//     not": a first name labelled LASTNAME is still masked rightly;
//   - per predicted class, Platt scaling: p = 1 / (1 + exp(−(a·s + b))) on the
//     raw span score s, fitted by Newton's method on the log loss with
//     Platt's smoothed targets ((N₊+1)/(N₊+2) and 1/(N₋+2)), so a class
//     whose spans are all right does not get an infinite slope;
//   - the class threshold is the calibrated score, at or above Floor, that
//     maximises span F-beta on the class: TP and FP are its predicted spans
//     kept at that threshold, FN its correct spans dropped plus the gold
//     spans of that class no prediction matched. The threshold sits midway
//     between the lowest kept score and the next one below it; ties keep
//     fewer spans. A class with no correct span gets threshold 1 (never
//     reported: a calibrated score is always below 1);
//   - classes with fewer than MinSupport predicted spans, and classes never
//     predicted, use one pooled fit over every span (DefaultCalibration,
//     DefaultThreshold).
//
// Place in the pipeline: the calibrate job (jobs) runs a method over
// generated validation documents, feeds every document's gold and predicted
// spans to a Collector (Add), and Fit turns it into a Table that
// stages/detect/onnx loads from the model directory (Load, Score). Main
// types: Collector, Observation, Params (one class's Platt fit), Class,
// Table, Options.
package calibrate
