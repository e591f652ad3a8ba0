// Package retry decides whether a failed GitHub request is tried again and when, and
// paces all workers of a run together: within GitHub's documented budget for
// writes, and more slowly once GitHub asks them to slow down.
//
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
package retry

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Policy holds the limits of retrying. The zero value is not useful; use Default.
type Policy struct {
	MaxAttempts int           // attempts in all, the first included
	BaseDelay   time.Duration // first backoff; doubled on each further attempt
	MaxDelay    time.Duration // cap on one backoff
	// LimitFallback is the wait after a rate-limit answer that names no time.
	// GitHub asks for at least a minute.
	LimitFallback time.Duration
	// MaxWait is the longest single wait worth making; a rate limit that resets
	// later than this fails the run instead of hanging the job.
	MaxWait time.Duration
	// MaxStalls is how many attempts of one request may end in a stall or a
	// dribble (Answer.Stalls) before it is not tried again; 0 means no limit
	// beyond MaxAttempts. Each costs a full timeout, so few are worth making.
	MaxStalls int

	Now  func() time.Time // defaults to time.Now
	Rand func() float64   // in [0,1); defaults to the clock's nanoseconds, spread enough for jitter
}

// Default is the policy used against GitHub.
func Default() Policy {
	return Policy{
		MaxAttempts:   6,
		BaseDelay:     time.Second,
		MaxDelay:      30 * time.Second,
		LimitFallback: 60 * time.Second,
		MaxWait:       15 * time.Minute,
		MaxStalls:     3,
	}
}

// Answer is what came back from one attempt: a status and headers, or a transport error.
type Answer struct {
	Status  int         // 0 when the request got no answer
	Header  http.Header // may be nil
	Message string      // the "message" of GitHub's error body
	Err     error       // transport error, when Status is 0
	// Stalls counts the attempts of this request, this one included, that
	// ended because the answer stalled or passed its total deadline.
	Stalls int
}

// Decision says whether to try again and after how long.
type Decision struct {
	Retry       bool
	Wait        time.Duration
	RateLimited bool   // the answer asked the whole client to slow down
	Reason      string // short, for the log
}

// Decide is the one place that decides about retries. attempt counts the attempts
// made so far, the failed one included (1 after the first failure).
func (p Policy) Decide(attempt int, a Answer) Decision {
	d := p.classify(a)
	if !d.Retry {
		return d
	}
	if p.MaxStalls > 0 && a.Stalls >= p.MaxStalls {
		d.Retry = false
		d.Reason += ": giving up after " + strconv.Itoa(a.Stalls) + " attempts whose answer stalled or came too slowly"
		return d
	}
	if attempt >= p.MaxAttempts {
		d.Retry = false
		d.Reason += ": giving up after " + strconv.Itoa(attempt) + " attempts"
		return d
	}
	if d.Wait == 0 {
		d.Wait = p.backoff(attempt)
	}
	if p.MaxWait > 0 && d.Wait > p.MaxWait {
		d.Retry = false
		d.Reason += ": GitHub asks to wait " + d.Wait.Round(time.Second).String() + ", longer than " + p.MaxWait.String()
	}
	return d
}

func (p Policy) classify(a Answer) Decision {
	if a.Status == 0 {
		if a.Err == nil || errors.Is(a.Err, context.Canceled) || errors.Is(a.Err, context.DeadlineExceeded) {
			return Decision{Reason: "cancelled"}
		}
		if r := unreachable(a.Err); r != "" {
			return Decision{Reason: r}
		}
		return Decision{Retry: true, Reason: "connection error"}
	}
	h := a.Header
	if h == nil {
		h = http.Header{}
	}
	primary := h.Get("X-Ratelimit-Remaining") == "0"
	secondary := strings.Contains(strings.ToLower(a.Message), "secondary rate limit") ||
		(h.Get("Retry-After") != "" && (a.Status == 403 || a.Status == 429))
	switch {
	case a.Status == 429 || (a.Status == 403 && (primary || secondary)):
		return Decision{Retry: true, RateLimited: true, Wait: p.limitWait(h, primary), Reason: "rate limited (" + strconv.Itoa(a.Status) + ")"}
	case a.Status >= 500 && a.Status != http.StatusNotImplemented:
		d := Decision{Retry: true, Reason: "server error (" + strconv.Itoa(a.Status) + ")"}
		if s, ok := retryAfter(h, p.now()); ok {
			d.Wait = s
		}
		return d
	default:
		return Decision{Reason: "not retryable (" + strconv.Itoa(a.Status) + ")"}
	}
}

