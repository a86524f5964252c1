package prompt

import (
	"embed"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/template"

	"github.com/piimask/piimask/record"
)

//go:embed templates/*.tmpl
var embedded embed.FS

// Languages are the instruction languages with embedded templates.
var Languages = []string{"en", "fr"}

// Message is one chat turn, in the shape of the Mistral / OpenAI chat APIs
// and of the Mistral fine-tuning format.
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Example is a labelled text used as a few-shot demonstration.
type Example struct {
	Text  string
	Spans []record.Span
}

// Options configure a Builder.
type Options struct {
	// Language of the instructions: "en" (default) or "fr".
	Language string
	// Classes are the entity classes the model may use (the job's label set).
	Classes []string
	// Shots is the number of few-shot examples (0: zero-shot).
	Shots int
	// Pool is where few-shot examples are drawn from. The caller guarantees
	// it is a split separate from the rows being evaluated.
	Pool []Example
	// Seed makes the draw of examples deterministic.
	Seed int64
	// Dir, when set, holds system.<lang>.tmpl and/or user.<lang>.tmpl that
	// replace the embedded templates.
	Dir string
}

// Builder renders prompts. It is safe for concurrent use.
type Builder struct {
	system   string
	user     *template.Template
	examples []Example
	shots    []Message
}

// New parses the templates, renders the system prompt and draws the few-shot
// examples: Shots examples picked by a seeded shuffle of Pool, the same for
// every text (which keeps prompts cacheable by providers).
func New(o Options) (*Builder, error) {
	lang := o.Language
	if lang == "" {
		lang = "en"
	}
	if len(o.Classes) == 0 {
		return nil, fmt.Errorf("prompt: no entity classes given")
	}
	if o.Shots < 0 || o.Shots > len(o.Pool) {
		return nil, fmt.Errorf("prompt: %d few-shot examples asked, pool has %d", o.Shots, len(o.Pool))
	}
	sysT, err := load(o.Dir, "system."+lang+".tmpl")
	if err != nil {
		return nil, err
	}
	userT, err := load(o.Dir, "user."+lang+".tmpl")
	if err != nil {
		return nil, err
	}
	classes := append([]string(nil), o.Classes...)
	sort.Strings(classes)
	classes = slices.Compact(classes)
	var sb strings.Builder
	if err := sysT.Execute(&sb, struct {
		Classes  []string
		Language string
	}{classes, lang}); err != nil {
		return nil, fmt.Errorf("prompt: render %s: %w", sysT.Name(), err)
	}
	b := &Builder{system: strings.TrimSpace(sb.String()), user: userT}
	if o.Shots > 0 {
		r := rand.New(rand.NewPCG(uint64(o.Seed), 0x9e3779b97f4a7c15))
		idx := r.Perm(len(o.Pool))[:o.Shots]
		for _, i := range idx {
			ex := o.Pool[i]
			b.examples = append(b.examples, ex)
			u, err := b.User(ex.Text)
			if err != nil {
				return nil, err
			}
			b.shots = append(b.shots, Message{"user", u}, Message{"assistant", AnswerFromSpans(ex.Text, ex.Spans).String()})
		}
	}
	return b, nil
}

func load(dir, name string) (*template.Template, error) {
	var data []byte
	var err error
	src := name
	if dir != "" {
		src = filepath.Join(dir, name)
		data, err = os.ReadFile(src)
		if err != nil && !os.IsNotExist(err) {
			return nil, fmt.Errorf("prompt: read template %s: %w", src, err)
		}
	}
	if data == nil {
		src = "templates/" + name
		data, err = fs.ReadFile(embedded, src)
		if err != nil {
			return nil, fmt.Errorf("prompt: no template %s (languages: %s)", name, strings.Join(Languages, ", "))
		}
	}
	t, err := template.New(name).Option("missingkey=error").Parse(string(data))
	if err != nil {
		return nil, fmt.Errorf("prompt: parse template %s: %w", src, err)
	}
	return t, nil
}

// System is the rendered system prompt.
func (b *Builder) System() string { return b.system }

// Examples are the few-shot examples drawn, in prompt order.
func (b *Builder) Examples() []Example { return b.examples }

// User renders the user turn for text.
func (b *Builder) User(text string) (string, error) {
	var sb strings.Builder
	if err := b.user.Execute(&sb, struct{ Text string }{text}); err != nil {
		return "", fmt.Errorf("prompt: render %s: %w", b.user.Name(), err)
	}
	return strings.TrimRight(sb.String(), "\n"), nil
}

// Messages is the full prompt for text: system, the few-shot examples as
// user/assistant turns, then the user turn.
func (b *Builder) Messages(text string) ([]Message, error) {
	u, err := b.User(text)
	if err != nil {
		return nil, err
	}
	msgs := make([]Message, 0, len(b.shots)+2)
	msgs = append(msgs, Message{"system", b.system})
	msgs = append(msgs, b.shots...)
	return append(msgs, Message{"user", u}), nil
}

// Conversation is Messages plus the assistant turn a perfect model would
// give (AnswerFromSpans): one training example of the fine-tuning file.
func (b *Builder) Conversation(text string, gold []record.Span) ([]Message, error) {
	msgs, err := b.Messages(text)
	if err != nil {
		return nil, err
	}
	return append(msgs, Message{"assistant", AnswerFromSpans(text, gold).String()}), nil
}
