package publish

import (
	"context"
	"errors"
	"fmt"
)

// maxCreates bounds how often a create is sent: again only after a lost answer,
// and only when a listing shows that it did not land.
const maxCreates = 3

// sendCreate creates the draft. A create whose answer was lost is never sent
// again blindly: the releases are listed first, and a draft this run may have
// made is adopted; only when none is there does the create go out again. While
// the outcome is unknown, r.unsure tells the failure cleanup to look for it.
func (r *run) sendCreate(ctx context.Context, f ReleaseFields) (*Release, error) {
	r.sent = f
	for n := 1; ; n++ {
		r.unsure = true
		rel, err := r.p.GH.CreateRelease(ctx, f)
		if !errors.Is(err, ErrAnswerLost) {
			r.unsure = false
			return rel, err
		}
		if ctx.Err() != nil {
			return nil, err // cancelled: the cleanup looks for the draft
		}
		got, lerr := r.landed(ctx)
		if lerr != nil {
			return nil, fmt.Errorf("%w; then listing the releases, to find out whether it landed: %w", err, lerr)
		}
		if got != nil {
			r.unsure = false
			r.p.Log.Infof("the answer to creating %s was lost (%v), but the draft landed: using release %d", r.j.Tag, err, got.ID)
			return got, nil
		}
		r.unsure = false
		if n == maxCreates {
			return nil, err
		}
		r.p.Log.Infof("the answer to creating %s was lost and no draft landed; retrying the create (%v)", r.j.Tag, err)
	}
}

// landed lists the releases and returns the draft a lost create of this run may
// have made, or nil. Several such drafts mean concurrent runs created too: the
// oldest is the one every run settles on (pickDraft), so that one is kept and
// the others, one of which may be this run's, are removed; their owners drop
// them anyway when they settle.
func (r *run) landed(ctx context.Context) (*Release, error) {
	all, err := r.p.GH.ListReleases(ctx)
	if err != nil {
		return nil, err
	}
	cands := r.mayHaveCreated(all)
	if len(cands) == 0 {
		return nil, nil
	}
	keep := pickDraft(cands)
	for _, d := range cands {
		if d.ID == keep.ID {
			continue
		}
		if _, err := r.deleteReleaseKnown(ctx, d.ID, r.stillDraftForTag); err != nil {
			return nil, fmt.Errorf("delete duplicate draft %d: %w", d.ID, err)
		}
		r.p.Log.Infof("removed duplicate draft %d for %s; keeping the oldest, %d", d.ID, r.j.Tag, keep.ID)
	}
	return keep, nil
}

// mayHaveCreated returns the drafts in all that a create of this run may have
// made: a create is sent only when the lookup found no release for the tag, so
// any draft for the tag with the name the create sent is new since then.
func (r *run) mayHaveCreated(all []*Release) []*Release {
	var out []*Release
	for _, rel := range all {
		if rel.Draft && rel.TagName == deref(r.sent.TagName) && rel.Name == deref(r.sent.Name) {
			out = append(out, rel)
		}
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
