package config

import (
	"sort"
	"strings"
)

// unreadInput is what a job kind leaves unread of the input side of a
// config (input, filters, shard, max_reject_ratio), and why. Every kind not
// listed reads all of it through the one input path (jobs/input.go:
// discovery, formats, schemas, filters, sharding, rejects and the reject
// ratio): evaluate, calibrate, prepare, mask and bench; report reads all
// but max_reject_ratio (its rejects are counted, not checked).
type unreadInput struct {
	keys   []string
	reason string
}

// unreadInputKeys gives, per job kind, the input keys it ignores.
func unreadInputKeys(kind string) (unreadInput, bool) {
	switch kind {
	case "train":
		return unreadInput{keys: []string{"input", "filters", "shard", "max_reject_ratio"},
			reason: "a train job reads no input documents: it trains on the prepared dataset (train.dataset)"}, true
	case "report":
		return unreadInput{keys: []string{"max_reject_ratio"},
			reason: "a report job re-reads its input only for example errors; the evaluate run that made the results applied max_reject_ratio"}, true
	case "finetune":
		// input.generate has its own problem (checkSections).
		return unreadInput{keys: []string{"input.format", "input.schema", "input.language", "input.text_field",
			"filters", "shard", "max_reject_ratio"},
			reason: "a finetune job uploads the files of input.paths as they are, without reading their rows"}, true
	}
	return unreadInput{}, false
}

// checkUnreadInput reports every input key the job's kind ignores, at the
// line of the key itself: a filter that would silently do nothing is an
// error, for validate and run alike.
func (l *Loaded) checkUnreadInput() Problems {
	u, ok := unreadInputKeys(l.Job.Kind)
	if !ok {
		return nil
	}
	var ps Problems
	for _, key := range u.keys {
		for _, path := range l.presentKeys(key) {
			ps = append(ps, l.Problem(path, "%s; remove it", u.reason))
		}
	}
	sort.SliceStable(ps, func(i, k int) bool { return ps[i].Line < ps[k].Line })
	return ps
}

// presentKeys lists the keys the config file gives under path: its direct
// children (filters.languages, filters.limit) when it has any, else path
// itself when the file gives it; none when the file does not.
func (l *Loaded) presentKeys(path string) []string {
	if _, ok := l.lines[path]; !ok {
		return nil
	}
	var children []string
	for k := range l.lines {
		rest, ok := strings.CutPrefix(k, path+".")
		if ok && !strings.ContainsAny(rest, ".[") {
			children = append(children, k)
		}
	}
	if len(children) == 0 {
		return []string{path}
	}
	sort.Strings(children)
	return children
}
