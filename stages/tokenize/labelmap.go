package tokenize

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// IgnoreLabel is the label id that loss functions skip (PyTorch's -100):
// special tokens and, with the first-sub-token strategy, continuation tokens.
const IgnoreLabel = -100

// LabelMap is the BIO label vocabulary of a token-classification model, in
// the order a Hugging Face config.json expects: "O" is id 0, then for each
// class in sorted order "B-CLASS", "I-CLASS".
type LabelMap struct {
	ID2Label []string
	label2ID map[string]int
}

// NewLabelMap builds the BIO label map for classes (duplicates ignored).
func NewLabelMap(classes []string) *LabelMap {
	set := map[string]bool{}
	for _, c := range classes {
		set[c] = true
	}
	sorted := make([]string, 0, len(set))
	for c := range set {
		sorted = append(sorted, c)
	}
	sort.Strings(sorted)
	ids := []string{"O"}
	for _, c := range sorted {
		ids = append(ids, "B-"+c, "I-"+c)
	}
	return labelMapFrom(ids)
}

func labelMapFrom(ids []string) *LabelMap {
	m := &LabelMap{ID2Label: ids, label2ID: make(map[string]int, len(ids))}
	for i, l := range ids {
		m.label2ID[l] = i
	}
	return m
}

// LabelMapFromID2Label builds a label map from a Hugging Face config's
// id2label object (keys are decimal strings "0".."n-1"). Every id from 0 to
// n-1 must be present and every label must be "O", "B-X" or "I-X" (or a bare
// class name, treated as that class's single IO label).
func LabelMapFromID2Label(id2label map[string]string) (*LabelMap, error) {
	n := len(id2label)
	ids := make([]string, n)
	for k, v := range id2label {
		i, err := strconv.Atoi(k)
		if err != nil || i < 0 || i >= n {
			return nil, fmt.Errorf("id2label: key %q is not an id in 0..%d", k, n-1)
		}
		if v == "" {
			return nil, fmt.Errorf("id2label: id %d has an empty label", i)
		}
		ids[i] = v
	}
	for i, v := range ids {
		if v == "" {
			return nil, fmt.Errorf("id2label: id %d missing", i)
		}
	}
	return labelMapFrom(ids), nil
}

// ID returns the id of a BIO label.
func (m *LabelMap) ID(label string) (int, bool) { id, ok := m.label2ID[label]; return id, ok }

// Len is the number of labels.
func (m *LabelMap) Len() int { return len(m.ID2Label) }

// Classes returns the entity classes (labels without B-/I- prefixes, "O" excluded), sorted.
func (m *LabelMap) Classes() []string {
	set := map[string]bool{}
	for _, l := range m.ID2Label {
		if l == "O" {
			continue
		}
		_, class := SplitBIO(l)
		set[class] = true
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// SplitBIO splits "B-EMAIL" into ("B", "EMAIL"); "O" gives ("O", ""); a bare
// class name gives ("I", name).
func SplitBIO(label string) (prefix, class string) {
	if label == "O" {
		return "O", ""
	}
	if len(label) > 2 && (label[1] == '-' || label[1] == '_') {
		switch strings.ToUpper(label[:1]) {
		case "B", "I", "E", "S", "L", "U":
			return strings.ToUpper(label[:1]), label[2:]
		}
	}
	return "I", label
}

// MarshalJSON writes {"id2label": {"0": "O", …}, "label2id": {"O": 0, …}}.
func (m *LabelMap) MarshalJSON() ([]byte, error) {
	id2label := make(map[string]string, len(m.ID2Label))
	for i, l := range m.ID2Label {
		id2label[strconv.Itoa(i)] = l
	}
	return json.Marshal(struct {
		ID2Label map[string]string `json:"id2label"`
		Label2ID map[string]int    `json:"label2id"`
	}{id2label, m.label2ID})
}
