package tokenize

import (
	"reflect"
	"testing"
)

func TestWindowsHandChecked(t *testing.T) {
	tests := []struct {
		n, max, stride int
		want           []Window
	}{
		{0, 4, 1, []Window{{0, 0, 0, 0}}},
		{4, 4, 1, []Window{{0, 4, 0, 4}}},
		// step 3: [0,4) [3,7) [6,10); overlaps of 1 go to the right window.
		{10, 4, 1, []Window{{0, 4, 0, 3}, {3, 7, 3, 6}, {6, 10, 6, 10}}},
		// step 2: overlaps of 2 split 1/1.
		{8, 4, 2, []Window{{0, 4, 0, 3}, {2, 6, 3, 5}, {4, 8, 5, 8}}},
		// a short last window.
		{9, 5, 2, []Window{{0, 5, 0, 4}, {3, 8, 4, 7}, {6, 9, 7, 9}}},
		{7, 3, 0, []Window{{0, 3, 0, 3}, {3, 6, 3, 6}, {6, 7, 6, 7}}},
	}
	for _, tc := range tests {
		got, err := Windows(tc.n, tc.max, tc.stride)
		if err != nil {
			t.Fatalf("Windows(%d,%d,%d): %v", tc.n, tc.max, tc.stride, err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Windows(%d,%d,%d) = %v, want %v", tc.n, tc.max, tc.stride, got, tc.want)
		}
	}
}

func TestWindowsWithRightContextHandChecked(t *testing.T) {
	got, err := WindowsWithRightContext(10, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []Window{{0, 4, 0, 3}, {3, 7, 3, 6}, {6, 10, 6, 10}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	got, _ = WindowsWithRightContext(9, 5, 2)
	want = []Window{{0, 5, 0, 3}, {3, 8, 3, 6}, {6, 9, 6, 9}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestWindowsWithLeftContextHandChecked(t *testing.T) {
	got, err := WindowsWithLeftContext(10, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := []Window{{0, 4, 0, 4}, {3, 7, 4, 7}, {6, 10, 7, 10}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	got, _ = WindowsWithLeftContext(9, 5, 2)
	want = []Window{{0, 5, 0, 5}, {3, 8, 5, 8}, {6, 9, 8, 9}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// checkPartition verifies the Window contract and returns a description of
// the first violation.
func checkPartition(t *testing.T, name string, ws []Window, n, max int) {
	t.Helper()
	if len(ws) == 0 {
		t.Fatalf("%s: no window", name)
	}
	next := 0
	for k, w := range ws {
		if w.Len() > max || w.Start < 0 || w.End > n || w.Start > w.End {
			t.Fatalf("%s: window %d = %v out of bounds (n=%d max=%d)", name, k, w, n, max)
		}
		if w.CoreStart != next || w.CoreStart < w.Start || w.CoreEnd > w.End || w.CoreEnd < w.CoreStart {
			t.Fatalf("%s: window %d core %v does not continue at %d", name, k, w, next)
		}
		if n > 0 && w.CoreEnd == w.CoreStart {
			t.Fatalf("%s: window %d has an empty core: %v", name, k, w)
		}
		if k > 0 && w.Start <= ws[k-1].Start {
			t.Fatalf("%s: window %d does not advance: %v", name, k, ws)
		}
		next = w.CoreEnd
	}
	if next != n || ws[len(ws)-1].End != n {
		t.Fatalf("%s: cores end at %d, want %d: %v", name, next, n, ws)
	}
}

func TestWindowsPartitionProperty(t *testing.T) {
	for n := 0; n <= 120; n++ {
		for max := 1; max <= 17; max++ {
			for ov := 0; ov < max; ov++ {
				ws, err := Windows(n, max, ov)
				if err != nil {
					t.Fatal(err)
				}
				checkPartition(t, "Windows", ws, n, max)
				for k := 1; k < len(ws); k++ {
					if got := ws[k-1].End - ws[k].Start; got != ov {
						t.Fatalf("Windows(%d,%d,%d): overlap %d between windows %d and %d", n, max, ov, got, k-1, k)
					}
				}
				rs, err := WindowsWithRightContext(n, max, ov)
				if err != nil {
					t.Fatal(err)
				}
				checkPartition(t, "WindowsWithRightContext", rs, n, max)
				for k, w := range rs[:len(rs)-1] {
					if w.End-w.CoreEnd != ov || w.CoreStart != w.Start {
						t.Fatalf("WindowsWithRightContext(%d,%d,%d): window %d = %v", n, max, ov, k, w)
					}
				}
				ls, err := WindowsWithLeftContext(n, max, ov)
				if err != nil {
					t.Fatal(err)
				}
				checkPartition(t, "WindowsWithLeftContext", ls, n, max)
				for k, w := range ls[1:] {
					if w.CoreStart-w.Start != ov || w.CoreEnd != w.End {
						t.Fatalf("WindowsWithLeftContext(%d,%d,%d): window %d = %v", n, max, ov, k+1, w)
					}
				}
			}
		}
	}
}

func TestWindowsErrors(t *testing.T) {
	for _, c := range [][3]int{{10, 4, 4}, {10, 4, 5}, {10, 0, 0}, {10, 4, -1}, {-1, 4, 1}} {
		if _, err := Windows(c[0], c[1], c[2]); err == nil {
			t.Errorf("Windows%v gave no error", c)
		}
		if _, err := WindowsWithRightContext(c[0], c[1], c[2]); err == nil {
			t.Errorf("WindowsWithRightContext%v gave no error", c)
		}
		if _, err := WindowsWithLeftContext(c[0], c[1], c[2]); err == nil {
			t.Errorf("WindowsWithLeftContext%v gave no error", c)
		}
	}
}

func TestFrameWrap(t *testing.T) {
	tok := testTokenizer{}
	f, err := SpecialFrame(tok)
	if err != nil {
		t.Fatal(err)
	}
	if f.Len() != 2 || f.Prefix.IDs[0] != testCLS || f.Suffix.IDs[0] != testSEP {
		t.Fatalf("frame = %+v %+v", f.Prefix, f.Suffix)
	}
	text := "Jean Dupont habite à Paris"
	content, _ := tok.Encode(text, false)
	whole, _ := tok.Encode(text, true)
	all := Window{0, content.Len(), 0, content.Len()}
	if got := f.Wrap(content, all); !reflect.DeepEqual(got, whole) {
		t.Fatalf("Wrap(whole) = %+v\nwant %+v", got, whole)
	}
	w := Window{Start: 2, End: 5, CoreStart: 2, CoreEnd: 5}
	got := f.Wrap(content, w)
	if got.Len() != 5 || got.Tokens[0] != "[CLS]" || got.Tokens[1] != "Dup" || got.Tokens[4] != "[SEP]" || got.Offsets[1] != [2]int{5, 8} {
		t.Fatalf("Wrap(window) = %+v", got)
	}
	labels := []int{1, 2, 3, 4, 5, 6, 7, 8, 9}
	if gl := f.WrapLabels(labels, w); !reflect.DeepEqual(gl, []int{IgnoreLabel, 3, 4, 5, IgnoreLabel}) {
		t.Fatalf("WrapLabels = %v", gl)
	}
}
