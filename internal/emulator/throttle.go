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
