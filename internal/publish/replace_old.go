//go:build oldreplace

package publish

// This file exists for the model of concurrent runs (internal/model) only: built
// with -tags oldreplace, the action replaces assets the way it did before the
// replacement protocol of replace.go, so that a test can show the model finds
// what that protocol got wrong. Release builds never carry the tag.

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// replace, as it was: upload under a temporary name, delete the old asset,
// rename; a name taken meanwhile fails the run and leaves the copy behind.
func (e *executor) replace(ctx context.Context, s Step) (*Asset, Action, error) {
	old := s.Remote
	if old.State != "" && old.State != "uploaded" {
		if err := e.gh.DeleteAsset(ctx, old.ID); err != nil && !errors.Is(err, ErrNotFound) {
			return nil, "", fmt.Errorf("delete broken asset %s: %w", old.Name, err)
		}
		a, err := e.upload(ctx, s, s.Name)
		return a, ActionReplaced, err
	}
	tmp := e.tag.TempName(s.Name)
	e.note(func(o *owned) { o.addTemp(tmp) })
	a, err := e.upload(ctx, s, tmp)
	if err != nil {
		return nil, "", err
	}
	e.note(func(o *owned) { o.keepTemp(tmp) })
	if err := e.gh.DeleteAsset(ctx, old.ID); err != nil && !errors.Is(err, ErrNotFound) {
		return nil, "", fmt.Errorf("replace %s: delete the old asset: %w", old.Name, err)
	}
	name := s.Name
	got, err := e.gh.UpdateAsset(ctx, a.ID, &name, nil)
	if err != nil {
		return nil, "", fmt.Errorf("replace %s: renaming %s failed: %w", s.Name, tmp, err)
	}
	return got, ActionReplaced, nil
}

// classify, as it was: every temporary copy on the release was taken for an
// interrupted run's leftover.
func (t runTag) classify(a *Asset, _ time.Time) (string, tempKind) {
	p, ok := parseTemp(a.Name)
	if !ok {
		return "", notTemp
	}
	return p.base, tempDead
}
