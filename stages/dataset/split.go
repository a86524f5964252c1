package dataset

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
)

// Split names, in the order of the ratios given to Split.
const (
	Train      = "train"
	Validation = "validation"
	Test       = "test"
)

// SplitNames returns the split names in ratio order.
func SplitNames() [3]string { return [3]string{Train, Validation, Test} }

// ValidateRatios checks that ratios are not negative and do not sum to 0.
func ValidateRatios(ratios [3]float64) error {
	sum := 0.0
	for i, r := range ratios {
		if r < 0 {
			return fmt.Errorf("split ratio %s is negative (%g)", SplitNames()[i], r)
		}
		sum += r
	}
	if sum <= 0 {
		return fmt.Errorf("split ratios %v sum to 0", ratios)
	}
	return nil
}

// Split assigns a document to "train", "validation" or "test" from a stable
// hash (the first 53 bits of SHA-256 over the
// seed as 8 little-endian bytes followed by the id) mapped to [0,1) and compared with
// the cumulative ratios (normalised by their sum). The same id and seed give
// the same split on every machine and run, whatever the order or number of
// documents. Callers validate ratios with ValidateRatios; invalid ratios put
// everything in train.
func Split(id string, seed int64, ratios [3]float64) string {
	if ValidateRatios(ratios) != nil {
		return Train
	}
	h := sha256.New()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(seed))
	h.Write(b[:])
	h.Write([]byte(id))
	u := float64(binary.BigEndian.Uint64(h.Sum(nil)[:8])>>11) / (1 << 53)
	sum := ratios[0] + ratios[1] + ratios[2]
	acc := 0.0
	for i, r := range ratios {
		acc += r / sum
		if u < acc && r > 0 {
			return SplitNames()[i]
		}
	}
	for i := 2; i >= 0; i-- { // rounding: the last split with a share
		if ratios[i] > 0 {
			return SplitNames()[i]
		}
	}
	return Train
}
