package publish

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/releasekit/release-action/internal/core"
)

// Immutability is what a run knows of the repository's immutable-releases
// setting: releases published while it is on can never change their assets
// or their tag, and their tag name can never be used for a release again.
// https://docs.github.com/en/code-security/supply-chain-security/understanding-your-software-supply-chain/immutable-releases
type Immutability int

// The settings a run can know.
const (
	ImmutabilityUnknown Immutability = iota // the server has no answer for this token
	ImmutabilityOff
	ImmutabilityOn
)

func (m Immutability) String() string {
	switch m {
	case ImmutabilityOn:
		return "on"
	case ImmutabilityOff:
		return "off"
	}
	return "unknown"
}

// ImmutabilityReader is the part of GitHub that reads the setting. It is a
// separate interface so that a GitHub without it (a test's fake) reads as
// "unknown"; ghclient.Client implements it.
type ImmutabilityReader interface {
	// Immutability reads the setting; a server or token that cannot tell
	// answers ImmutabilityUnknown with a nil error.
	Immutability(ctx context.Context) (Immutability, error)
}

// readImmutability reads the setting, before the run's first write, when a
// decision depends on it (a plain run spends no request on it), and refuses
// what can only fail under it: move_tag, which moves the tag of a release
// that publishing makes immutable. Unknown refuses nothing; an immutable
// release found for the tag is still refused a move (tagmove.go).
func (r *run) readImmutability(ctx context.Context) error {
	ir, ok := r.p.GH.(ImmutabilityReader)
	if !ok || r.j.MoveTag == core.MoveTagOff {
		return nil
	}
	got, err := ir.Immutability(ctx)
	if err != nil {
		return fmt.Errorf("read the repository's immutable-releases setting: %w", err)
	}
	r.p.Log.Infof("immutable releases: %s", got)
	if got == ImmutabilityOn {
		return fmt.Errorf("%s: repository %s has immutable releases on, so a published release's tag can never move, and a tag once used by an immutable release can never be used for a release again; nothing was changed. "+
			"Publish each build under a tag of its own instead (a channel: for example tag nightly-<run number>, with %s and %s to remove the older ones; see the README, \"Nightly channels\"), and leave %s unset",
			r.j.Words.Input("move_tag"), r.j.Repository, r.j.Words.Set("prune_tags", "nightly-*"), r.j.Words.Set("keep_latest", "5"), r.j.Words.Ref("move_tag"))
	}
	return nil
}

// ErrBurnedTag matches a publish GitHub refused because an immutable release
// used the tag before: the name can never be published again.
var ErrBurnedTag = errors.New("tag used by an immutable release before")

// isBurnedTag reports whether err is GitHub's refusal to publish on a tag an
// immutable release used: a 422 about tag_name that names immutability.
func isBurnedTag(err error) bool {
	var e *APIError
	if !errors.As(err, &e) || e.Status != http.StatusUnprocessableEntity {
		return false
	}
	for _, fe := range e.Errors {
		if fe.Field == "tag_name" && strings.Contains(strings.ToLower(fe.Message), "immutable") {
			return true
		}
	}
	return false
}

// burnedTag is the end of a run whose publish GitHub refused for a burned
// tag. GitHub took the draft and its uploads and refused only the publish, so
// no read told it earlier. The draft this run created goes with the failure's
// cleanup (cleanupAfter); on a draft the run found, it removes what it
// uploaded itself, each asset read by id first and deleted only while it is
// still the one uploaded.
func (r *run) burnedTag(ctx context.Context, rel *Release, cause error) error {
	what := fmt.Sprintf("the draft %d this run created is removed", rel.ID)
	if !r.created {
		r.removeOwnUploads(ctx, rel)
		what = fmt.Sprintf("draft %d, which this run found, stays, without what this run uploaded", rel.ID)
	}
	return &burnedTagError{cause: cause, msg: fmt.Sprintf("tag %s is burned: an immutable release used it before (and was deleted), and GitHub never lets a release be published on that tag again; %s. "+
		"Publish under a new tag (for example %s.1, or one with the run number or the commit in it); deleting the git tag does not help",
		r.j.Tag, what, r.j.Tag)}
}

// burnedTagError is one message (one annotation) that matches ErrBurnedTag
// and unwraps to GitHub's answer.
type burnedTagError struct {
	msg   string
	cause error
}

func (e *burnedTagError) Error() string        { return e.msg + " (GitHub: " + e.cause.Error() + ")" }
func (e *burnedTagError) Unwrap() error        { return e.cause }
func (e *burnedTagError) Is(target error) bool { return target == ErrBurnedTag }

// removeOwnUploads deletes, from a draft this run did not create, the assets
// this run uploaded to it: by id, after reading each again.
func (r *run) removeOwnUploads(ctx context.Context, rel *Release) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	ex := &executor{gh: r.p.GH, log: r.p.Log, rel: rel}
	for _, rep := range r.reports {
		if !r.uploaded[rep.ID] {
			continue
		}
		planned := &Asset{ID: rep.ID, Name: rep.Name, Size: rep.Size, Digest: rep.Digest, State: rep.State}
		if _, err := ex.deleteKnown(ctx, planned); err != nil {
			r.warn("could not remove %s (id %d), which this run uploaded to draft %d: %v", rep.Name, rep.ID, rel.ID, err)
			continue
		}
		r.p.Log.Infof("removed %s (id %d), which this run uploaded to draft %d", rep.Name, rep.ID, rel.ID)
	}
}
