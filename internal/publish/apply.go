package publish

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/progress"
)

// executor carries out a plan against one release, and reports what it did.
type executor struct {
	gh       GitHub
	log      Logger
	rel      *Release
	parallel int
	meter    *progress.Meter // shows the uploads; nil shows nothing
	tag      runTag          // this run, in temporary names
	repo     string          // "owner/name", whose bundles are as good as this run's

	mu       sync.Mutex
	uploaded []int64 // assets this executor created, reported for failure cleanup
	own      owned   // names it started uploads under, for the same
}

// outcome is the final state of one step.
type outcome struct {
	step   Step
	asset  *Asset // the asset as it ends up (as it was, for delete)
	action Action
}

// applied is what the executor did: the outcome of every step that succeeded,
// and every asset it created, even when other steps failed, so that the caller
// can tell its own uploads from other runs' when it cleans up.
type applied struct {
	outs     []outcome
	uploaded []int64
	own      owned
}

// run applies the steps. Uploads and replacements run up to parallel at once and
// all of them are attempted even when one fails; deletions run only after every
// upload succeeded, so a failed run never removes an asset.
func (e *executor) run(ctx context.Context, steps []Step) (applied, error) {
	var (
		mu   sync.Mutex
		outs []outcome
		errs []error
	)
	add := func(o outcome, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, err)
			return
		}
		outs = append(outs, o)
	}
	// Room deletes (prune_assets, retain.go) make room under the asset cap,
	// so they go first; if one fails, nothing is uploaded.
	room, steps := roomFirst(steps)
	if e.deleteSteps(ctx, room, add); len(errs) > 0 {
		return e.applied(outs), errors.Join(errs...)
	}
	var g errgroup.Group
	g.SetLimit(max(1, e.parallel))
	var deletes []Step
	for _, s := range steps {
		if s.Op == OpDelete {
			deletes = append(deletes, s)
			continue
		}
		g.Go(func() error {
			add(e.apply(ctx, s))
			return nil
		})
	}
	_ = g.Wait()
	if len(errs) == 0 {
		e.deleteSteps(ctx, deletes, add)
	}
	return e.applied(outs), errors.Join(errs...)
}

// applied reports the outcomes, sorted by name, with what the executor created.
func (e *executor) applied(outs []outcome) applied {
	sort.Slice(outs, func(i, j int) bool { return outs[i].step.Name < outs[j].step.Name })
	e.mu.Lock()
	defer e.mu.Unlock()
	return applied{outs: outs, uploaded: slices.Clone(e.uploaded), own: e.own.clone()}
}

func (e *executor) apply(ctx context.Context, s Step) (outcome, error) {
	switch s.Op {
	case OpKeep:
		a := s.Remote
		if s.Rename || s.Relabel {
			var name, label *string
			if s.Rename {
				name = &s.Name
			}
			if s.Label != "" {
				label = &s.Label
			}
			e.log.Infof("%s: same content; updating %s", s.Name, map[bool]string{true: "name and label", false: "label"}[s.Rename])
			got, err := e.gh.UpdateAsset(ctx, a.ID, name, label)
			if err != nil {
				return outcome{}, fmt.Errorf("update asset %s: %w", a.Name, err)
			}
			a = got
		}
		return outcome{step: s, asset: a, action: s.Op.Action()}, nil
	case OpUpload:
		a, err := e.upload(ctx, s, s.Name)
		if IsAlreadyExists(err, "ReleaseAsset") {
			// Another job uploaded the same name after we listed the assets: the
			// asset under that name is its, not this run's.
			e.note(func(o *owned) { o.dropName(s.Name) })
			return e.adoptRace(ctx, s, err)
		}
		if err != nil {
			return outcome{}, err
		}
		return outcome{step: s, asset: a, action: s.Op.Action()}, nil
	case OpReplace:
		a, action, err := e.replace(ctx, s)
		if err != nil {
			return outcome{}, err
		}
		return outcome{step: s, asset: a, action: action}, nil
	}
	return outcome{}, fmt.Errorf("step %s %s: unknown op", s.Op, s.Name)
}

// adoptRace handles a 422 for a name that appeared after planning.
func (e *executor) adoptRace(ctx context.Context, s Step, cause error) (outcome, error) {
	list, err := e.gh.ListAssets(ctx, e.rel.ID)
	if err != nil {
		return outcome{}, fmt.Errorf("upload %s: %w", s.Name, cause)
	}
	for _, a := range list {
		if a.Name != s.Name {
			continue
		}
		if a.State != "" && a.State != "uploaded" {
			// A broken upload holds the name; this run's own earlier attempt may
			// have left it, so it is not said to be another run's.
			return outcome{}, fmt.Errorf("upload %s: a broken upload (state %q) holds the name; run again to replace it: %w", s.Name, a.State, cause)
		}
		if s.Local.SHA256 == "" {
			sum, _, herr := hashLocal(s.Local)
			if herr != nil {
				return outcome{}, herr
			}
			s.Local.SHA256 = sum
		}
		if e.equivalent(ctx, a, s.Local) {
			// The other run's upload is ours too: kept, not uploaded.
			return outcome{step: s, asset: a, action: ActionKept}, nil
		}
		return outcome{}, fmt.Errorf("upload %s: another run uploaded different content under this name at the same time (%s); run again to converge: %w (%w)", s.Name, describeContent(a), errConflict, cause)
	}
	return outcome{}, fmt.Errorf("upload %s: %w", s.Name, cause)
}

func (e *executor) upload(ctx context.Context, s Step, name string) (*Asset, error) {
	l := s.Local
	// Whatever this attempt leaves on the release (a "starter", or an asset
	// whose answer was lost) is this run's own.
	e.note(func(o *owned) { o.addName(name) })
	t := e.meter.Start(name, l.Size)
	a, err := e.gh.UploadAsset(ctx, e.rel, UploadRequest{
		Path: l.Path, Name: name, Label: s.Label, ContentType: l.ContentType, Size: l.Size, Identity: l.Identity, SHA256: l.SHA256,
		Progress: t.Add,
	})
	t.End(err)
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", l.Rel, err)
	}
	e.mu.Lock()
	e.uploaded = append(e.uploaded, a.ID)
	e.mu.Unlock()
	e.log.Infof("uploaded %s (%s)", a.Name, assets.FormatSize(a.Size))
	return a, nil
}

// note records what the executor started, under its lock.
func (e *executor) note(f func(*owned)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f(&e.own)
}
