package retry

import (
	"fmt"
	"sync"
	"time"
)

// DefaultTimeBudget is how much time a run may lose to retrying before its
// requests fail instead of trying again. An hour is sixty of GitHub's one-minute
// secondary-limit waits, far more than a healthy run ever sees, and leaves most
// of a GitHub-hosted job's six hours to a run that does make progress.
const DefaultTimeBudget = time.Hour

// TimeBudget is the time a whole run may lose to retrying, shared by all of its
// requests as the Gate is, so that a server that fails every request slowly (a
// stall, a dribble, a 5xx after a long wait) ends the run instead of keeping it
// going for MaxAttempts times every request. It is charged the duration of each
// failed attempt that is followed by a retry and the wait before that retry; a
// rate-limit hold, which every worker waits out together, is charged once, for
// the time no earlier hold covered. Safe for concurrent use.
type TimeBudget struct {
	mu        sync.Mutex
	limit     time.Duration
	spent     time.Duration
	heldUntil time.Time
}

// NewTimeBudget returns a budget of limit; limit <= 0 means DefaultTimeBudget.
func NewTimeBudget(limit time.Duration) *TimeBudget {
	if limit <= 0 {
		limit = DefaultTimeBudget
	}
	return &TimeBudget{limit: limit}
}

// Spend charges a failed attempt that lasted lost and the wait before the next
// one, and reports whether the retry fits in the budget. Once it does not, no
// retry does: the run has lost its budget.
func (b *TimeBudget) Spend(lost, wait time.Duration) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.spent += max(lost, 0) + max(wait, 0)
	return b.spent <= b.limit
}

// Hold charges a failed attempt that lasted lost and a rate-limit hold from now
// until until, counting only the part of the hold that no earlier one covers.
func (b *TimeBudget) Hold(lost time.Duration, now, until time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	from := now
	if b.heldUntil.After(from) {
		from = b.heldUntil
	}
	if until.After(from) {
		b.spent += until.Sub(from)
		b.heldUntil = until
	}
	b.spent += max(lost, 0)
	return b.spent <= b.limit
}

// Spent is the time charged so far.
func (b *TimeBudget) Spent() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.spent
}

// Exhausted is the reason to give when a retry did not fit.
func (b *TimeBudget) Exhausted() string {
	return fmt.Sprintf("the run's retry budget of %s is spent (%s lost to failed attempts and waits); not trying again",
		b.limit, b.Spent().Round(time.Millisecond))
}
