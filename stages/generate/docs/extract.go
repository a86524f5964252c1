package docs

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ProseSources says where ExtractProse reads PII-free text. The defaults
// (DefaultProseSources) are the Debian packages fortunes, wordnet-base,
// manpages-fr, wamerican and wfrench; a missing source is an error.
type ProseSources struct {
	// FortuneFiles are fortune(6) files: entries separated by "%" lines.
	FortuneFiles []string
	// WordNetData are WordNet data.* files; the quoted example sentences of
	// the glosses are used.
	WordNetData []string
	// ManPagesFR are French troff man pages (.gz or plain).
	ManPagesFR []string
	// DictEN and DictFR are word lists (one word per line) that every word
	// of a kept sentence must be in.
	DictEN, DictFR string
}

// fortuneFiles are the fortune files of ordinary prose (not art, not
// dialogue-heavy or name-heavy collections).
var fortuneFiles = []string{"computers", "cookie", "drugs", "education", "food", "fortunes", "goedel", "humorists", "kids",
	"law", "literature", "love", "magic", "medicine", "men-women", "miscellaneous", "paradoxum", "pets", "platitudes",
	"politics", "riddles", "science", "sports", "wisdom", "work"}

// DefaultProseSources returns the Debian paths of the prose packages
// (apt-get install fortunes wordnet-base manpages-fr wamerican wfrench).
func DefaultProseSources() (ProseSources, error) {
	var s ProseSources
	for _, f := range fortuneFiles {
		s.FortuneFiles = append(s.FortuneFiles, "/usr/share/games/fortunes/"+f)
	}
	for _, f := range []string{"data.noun", "data.verb", "data.adj", "data.adv"} {
		s.WordNetData = append(s.WordNetData, "/usr/share/wordnet/"+f)
	}
	man, err := filepath.Glob("/usr/share/man/fr/man*/*")
	if err != nil {
		return s, err
	}
	sort.Strings(man)
	s.ManPagesFR = man
	s.DictEN, s.DictFR = "/usr/share/dict/american-english", "/usr/share/dict/french"
	return s, nil
}

// ProseStats counts what ExtractProse kept per source.
type ProseStats struct {
	Fortunes, WordNet, ManFR int
	Candidates, Dropped      int
}

// ExtractProse writes the PII-free sentences of src to w as "en|fr<TAB>
// sentence" lines (the LoadProse format), deduplicated, in source order, so
// that the same package versions always give the same file. It keeps only
// sentences of 25–220 characters with no digit, e-mail, URL, path, markup or
// code character, in which every word is in the language's word list and no
// word inside the sentence is capitalised unless its lower-case form is a
// dictionary word (so that names and places are dropped).
func ExtractProse(ctx context.Context, src ProseSources, w io.Writer) (ProseStats, error) {
	var st ProseStats
	en, err := loadDict(src.DictEN)
	if err != nil {
		return st, err
	}
	fr, err := loadDict(src.DictFR)
	if err != nil {
		return st, err
	}
	bw := bufio.NewWriter(w)
	seen := map[string]bool{}
	emit := func(lang string, dict map[string]bool, s string, counter *int) {
		st.Candidates++
		s = strings.Join(strings.Fields(s), " ")
		if seen[s] || !cleanSentence(s, dict, lang == "fr") {
			st.Dropped++
			return
		}
		seen[s] = true
		*counter++
		fmt.Fprintf(bw, "%s\t%s\n", lang, s)
	}
	for _, f := range src.FortuneFiles {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		entries, err := readFortunes(f)
		if err != nil {
			return st, err
		}
		for _, e := range entries {
			for _, s := range splitSentences(e) {
				emit("en", en, s, &st.Fortunes)
			}
		}
	}
	for _, f := range src.WordNetData {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		ex, err := readWordNetExamples(f)
		if err != nil {
			return st, err
		}
		for _, s := range ex {
			emit("en", en, s, &st.WordNet)
		}
	}
	for _, f := range src.ManPagesFR {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		paras, err := readManPage(f)
		if err != nil {
			return st, err
		}
		for _, p := range paras {
			for _, s := range splitSentences(p) {
				emit("fr", fr, s, &st.ManFR)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("prose: write: %w", err)
	}
	return st, nil
}

func loadDict(path string) (map[string]bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("prose: word list: %w", err)
	}
	defer f.Close()
	d := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			d[w] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("prose: %s: %w", path, err)
	}
	return d, nil
}

