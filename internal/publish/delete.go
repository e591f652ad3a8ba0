package publish

import (
	"context"
	"errors"
	"fmt"
)

// ErrChangedMeanwhile means an asset the run planned on is no longer what the
// plan saw: another run renamed, replaced or re-uploaded it in between.
var ErrChangedMeanwhile = errors.New("changed since this run listed it")

// errConflict marks a run that lost a race to another run with other content.
var errConflict = errors.New("runs disagree about the content")

// deleteKnown deletes the asset planned, by id, only while it is still the
// asset the run planned on: the same id, name and size (and digest, when both
// are known). It reports gone when the asset was already deleted. A name alone
// never decides a delete: ids are never reused, and the check catches an asset
// another run renamed or finished since the listing.
//
// GitHub has no conditional delete, so the window between the check and the
// delete stays open for one round trip; the run ownership of temporary assets
// (temps.go) keeps concurrent runs from planning deletes of each other's work in
// the first place.
func (e *executor) deleteKnown(ctx context.Context, planned *Asset) (gone bool, err error) {
	if gone, err := e.stillKnown(ctx, planned); gone || err != nil {
		return gone, err
	}
	err = e.gh.DeleteAsset(ctx, planned.ID)
	if errors.Is(err, ErrNotFound) {
		return true, nil
	}
	return false, err
}

// stillKnown reads the asset planned by its id, as an asset of the release
// this run works on, and reports whether it is gone, or an error when it is no
// longer what the run planned on (sameAsset). Every delete and rename by id
// goes through it: an id, whether from a listing or an upload's answer, is
// acted on only once a second answer agrees about it.
func (e *executor) stillKnown(ctx context.Context, planned *Asset) (gone bool, err error) {
	now, err := e.gh.GetAsset(ctx, e.rel.ID, planned.ID)
	if errors.Is(err, ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("read asset %d before changing it: %w", planned.ID, err)
	}
	return false, sameAsset(planned, now)
}

// sameAsset checks that now, read by planned's id, is still the asset planned.
func sameAsset(planned, now *Asset) error {
	var diff string
	switch {
	case now.ID != planned.ID:
		diff = fmt.Sprintf("GitHub answered for id %d with asset id %d", planned.ID, now.ID)
	case now.Name != planned.Name:
		diff = fmt.Sprintf("it is now named %s", now.Name)
	case now.Size != planned.Size && planned.State == "uploaded":
		diff = fmt.Sprintf("it now holds %d bytes, not %d", now.Size, planned.Size)
	case now.State != planned.State && planned.State != "":
		diff = fmt.Sprintf("its state is now %q, not %q", now.State, planned.State)
	case now.SHA256() != "" && planned.SHA256() != "" && now.SHA256() != planned.SHA256():
		diff = fmt.Sprintf("it now holds sha256:%s, not sha256:%s", now.SHA256(), planned.SHA256())
	}
	if diff == "" {
		return nil
	}
	return fmt.Errorf("asset %s (id %d) %w: %s; left as it is, run again to converge", planned.Name, planned.ID, ErrChangedMeanwhile, diff)
}

// describeContent says what an asset holds, for messages.
func describeContent(a *Asset) string {
	if a.SHA256() != "" {
		return fmt.Sprintf("%d bytes, sha256:%s", a.Size, a.SHA256())
	}
	return fmt.Sprintf("%d bytes", a.Size)
}

// deleteReleaseKnown deletes release id, by id, only while a fresh read still
// shows the release planned: changed names what differs now ("" when nothing
// does). gone reports one deleted before the run got to it. It is the one
// checked delete of a whole release (orphan drafts, pruned channel releases).
func (r *run) deleteReleaseKnown(ctx context.Context, id int64, changed func(now *Release) string) (gone bool, err error) {
	now, err := r.p.GH.GetRelease(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("read it before deleting it: %w", err)
	}
	diff := changed(now)
	if now.ID != id {
		diff = fmt.Sprintf("GitHub answered for id %d with release id %d", id, now.ID)
	}
	if diff != "" {
		return false, fmt.Errorf("release %s (id %d) %w: %s; not deleted", now.TagName, id, ErrChangedMeanwhile, diff)
	}
	err = r.p.GH.DeleteRelease(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return true, nil
	}
	return false, err
}
