package publish

import (
	"context"
	"fmt"
)

// A draft for a tag that a published release holds can never be published
// (GitHub refuses a second release for the tag), and no live run keeps one: a
// run that created a draft lists the releases right after, and drops its draft
// when a published release or an older draft has the tag. Such a draft is what
// a run killed between those two steps left. The runs that see one remove it:
// a run that lists the releases for its own reasons, and a re-run (attempt 2 and
// later), whose earlier attempt may be the run that was killed, lists them for
// this alone.

// sweepIfRerun lists the releases, on a re-run only, and removes the orphan
// drafts beside pub.
func (r *run) sweepIfRerun(ctx context.Context, pub *Release) {
	if r.j.Runner.Attempt < 2 || r.j.DryRun {
		return
	}
	all, err := r.p.GH.ListReleases(ctx)
	if err != nil {
		r.warn("could not list the releases to look for drafts an earlier attempt left: %v", err)
		return
	}
	r.sweep(ctx, pub, all)
}

// sweep removes the drafts for the tag in all that can never be published
// because pub, published, holds the tag. Each is read again by id first and
// removed only while it is still a draft for the tag.
func (r *run) sweep(ctx context.Context, pub *Release, all []*Release) {
	if pub == nil || pub.Draft || r.j.DryRun {
		return
	}
	_, drafts := forTag(all, r.j.Tag)
	for _, d := range drafts {
		if err := r.removeOrphan(ctx, d.ID); err != nil {
			r.warn("draft %d for %s can never be published, since release %d has the tag, but removing it failed (delete it by hand): %v", d.ID, r.j.Tag, pub.ID, err)
			continue
		}
		r.p.Log.Infof("removed draft %d for %s: release %d has the tag, so the draft could never be published (a stopped run left it)", d.ID, r.j.Tag, pub.ID)
	}
}

func (r *run) removeOrphan(ctx context.Context, id int64) error {
	_, err := r.deleteReleaseKnown(ctx, id, r.stillDraftForTag)
	return err
}

// stillDraftForTag names what changed when now is no longer a draft for the
// run's tag ("" when it still is).
func (r *run) stillDraftForTag(now *Release) string {
	if !now.Draft || now.TagName != r.j.Tag {
		return fmt.Sprintf("it is now %q (draft %v)", now.TagName, now.Draft)
	}
	return ""
}