// readFortunes returns the entries of a fortune file with attribution lines
// ("-- Someone") and everything after them removed.
func readFortunes(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("prose: %w", err)
	}
	if !utf8.Valid(data) {
		data = []byte(strings.ToValidUTF8(string(data), ""))
	}
	var out []string
	for _, e := range strings.Split(string(data), "\n%\n") {
		var lines []string
		for _, l := range strings.Split(e, "\n") {
			t := strings.TrimSpace(l)
			if strings.HasPrefix(t, "--") || strings.HasPrefix(t, "- ") {
				break
			}
			// dialogue and quotation layouts ("Q:", "Name: ...") are skipped
			if i := strings.Index(t, ":"); i > 0 && i < 20 && !strings.Contains(t[:i], " ") {
				lines = nil
				break
			}
			lines = append(lines, t)
		}
		if len(lines) > 0 {
			out = append(out, strings.Join(lines, " "))
		}
	}
	return out, nil
}

// readWordNetExamples returns the quoted example sentences of WordNet
// glosses ("... | gloss; \"he ran the store\"").
func readWordNetExamples(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("prose: %w", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "  ") {
			continue // licence header
		}
		_, gloss, ok := strings.Cut(line, " | ")
		if !ok {
			continue
		}
		for {
			i := strings.IndexByte(gloss, '"')
			if i < 0 {
				break
			}
			j := strings.IndexByte(gloss[i+1:], '"')
			if j < 0 {
				break
			}
			ex := strings.TrimSpace(gloss[i+1 : i+1+j])
			gloss = gloss[i+j+2:]
			if strings.Count(ex, " ") < 3 {
				continue
			}
			ex = capFirst(ex)
			if r, _ := utf8.DecodeLastRuneInString(ex); !strings.ContainsRune(".!?", r) {
				ex += "."
			}
			out = append(out, ex)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("prose: %s: %w", path, err)
	}
	return out, nil
}

