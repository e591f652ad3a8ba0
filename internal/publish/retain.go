package publish

import (
	"context"
	"fmt"
	"path"
	"sort"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/releasekit/release-action/internal/assets"
)

// makeRoom is retention inside one release (prune_assets): when the plan would
// take the release past MaxAssets at any moment (peakAssets), it adds a delete
// of the oldest assets whose names match the glob, as many as the cap needs.
// The deletes are ordinary OpDelete steps, marked Room so that the executor
// runs them before the uploads (which is when the count peaks), and they go
// through its checked delete (deleteKnown) like every other. A plan that stays
// over the cap is refused by preflight as before.
func (r *run) makeRoom(p *assetPlan) {
	if r.j.PruneAssets == "" || p.err != nil {
		return
	}
	over := peakAssets(p, r.j.MaxParallel, r.j.Checksums) - MaxAssets
	if over <= 0 {
		return
	}
	p.steps = append(p.steps, roomDeletes(p.listed, p.steps, r.j.PruneAssets, r.j.Checksums, over, r.j.Words.Set("prune_assets", r.j.PruneAssets))...)
}

// roomDeletes picks the need oldest assets (by created_at, then id) of listed
// whose names match glob and that no step already uses: never an unmatched
// asset, never one a local file keeps or replaces, never the checksum list
// (this run rewrites it), never a temporary copy or an unfinished upload
// (another run's work in progress). Each becomes a Room delete. Every other
// asset stays, so it may pick fewer than need.
//
// setting is the input as the user set it (`prune_assets: x*`, or
// --prune-assets=x*), for the steps' reason.
func roomDeletes(listed []*Asset, steps []Step, glob, checksums string, need int, setting string) []Step {
	used := map[int64]bool{}
	for _, s := range steps {
		if s.Remote != nil {
			used[s.Remote.ID] = true
		}
	}
	sum := ""
	if checksums != "" {
		sum = assets.GitHubName(checksums)
	}
	var cands []*Asset
	for _, a := range listed {
		if used[a.ID] || a.Name == sum || broken(a) || tempPattern.MatchString(a.Name) {
			continue
		}
		if ok, _ := path.Match(glob, a.Name); ok {
			cands = append(cands, a)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if !cands[i].CreatedAt.Equal(cands[j].CreatedAt) {
			return cands[i].CreatedAt.Before(cands[j].CreatedAt)
		}
		return cands[i].ID < cands[j].ID
	})
	var out []Step
	for _, a := range cands[:min(max(need, 0), len(cands))] {
		out = append(out, Step{Op: OpDelete, Room: true, Name: a.Name, Remote: a, RemoteID: a.ID,
			Reason: fmt.Sprintf("oldest matching %s (created %s): makes room under GitHub's cap of %d assets",
				setting, a.CreatedAt.UTC().Format(time.RFC3339), MaxAssets)})
	}
	return out
}

// deleteSteps runs delete steps, up to e.parallel at once, each through the
// checked delete, and hands every outcome to add.
func (e *executor) deleteSteps(ctx context.Context, steps []Step, add func(outcome, error)) {
	var g errgroup.Group
	g.SetLimit(max(1, e.parallel))
	for _, s := range steps {
		g.Go(func() error {
			gone, err := e.deleteKnown(ctx, s.Remote)
			if err != nil {
				err = fmt.Errorf("delete asset %s: %w", s.Name, err)
			} else if gone {
				e.log.Infof("%s was already gone (%s)", s.Name, s.Reason)
			} else {
				e.log.Infof("deleted %s (%s)", s.Name, s.Reason)
			}
			add(outcome{step: s, asset: s.Remote, action: s.Op.Action()}, err)
			return nil
		})
	}
	_ = g.Wait()
}

// roomFirst splits the Room deletes from the other steps.
func roomFirst(steps []Step) (room, rest []Step) {
	for _, s := range steps {
		if s.Op == OpDelete && s.Room {
			room = append(room, s)
		} else {
			rest = append(rest, s)
		}
	}
	return room, rest
}
