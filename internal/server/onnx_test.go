package server

import (
	"context"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/piimask/piimask/internal/ortlib/ortlibtest"
	"github.com/piimask/piimask/jobs"
	"github.com/piimask/piimask/stages/detect"
)

// onnxBaseline loads the embedded baseline model as the serve config does.
func onnxBaseline(t testing.TB, lim Limits) Method {
	t.Helper()
	ortlibtest.Require(t)
	reg := jobs.NewRegistry(nil)
	m, err := reg.New(context.Background(), detect.Spec{Name: "onnx-baseline", Type: "onnx", Options: detect.Options{
		"model": "builtin:baseline", "aggregation": "first", "batch_size": 32, "max_length": 128, "stride": 16, "intra_op_threads": 1,
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("close onnx: %v", err)
		}
	})
	return Method{Name: "onnx-baseline", Type: "onnx", Detector: m, Limits: lim}
}

// TestONNXMicroBatchedEqualsSequential checks that grouping concurrent
// requests into one ONNX batch changes nothing in the answers.
func TestONNXMicroBatchedEqualsSequential(t *testing.T) {
	m := onnxBaseline(t, Limits{Workers: 2, Queue: 64, Batching: true, MaxBatch: 16, BatchWait: 5 * time.Millisecond})
	_, ts := newTestServer(t, Options{}, m)
	texts, err := BenchTexts(24)
	if err != nil {
		t.Fatal(err)
	}
	ask := func(text string) []Entity {
		r := do(t, http.MethodPost, ts.URL+"/v1/detect", "application/json", jsonBody(t, map[string]any{"text": text}), nil)
		if r.status != 200 {
			t.Errorf("status %d: %s", r.status, r.body)
			return nil
		}
		return decode[AnalyseResponse](t, r).Results[0].Entities
	}
	want := make([][]Entity, len(texts))
	found := 0
	for i, text := range texts {
		want[i] = ask(text)
		found += len(want[i])
	}
	if found == 0 {
		t.Fatal("the baseline model found nothing in 24 synthetic documents")
	}
	got := make([][]Entity, len(texts))
	var wg sync.WaitGroup
	for i, text := range texts {
		wg.Add(1)
		go func() { defer wg.Done(); got[i] = ask(text) }()
	}
	wg.Wait()
	for i := range texts {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("document %d: concurrent answer %v differs from sequential %v", i, got[i], want[i])
		}
	}
	// 48 documents went through; fewer Detect calls means requests were grouped.
	metrics := do(t, http.MethodGet, ts.URL+"/metrics", "", nil, nil)
	var calls int
	for _, line := range strings.Split(string(metrics.body), "\n") {
		if strings.HasPrefix(line, `piimask_batch_size_count{method="onnx-baseline"} `) {
			calls, _ = strconv.Atoi(strings.Fields(line)[1])
		}
	}
	if calls == 0 || calls >= 2*len(texts) {
		t.Errorf("%d Detect calls for %d documents: no micro-batching", calls, 2*len(texts))
	}
	t.Logf("%d Detect calls for %d documents", calls, 2*len(texts))
}
