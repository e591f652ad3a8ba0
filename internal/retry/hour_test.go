package retry

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// For any window and number of writes, a gate that may wait lets every write
// through, never more than Allow in any Span, and waits at least LeastWait.
func TestHourGateWaitsNeverPassesTheWindow(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ allow, writes, workers int }{{3, 7, 1}, {4, 9, 3}, {5, 5, 2}, {2, 5, 4}} {
		w := HourWindow{Allow: c.allow, Span: 60 * time.Millisecond, MaxWait: time.Minute}
		g := NewHourGate(w, nil)
		var mu sync.Mutex
		var at []time.Time
		var wg sync.WaitGroup
		jobs := make(chan int, c.writes)
		for i := range c.writes {
			jobs <- i
		}
		close(jobs)
		start := time.Now()
		for range c.workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range jobs {
					done, err := g.Take(context.Background())
					if err != nil {
						t.Errorf("allow %d: %v", c.allow, err)
						return
					}
					done()
					mu.Lock()
					at = append(at, time.Now())
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		took := time.Since(start)
		if len(at) != c.writes || g.Sent() != c.writes {
			t.Fatalf("allow %d: %d of %d writes let through (gate says %d)", c.allow, len(at), c.writes, g.Sent())
		}
		if least := w.LeastWait(c.writes); took < least {
			t.Errorf("allow %d, %d writes: took %s, less than the least wait %s", c.allow, c.writes, took, least)
		}
		for i := range at {
			n := 0
			for j := range at {
				if !at[j].Before(at[i]) && at[j].Before(at[i].Add(w.Span-5*time.Millisecond)) {
					n++
				}
			}
			if n > c.allow {
				t.Errorf("allow %d: %d writes within one window from write %d", c.allow, n, i)
			}
		}
	}
}

// hour_window: stop lets the window's worth through and refuses the next,
// saying when the window has room; after that, room again.
func TestHourGateStopsAndSaysWhen(t *testing.T) {
	t.Parallel()
	g := NewHourGate(HourWindow{Allow: 3, Span: 80 * time.Millisecond, Stop: true}, nil)
	for i := range 3 {
		if _, err := g.Take(context.Background()); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	_, err := g.Take(context.Background())
	var hs *HourStop
	if !errors.As(err, &hs) || hs.Sent != 3 || !hs.Stopped || hs.Room.Before(time.Now()) {
		t.Fatalf("4th write: %v (%+v), want an HourStop after 3 with room later", err, hs)
	}
	time.Sleep(time.Until(hs.Room))
	if _, err := g.Take(context.Background()); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// A wait that would pass MaxWait stops, and so does the first wait past it.
func TestHourGateMaxWait(t *testing.T) {
	t.Parallel()
	g := NewHourGate(HourWindow{Allow: 1, Span: 50 * time.Millisecond, MaxWait: 70 * time.Millisecond}, nil)
	sent := 0
	var err error
	for range 10 {
		if _, err = g.Take(context.Background()); err != nil {
			break
		}
		sent++
	}
	var hs *HourStop
	if !errors.As(err, &hs) || hs.Stopped || sent != 2 {
		t.Fatalf("sent %d, then %v; want 2 writes (one wait of 50ms fits in 70ms, a second does not) then an HourStop", sent, err)
	}
	if g.Waited() > 70*time.Millisecond {
		t.Errorf("waited %s, more than the maximum", g.Waited())
	}
}

func TestHourWindowLeastWait(t *testing.T) {
	t.Parallel()
	w := HourWindow{}
	for _, c := range []struct {
		n    int
		want time.Duration
	}{{0, 0}, {500, 0}, {501, time.Hour}, {1000, time.Hour}, {1001, 2 * time.Hour}} {
		if got := w.LeastWait(c.n); got != c.want {
			t.Errorf("LeastWait(%d) = %s, want %s", c.n, got, c.want)
		}
	}
	if (HourWindow{Stop: true}).WaitCap() != 0 || (HourWindow{}).WaitCap() != DefaultHourMaxWait {
		t.Error("WaitCap: stop waits nothing, the default is DefaultHourMaxWait")
	}
}

// A write leaves the gate's window Span after its answer came, not after it
// was sent: GitHub counted it somewhere in between, so the gate never lets a
// write through that GitHub's window would still refuse.
func TestHourGateCountsFromTheAnswer(t *testing.T) {
	t.Parallel()
	g := NewHourGate(HourWindow{Allow: 1, Span: 50 * time.Millisecond, MaxWait: time.Minute}, nil)
	start := time.Now()
	done, err := g.Take(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(40 * time.Millisecond) // the request takes its time
	done()
	if _, err := g.Take(context.Background()); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 90*time.Millisecond {
		t.Errorf("second write after %s; the first answered at 40ms, so not before 90ms", took)
	}
}
