package emulator

import (
	"context"
	"io"
	"time"
)

// throttle paces reads to a byte rate: after each read it sleeps until the bytes
// read so far are due, so it never spins. Reads are cut into chunks of about a
// tenth of a second's worth, which keeps the pace smooth.
type throttle struct {
	ctx   context.Context
	r     io.Reader
	rate  int64
	chunk int
	start time.Time
	n     int64
}

func newThrottle(ctx context.Context, r io.Reader, bytesPerSecond int64) *throttle {
	return &throttle{ctx: ctx, r: r, rate: bytesPerSecond, chunk: int(max(min(bytesPerSecond/10, 1<<20), 512))}
}

func (t *throttle) Read(p []byte) (int, error) {
	if t.start.IsZero() {
		t.start = time.Now()
	}
	if len(p) > t.chunk {
		p = p[:t.chunk]
	}
	n, err := t.r.Read(p)
	t.n += int64(n)
	due := t.start.Add(time.Duration(float64(t.n) / float64(t.rate) * float64(time.Second)))
	if wait := time.Until(due); wait > 0 {
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-t.ctx.Done():
			return n, t.ctx.Err()
		}
	}
	return n, err
}

// slidingWindow admits at most allow events in any span of time, the way a
// secondary rate limit on content-creating requests behaves: an event is refused
// while allow others happened within the last span. Refused events are not
// counted, so a client that waits is let through as soon as the oldest event
// leaves the window.
type slidingWindow struct {
	allow int
	span  time.Duration
	times []time.Time // admitted events, oldest first, all within span of the last admit
}

// admit records an event at now if the window has room. Otherwise it reports how
// long until the oldest event leaves the window and a new one would be let in.
func (w *slidingWindow) admit(now time.Time) (ok bool, wait time.Duration) {
	cut := 0
	for cut < len(w.times) && !now.Before(w.times[cut].Add(w.span)) {
		cut++
	}
	w.times = w.times[cut:]
	if len(w.times) < w.allow {
		w.times = append(w.times, now)
		return true, 0
	}
	if len(w.times) == 0 { // allow is 0: nothing ever gets in
		return false, w.span
	}
	return false, w.times[0].Add(w.span).Sub(now)
}
