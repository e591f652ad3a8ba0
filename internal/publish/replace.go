//go:build !oldreplace

package publish

import (
	"context"
	"fmt"
	"time"
)

// replace swaps an asset's content without a moment where a failure leaves the
// release without it, and so that runs replacing the same name at once end with
// exactly one asset of that name and no temporary copy:
//
//  1. the new file goes up under this run's temporary name (temps.go);
//  2. the old asset is deleted by id, only while it is still the asset planned
//     (deleteKnown); already gone means another run is replacing it too;
//  3. the temporary copy takes the name. When another run's asset took the name
//     first (422 already_exists), this run lost the race: it removes its own
//     copy, and the asset of that name is kept when it holds the same bytes,
//     otherwise the run fails and says that another run's content is there.
//
// A broken old asset holds nothing worth keeping and is deleted first.
func (e *executor) replace(ctx context.Context, s Step) (*Asset, Action, error) {
	old := s.Remote
	if old.State != "" && old.State != "uploaded" {
		gone, err := e.deleteKnown(ctx, old)
		if err != nil {
			return nil, "", fmt.Errorf("delete broken asset %s: %w", old.Name, err)
		}
		if !gone {
			e.log.Infof("replace %s: deleted the broken asset (state %q, id %d)", s.Name, old.State, old.ID)
		}
		a, err := e.upload(ctx, s, s.Name)
		if IsAlreadyExists(err, "ReleaseAsset") {
			e.note(func(o *owned) { o.dropName(s.Name) })
			o, err := e.adoptRace(ctx, s, err)
			return o.asset, o.action, err
		}
		return a, ActionReplaced, err
	}
	tmp := e.tag.TempName(s.Name)
	e.log.Infof("replace %s: uploading the new content as %s first", s.Name, tmp)
	e.note(func(o *owned) { o.addTemp(tmp) })
	a, err := e.upload(ctx, s, tmp)
	if err != nil {
		return nil, "", err
	}
	gone, err := e.deleteKnown(ctx, old)
	if err != nil {
		// The old asset stays; drop the new copy so the release is as it was.
		e.dropTemp(ctx, a)
		return nil, "", fmt.Errorf("replace %s: delete the old asset: %w", old.Name, err)
	}
	if gone {
		e.log.Infof("replace %s: the old asset (id %d) is already gone; another run may be replacing it too", s.Name, old.ID)
	} else {
		e.log.Infof("replace %s: deleted the old asset (id %d)", s.Name, old.ID)
	}
	// From here the new copy may be the only one: a failure keeps it for the
	// next attempt of this workflow run to finish (temps.go).
	e.note(func(o *owned) { o.keepTemp(tmp) })
	// The copy's id came from the upload's answer alone: a second answer must
	// agree that it is this run's copy on this release before it is renamed.
	if gone, err := e.stillKnown(ctx, a); gone || err != nil {
		if err == nil {
			err = fmt.Errorf("it is gone")
		}
		return nil, "", fmt.Errorf("replace %s: the new content was uploaded as %s (id %d), but %w", s.Name, tmp, a.ID, err)
	}
	name := s.Name
	got, err := e.gh.UpdateAsset(ctx, a.ID, &name, nil)
	if IsAlreadyExists(err, "ReleaseAsset") {
		return e.lostRename(ctx, s, a, err)
	}
	if err != nil {
		return nil, "", fmt.Errorf("replace %s: the new content is on the release as %s, but renaming it failed (run the job again to finish): %w", s.Name, tmp, err)
	}
	e.log.Infof("replace %s: renamed %s to %s; replaced", s.Name, tmp, got.Name)
	return got, ActionReplaced, nil
}

// lostRename ends a replacement whose rename found the name taken: another run
// put its asset there after this run's old asset went. This run's temporary
// copy goes; the asset of that name is this run's content or another's.
func (e *executor) lostRename(ctx context.Context, s Step, tmp *Asset, cause error) (*Asset, Action, error) {
	e.dropTemp(ctx, tmp)
	list, err := e.gh.ListAssets(ctx, e.rel.ID)
	if err != nil {
		return nil, "", fmt.Errorf("replace %s: another run took the name first, and listing the assets failed: %w (%w)", s.Name, err, cause)
	}
	for _, a := range list {
		if a.Name != s.Name {
			continue
		}
		if a.State == "uploaded" && (a.SHA256() != "" && a.SHA256() == tmp.SHA256() && a.Size == tmp.Size || e.equivalent(ctx, a, s.Local)) {
			e.log.Infof("replace %s: another run replaced it first with the same content; kept", s.Name)
			return a, ActionKept, nil
		}
		return nil, "", fmt.Errorf("replace %s: another run replaced it at the same time with other content (%s); this run's file %s is not on the release: %w",
			s.Name, describeContent(a), s.Path, errConflict)
	}
	return nil, "", fmt.Errorf("replace %s: the name was taken while renaming, then freed again; run again to converge: %w", s.Name, cause)
}

// dropTemp removes this run's own temporary copy, once a second answer agrees
// that the id its upload answered with is that copy.
func (e *executor) dropTemp(ctx context.Context, a *Asset) {
	if _, err := e.deleteKnown(ctx, a); err != nil {
		e.log.Warningf("could not remove the temporary asset %s (a later attempt of this workflow run, or any run after %s, removes it): %v", a.Name, tempLease, err)
		return
	}
	e.note(func(o *owned) { o.dropTempDone(a.Name) })
}

// classify tells whose temporary asset a is, at time now. created is the
// asset's created_at as GitHub reports it; a zero time (a server that does not
// say) never counts as old.
func (t runTag) classify(a *Asset, now time.Time) (string, tempKind) {
	p, ok := parseTemp(a.Name)
	switch {
	case !ok:
		return "", notTemp
	case p.nonce == t.nonce && p.runID == t.ID && p.attempt == t.Attempt:
		return p.base, tempMine
	case p.runID > 0 && p.runID == t.ID && t.Attempt > 0 && p.attempt < t.Attempt:
		return p.base, tempDead
	case !a.CreatedAt.IsZero() && now.Sub(a.CreatedAt) > tempLease:
		return p.base, tempDead
	}
	return p.base, tempLive
}
