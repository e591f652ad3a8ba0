package retry

import (
	"fmt"
	"time"
)

// WriteBudget is what GitHub's documented ceiling for content-creating requests
// (DocumentedPerMinute, DocumentedPerHour) means for a run that will make Writes
// of them, worked out before the first one is sent.
type WriteBudget struct {
	Writes int
	// AtDocumentedPace is the least time the writes take if GitHub enforces
	// exactly its documented ceiling: after each 80 a minute must pass, and
	// after each 500 an hour.
	AtDocumentedPace time.Duration
	// OverHour is set when the writes do not fit in one hour's budget, so the
	// run will spend most of its time waiting on limit answers.
	OverHour bool
	// OverMinute is set when they do not fit in one minute's: the run will be
	// paced, and may see a limit answer.
	OverMinute bool
}

// BudgetFor works out the documented budget for n content-creating requests.
func BudgetFor(n int) WriteBudget {
	b := WriteBudget{Writes: n, OverHour: n > DocumentedPerHour, OverMinute: n > DocumentedPerMinute}
	if n <= 0 {
		return b
	}
	hours := (n - 1) / DocumentedPerHour
	last := n - hours*DocumentedPerHour // writes in the last hour, 1 to 500
	b.AtDocumentedPace = time.Duration(hours)*time.Hour + time.Duration((last-1)/DocumentedPerMinute)*time.Minute
	return b
}

// Warning is the sentence to log up front when the writes exceed the hourly
// budget, and "" when they do not.
func (b WriteBudget) Warning() string {
	if !b.OverHour {
		return ""
	}
	return fmt.Sprintf("this run makes %d content-creating requests (uploads, deletes, edits); GitHub documents a ceiling of about %d an hour and %d a minute, so it will take at least %s at that pace",
		b.Writes, DocumentedPerHour, DocumentedPerMinute, b.AtDocumentedPace)
}
