package onnx

import (
	"reflect"
	"testing"

	"github.com/piimask/piimask/stages/tokenize"
)

func TestWindows(t *testing.T) {
	type W = tokenize.Window
	w := func(s, e, cs, ce int) W { return W{Start: s, End: e, CoreStart: cs, CoreEnd: ce} }
	tests := []struct {
		name string
		got  []W
		want []W
	}{
		{"fits", strideWindows(5, 8, 2), []W{w(0, 5, 0, 5)}},
		{"empty", strideWindows(0, 8, 2), nil},
		// step 6: [0,8) [6,14) [12,16); overlaps [6,8) and [12,14) cut in the middle
		{"stride", strideWindows(16, 8, 2), []W{w(0, 8, 0, 7), w(6, 14, 7, 13), w(12, 16, 13, 16)}},
		{"no stride", strideWindows(10, 4, 0), []W{w(0, 4, 0, 4), w(4, 8, 4, 8), w(8, 10, 8, 10)}},
		{"odd overlap", strideWindows(10, 6, 3), []W{w(0, 6, 0, 4), w(3, 9, 4, 7), w(6, 10, 7, 10)}},
		{"stride too big is ignored", strideWindows(6, 3, 3), []W{w(0, 3, 0, 3), w(3, 6, 3, 6)}},
		// core 6, margin 2: windows see 2 tokens past their core
		{"right context", rightContextWindows(14, 8, 2), []W{w(0, 8, 0, 6), w(6, 14, 6, 14)}},
		{"right context short tail", rightContextWindows(15, 8, 2), []W{w(0, 8, 0, 6), w(6, 14, 6, 12), w(12, 15, 12, 15)}},
		{"right context fits", rightContextWindows(7, 8, 2), []W{w(0, 7, 0, 7)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !reflect.DeepEqual(tc.got, tc.want) {
				t.Fatalf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}

func TestWindowsPartition(t *testing.T) {
	for n := 1; n < 60; n++ {
		for maxT := 1; maxT < 12; maxT++ {
			for s := 0; s < 6; s++ {
				for name, ws := range map[string][]tokenize.Window{"stride": strideWindows(n, maxT, s), "right": rightContextWindows(n, maxT, s)} {
					next := 0
					for _, w := range ws {
						if w.CoreStart != next || w.CoreEnd <= w.CoreStart || w.Start > w.CoreStart || w.End < w.CoreEnd || w.End-w.Start > maxT {
							t.Fatalf("%s n=%d max=%d s=%d: bad window %v in %v", name, n, maxT, s, w, ws)
						}
						next = w.CoreEnd
					}
					if next != n {
						t.Fatalf("%s n=%d max=%d s=%d: cores end at %d", name, n, maxT, s, next)
					}
				}
			}
		}
	}
}
