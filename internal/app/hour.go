package app

import (
	"errors"

	"github.com/releasekit/release-action/internal/inputs"
	"github.com/releasekit/release-action/internal/retry"
)

// exitStopped: the run stopped at GitHub's full hour window (hour_window: stop,
// or hour_window_max_wait spent). The release is not finished, so the step
// fails; it is not exitFailed, because nothing went wrong: running the same step
// again continues, and a workflow can tell this case apart to do just that.
const exitStopped = 3

// hourGate is the run's count of writes against GitHub's hour window, as the
// inputs choose; env.Hour scales the window down for tests.
func hourGate(env Env, cfg *inputs.Config, logf func(string, ...any)) *retry.HourGate {
	w := retry.HourWindow{Stop: cfg.HourWindowStop, MaxWait: cfg.HourMaxWait}
	if env.Hour != nil {
		w.Allow, w.Span = env.Hour.Allow, env.Hour.Span
	}
	return retry.NewHourGate(w, logf)
}

// onlyHourStop reports whether every error of err is the stop at a full hour
// window, so the run ends with exitStopped.
func onlyHourStop(err error) bool {
	all := flatten(err)
	for _, e := range all {
		if !errors.As(e, new(*retry.HourStop)) {
			return false
		}
	}
	return len(all) > 0
}

// gate is the run's pacing gate: env.Pace when a test scales it, else nil (the
// client's default).
func gate(env Env) *retry.Gate {
	if env.Pace == nil {
		return nil
	}
	return retry.NewGate(*env.Pace)
}