// Unreachable reports whether err says the request never reached the server (a
// host that does not resolve, a refused connection, a permanent error), so that a
// request that must not be repeated blindly is known not to have landed.
func Unreachable(err error) bool { return unreachable(err) != "" }

// unreachable names the transport errors that retrying does not cure: a host name
// that does not resolve, a port where nothing listens, and errors that say so
// themselves (a Permanent method returning true). Retrying them only made a wrong
// GITHUB_API_URL fail after half a minute instead of at once.
func unreachable(err error) string {
	var p interface{ Permanent() bool }
	if errors.As(err, &p) && p.Permanent() {
		return "not retryable"
	}
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return "host not found"
	}
	var errno syscall.Errno
	if errors.As(err, &errno) && slices.Contains(refusedErrnos, errno) {
		return "connection refused"
	}
	return ""
}

// limitWait honours Retry-After first, then x-ratelimit-reset for a primary limit,
// then the fallback GitHub recommends.
func (p Policy) limitWait(h http.Header, primary bool) time.Duration {
	if d, ok := retryAfter(h, p.now()); ok {
		return d
	}
	if primary {
		if reset, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
			d := time.Unix(reset, 0).Sub(p.now()) + time.Second
			if d < time.Second {
				d = time.Second
			}
			return d
		}
	}
	return p.LimitFallback
}

// retryAfter reads Retry-After as seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		if s == 0 {
			return time.Millisecond, true
		}
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < time.Millisecond {
			d = time.Millisecond
		}
		return d, true
	}
	return 0, false
}

// backoff is exponential with "equal jitter": half the delay is fixed, half random,
// so workers that failed together do not come back together.
func (p Policy) backoff(attempt int) time.Duration {
	d := float64(p.BaseDelay) * math.Pow(2, float64(attempt-1))
	if max := float64(p.MaxDelay); max > 0 && d > max {
		d = max
	}
	return time.Duration(d/2 + p.rand()*d/2)
}

func (p Policy) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p Policy) rand() float64 {
	if p.Rand != nil {
		return p.Rand()
	}
	return float64(time.Now().UnixNano()%1000) / 1000
}

// Gate paces every request of a run by the policy in Pace: all workers share
// one gate, so a limit answer to one of them holds them all, and after it they
// come back one at a time at a rate that is probed back up. The zero value is
// ready to use, with Pace's defaults.
type Gate struct {
	mu   sync.Mutex
	pace Pace
}

// NewGate returns a gate with the given pacing policy; the zero Pace is the default.
func NewGate(p Pace) *Gate { return &Gate{pace: p} }

// Hold records a limit answer that asks to wait d: every worker waits at least
// that long from now, and the pace beyond the budget is cut. It returns how long
// the workers are held, which is longer than d when GitHub's last wait proved
// too short.
func (g *Gate) Hold(d time.Duration) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.pace.Limited(time.Now(), d)
}

// Wait blocks until this worker may start a request. It asks the pace again
// after every sleep, so a hold that began meanwhile is honoured at once.
func (g *Gate) Wait(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		g.mu.Lock()
		now := time.Now()
		at := g.pace.Next(now)
		g.mu.Unlock()
		if !at.After(now) {
			return nil
		}
		t := time.NewTimer(at.Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
