package publish

import (
	"errors"
	"fmt"
	"time"

	"github.com/releasekit/release-action/internal/retry"
)

// announceHour says, before the first write, what GitHub's hour window means
// for a plan of writes content-creating requests: nothing when they fit; else
// whether the run paces across the window (hour_window: wait) or stops when it
// is full (hour_window: stop, or a wait longer than hour_window_max_wait), and
// that running the same step again continues.
func (r *run) announceHour(writes int) {
	w := r.p.Hour.Window()
	if writes <= w.Limit() {
		return
	}
	least := w.LeastWait(writes)
	words := r.j.Words
	head := fmt.Sprintf("this run needs %d content-creating requests, more than GitHub's hour window lets through (%d in %s)", writes, w.Limit(), w.Length())
	switch {
	case w.Stop:
		r.warn("%s; with %s it sends about %d, then stops: the release stays a draft, the step fails (exit code 3), and running the same step again after the window has room continues where this run stopped",
			head, words.Set("hour_window", "stop"), w.Limit())
	case least > w.WaitCap():
		r.warn("%s; pacing across it means waiting at least %s, more than %s allows, so the run stops when that is spent: the release stays a draft, the step fails (exit code 3), and running the same step again continues",
			head, least, words.Set("hour_window_max_wait", w.WaitCap().String()))
	default:
		r.p.Log.Infof("%s; %s: the run paces across it, waiting at least %s for room (at most %s)",
			head, words.Set("hour_window", "wait"), least, w.WaitCap())
	}
}

// hourStopped turns a run that stopped at a full hour window into one error
// that says where things stand and that running again continues. The executor
// reports each step that was not sent; they are one cause. Other errors of the
// same run are kept beside it.
func (r *run) hourStopped(err error) error {
	var hs *retry.HourStop
	if !errors.As(err, &hs) {
		return err
	}
	var others []error
	for _, e := range leaves(err) {
		if !errors.As(e, new(*retry.HourStop)) {
			others = append(others, e)
		}
	}
	where := "no release was created yet"
	switch rel := r.release; {
	case rel != nil && !r.published && rel.Draft:
		where = fmt.Sprintf("draft release %d stays unpublished and keeps the %d assets this run uploaded", rel.ID, len(r.uploaded))
	case rel != nil && !r.published:
		where = fmt.Sprintf("release %d was already published and holds part of this run's changes (%d assets uploaded)", rel.ID, len(r.uploaded))
	case rel != nil:
		where = fmt.Sprintf("release %d is published; what came after the publish was cut short", rel.ID)
	}
	chose := r.j.Words.Set("hour_window", "stop")
	if !hs.Stopped {
		chose = r.j.Words.Input("hour_window_max_wait")
	}
	wait := time.Until(hs.Room).Round(time.Second)
	stop := fmt.Errorf("stopped before finishing %s (%s): %w. The %s. Run the same step again to continue (GitHub's window has room again in %s): it finds this release, skips every asset already uploaded with the same digest, and sends the rest",
		r.j.Tag, chose, hs, where, max(wait, 0))
	return errors.Join(append(others, stop)...)
}

// leaves flattens joined errors.
func leaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leaves(e)...)
		}
		return out
	}
	return []error{err}
}
