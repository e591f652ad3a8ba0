package retry

import (
	"math"
	"testing"
	"time"
)

var t0 = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

// start books a start at now, failing if the pace makes the caller wait.
func start(t *testing.T, p *Pace, now time.Time) {
	t.Helper()
	if got := p.Next(now); !got.Equal(now) {
		t.Fatalf("start at %v: told to wait until %v", now.Sub(t0), got.Sub(t0))
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestPaceBudgetStartsUnpaced(t *testing.T) {
	p := &Pace{Budget: 3, MaxRate: 10}
	for range 3 {
		start(t, p, t0)
	}
	// Beyond the budget, one start per 1/MaxRate.
	if got := p.Next(t0); !got.Equal(at(100 * time.Millisecond)) {
		t.Fatalf("fourth start: wait until %v, want 100ms", got.Sub(t0))
	}
	start(t, p, at(100*time.Millisecond))
	if got := p.Next(at(150 * time.Millisecond)); !got.Equal(at(200 * time.Millisecond)) {
		t.Fatalf("fifth start: wait until %v, want 200ms", got.Sub(t0))
	}
	// Once the first starts leave the window, the budget is back.
	for range 3 {
		start(t, p, at(time.Minute+100*time.Millisecond))
	}
}

func TestPaceDefaultBudgetIsGitHubsMinute(t *testing.T) {
	var p Pace
	for range DocumentedPerMinute {
		start(t, &p, t0)
	}
	if got := p.Next(t0); !got.After(t0) {
		t.Fatal("the 81st start in a minute went unpaced")
	}
	q := &Pace{Budget: -1, MaxRate: 4}
	start(t, q, t0)
	if got := q.Next(t0); !got.Equal(at(250 * time.Millisecond)) {
		t.Fatalf("no budget: second start at %v, want 250ms", got.Sub(t0))
	}
}

func TestPaceDecreaseOnLimit(t *testing.T) {
	p := &Pace{Budget: -1, MaxRate: 10, Increase: 1}
	start(t, p, t0)
	if d := p.Limited(at(10*time.Millisecond), 2*time.Second); d != 2*time.Second {
		t.Fatalf("hold %v, want GitHub's 2s", d)
	}
	hold := at(2010 * time.Millisecond)
	if got := p.Next(at(time.Second)); !got.Equal(hold) {
		t.Fatalf("during the hold: wait until %v, want %v", got.Sub(t0), hold.Sub(t0))
	}
	if r := p.Rate(hold); !near(r, 5) {
		t.Fatalf("rate after a limit answer %v, want half of 10", r)
	}
	start(t, p, hold)
	if got := p.Next(hold); !got.Equal(hold.Add(200 * time.Millisecond)) {
		t.Fatalf("next start after the hold at %v, want 200ms later (5/s)", got.Sub(hold))
	}
	// A second limit answer, well after the hold and many starts, halves again.
	for i := 1; i <= 10; i++ {
		start(t, p, hold.Add(time.Duration(i)*time.Second))
	}
	later := hold.Add(10 * time.Second)
	rate := p.Rate(later)
	if !near(rate, 10) { // 5 + 1/s for 10 s, at the cap
		t.Fatalf("rate 10 s after the hold %v, want 10", rate)
	}
	p.Limited(later, time.Second)
	if r := p.Rate(later.Add(time.Second)); !near(r, rate/2) {
		t.Fatalf("rate after the second limit %v, want %v", r, rate/2)
	}
}

func TestPaceIncreaseIsAdditiveAndCapped(t *testing.T) {
	p := &Pace{Budget: -1, MaxRate: 20, Increase: 2}
	p.Limited(t0, time.Second) // 20 -> 10 from t0+1s
	for _, c := range []struct {
		after time.Duration
		want  float64
	}{{0, 10}, {500 * time.Millisecond, 10}, {time.Second, 10}, {2 * time.Second, 12}, {3500 * time.Millisecond, 15}, {6 * time.Second, 20}, {time.Hour, 20}} {
		if r := p.Rate(at(c.after)); !near(r, c.want) {
			t.Errorf("rate at %v = %v, want %v", c.after, r, c.want)
		}
	}
}

func TestPaceDecreaseStopsAtMinRate(t *testing.T) {
	p := &Pace{Budget: -1, MaxRate: 8, MinRate: 1, Probes: 1, Increase: 1e-6}
	now := t0
	for range 10 {
		// Two starts since the last hold (more than Probes), so each answer is
		// a new decrease, not a refused probe.
		start(t, p, now)
		now = now.Add(5 * time.Second)
		start(t, p, now)
		now = now.Add(5 * time.Second)
		now = now.Add(p.Limited(now, 100*time.Millisecond))
	}
	if r := p.Rate(now); !near(r, 1) {
		t.Fatalf("rate after 10 decreases %v, want the floor 1", r)
	}
	if p.Limits() != 10 {
		t.Fatalf("limits %d, want 10", p.Limits())
	}
}

func TestPaceAnswersDuringHoldDoNotCutAgain(t *testing.T) {
	p := &Pace{Budget: -1, MaxRate: 8}
	p.Limited(t0, 3*time.Second)
	// Requests already in flight come back refused while everyone is held.
	if d := p.Limited(at(10*time.Millisecond), time.Second); d != 2990*time.Millisecond {
		t.Fatalf("shorter wait during a hold: held %v, want the rest of the first hold", d)
	}
	if d := p.Limited(at(20*time.Millisecond), 5*time.Second); d != 5*time.Second {
		t.Fatalf("longer wait during a hold: held %v, want 5s", d)
	}
	if r := p.Rate(at(5020 * time.Millisecond)); !near(r, 4) {
		t.Fatalf("rate when the hold ends %v, want 4: one cut, and no growth while held", r)
	}
	if p.Limits() != 3 {
		t.Fatalf("limits %d, want 3", p.Limits())
	}
}

func TestPaceGrowsAHoldThatWasTooShort(t *testing.T) {
	p := &Pace{Budget: -1, MaxRate: 10, HoldGrowth: 2, MaxHold: 5 * time.Second}
	p.Limited(t0, time.Second)
	rate := p.Rate(at(time.Second))
	now := at(time.Second)
	for _, want := range []time.Duration{2 * time.Second, 4 * time.Second, 5 * time.Second, 5 * time.Second} {
		start(t, p, now) // the first probe after the hold is refused again
		d := p.Limited(now.Add(time.Millisecond), time.Second)
		if d != want {
			t.Fatalf("hold after a refused probe %v, want %v", d, want)
		}
		now = now.Add(time.Millisecond + d)
		if r := p.Rate(now); !near(r, rate) {
			t.Fatalf("rate %v after a refused probe, want it left at %v", r, rate)
		}
	}
	// GitHub's own wait is never cut to MaxHold.
	start(t, p, now)
	if d := p.Limited(now, 30*time.Second); d != 30*time.Second {
		t.Fatalf("hold %v, want GitHub's 30s", d)
	}
}

func TestPaceCutsTheBudgetOnARefusalInsideIt(t *testing.T) {
	p := &Pace{MaxRate: 10} // the documented budget of 80 a minute
	for range 30 {
		start(t, p, t0)
	}
	// Refused after 30 starts: the server allows fewer than 80 a minute.
	now := at(10 * time.Millisecond)
	now = now.Add(p.Limited(now, time.Second))
	for range 15 {
		start(t, p, now.Add(time.Minute))
	}
	if got := p.Next(now.Add(time.Minute)); !got.After(now.Add(time.Minute)) {
		t.Fatal("the 16th start in a minute went unpaced after the budget was cut to 15")
	}
	// A refusal beyond the budget cuts the rate, not the budget.
	q := &Pace{Budget: 5, MaxRate: 10}
	for i := range 8 {
		start(t, q, at(time.Duration(i)*100*time.Millisecond))
	}
	q.Limited(at(800*time.Millisecond), time.Second)
	if q.budget() != 5 {
		t.Fatalf("budget %d after a refusal beyond it, want 5", q.budget())
	}
}
