package retry

import "time"

// GitHub's documented ceiling for content-creating requests (POST, PATCH, PUT,
// DELETE), the part of the secondary rate limits that a release with many
// assets runs into.
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
const (
	DocumentedPerMinute = 80
	DocumentedPerHour   = 500
)

// Pace decides when each request of a run may start. It is the policy behind
// Gate, kept free of goroutines and timers so that it can be tested with a
// made-up clock: the caller passes the time to every method.
//
// It works in three parts:
//
//   - A budget: up to Budget requests in any BudgetWindow start at once, as fast
//     as the workers ask. GitHub documents this much (80 writes a minute) as
//     allowed, so a small release is not slowed down. A server that refuses
//     before the budget is spent allows less: the budget is then cut to the
//     starts in the window times Decrease.
//   - Beyond the budget, starts are spaced at most Rate per second. When that
//     gap is longer than a request takes, only one request is in flight when the
//     server starts refusing, so one limit answer comes back instead of one per
//     worker.
//   - A limit answer (Limited) stops every start until GitHub's wait is over and
//     multiplies the rate by Decrease, a half by default (multiplicative
//     decrease, never below MinRate). From then
//     on the rate grows by Increase per second (additive increase, never above
//     MaxRate), so a long run settles just under whatever the server enforces.
//     If the first requests after a hold are refused again, the wait GitHub gave
//     was too short (a window that is still full): the rate is left alone and the
//     next hold is HoldGrowth times longer, up to MaxHold.
//
// The zero value uses the defaults named on each field.
type Pace struct {
	Budget       int           // requests per BudgetWindow that start unpaced; 0 means DocumentedPerMinute, negative none
	BudgetWindow time.Duration // 0 means a minute
	MaxRate      float64       // requests per second beyond the budget before any limit answer, and the cap; 0 means 100
	MinRate      float64       // floor of the rate; 0 means 0.5
	Increase     float64       // requests per second added to the rate per second; 0 means 2
	Decrease     float64       // factor applied to the rate on a limit answer; 0 means 0.5
	Probes       int           // starts after a hold among which a refusal means the hold was too short; 0 means 4
	HoldGrowth   float64       // factor on a hold that proved too short; 0 means 1.5
	MaxHold      time.Duration // cap on a grown hold (never on GitHub's own wait); 0 means a minute

	until     time.Time     // no start before this
	rate      float64       // the rate at rateSince; 0 until the first limit answer
	rateSince time.Time     // when the rate last changed (the end of the last hold)
	last      time.Time     // the last paced start
	starts    []time.Time   // starts within BudgetWindow, oldest first
	sinceHold int           // starts since the last hold ended
	hold      time.Duration // the last hold's length; 0 before the first
	limits    int
	learned   int // a budget cut by a refusal inside the budget; 0 if none
}

func (p *Pace) budget() int {
	b := p.Budget
	switch {
	case b < 0:
		return 0
	case b == 0:
		b = DocumentedPerMinute
	}
	if p.learned > 0 {
		b = min(b, p.learned)
	}
	return b
}

// prune forgets the starts that have left the budget window.
func (p *Pace) prune(now time.Time) {
	window := orDefault(p.BudgetWindow, time.Minute)
	cut := 0
	for cut < len(p.starts) && !p.starts[cut].Add(window).After(now) {
		cut++
	}
	p.starts = p.starts[cut:]
}

func orDefault[T int | float64 | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// Rate is the pace beyond the budget at now, in requests per second.
func (p *Pace) Rate(now time.Time) float64 {
	maxRate := orDefault(p.MaxRate, 100)
	if p.rate == 0 {
		return maxRate
	}
	r := p.rate
	if el := now.Sub(p.rateSince); el > 0 {
		r += orDefault(p.Increase, 2) * el.Seconds()
	}
	return min(max(r, orDefault(p.MinRate, 0.5)), maxRate)
}

// Next returns the earliest time a request asked for at now may start. When
// that is not after now, the start is booked and the caller goes; otherwise
// the caller sleeps until then and asks again, since a limit answer may have
// come in meanwhile.
func (p *Pace) Next(now time.Time) time.Time {
	if now.Before(p.until) {
		return p.until
	}
	p.prune(now)
	if len(p.starts) >= p.budget() {
		gap := time.Duration(float64(time.Second) / p.Rate(now))
		if at := p.last.Add(gap); at.After(now) {
			return at
		}
	}
	p.starts = append(p.starts, now)
	p.last = now
	p.sinceHold++
	return now
}

// Limited records a limit answer at now that asks to wait `wait`, and returns
// how long every worker is held from now.
func (p *Pace) Limited(now time.Time, wait time.Duration) time.Duration {
	p.limits++
	if now.Before(p.until) {
		// The request was sent before the hold began: the pace that sent it has
		// already been cut. Only honour a longer wait.
		if t := now.Add(wait); t.After(p.until) {
			p.until = t
			p.rateSince = t // the rate grows only while requests flow
		}
		return p.until.Sub(now)
	}
	d := wait
	var r float64
	if p.hold > 0 && p.sinceHold <= orDefault(p.Probes, 4) {
		// Refused among the first starts after a hold: the server had not yet
		// recovered, so our rate is not to blame; leave it where the hold left
		// it and wait longer instead.
		r = p.Rate(p.rateSince)
		d = max(wait, min(time.Duration(float64(p.hold)*orDefault(p.HoldGrowth, 1.5)), orDefault(p.MaxHold, time.Minute)))
	} else {
		r = p.Rate(now) * orDefault(p.Decrease, 0.5)
		p.prune(now)
		if n := len(p.starts); n < p.budget() {
			// Refused before the budget was spent: this server allows less
			// than GitHub documents, so start fewer at once from now on.
			p.learned = max(1, int(float64(n)*orDefault(p.Decrease, 0.5)))
		}
	}
	p.rate = min(max(r, orDefault(p.MinRate, 0.5)), orDefault(p.MaxRate, 100))
	p.until = now.Add(d)
	p.rateSince = p.until
	p.hold = d
	p.sinceHold = 0
	return d
}

// Limits is how many limit answers were recorded.
func (p *Pace) Limits() int { return p.limits }
