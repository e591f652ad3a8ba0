package emulator

import (
	"testing"
	"time"
)

func TestSlidingWindow(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	w := &slidingWindow{allow: 3, span: 10 * time.Second}
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	for _, d := range []time.Duration{0, time.Second, 2 * time.Second} {
		if ok, _ := w.admit(at(d)); !ok {
			t.Fatalf("event at %v refused with room in the window", d)
		}
	}
	ok, wait := w.admit(at(4 * time.Second))
	if ok || wait != 6*time.Second {
		t.Fatalf("fourth event in 10s: ok=%v wait=%v, want refused with 6s to wait", ok, wait)
	}
	// A refused event is not counted: the oldest still leaves at 10s.
	if ok, wait := w.admit(at(9 * time.Second)); ok || wait != time.Second {
		t.Fatalf("at 9s: ok=%v wait=%v, want refused with 1s to wait", ok, wait)
	}
	if ok, _ := w.admit(at(10 * time.Second)); !ok {
		t.Fatal("at 10s the first event has left, yet the window refused")
	}
	if ok, wait := w.admit(at(10*time.Second + time.Millisecond)); ok || wait != time.Second-time.Millisecond {
		t.Fatalf("just after 10s: ok=%v wait=%v, want refused until the event at 1s leaves", ok, wait)
	}
	if ok, _ := w.admit(at(time.Minute)); !ok || len(w.times) != 1 {
		t.Fatalf("after a quiet minute: ok=%v, %d events kept, want admitted with only itself kept", ok, len(w.times))
	}
}