// readManPage strips troff from a man page and returns its paragraphs of
// plain text. Lines with font changes (\fB, \fI: commands, options,
// arguments) are dropped whole, as are macro lines and tables.
func readManPage(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("prose: %w", err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("prose: %s: %w", path, err)
		}
		defer gz.Close()
		r = gz
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("prose: %s: %w", path, err)
	}
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = nil
		}
	}
	inTable, skipNext := false, false
	for _, l := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(l, ".TS"):
			inTable = true
			flush()
			continue
		case strings.HasPrefix(l, ".TE"):
			inTable = false
			continue
		case inTable:
			continue
		case strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'"):
			flush()
			// the line after .TP is the item's tag (an option), not prose
			skipNext = strings.HasPrefix(l, ".TP") || strings.HasPrefix(l, ".SH") || strings.HasPrefix(l, ".SS")
			continue
		case strings.TrimSpace(l) == "":
			flush()
			continue
		case skipNext:
			skipNext = false
			continue
		}
		if strings.Contains(l, `\f`) || strings.Contains(l, `\*`) || strings.Contains(l, `\n`) {
			flush() // broken sentence: drop what came before too
			cur = nil
			paras = append(paras, "")
			continue
		}
		t := l
		for _, rep := range [][2]string{{`\ `, " "}, {`\-`, "-"}, {`\(aq`, "'"}, {`\(cq`, "'"}, {`\(oq`, "'"}, {`\&`, ""}, {`\e`, `\`}, {`\%`, ""}, {`\:`, ""}, {`\~`, " "}, {`\(em`, "—"}, {`\(en`, "–"}, {`\[u00A0]`, " "}} {
			t = strings.ReplaceAll(t, rep[0], rep[1])
		}
		if strings.Contains(t, `\`) {
			flush()
			continue
		}
		cur = append(cur, t)
	}
	flush()
	return paras, nil
}

// splitSentences cuts text after '.', '!' or '?' followed by a space and an
// upper-case letter.
func splitSentences(text string) []string {
	var out []string
	rs := []rune(text)
	start := 0
	for i := 0; i < len(rs); i++ {
		if !strings.ContainsRune(".!?", rs[i]) {
			continue
		}
		j := i + 1
		for j < len(rs) && (rs[j] == '"' || rs[j] == '\'' || rs[j] == ')' || rs[j] == '»') {
			j++
		}
		k := j
		for k < len(rs) && rs[k] == ' ' {
			k++
		}
		if k == j || k >= len(rs) || !unicode.IsUpper(rs[k]) {
			continue
		}
		out = append(out, strings.TrimSpace(string(rs[start:j])))
		start = k
		i = k - 1
	}
	if s := strings.TrimSpace(string(rs[start:])); s != "" {
		out = append(out, s)
	}
	return out
}

// nameWords holds the lower-cased names of the generator's own lists.
var nameWords = func() map[string]bool {
	m := map[string]bool{}
	add := func(list []string) {
		for _, n := range list {
			for _, w := range strings.Fields(n) {
				m[strings.ToLower(w)] = true
			}
		}
	}
	for _, o := range origins {
		add(o.female)
		add(o.male)
		add(o.last)
	}
	add(middleEN)
	add(middleFR)
	return m
}()

// functionWords are sentence starts that word lists also carry as proper
// nouns or chemical symbols ("He", "In", "As") or that are also names in
// our lists ("Son", "Long"), but that are ordinary words first.
var functionWords = map[string]bool{"he": true, "it": true, "in": true, "as": true, "at": true, "be": true, "son": true, "long": true, "no": true, "so": true}

var elisionsFR = map[string]bool{"l": true, "d": true, "j": true, "m": true, "n": true, "s": true, "t": true, "c": true, "qu": true, "jusqu": true, "lorsqu": true, "puisqu": true, "quoiqu": true, "presqu": true}

// cleanSentence reports whether s is a sentence fit for training as PII-free
// text (see ExtractProse).
func cleanSentence(s string, dict map[string]bool, fr bool) bool {
	n := utf8.RuneCountInString(s)
	if n < 25 || n > 220 {
		return false
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if !unicode.IsUpper(first) || !strings.ContainsRune(".!?", last) {
		return false
	}
	if strings.ContainsAny(s, "0123456789@/\\<>{}[]|_=*#$%^~`+&") || strings.Contains(s, "www") || strings.Contains(s, "http") ||
		strings.Contains(s, "--") || strings.Contains(s, "...") || strings.Contains(s, "  ") {
		return false
	}
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || r == '\'' || r == '’' || r == '-')
	})
	if len(words) < 4 {
		return false
	}
	for i, w := range words {
		w = strings.Trim(w, "'’-")
		if w == "" {
			continue
		}
		parts := []string{w}
		if fr {
			parts = strings.FieldsFunc(w, func(r rune) bool { return r == '\'' || r == '’' || r == '-' })
		} else if strings.Contains(w, "-") {
			parts = strings.Split(w, "-")
		}
		for j, p := range parts {
			if p == "" {
				continue
			}
			lower := strings.ToLower(p)
			pr, _ := utf8.DecodeRuneInString(p)
			capital := unicode.IsUpper(pr)
			switch {
			case fr && j < len(parts)-1 && elisionsFR[lower]:
				continue
			case capital && i == 0 && j == 0:
				// the first word: an ordinary word, not also a proper noun
				// of the word list ("Bill", "May") nor a name we generate
				if !dict[lower] || (dict[p] && p != lower && !functionWords[lower]) || (nameWords[lower] && !functionWords[lower]) {
					if !(p == "I" || strings.HasPrefix(p, "I'")) {
						return false
					}
				}
			case capital:
				// mid-sentence capitals are names, places, titles: only the
				// pronoun "I" is kept
				if !(p == "I" || strings.HasPrefix(p, "I'")) {
					return false
				}
			default:
				if !dict[p] {
					return false
				}
			}
		}
	}
	return true
}
