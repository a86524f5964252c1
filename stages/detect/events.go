package detect

import (
	"context"
	"time"
)

// Events receives what an API-backed method does, request by request, so the
// job can count requests, retries and errors for its metrics. Implementations
// must be safe for concurrent use. Nothing in an event may carry document
// text: only the method name (from the job config), an HTTP status and times.
type Events interface {
	// Request is called once per finished HTTP attempt. status is the HTTP
	// status code, or 0 when no response came back (network error, timeout).
	// retry is true for every attempt after the first of one logical request.
	Request(method string, status int, took time.Duration, retry bool)
}

type eventsKey struct{}

// WithEvents returns a context that carries ev to the methods that run under
// it (in the manner of net/http/httptrace). The evaluate and mask jobs attach
// one per run; a method reads it with EventsFrom inside Detect.
func WithEvents(ctx context.Context, ev Events) context.Context {
	if ev == nil {
		return ctx
	}
	return context.WithValue(ctx, eventsKey{}, ev)
}

// EventsFrom returns the Events attached to ctx, or a no-op one, so callers
// never need a nil check.
func EventsFrom(ctx context.Context) Events {
	if ev, ok := ctx.Value(eventsKey{}).(Events); ok {
		return ev
	}
	return noEvents{}
}

type noEvents struct{}

func (noEvents) Request(string, int, time.Duration, bool) {}

// StatusClass maps an HTTP status to a bounded label value: "1xx" … "5xx",
// or "network" when there was no response (status 0 or out of range).
func StatusClass(status int) string {
	if status < 100 || status > 599 {
		return "network"
	}
	return string(rune('0'+status/100)) + "xx"
}
