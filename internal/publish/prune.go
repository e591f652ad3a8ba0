package publish

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
)

// Channels: a release per build under a tag of its own (nightly-1234), which
// works under immutable releases where a moving tag cannot, and retention
// (prune_tags, keep_latest) that deletes the channel's older releases after a
// publish. inputs refuses every channel that could delete more than meant
// (the glob must have a wildcard and match the tag; keep_latest is at least
// 1), so the rules here are only about which releases of the channel go.
//
// The releases' git tags stay: a tag is history that other things may name
// (a checkout, a go.mod, a changelog link), the refs API's delete is a second
// write per release that could fail half way, and under immutable releases a
// deleted release's tag name can never be used again anyway.

// PrunedRelease is a release of the channel that pruning deleted, or in a dry
// run would delete.
type PrunedRelease struct {
	ID        int64     `json:"id"`
	Tag       string    `json:"tag"`
	CreatedAt time.Time `json:"created_at"`
}

// planPrune picks the releases of the channel to delete: of the published
// releases whose tags match glob, all but the newest keep by creation time
// (ties by id), and never current (the release for tag, which this run
// published or found; nil when a dry run would create it, which then counts
// as the newest) nor another release of tag. Drafts are never picked: one may
// be another run's work in progress. An older build run again keeps its
// release besides the newest keep. The answer is oldest first.
func planPrune(all []*Release, glob string, keep int, tag string, current *Release) []*Release {
	self := current
	if self == nil {
		self = &Release{TagName: tag, CreatedAt: time.Unix(1<<62, 0)} // to be created: the newest
	}
	members := []*Release{self}
	for _, rel := range all {
		if ok, _ := path.Match(glob, rel.TagName); !ok || rel.Draft || rel.TagName == tag || rel.ID == self.ID {
			continue
		}
		members = append(members, rel)
	}
	sort.Slice(members, func(i, k int) bool { return newer(members[i], members[k]) })
	var out []*Release
	for i, rel := range members {
		if i >= keep && rel != self {
			out = append(out, rel)
		}
	}
	slices.Reverse(out)
	return out
}

// newer orders releases by creation time, ties by id.
func newer(a, b *Release) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return a.CreatedAt.After(b.CreatedAt)
	}
	return a.ID > b.ID
}

// prune runs after the run has published (or, in a dry run, says what it
// would delete). Each release is read again by id first and deleted only
// while it is still the release planned: the same tag, still published, not
// the run's own. A release deleted meanwhile is nobody's loss; one that
// changed is left and said. A failure is a warning, not an error: the
// release is published already and its outputs must still be set, and the
// next run of the channel prunes again.
func (r *run) prune(ctx context.Context) error {
	j, gh, log := r.j, r.p.GH, r.p.Log
	if j.PruneTags == "" {
		return nil
	}
	cur := r.release
	if !j.DryRun && (cur == nil || cur.Draft) {
		return nil // nothing published: nothing to keep the latest of
	}
	log.Group(fmt.Sprintf("Prune the channel %s to the newest %d", j.PruneTags, j.KeepLatest))
	defer log.EndGroup()
	all, err := gh.ListReleases(ctx)
	if err != nil {
		r.warn("release %s is published, but listing the releases to prune %s failed, so nothing was pruned (the next run prunes): %v", j.Tag, j.PruneTags, err)
		return nil
	}
	plan := planPrune(all, j.PruneTags, j.KeepLatest, j.Tag, cur)
	if len(plan) == 0 {
		log.Infof("the channel %s holds at most %d published releases: nothing to prune", j.PruneTags, j.KeepLatest)
		return nil
	}
	if j.DryRun {
		for _, rel := range plan {
			log.Infof("dry run: would delete release %s (id %d, created %s); its git tag stays", rel.TagName, rel.ID, rel.CreatedAt.UTC().Format(time.RFC3339))
			r.pruned = append(r.pruned, PrunedRelease{ID: rel.ID, Tag: rel.TagName, CreatedAt: rel.CreatedAt})
		}
		return nil
	}
	var failed []string
	for _, rel := range plan {
		gone, err := r.deletePlannedRelease(ctx, rel, cur)
		switch {
		case errors.Is(err, ErrChangedMeanwhile):
			r.warn("not pruned: %v", err)
		case err != nil:
			failed = append(failed, fmt.Sprintf("%s (id %d): %v", rel.TagName, rel.ID, err))
		case gone:
			log.Infof("release %s (id %d) was deleted meanwhile", rel.TagName, rel.ID)
		default:
			log.Infof("deleted release %s (id %d, created %s); its git tag stays", rel.TagName, rel.ID, rel.CreatedAt.UTC().Format(time.RFC3339))
			r.pruned = append(r.pruned, PrunedRelease{ID: rel.ID, Tag: rel.TagName, CreatedAt: rel.CreatedAt})
		}
	}
	if len(failed) > 0 {
		r.warn("release %s is published, but pruning %s left %d releases (the next run prunes them): %s",
			j.Tag, j.PruneTags, len(failed), strings.Join(failed, "; "))
	}
	return nil
}

// deletePlannedRelease deletes planned by id, only while a fresh read shows it
// is still the release planned: the same tag, published, and not cur, the
// release this run published. gone reports one deleted before the run got to it.
func (r *run) deletePlannedRelease(ctx context.Context, planned, cur *Release) (gone bool, err error) {
	return r.deleteReleaseKnown(ctx, planned.ID, func(now *Release) string {
		switch {
		case now.TagName != planned.TagName:
			return fmt.Sprintf("its tag is now %s", now.TagName)
		case now.Draft:
			return "it is a draft now"
		case cur != nil && now.ID == cur.ID:
			return "it is the release this run published"
		}
		return ""
	})
}
