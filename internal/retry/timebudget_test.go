package retry

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTimeBudget(t *testing.T) {
	t.Parallel()
	b := NewTimeBudget(10 * time.Second)
	if !b.Spend(2*time.Second, 3*time.Second) {
		t.Fatal("5s of a 10s budget refused")
	}
	now := time.Unix(1000, 0)
	// Two workers held by the same limit answer: the hold counts once.
	if !b.Hold(0, now, now.Add(3*time.Second)) || !b.Hold(0, now.Add(time.Second), now.Add(3*time.Second)) {
		t.Fatal("a hold within the budget refused")
	}
	if got := b.Spent(); got != 8*time.Second {
		t.Fatalf("spent %s, want 8s (a shared hold counted once)", got)
	}
	// A later hold counts only past the earlier one's end.
	if !b.Hold(0, now.Add(2*time.Second), now.Add(4*time.Second)) || b.Spent() != 9*time.Second {
		t.Fatalf("spent %s, want 9s", b.Spent())
	}
	if b.Spend(time.Second, time.Second) {
		t.Fatal("11s of a 10s budget allowed")
	}
	if b.Spend(0, 0) {
		t.Fatal("a spent budget allowed a retry")
	}
	if msg := b.Exhausted(); !strings.Contains(msg, "retry budget of 10s is spent") {
		t.Fatalf("Exhausted() = %q", msg)
	}
	if NewTimeBudget(0).limit != DefaultTimeBudget {
		t.Fatal("the zero limit is not the default")
	}
}

func TestStalledAttemptsAreRetriedAFewTimes(t *testing.T) {
	t.Parallel()
	p := Default()
	p.Rand = func() float64 { return 0 }
	stall := errors.New("stalled")
	for stalls := 1; stalls <= p.MaxStalls+1; stalls++ {
		d := p.Decide(stalls, Answer{Err: stall, Stalls: stalls})
		if want := stalls < p.MaxStalls; d.Retry != want {
			t.Errorf("after %d stalled attempts: Retry = %v, want %v (%s)", stalls, d.Retry, want, d.Reason)
		}
	}
	// Other failures of the same request keep MaxAttempts.
	if d := p.Decide(p.MaxStalls, Answer{Err: stall}); !d.Retry {
		t.Errorf("a connection error after %d attempts is not retried: %s", p.MaxStalls, d.Reason)
	}
}
