package read

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"strings"

	"github.com/piimask/piimask/record"
)

// Filter selects records: by language, by a deterministic sample and up to
// a limit. The zero Filter keeps everything.
type Filter struct {
	// Languages keeps records whose language is one of these (case is
	// ignored; "fr" also keeps "fr-CA"). Empty keeps every language.
	Languages []string
	// Limit stops the stream after this many kept records (0 = no limit).
	Limit int
	// SampleRate keeps a record when a stable hash of (Seed, ID) falls below
	// it, so the same seed always keeps the same records. 0 or 1 keeps all.
	SampleRate float64
	// Seed varies the sample.
	Seed int64
}

// Validate reports settings out of range.
func (f Filter) Validate() error {
	if f.Limit < 0 {
		return fmt.Errorf("filter: limit %d is negative", f.Limit)
	}
	if f.SampleRate < 0 || f.SampleRate > 1 || math.IsNaN(f.SampleRate) {
		return fmt.Errorf("filter: sample rate %v is not within [0, 1]", f.SampleRate)
	}
	return nil
}

// Keep reports whether r passes the language and sample conditions. It has
// no state; Wrap adds the limit.
func (f Filter) Keep(r record.Record) bool {
	if len(f.Languages) > 0 && !f.languageOK(r.Language) {
		return false
	}
	if f.SampleRate > 0 && f.SampleRate < 1 {
		return sampleValue(f.Seed, r.ID) < f.SampleRate
	}
	return true
}

func (f Filter) languageOK(lang string) bool {
	for _, want := range f.Languages {
		if strings.EqualFold(lang, want) {
			return true
		}
		if len(lang) > len(want) && (lang[len(want)] == '-' || lang[len(want)] == '_') && strings.EqualFold(lang[:len(want)], want) {
			return true
		}
	}
	return false
}

// sampleValue maps (seed, id) to a stable number in [0, 1).
func sampleValue(seed int64, id string) float64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(seed))
	h.Write(b[:])
	h.Write([]byte(id))
	x := h.Sum64()
	// Finalise (splitmix64) so nearby ids spread over the whole range.
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / float64(1<<53)
}

// Wrap returns an emit function that passes on only the records Keep
// accepts, renumbers their Seq 0, 1, 2… in order, and returns ErrStop once
// Limit records have been passed on (Read then ends without an error).
// The returned function is for one stream; it is not safe for concurrent use.
func (f Filter) Wrap(emit func(record.Record) error) func(record.Record) error {
	var kept int64
	return func(r record.Record) error {
		if f.Limit > 0 && kept >= int64(f.Limit) {
			return ErrStop
		}
		if !f.Keep(r) {
			return nil
		}
		r.Seq = kept
		kept++
		if err := emit(r); err != nil {
			return err
		}
		if f.Limit > 0 && kept >= int64(f.Limit) {
			return ErrStop
		}
		return nil
	}
}
