package publish

import (
	"context"
	"errors"
	"fmt"

	"github.com/releasekit/release-action/internal/core"
	"github.com/releasekit/release-action/internal/notes"
)

// tagState is the release's tag in git, read once before any change.
type tagState struct {
	exists    bool
	annotated bool
	commit    string // the tagged commit (through the tag object if annotated)
	message   string // body_from_tag: the annotated tag's message, signature removed
	// move is the commit move_tag moves the tag to after the assets, "" when
	// the tag stays; force says whether the move may go sideways.
	move  string
	force bool
}

// prepareTag reads the tag when body_from_tag, move_tag or notes_paths
// (where the notes end, notespaths.go) needs it, and decides the move before
// anything changes. stale reports a run whose commit is older than the tag's:
// it changes nothing at all and succeeds.
func (r *run) prepareTag(ctx context.Context, rel *Release) (stale bool, err error) {
	j := r.j
	if !j.BodyFromTag && j.MoveTag == core.MoveTagOff && len(j.NotesPaths) == 0 {
		return false, nil
	}
	if err := r.readTag(ctx); err != nil {
		return false, err
	}
	if j.BodyFromTag {
		if !r.tag.exists {
			return false, fmt.Errorf("%s: tag %s does not exist yet; it needs an annotated tag (git tag -a %s)", j.Words.Input("body_from_tag"), j.Tag, j.Tag)
		}
		if !r.tag.annotated {
			return false, fmt.Errorf("%s: tag %s is a lightweight tag, which has no message; create it with git tag -a (or -s), or leave %s unset", j.Words.Input("body_from_tag"), j.Tag, j.Words.Ref("body_from_tag"))
		}
	}
	if j.MoveTag == core.MoveTagOff || !r.tag.exists {
		return false, nil // a missing tag is made by publishing, at target()
	}
	return r.decideMove(ctx, rel)
}

// readTag reads the tag's reference, and its tag object when it is annotated.
func (r *run) readTag(ctx context.Context) error {
	gh, tag := r.p.GH, r.j.Tag
	obj, found, err := gh.GetRef(ctx, "tags/"+tag)
	if err != nil {
		return fmt.Errorf("read tag %s: %w", tag, err)
	}
	if !found {
		return nil
	}
	r.tag.exists, r.tag.commit = true, obj.SHA
	if obj.Type != "tag" {
		return nil
	}
	to, err := gh.GetTagObject(ctx, obj.SHA)
	if err != nil {
		return fmt.Errorf("read tag object %s of %s: %w", obj.SHA, tag, err)
	}
	r.tag.commit, r.tag.annotated = to.Object.SHA, true
	r.tag.message = notes.TagMessage(to.Message)
	return nil
}

// decideMove compares the tag's commit with the run's. Behind: the run is
// stale. Ahead: the tag moves forward. Diverged: only with move_tag: force. An
// immutable release holds its tag: refused before any change.
func (r *run) decideMove(ctx context.Context, rel *Release) (stale bool, err error) {
	j, log := r.j, r.p.Log
	want, err := r.targetCommit(ctx)
	if err != nil {
		return false, err
	}
	if want == r.tag.commit {
		log.Infof("tag %s is already on %s", j.Tag, short(want))
		return false, nil
	}
	if immutable(rel) {
		return false, fmt.Errorf("%s: release %s is immutable, so its tag stays on %s and cannot move to %s; publish a new tag instead", j.Words.Input("move_tag"), j.Tag, short(r.tag.commit), short(want))
	}
	cmp, err := r.p.GH.Compare(ctx, r.tag.commit, want)
	if err != nil {
		return false, fmt.Errorf("compare tag %s (%s) with %s: %w", j.Tag, short(r.tag.commit), short(want), err)
	}
	switch cmp.Status {
	case "identical":
		return false, nil
	case "behind":
		msg := fmt.Sprintf("tag %s is on %s, which is newer than this run's commit %s (%d commits behind): a later run got there first, so this run changes nothing", j.Tag, short(r.tag.commit), short(want), cmp.BehindBy)
		log.Infof("%s", msg)
		r.release, r.tagNote = rel, msg
		return true, nil
	case "ahead":
	case "diverged":
		if j.MoveTag != core.MoveTagForce {
			return false, fmt.Errorf("%s: tag %s is on %s, and %s does not descend from it (the histories diverged); set %s to move it anyway", j.Words.Input("move_tag"), j.Tag, short(r.tag.commit), short(want), j.Words.Set("move_tag", "force"))
		}
		r.tag.force = true
	default:
		return false, fmt.Errorf("compare tag %s with %s: unknown status %q", j.Tag, short(want), cmp.Status)
	}
	if r.tag.annotated {
		log.Warningf("tag %s is annotated; moving it points it at the commit %s, and its message stays behind", j.Tag, short(want))
	}
	r.tag.move = want
	log.Infof("tag %s is on %s; it moves to %s (%s) once every asset is in place", j.Tag, short(r.tag.commit), short(want), cmp.Status)
	return false, nil
}

// targetCommit resolves target() to a commit SHA: the refs API moves a tag to
// a commit, not to a branch name.
func (r *run) targetCommit(ctx context.Context) (string, error) {
	t := r.target()
	if isSHA(t) {
		return t, nil
	}
	obj, found, err := r.p.GH.GetRef(ctx, "heads/"+t)
	if err != nil {
		return "", fmt.Errorf("read branch %s: %w", t, err)
	}
	if !found || obj.Type != "commit" {
		return "", fmt.Errorf("%s: %q is neither a branch nor a full commit SHA; %s needs one of them", r.j.Words.Input("target_commitish"), t, r.j.Words.Ref("move_tag"))
	}
	return obj.SHA, nil
}

// moveTag moves the tag decided by prepareTag, then reads it back.
func (r *run) moveTag(ctx context.Context) error {
	if r.tag.move == "" || r.j.DryRun {
		return nil
	}
	j, gh := r.j, r.p.GH
	_, err := gh.UpdateRef(ctx, j.Tag, r.tag.move, r.tag.force)
	if errors.Is(err, ErrNotFastForward) {
		return fmt.Errorf("move tag %s to %s: GitHub refused, the move is no longer a fast forward: the tag moved while this run was working (another run?); this run's assets are in place, but the tag stays where the other run put it: %w", j.Tag, short(r.tag.move), err)
	}
	if err != nil {
		return fmt.Errorf("move tag %s to %s: %w", j.Tag, short(r.tag.move), err)
	}
	obj, found, err := gh.GetRef(ctx, "tags/"+j.Tag)
	if err != nil {
		return fmt.Errorf("read tag %s back after moving it: %w", j.Tag, err)
	}
	if !found || obj.SHA != r.tag.move {
		return fmt.Errorf("tag %s is on %q after moving it to %s", j.Tag, obj.SHA, r.tag.move)
	}
	how := "forward"
	if r.tag.force {
		how = "(forced)"
	}
	r.tagNote = fmt.Sprintf("tag %s moved %s from %s to %s", j.Tag, how, short(r.tag.commit), short(r.tag.move))
	r.changed = true
	r.p.Log.Infof("%s", r.tagNote)
	return nil
}

func isSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
