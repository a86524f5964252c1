// Package taxonomy holds the label sets piimask knows besides the AI4Privacy
// 200k classes (labels) — other AI4Privacy releases, Presidio's entity
// types — their maps onto the 200k classes, and the small set of entity
// groups that every taxonomy maps onto.
//
// Main types: Taxonomy (a named label set), MapSpec and Mapper (a map onto
// the 200k classes, applied by stages/read and stages/score), Counter and
// LabelCount (label statistics).
package taxonomy
