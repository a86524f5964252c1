// Package prompt builds the chat prompts of the LLM methods and of the LLM
// fine-tuning file, and turns the model's JSON answer back into exact
// character spans.
//
// Templates are Go text/template files (templates/system.<lang>.tmpl and
// templates/user.<lang>.tmpl, embedded; a directory with files of the same
// names overrides them). The system template sees .Classes (the job's label
// set, sorted) and .Language; the user template sees .Text.
//
// Main types: Builder (templates, classes, language; Messages), Message (one
// chat turn), Example (a few-shot example), Answer (the parsed spans) and
// Options. stages/detect/llm sends its messages; stages/dataset writes them
// with the expected answers (Conversation) as fine-tuning data.
package prompt
