// Package taxonomy holds the label sets piimask knows besides the AI4Privacy
// 200k classes (labels) — other AI4Privacy releases, Presidio's entity
// types — their maps onto the 200k classes, and the small set of entity
// groups that every taxonomy maps onto.
package taxonomy
