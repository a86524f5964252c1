package llm

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/piimask/piimask/internal/llmapi"
	"github.com/piimask/piimask/internal/llmapi/fake"
	"github.com/piimask/piimask/record"
)

// BenchmarkThroughput measures the requests/s the method achieves against
// the fake server (20 ms per answer) under a client-side limit of 100 and of
// 1000 requests/s, at several concurrencies. Wall clock, no cache.
func BenchmarkThroughput(b *testing.B) {
	srv := fake.New(fake.Options{Latency: 20 * time.Millisecond})
	defer srv.Close()
	docs := make([]record.Record, 64)
	for i := range docs {
		docs[i] = record.Record{ID: fmt.Sprint(i), Text: fmt.Sprintf("Document %d: write to jean%d@example.com.", i, i)}
	}
	for _, limit := range []float64{100, 1000} {
		for _, conc := range []int{1, 8, 32} {
			b.Run(fmt.Sprintf("limit=%g/concurrency=%d", limit, conc), func(b *testing.B) {
				m := newMethod(b, srv, Options{RequestsPerSecond: limit, Concurrency: conc}, llmapi.RealClock{})
				before := srv.ChatRequests()
				start := time.Now()
				for b.Loop() {
					if _, err := m.Detect(context.Background(), docs); err != nil {
						b.Fatal(err)
					}
				}
				sec := time.Since(start).Seconds()
				n := srv.ChatRequests() - before
				b.ReportMetric(float64(n)/sec, "req/s")
				b.ReportMetric(limit, "limit_req/s")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}
