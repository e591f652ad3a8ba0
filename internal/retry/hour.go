package retry

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// DefaultHourMaxWait is how long a run may wait, in all, for GitHub's hour
// window to have room (hour_window: wait). Two hours fit every release GitHub
// allows: 1,000 assets make about 1,003 writes, two waits of under an hour each
// at 500 an hour; and they leave most of a GitHub-hosted job's six hours.
const DefaultHourMaxWait = 2 * time.Hour

// HourWindow is how a run treats GitHub's hour window for content-creating
// requests: Allow of them in any sliding Span. The zero value is GitHub's
// documented window (DocumentedPerHour an hour) with waiting up to
// DefaultHourMaxWait; tests scale Span and Allow down, and the code under test
// is the same.
type HourWindow struct {
	Allow   int           // writes in any Span; 0 means DocumentedPerHour
	Span    time.Duration // 0 means an hour
	Stop    bool          // a full window stops the run instead of waiting (hour_window: stop)
	MaxWait time.Duration // the most the run waits, in all, for room; 0 means DefaultHourMaxWait
}

// Limit is the number of writes the window lets through at once.
func (w HourWindow) Limit() int { return orDefault(w.Allow, DocumentedPerHour) }

// Length is the window's span.
func (w HourWindow) Length() time.Duration { return orDefault(w.Span, time.Hour) }

// WaitCap is the most the run waits for room, 0 when it stops instead.
func (w HourWindow) WaitCap() time.Duration {
	if w.Stop {
		return 0
	}
	return orDefault(w.MaxWait, DefaultHourMaxWait)
}

// LeastWait is the least time writes writes spend waiting for the window when
// the run starts with it empty: after each Limit of them, the next must wait
// until the first of the last Limit leaves the window. It ignores the time the
// writes themselves take, so it is a floor.
func (w HourWindow) LeastWait(writes int) time.Duration {
	if writes <= w.Limit() {
		return 0
	}
	return time.Duration((writes-1)/w.Limit()) * w.Length()
}

// HourStop is the error of a write the run did not send because the hour
// window was full and waiting was not allowed (Stop) or would pass MaxWait.
// Nothing about the request was sent; the run is to stop where it is, keep
// what it did, and the same run started again continues.
type HourStop struct {
	Sent    int           // writes this run sent
	Waited  time.Duration // time the run spent waiting for the window
	Room    time.Time     // when the window has room again
	Stopped bool          // hour_window: stop (else MaxWait was reached)
	MaxWait time.Duration
}

func (e *HourStop) Error() string {
	why := "the run stops rather than wait"
	if !e.Stopped {
		why = fmt.Sprintf("waiting for it would pass the maximum wait of %s (%s waited)", e.MaxWait, e.Waited.Round(time.Second))
	}
	return fmt.Sprintf("GitHub's hour window for content-creating requests is full after this run's %d writes and %s; it has room again at %s",
		e.Sent, why, e.Room.UTC().Format("15:04:05 UTC"))
}

// HourGate counts a run's content-creating requests against its HourWindow:
// Take lets a write through while the window has room, waits for room while
// the run may, and refuses with *HourStop otherwise. It counts only this
// run's writes, since GitHub tells no one how many the token has left; a
// server that refuses earlier is handled by the limit answers (Gate). Safe
// for concurrent use; a nil *HourGate lets everything through.
type HourGate struct {
	w    HourWindow
	logf func(format string, args ...any)

	mu        sync.Mutex
	times     []*time.Time // this run's writes that may still be in GitHub's window
	sent      int
	waited    time.Duration // the union of the waits, not their sum over workers
	heldUntil time.Time
}

// NewHourGate returns a gate for w; logf (nil: silent) hears each wait.
func NewHourGate(w HourWindow, logf func(format string, args ...any)) *HourGate {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	return &HourGate{w: w, logf: logf}
}

// Window is the gate's window.
func (g *HourGate) Window() HourWindow {
	if g == nil {
		return HourWindow{}
	}
	return g.w
}

// Take books one write, waiting for room when the window is full and the run
// may wait. It returns *HourStop when it may not, or ctx's error. Call done
// when the request's answer is in: GitHub counted the write at some moment
// before that, so the write leaves the gate's window no earlier than it
// leaves GitHub's, whatever the request's latency.
func (g *HourGate) Take(ctx context.Context) (done func(), err error) {
	if g == nil {
		return func() {}, nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		at, wait, err := g.book(time.Now())
		if err != nil {
			return nil, err
		}
		if at != nil {
			return func() {
				g.mu.Lock()
				*at = time.Now()
				g.mu.Unlock()
			}, nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// book records a write at now if the window has room and returns its slot;
// else it returns how long to wait for room, or *HourStop.
func (g *HourGate) book(now time.Time) (*time.Time, time.Duration, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	span := g.w.Length()
	kept := g.times[:0]
	var oldest time.Time
	for _, t := range g.times {
		if now.Before(t.Add(span)) {
			kept = append(kept, t)
			if oldest.IsZero() || t.Before(oldest) {
				oldest = *t
			}
		}
	}
	g.times = kept
	if len(g.times) < g.w.Limit() {
		at := now
		g.times = append(g.times, &at)
		g.sent++
		return &at, 0, nil
	}
	room := oldest.Add(span)
	if now.Before(g.heldUntil) {
		// Another worker already waits for this room; it was paid for.
		return nil, g.heldUntil.Sub(now), nil
	}
	wait := room.Sub(now)
	if g.w.Stop || g.waited+wait > g.w.WaitCap() {
		return nil, 0, &HourStop{Sent: g.sent, Waited: g.waited, Room: room, Stopped: g.w.Stop, MaxWait: g.w.WaitCap()}
	}
	g.waited += wait
	g.heldUntil = room
	g.logf("GitHub's hour window holds %d content-creating requests and this run has sent %d in it: waiting %s for room (%s of at most %s waited so far)",
		g.w.Limit(), len(g.times), wait.Round(time.Millisecond), g.waited.Round(time.Millisecond), g.w.WaitCap())
	return nil, wait, nil
}

// Waited is the time the run has spent waiting for the window.
func (g *HourGate) Waited() time.Duration {
	if g == nil {
		return 0
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.waited
}

// Sent is how many writes the gate let through.
func (g *HourGate) Sent() int {
	if g == nil {
		return 0
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.sent
}
