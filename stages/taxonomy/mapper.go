package taxonomy

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/piimask/piimask/labels"
	"github.com/piimask/piimask/record"
)

// Scoring label sets (a job's `taxonomy` key).
const (
	// ModeClasses scores the 200k classes (or, with a "to-NAME" map, the
	// labels of NAME).
	ModeClasses = "classes"
	// ModeGroups maps gold and predictions onto the entity groups first.
	ModeGroups = "groups"
)

// MapSpec says how one side's labels (gold or predictions) are renamed:
// by a shipped map (Name) or by the user's own (Map). Both empty: labels
// are taken as they are.
type MapSpec struct {
	Name string
	Map  map[string]string
}

// LoadMapFile reads a user label map from a JSON object {"FROM": "TO"}.
func LoadMapFile(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("label map: %w", err)
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("label map %s: want a JSON object of label: label: %w", path, err)
	}
	return m, nil
}

// ParseMapArg reads a command-line label map: a shipped map name, or a
// JSON file of {"FROM": "TO"}.
func ParseMapArg(arg string) (MapSpec, error) {
	if arg == "" {
		return MapSpec{}, nil
	}
	if ValidMapName(arg) {
		return MapSpec{Name: arg}, nil
	}
	if strings.HasSuffix(strings.ToLower(arg), ".json") {
		m, err := LoadMapFile(arg)
		if err != nil {
			return MapSpec{}, err
		}
		return MapSpec{Map: m}, nil
	}
	return MapSpec{}, errUnknownMap(arg)
}

// Mapper maps one side's labels onto the scoring label set. It is safe for
// concurrent use.
type Mapper struct {
	tax     *Taxonomy // the shipped map's taxonomy; nil for a user map or none
	reverse bool
	user    map[string]string
	groups  bool
	// target is the label set of ModeClasses: the 200k classes, or the
	// taxonomy of a reverse map.
	target *Taxonomy
}

// NewMappers builds the gold and prediction mappers of a job. mode is
// ModeClasses (or "") or ModeGroups. In ModeClasses the labels scored are
// the 200k classes, unless one side uses a reverse map ("to-presidio"):
// then they are that taxonomy's labels.
func NewMappers(gold, pred MapSpec, mode string) (*Mapper, *Mapper, error) {
	switch mode {
	case "", ModeClasses, ModeGroups:
	default:
		return nil, nil, fmt.Errorf("unknown taxonomy %q (want %s or %s)", mode, ModeClasses, ModeGroups)
	}
	target, _ := Lookup(AI4Privacy200k)
	var reversed *Taxonomy
	for _, s := range []MapSpec{gold, pred} {
		if s.Name == "" {
			continue
		}
		if !ValidMapName(s.Name) {
			return nil, nil, errUnknownMap(s.Name)
		}
		if name, ok := strings.CutPrefix(s.Name, ReversePrefix); ok {
			t, _ := Lookup(name)
			if reversed != nil && reversed != t {
				return nil, nil, fmt.Errorf("label maps %s and %s%s disagree on the label set scored", ReversePrefix+reversed.Name, ReversePrefix, t.Name)
			}
			reversed = t
		}
	}
	if reversed != nil {
		target = reversed
	}
	mk := func(s MapSpec) *Mapper {
		m := &Mapper{user: s.Map, groups: mode == ModeGroups, target: target}
		if s.Name != "" {
			name, rev := strings.CutPrefix(s.Name, ReversePrefix)
			m.tax, _ = Lookup(name)
			m.reverse = rev
		}
		return m
	}
	return mk(gold), mk(pred), nil
}

// Map returns the label a span gets and whether that label is in the
// scoring label set. A label outside it comes back unchanged with ok false
// (the caller counts it: an unmapped gold label is reported, never dropped).
func (m *Mapper) Map(label string) (string, bool) {
	if m == nil {
		return label, labels.Known(label)
	}
	if m.groups {
		return m.group(label)
	}
	out := label
	switch {
	case m.tax != nil && m.reverse:
		if l, ok := m.tax.From200k(label); ok {
			out = l
		}
	case m.tax != nil:
		if c, ok := m.tax.To200k(label); ok {
			out = c
		}
	default:
		if to, ok := m.user[label]; ok {
			out = to
		}
	}
	if m.target.Has(out) {
		return out, true
	}
	return label, false
}

// group maps a label onto its entity group.
func (m *Mapper) group(label string) (string, bool) {
	if m.tax != nil && m.tax.Has(label) {
		return m.tax.Group(label)
	}
	to := label
	if m.tax == nil {
		if t, ok := m.user[label]; ok {
			to = t
		}
	}
	if labels.Known(to) || isGroup(to) {
		return GroupOf(to), true
	}
	return label, false
}

func isGroup(name string) bool {
	for _, g := range Groups() {
		if g == name {
			return true
		}
	}
	return false
}

// LabelCount is a label and how many spans carried it.
type LabelCount struct {
	Label string `json:"label"`
	Count int64  `json:"count"`
}

// Counter counts labels; it is safe for concurrent use.
type Counter struct {
	mu sync.Mutex
	n  map[string]int64
}

// Add counts one span of label.
func (c *Counter) Add(label string) {
	c.mu.Lock()
	if c.n == nil {
		c.n = map[string]int64{}
	}
	c.n[label]++
	c.mu.Unlock()
}

// Sorted returns the counts sorted by label (nil when nothing was counted).
func (c *Counter) Sorted() []LabelCount {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.n) == 0 {
		return nil
	}
	out := make([]LabelCount, 0, len(c.n))
	for l, n := range c.n {
		out = append(out, LabelCount{l, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

// DescribeUnmapped renders unmapped gold labels for the console: how many
// spans, and each label with its count.
func DescribeUnmapped(lc []LabelCount) string {
	var total int64
	parts := make([]string, len(lc))
	for i, c := range lc {
		total += c.Count
		parts[i] = fmt.Sprintf("%s (%d)", c.Label, c.Count)
	}
	return fmt.Sprintf("%d gold spans have a label outside the scored label set, scored as misses: %s — set label_map (shipped: %s) or taxonomy: groups",
		total, strings.Join(parts, ", "), strings.Join(Names(), ", "))
}

// SplitIgnored separates the gold spans a job ignores (ignore_labels): a
// span is ignored when its label, or its label after mapping, is in ignore.
// mapped gives the mapped label of a span (nil: labels are not mapped).
func SplitIgnored(gold []record.Span, ignore map[string]bool, mapped func(string) string) (kept, ignored []record.Span) {
	if len(ignore) == 0 {
		return gold, nil
	}
	kept = gold[:0:0]
	for _, s := range gold {
		if ignore[s.Label] || (mapped != nil && ignore[mapped(s.Label)]) {
			ignored = append(ignored, s)
			continue
		}
		kept = append(kept, s)
	}
	return kept, ignored
}

// DropOverlapping removes the predictions that share a code point with any
// ignored gold span: they count neither right nor wrong.
func DropOverlapping(preds, ignored []record.Span) []record.Span {
	if len(ignored) == 0 || len(preds) == 0 {
		return preds
	}
	out := preds[:0:0]
	for _, p := range preds {
		hit := false
		for _, g := range ignored {
			if p.Overlaps(g) {
				hit = true
				break
			}
		}
		if !hit {
			out = append(out, p)
		}
	}
	return out
}
