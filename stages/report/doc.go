// Package report turns the results of one or more evaluate runs into one
// self-contained HTML file (inline CSS and SVG charts, no script, no network
// needed to open it) and a Markdown summary: a method-comparison table with
// bootstrap confidence intervals, leak rate, throughput and cost; a per-class
// F1 grouped bar chart and heatmap; the gold class distribution; the worst
// classes per method; paired bootstrap tests between methods; and example
// errors with the PII masked.
//
// Charts are drawn with gonum.org/v1/plot into SVG. Build takes everything
// as data (Inputs), so the evaluate job can call it on what it has just
// written (LoadResults) plus the examples it collected (Collector), and the
// report job can call it on saved result directories.
//
// Main types: Inputs (the runs and examples), Report (the built document with
// its Sections), Method and the table rows (MethodRow, ClassRow, GroupRow,
// LanguageRow, SchemaRow, TokenRow, Pair), Charts, and Collector/Example (the
// error examples an evaluate run keeps).
package report
