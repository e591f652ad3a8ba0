package retry

import (
	"fmt"
	"time"
)

// UnderMinuteWindow is the least time the writes take when only the minute
// window holds (DocumentedPerMinute a minute): after each full minute's
// worth, the next minute must begin.
func (b WriteBudget) UnderMinuteWindow() time.Duration {
	if b.Writes <= 0 {
		return 0
	}
	return time.Duration((b.Writes-1)/DocumentedPerMinute) * time.Minute
}

// UnderHourWindow is the least time the writes take when only the hour window
// holds (DocumentedPerHour an hour).
func (b WriteBudget) UnderHourWindow() time.Duration {
	if b.Writes <= 0 {
		return 0
	}
	return time.Duration((b.Writes-1)/DocumentedPerHour) * time.Hour
}

// Plan is the line logged before the first write: how many content-creating
// requests the plan needs, and the least time they take under each of
// GitHub's documented windows and under both. It says so when they cannot
// fit in one hour.
func (b WriteBudget) Plan() string {
	s := fmt.Sprintf("this run needs %d content-creating requests; at GitHub's documented ceilings that takes at least %s under %d a minute, %s under %d an hour, %s under both",
		b.Writes, roundDuration(b.UnderMinuteWindow()), DocumentedPerMinute, roundDuration(b.UnderHourWindow()), DocumentedPerHour, roundDuration(b.AtDocumentedPace))
	if b.OverHour {
		s += fmt.Sprintf("; more than %d do not fit in one hour's window", DocumentedPerHour)
	}
	return s
}

func roundDuration(d time.Duration) string {
	if d == 0 {
		return "no wait"
	}
	return d.String()
}
