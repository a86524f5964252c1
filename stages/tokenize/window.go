package tokenize

// Window is a run of content tokens (special tokens excluded) that one model
// call sees: tokens [Start, End). Core [CoreStart, CoreEnd) is the part whose
// predictions this window owns; the cores of a text's windows partition
// [0, n) exactly, so merging windows back never double-counts a token.
type Window struct {
	Start, End         int
	CoreStart, CoreEnd int
}
