package bench

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/releasekit/release-action/internal/app"
	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/retry"
)

// hourScale shrinks GitHub's windows for the hour scenarios: an hour becomes a
// minute and a minute a second, the counts stay (500 an hour, 80 a minute), so
// a release that would spend an hour waiting spends a minute and the same code
// decides when to send. A quick run shrinks them ten times more.
const hourScale = 60

// hourCase is a release bigger than GitHub's hour window, under both of its
// windows for content-creating requests, scaled by hourScale.
type hourCase struct {
	assets   int
	parallel int
	hour     int // writes per scaled hour
	minute   int // writes per scaled minute
	scale    time.Duration
	maxRatio float64
}

var (
	hourFull  = hourCase{assets: 600, parallel: 8, hour: retry.DocumentedPerHour, minute: retry.DocumentedPerMinute, scale: hourScale, maxRatio: 1.3}
	hourQuick = hourCase{assets: 60, parallel: 8, hour: 50, minute: 20, scale: 10 * hourScale, maxRatio: 1.5}
)

func (h hourCase) hourSpan() time.Duration   { return time.Hour / h.scale }
func (h hourCase) minuteSpan() time.Duration { return time.Minute / h.scale }

// minimum is the least time writes take under both windows, as
// retry.BudgetFor works it out for GitHub's, with the case's counts and spans:
// each full hour's worth waits for the next hour, and within the last hour each
// minute's worth for the next minute.
func (h hourCase) minimum(writes int) time.Duration {
	if writes <= 0 {
		return 0
	}
	hours := (writes - 1) / h.hour
	last := writes - hours*h.hour
	return time.Duration(hours)*h.hourSpan() + time.Duration((last-1)/h.minute)*h.minuteSpan()
}

func (s *Suite) hourCase() hourCase {
	if s.cfg.Quick {
		return hourQuick
	}
	return hourFull
}

// hourStage starts an emulator that enforces both scaled windows.
func (s *Suite) hourStage(ss *Stages, h hourCase) (*Stage, error) {
	st, err := ss.stage(emulator.Options{HourWindow: h.hourSpan(), HourAllow: h.hour})
	if err != nil {
		return nil, err
	}
	st.Emu.Inject(emulator.Fault{Method: emulator.MethodWrite, Kind: emulator.FaultSecondaryLimit, Window: h.minuteSpan(), Allow: h.minute})
	return st, nil
}

// runScaled runs the action in this process with the client told the scaled
// windows, as a run against GitHub is told GitHub's documented ones. It cannot
// run as a child: the scale is a test setting (app.Env), not an input. What is
// measured here is time, which does not depend on that.
func (s *Suite) runScaled(ctx context.Context, st *Stage, res *Result, label string, h hourCase, env map[string]string) (Record, error) {
	hw := retry.HourWindow{Allow: h.hour, Span: h.hourSpan()}
	pace := retry.Pace{Budget: h.minute, BudgetWindow: h.minuteSpan(), MaxHold: h.minuteSpan()}
	return s.record(ctx, st, res, label, func(ctx context.Context, out io.Writer) (Measure, error) {
		m := Measure{Start: time.Now()}
		m.Exit = app.Run(ctx, app.Env{Getenv: func(k string) string { return env[k] }, Stdout: out, Hour: &hw, Pace: &pace})
		m.Wall = time.Since(m.Start)
		return m, nil
	})
}

func (s *Suite) hourFiles(res *Result, h hourCase) (string, error) {
	ws, err := s.workspace(res.Scenario)
	if err != nil {
		return "", err
	}
	if err := writeFiles(ws, res.Scenario, h.assets, 4<<10, 600); err != nil {
		return "", err
	}
	res.notef("emulator windows, scaled 1/%d: %d writes / %s and %d writes / %s (GitHub: %d an hour, %d a minute); %d assets of 4 KiB, max_parallel=%d",
		h.scale, h.hour, h.hourSpan(), h.minute, h.minuteSpan(), retry.DocumentedPerHour, retry.DocumentedPerMinute, h.assets, h.parallel)
	return ws, nil
}

// hourSetup stages the emulator and the files of an hour scenario, and returns
// the action's environment with hour_window set to mode, and the tag.
func (s *Suite) hourSetup(ss *Stages, res *Result, mode string) (hourCase, *Stage, map[string]string, string, error) {
	h := s.hourCase()
	st, err := s.hourStage(ss, h)
	if err != nil {
		return h, nil, nil, "", err
	}
	ws, err := s.hourFiles(res, h)
	if err != nil {
		return h, nil, nil, "", err
	}
	tag := "v1.0.0-" + res.Scenario
	env := st.ActionEnv(ws, s.outputFile(), tag, "dist/*", map[string]string{"INPUT_MAX_PARALLEL": fmt.Sprint(h.parallel), "INPUT_HOUR_WINDOW": mode})
	return h, st, env, tag, nil
}

