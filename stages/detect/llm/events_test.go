package llm

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/piimask/piimask/internal/llmapi/fake"
	"github.com/piimask/piimask/stages/detect"
)

type recordedEvent struct {
	method string
	status int
	retry  bool
}

type eventLog struct {
	mu     sync.Mutex
	events []recordedEvent
}

func (l *eventLog) Request(method string, status int, took time.Duration, retry bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, recordedEvent{method, status, retry})
}

// Every HTTP attempt is reported to the job's Events, with its status and
// whether it was a retry, so metrics can count requests, retries and errors.
func TestRequestEvents(t *testing.T) {
	docs := testDocs(t)[:1]
	srv := fake.New(fake.Options{Oracle: fake.Gold(docs), Faults: func(c fake.Call) fake.Injection {
		switch c.Attempt {
		case 1:
			return fake.Injection{Fault: fake.ServerError}
		case 2:
			return fake.Injection{Fault: fake.RateLimited, RetryAfter: "1"}
		}
		return fake.Injection{}
	}})
	defer srv.Close()
	m := newMethod(t, srv, Options{MaxRetries: 3}, nil)
	log := &eventLog{}
	if _, err := m.Detect(detect.WithEvents(context.Background(), log), docs); err != nil {
		t.Fatal(err)
	}
	want := []recordedEvent{{"llm-test", 500, false}, {"llm-test", 429, true}, {"llm-test", 200, true}}
	if len(log.events) != len(want) {
		t.Fatalf("events %v, want %v", log.events, want)
	}
	for i := range want {
		if log.events[i] != want[i] {
			t.Errorf("event %d = %v, want %v", i, log.events[i], want[i])
		}
	}
}
