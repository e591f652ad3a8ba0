package retry

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	p := Policy{
		MaxAttempts: 4, BaseDelay: time.Second, MaxDelay: 8 * time.Second,
		LimitFallback: time.Minute, MaxWait: 10 * time.Minute,
		Now: func() time.Time { return now }, Rand: func() float64 { return 0.5 },
	}
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	reset := strconv.FormatInt(now.Add(90*time.Second).Unix(), 10)
	cases := []struct {
		name        string
		attempt     int
		a           Answer
		retry       bool
		wait        time.Duration
		rateLimited bool
	}{
		{"connection reset", 1, Answer{Err: io.ErrUnexpectedEOF}, true, 750 * time.Millisecond, false},
		{"cancelled", 1, Answer{Err: context.Canceled}, false, 0, false},
		{"deadline", 1, Answer{Err: context.DeadlineExceeded}, false, 0, false},
		{"502 first", 1, Answer{Status: 502}, true, 750 * time.Millisecond, false},
		{"502 third doubles twice", 3, Answer{Status: 502}, true, 3 * time.Second, false},
		{"500 capped", 3, Answer{Status: 500}, true, 3 * time.Second, false},
		{"503 with retry-after", 1, Answer{Status: 503, Header: hdr("Retry-After", "7")}, true, 7 * time.Second, false},
		{"501 is never retried", 1, Answer{Status: 501}, false, 0, false},
		{"502 out of attempts", 4, Answer{Status: 502}, false, 0, false},
		{"429 retry-after", 1, Answer{Status: 429, Header: hdr("Retry-After", "3")}, true, 3 * time.Second, true},
		{"429 bare uses fallback", 1, Answer{Status: 429}, true, time.Minute, true},
		{"403 secondary message", 1, Answer{Status: 403, Message: "You have exceeded a secondary rate limit. Please wait"}, true, time.Minute, true},
		{"403 secondary retry-after", 1, Answer{Status: 403, Header: hdr("Retry-After", "2"), Message: "You have exceeded a secondary rate limit"}, true, 2 * time.Second, true},
		{"403 primary reset", 1, Answer{Status: 403, Header: hdr("X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", reset)}, true, 91 * time.Second, true},
		{"429 primary reset", 2, Answer{Status: 429, Header: hdr("X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", reset)}, true, 91 * time.Second, true},
		{"403 primary reset too far", 1, Answer{Status: 403, Header: hdr("X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", strconv.FormatInt(now.Add(time.Hour).Unix(), 10))}, false, 0, true},
		{"403 permission", 1, Answer{Status: 403, Message: "Resource not accessible by integration"}, false, 0, false},
		{"401", 1, Answer{Status: 401, Message: "Bad credentials"}, false, 0, false},
		{"404", 1, Answer{Status: 404}, false, 0, false},
		{"422", 1, Answer{Status: 422}, false, 0, false},
		{"retry-after as date", 1, Answer{Status: 429, Header: hdr("Retry-After", now.Add(5*time.Second).Format(http.TimeFormat))}, true, 5 * time.Second, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := p.Decide(c.attempt, c.a)
			if d.Retry != c.retry || d.RateLimited != c.rateLimited {
				t.Fatalf("Decide = %+v, want retry=%v rateLimited=%v", d, c.retry, c.rateLimited)
			}
			if c.retry && d.Wait != c.wait {
				t.Fatalf("wait = %v, want %v", d.Wait, c.wait)
			}
			if d.Reason == "" {
				t.Fatal("decision has no reason")
			}
		})
	}
}

func TestBackoffJitterStaysInBounds(t *testing.T) {
	t.Parallel()
	for _, r := range []float64{0, 0.25, 0.999} {
		p := Default()
		p.Rand = func() float64 { return r }
		for attempt := 1; attempt < p.MaxAttempts; attempt++ {
			d := p.Decide(attempt, Answer{Status: 502})
			full := p.BaseDelay << (attempt - 1)
			if full > p.MaxDelay {
				full = p.MaxDelay
			}
			if d.Wait < full/2 || d.Wait > full {
				t.Fatalf("rand %v attempt %d: wait %v outside [%v, %v]", r, attempt, d.Wait, full/2, full)
			}
		}
	}
}

func TestGateHoldsEveryWorker(t *testing.T) {
	t.Parallel()
	var g Gate
	g.Hold(150 * time.Millisecond)
	start := time.Now()
	errs := make(chan error, 3)
	for range 3 {
		go func() { errs <- g.Wait(t.Context()) }()
	}
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	// Three workers behind one hold: nobody starts before it ends.
	if el := time.Since(start); el < 150*time.Millisecond {
		t.Fatalf("workers passed the gate after %v, before the 150ms hold ended", el)
	}
	g.mu.Lock()
	holds := g.pace.Limits()
	g.mu.Unlock()
	if holds != 1 {
		t.Fatalf("holds = %d, want 1", holds)
	}
}

func TestGateWaitHonoursContext(t *testing.T) {
	t.Parallel()
	var g Gate
	g.Hold(time.Hour)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := g.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v, want context.Canceled", err)
	}
}

// TestGateHoldReachesASleepingWorker: a worker already asleep until its paced
// slot must not start when it wakes if a limit answer came in meanwhile.
func TestGateHoldReachesASleepingWorker(t *testing.T) {
	t.Parallel()
	g := NewGate(Pace{Budget: -1, MaxRate: 5}) // one start per 200ms
	if err := g.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	done := make(chan time.Duration, 1)
	go func() {
		if err := g.Wait(t.Context()); err != nil {
			t.Error(err)
		}
		done <- time.Since(start)
	}()
	time.Sleep(20 * time.Millisecond) // the worker is asleep until about 200ms
	g.Hold(500 * time.Millisecond)
	if el := <-done; el < 520*time.Millisecond {
		t.Fatalf("the sleeping worker started after %v, inside the 500ms hold that began at 20ms", el)
	}
}