// hourWait: hour_window: wait paces the release across the scaled hour in one
// run; the wall time is compared with the least the two windows allow.
func (s *Suite) hourWait(ctx context.Context, ss *Stages, res *Result) error {
	h, st, env, tag, err := s.hourSetup(ss, res, "wait")
	if err != nil {
		return err
	}
	rec, err := s.runScaled(ctx, st, res, fmt.Sprintf("%d assets, hour_window: wait", h.assets), h, env)
	if err != nil {
		return err
	}
	checkAssets(st, res, tag, h.assets)
	least := h.minimum(rec.Writes)
	res.notef("%d writes let through, %d limit answers; the least the windows allow for %d writes: %s (unscaled: %s)",
		rec.Writes, rec.Limited, rec.Writes, fmtDur(least), least*h.scale)
	ratio := rec.Wall.Seconds() / least.Seconds()
	res.verdict("wall time / least the windows allow", rec.Exit == 0 && ratio <= h.maxRatio,
		fmt.Sprintf("%.2f (%s / %s)", ratio, fmtDur(rec.Wall), fmtDur(least)), fmt.Sprintf("<= %.1f", h.maxRatio))
	// The hour gate sends nothing the hour window would refuse; the minute
	// window is met by the pacing gate, held to limitMinute's target.
	minutes := rec.Wall.Seconds() / h.minuteSpan().Seconds()
	res.verdict("limit answers per scaled minute", float64(rec.Limited) <= minutes,
		fmt.Sprintf("%.2f (%d in %.0f scaled minutes)", float64(rec.Limited)/minutes, rec.Limited, minutes), "<= 1")
	return nil
}

// hourStop: hour_window: stop does what fits and exits 3; run again once the
// window has room, the same step finishes the one release. The time from the
// first run's start to the second's end is compared with the same minimum.
func (s *Suite) hourStop(ctx context.Context, ss *Stages, res *Result) error {
	h, st, env, tag, err := s.hourSetup(ss, res, "stop")
	if err != nil {
		return err
	}
	start := time.Now()
	var writes, uploads, limited, deletes int
	var first Record
	runs := 0
	for {
		runs++
		rec, err := s.runScaled(ctx, st, res, fmt.Sprintf("%d assets, hour_window: stop, run %d", h.assets, runs), h, env)
		if err != nil {
			return err
		}
		writes, uploads, limited = writes+rec.Writes, uploads+rec.Uploads, limited+rec.Limited
		deletes += rec.Counts[emulator.RouteDeleteAsset]
		if runs == 1 {
			first = rec
		}
		if rec.Exit == 3 {
			dropExitVerdict(res) // stopping is this scenario's point; judged below
		}
		if rec.Exit != 3 || runs == 4 {
			res.verdict("last run's exit code", rec.Exit == 0, fmt.Sprint(rec.Exit), "0")
			break
		}
		// As a workflow re-run would: once the window has room again, a
		// scaled hour after the run's first request (and a little more, so the
		// emulator's window, which counted each write on arrival, agrees).
		time.Sleep(time.Until(rec.First.Add(h.hourSpan() + 100*time.Millisecond)))
	}
	total := time.Since(start)
	checkAssets(st, res, tag, h.assets)
	least := h.minimum(writes)
	res.notef("%d runs; the first stopped after %d writes in %s with exit code %d; %d writes and %d uploads in all, %d limit answers; the least the windows allow for %d writes: %s (unscaled: %s)",
		runs, first.Writes, fmtDur(first.Wall), first.Exit, writes, uploads, limited, writes, fmtDur(least), least*h.scale)
	res.verdict("first run's exit code", first.Exit == 3, fmt.Sprint(first.Exit), "3 (stopped at the hour window)")
	// A limit answer refuses an upload before it starts; the rest each put an
	// asset on the release, so none may have been sent twice.
	res.verdict("uploads let through over all runs", uploads-limited == h.assets, fmt.Sprint(uploads-limited), fmt.Sprint(h.assets))
	res.verdict("deletes over all runs", deletes == 0, fmt.Sprint(deletes), "0")
	ratio := total.Seconds() / least.Seconds()
	res.verdict("first start to last end / least the windows allow", ratio <= h.maxRatio,
		fmt.Sprintf("%.2f (%s / %s)", ratio, fmtDur(total), fmtDur(least)), fmt.Sprintf("<= %.1f", h.maxRatio))
	return nil
}

// retryBudget is GitHub's documented least time for n writes (retry.BudgetFor).
func retryBudget(n int) time.Duration { return retry.BudgetFor(n).AtDocumentedPace }

// dropExitVerdict removes the failed exit-code verdict record adds for the
// last run, for a run whose exit code 3 is expected.
func dropExitVerdict(res *Result) {
	if n := len(res.Verdicts); n > 0 && strings.HasSuffix(res.Verdicts[n-1].Name, ": exit code") {
		res.Verdicts = res.Verdicts[:n-1]
	}
}
