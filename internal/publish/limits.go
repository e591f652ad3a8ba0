package publish

import (
	"fmt"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/retry"
)

// MaxAssets is the most assets GitHub keeps on one release; uploads beyond it
// are refused (observed in 2025).
const MaxAssets = 1000

// preflight checks the plan against GitHub's limits before the first write, so
// a run that cannot finish changes nothing, and warns up front when the writes
// exceed GitHub's documented budget for content-creating requests.
func (r *run) preflight(rel *Release, plan *assetPlan) error {
	if n, now := peakAssets(plan, r.j.MaxParallel, r.j.Checksums), len(plan.listed); n > MaxAssets {
		return fmt.Errorf("release %s would hold %d assets during this run (%d now); GitHub keeps at most %d on a release: "+
			"upload fewer files (%s), split them over several releases, or remove old assets first (%s removes the oldest that match a glob); nothing was changed",
			r.j.Tag, n, now, MaxAssets, r.j.Words.Input("files"), r.j.Words.Input("prune_assets"))
	}
	b := retry.BudgetFor(plannedWrites(rel, plan, r.j))
	r.p.Log.Infof("%s", b.Plan())
	if w := b.Warning(); w != "" {
		r.warn("%s", w)
	}
	r.announceHour(b.Writes) // hour.go
	return nil
}

// peakAssets is the most assets the release holds at any moment of the run. The
// executor uploads (and replaces) before it deletes, and a replacement stands
// next to the asset it replaces until that is gone, so deletions only help the
// checksum list, which comes last; except the Room deletes of prune_assets,
// which run before the uploads.
func peakAssets(plan *assetPlan, parallel int, checksums string) int {
	uploads, replaces, deletes, room := 0, 0, 0, 0
	for _, s := range plan.steps {
		switch {
		case s.Op == OpUpload:
			uploads++
		case s.Op == OpReplace && !broken(s.Remote):
			replaces++ // a broken asset is deleted before its replacement goes up
		case s.Op == OpDelete:
			deletes++
			if s.Room {
				room++ // deleted before the uploads (retain.go)
			}
		}
	}
	listed := len(plan.listed)
	during := listed - room + uploads + min(replaces, max(1, parallel))
	after := listed + uploads - deletes + checksumUploads(plan, checksums)
	return max(during, after)
}

// checksumUploads is 1 when the checksum list will be uploaded (new, or
// changed: its replacement stands next to it for a moment), else 0.
func checksumUploads(plan *assetPlan, checksums string) int {
	if checksums == "" {
		return 0
	}
	stored := assets.GitHubName(checksums)
	for _, a := range plan.listed {
		if a.Name == stored {
			for _, s := range plan.steps {
				if s.Changes() {
					return 1 // the assets change, so their list does
				}
			}
			return 0
		}
	}
	return 1
}

// plannedWrites counts the content-creating requests the run will make: each
// upload, deletion, rename or relabel is one; a replacement is three (upload
// under a temporary name, delete, rename); creating or updating the release is
// one, publishing it another, and the checksum list counts as a step. With
// attest, each uploaded file's bundle is one more upload (a replaced file's,
// a replacement), and storing an attestation one more request.
func plannedWrites(rel *Release, plan *assetPlan, j *Job) int {
	n := 1 // create the draft, or update the release's fields
	if !j.Draft && (rel == nil || rel.Draft) {
		n++
	}
	attested := 0
	for _, s := range plan.steps {
		switch {
		case s.Op == OpReplace:
			n += 3
		case s.Op == OpUpload, s.Op == OpDelete, s.Changes():
			n++
		}
		if j.Attest && s.Local != nil && !s.Local.Generated && (s.Op == OpUpload || s.Op == OpReplace) {
			attested++
			n += map[bool]int{true: 3, false: 1}[s.Op == OpReplace]
		}
	}
	if attested > 0 {
		n++ // the attestation
	}
	if checksumUploads(plan, j.Checksums) == 1 {
		n += 3 // at most a replacement
		if j.Attest {
			n += 1 + 3 // its attestation, and its bundle's replacement at most
		}
	}
	return n
}

func broken(a *Asset) bool { return a != nil && a.State != "" && a.State != "uploaded" }
