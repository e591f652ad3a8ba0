package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
)

// A writeLimit is a secondary limit the emulator enforces on content-creating
// requests in a limit scenario, with the targets the action must meet under it.
type writeLimit struct {
	allow      int           // writes let through in any sliding window
	window     time.Duration // the window
	retryAfter int           // seconds in Retry-After; 0 sends the time until the window has room
	assets     int           // assets of 4 KiB to publish
	parallel   int           // max_parallel
	maxRatio   float64       // most wall time / theoretical minimum
	// At most maxAnswers limit answers in all, or, when perMinute is set, at
	// most maxAnswers per minute of wall time.
	maxAnswers float64
	perMinute  bool
}

// The two limit scenarios. The short window is the shape the first measurement
// of the gate used (issue 13); the minute is GitHub's documented ceiling for
// content-creating requests.
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
var (
	limitShort  = writeLimit{allow: 80, window: 10 * time.Second, retryAfter: 1, assets: 150, parallel: 8, maxRatio: 2, maxAnswers: 10}
	limitMinute = writeLimit{allow: 80, window: time.Minute, assets: 300, parallel: 8, maxRatio: 1.3, maxAnswers: 1, perMinute: true}
)

// windowMinimum is the least time n writes can take under a sliding window of
// allow writes per window: the first allow go at once, and each further batch
// of allow must wait a whole window after the one before.
func windowMinimum(n, allow int, window time.Duration) time.Duration {
	if n <= 0 || allow <= 0 {
		return 0
	}
	return time.Duration((n-1)/allow) * window
}

func (s *Suite) limitShort(ctx context.Context, ss *Stages, res *Result) error {
	return s.underLimit(ctx, ss, res, limitShort)
}

func (s *Suite) limitMinute(ctx context.Context, ss *Stages, res *Result) error {
	return s.underLimit(ctx, ss, res, limitMinute)
}

// underLimit publishes many small assets while the emulator enforces l, and
// compares the wall time with the least the limit allows.
func (s *Suite) underLimit(ctx context.Context, ss *Stages, res *Result, l writeLimit) error {
	st, err := ss.stage(emulator.Options{})
	if err != nil {
		return err
	}
	st.Emu.Inject(emulator.Fault{Method: emulator.MethodWrite, Kind: emulator.FaultSecondaryLimit, Window: l.window, Allow: l.allow, RetryAfter: l.retryAfter})
	ws, err := s.workspace(res.Scenario)
	if err != nil {
		return err
	}
	n := l.assets
	if s.cfg.Quick {
		n = l.allow + l.allow/2 // still more than one window's worth
	}
	if err := writeFiles(ws, res.Scenario, n, 4<<10, 300); err != nil {
		return err
	}
	ra := "the time until the window has room"
	if l.retryAfter > 0 {
		ra = fmt.Sprintf("%d s", l.retryAfter)
	}
	res.notef("emulator limit: %d writes per sliding %s, Retry-After %s; %d assets, max_parallel=%d", l.allow, l.window, ra, n, l.parallel)
	tag := "v1.0.0-" + res.Scenario
	rec, err := s.runAction(ctx, st, res, fmt.Sprintf("%d assets under %d writes / %s", n, l.allow, l.window),
		st.ActionEnv(ws, s.outputFile(), tag, "dist/*", map[string]string{"INPUT_MAX_PARALLEL": fmt.Sprint(l.parallel)}))
	if err != nil {
		return err
	}
	checkAssets(st, res, tag, n)
	least := windowMinimum(rec.Writes, l.allow, l.window)
	res.notef("%d writes let through, %d limit answers; theoretical minimum for %d writes: %s", rec.Writes, rec.Limited, rec.Writes, fmtDur(least))
	if least > 0 {
		ratio := rec.Wall.Seconds() / least.Seconds()
		res.verdict("wall time / theoretical minimum", ratio <= l.maxRatio,
			fmt.Sprintf("%.2f (%s / %s)", ratio, fmtDur(rec.Wall), fmtDur(least)), fmt.Sprintf("<= %.1f", l.maxRatio))
	} else {
		res.verdict("wall time / theoretical minimum", false, "no minimum: the run fits in one window", "more writes than one window allows")
	}
	if l.perMinute {
		minutes := rec.Wall.Minutes()
		res.verdict("limit answers per minute", float64(rec.Limited) <= l.maxAnswers*minutes,
			fmt.Sprintf("%.2f (%d in %s)", float64(rec.Limited)/minutes, rec.Limited, fmtDur(rec.Wall)), fmt.Sprintf("<= %.0f", l.maxAnswers))
	} else {
		res.verdict("limit answers", float64(rec.Limited) <= l.maxAnswers, fmt.Sprint(rec.Limited), fmt.Sprintf("<= %.0f", l.maxAnswers))
	}
	return nil
}
