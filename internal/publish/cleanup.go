package publish

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/releasekit/release-action/internal/assets"
)

// cleanupTimeout bounds the cleanup after a failure. After a cancel (SIGINT) the
// runner sends SIGTERM a few seconds later and then kills the process, so the
// cleanup gets a context of its own, independent of the cancelled one, and gives
// up in time.
const cleanupTimeout = 10 * time.Second

// owned is what a run started on a release, by name: each name it began an
// upload under (what a broken or cancelled attempt left there, a "starter" or an
// asset whose answer was lost, is this run's own), and the temporary names of
// replacements whose old asset still exists, which are safe to remove.
type owned struct {
	names map[string]bool // GitHub's stored names
	temps map[string]bool
}

func (o *owned) addName(name string)  { o.names = addTo(o.names, assets.GitHubName(name)) }
func (o *owned) addTemp(name string)  { o.temps = addTo(o.temps, assets.GitHubName(name)) }
func (o *owned) keepTemp(name string) { delete(o.temps, assets.GitHubName(name)) }

// dropTempDone forgets a temporary copy the run has removed itself.
func (o *owned) dropTempDone(name string) {
	delete(o.temps, name)
	delete(o.names, name)
}
func (o *owned) dropName(name string) { delete(o.names, assets.GitHubName(name)) }

func addTo(m map[string]bool, k string) map[string]bool {
	if m == nil {
		m = map[string]bool{}
	}
	m[k] = true
	return m
}

func (o *owned) clone() owned { return owned{names: maps.Clone(o.names), temps: maps.Clone(o.temps)} }

func (o *owned) merge(p owned) {
	for k := range p.names {
		o.names = addTo(o.names, k)
	}
	for k := range p.temps {
		o.temps = addTo(o.temps, k)
	}
}

// ours reports whether this run put asset a on the release: a complete asset
// by the id its upload answered with, never by name alone (another run may
// have uploaded that name since); an unfinished one ("starter", whose id no
// answer gave) by a name this run began an upload under.
func (r *run) ours(a *Asset) bool {
	if r.uploaded[a.ID] {
		return true
	}
	return a.State != "uploaded" && r.own.names[a.Name]
}

// cleanupAfter removes what the failed (or cancelled) run created, within
// cleanupTimeout: the draft it created, a draft its lost create may have made,
// or on a release it found, the temporary copies of unfinished replacements.
func (r *run) cleanupAfter(ctx context.Context) {
	ended := "failed"
	if ctx.Err() != nil {
		ended = "interrupted" // a signal or the job's cancel, not a failure
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	switch {
	case r.created:
		r.cleanup(ctx, ended)
	case r.unsure:
		r.cleanupLost(ctx, ended)
	case r.release != nil && len(r.own.temps) > 0:
		r.removeTemps(ctx, r.release)
	}
}

// cleanup removes the draft this run created. A draft that holds assets this run
// did not start is someone else's work too (a concurrent job adopted it) and
// stays.
func (r *run) cleanup(ctx context.Context, ended string) {
	rel := r.release
	if rel == nil || !rel.Draft {
		return
	}
	if r.removeDraft(ctx, rel) {
		r.p.Log.Infof("removed draft release %d created by this %s run", rel.ID, ended)
	}
}

// removeDraft deletes draft rel unless another run is using it, and reports
// whether it is gone. Any run may adopt a draft it finds for its tag, so the
// draft is read again first (still a draft for the tag: another run has not
// published it), then its assets (each one this run's own), then deleted.
// Reading the release before the assets means that a run that adopted the
// draft must have finished its uploads before the listing, where they show,
// to publish before the delete. GitHub has no conditional delete, so one round
// trip stays open: a run with nothing to upload that publishes exactly then.
func (r *run) removeDraft(ctx context.Context, rel *Release) bool {
	_, err := r.deleteReleaseKnown(ctx, rel.ID, func(now *Release) string {
		if r.stillDraftForTag(now) != "" {
			return "another run has made it the published release for " + now.TagName
		}
		list, err := r.p.GH.ListAssets(ctx, rel.ID)
		if err != nil {
			return fmt.Sprintf("its assets could not be read (%v)", err)
		}
		for _, a := range list {
			if !r.ours(a) {
				return fmt.Sprintf("it holds %s, which this run did not upload", a.Name)
			}
		}
		return ""
	})
	if err != nil {
		r.warn("leaving draft %d in place (delete it, or run again to finish it): %v", rel.ID, err)
		return false
	}
	return true
}

// cleanupLost removes the draft a create whose answer was lost may have made:
// the lookup found no release for the tag, so a draft for it with the name this
// run sent, holding nothing but what this run started, is this run's.
func (r *run) cleanupLost(ctx context.Context, ended string) {
	all, err := r.p.GH.ListReleases(ctx)
	if err != nil {
		r.warn("the answer to creating %s was lost and the releases cannot be listed: a draft for %s may be left (delete it, or run again to finish it): %v", r.j.Tag, r.j.Tag, err)
		return
	}
	for _, rel := range r.mayHaveCreated(all) {
		if r.removeDraft(ctx, rel) {
			r.p.Log.Infof("removed draft release %d, which this %s run's create made (its answer was lost)", rel.ID, ended)
		}
	}
}

// removeTemps deletes the temporary copies of replacements this run began on
// rel and did not finish; the old assets they were to replace are still there.
func (r *run) removeTemps(ctx context.Context, rel *Release) {
	list, err := r.p.GH.ListAssets(ctx, rel.ID)
	if err != nil {
		r.warn("could not list the assets of release %d to remove this run's temporary copies (the next run removes them): %v", rel.ID, err)
		return
	}
	for _, a := range list {
		if !r.own.temps[a.Name] {
			continue
		}
		if err := r.p.GH.DeleteAsset(ctx, a.ID); err != nil && !errors.Is(err, ErrNotFound) {
			r.warn("could not remove the temporary asset %s (the next run removes it): %v", a.Name, err)
			continue
		}
		r.p.Log.Infof("removed the temporary asset %s of an unfinished replacement", a.Name)
	}
}
