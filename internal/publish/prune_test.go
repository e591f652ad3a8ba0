package publish

import (
	"fmt"
	"math/rand/v2"
	"path"
	"testing"
	"time"
)

// TestPlanPruneGenerated: over generated channels, pruning deletes exactly
// the published releases of the glob that are not among the newest keep,
// never a draft, another tag, the run's own release or another of its tag,
// and everything it deletes is older than everything of the channel it keeps
// (the run's own release aside).
func TestPlanPruneGenerated(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2, 20))
	const glob, tag = "nightly-*", "nightly-run"
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for trial := range 3000 {
		var all []*Release
		for i := range rng.IntN(12) {
			name := []string{"nightly-%d", "v1.%d", "beta-%d", "nightly-%d/x"}[rng.IntN(4)]
			all = append(all, &Release{
				ID:        int64(100 + i),
				TagName:   fmt.Sprintf(name, rng.IntN(5)),
				Draft:     rng.IntN(5) == 0,
				CreatedAt: epoch.Add(time.Duration(rng.IntN(6)) * time.Hour), // ties happen
			})
		}
		var current *Release
		switch rng.IntN(3) {
		case 0: // a dry run that would create it
		case 1: // the newest
			current = &Release{ID: 999, TagName: tag, CreatedAt: epoch.Add(100 * time.Hour)}
		case 2: // an old build run again
			current = &Release{ID: 998, TagName: tag, CreatedAt: epoch.Add(-time.Hour)}
		}
		if current != nil && rng.IntN(2) == 0 {
			all = append(all, current) // listed, or not yet
		}
		keep := 1 + rng.IntN(4)
		got := planPrune(all, glob, keep, tag, current)

		deleted := map[int64]bool{}
		for _, rel := range got {
			deleted[rel.ID] = true
			ok, _ := path.Match(glob, rel.TagName)
			if !ok || rel.Draft || rel.TagName == tag || (current != nil && rel.ID == current.ID) {
				t.Fatalf("trial %d: deleted %+v", trial, rel)
			}
		}
		var kept []*Release // the channel's others that stay
		members := 0
		for _, rel := range all {
			if ok, _ := path.Match(glob, rel.TagName); !ok || rel.Draft || rel.TagName == tag {
				continue
			}
			members++
			if !deleted[rel.ID] {
				kept = append(kept, rel)
			}
		}
		if len(deleted) != len(got) {
			t.Fatalf("trial %d: a release planned twice: %v", trial, got)
		}
		selfNewest := current == nil || len(all) == 0 || current.ID == 999
		want := keep
		if selfNewest {
			want = keep - 1 // the run's own release takes one place
		}
		if want > members {
			want = members
		}
		if len(kept) != want {
			t.Fatalf("trial %d: keep %d, %d members, kept %d others (self newest %v)", trial, keep, members, len(kept), selfNewest)
		}
		for _, d := range got {
			for _, k := range kept {
				if newer(d, k) {
					t.Fatalf("trial %d: deleted %+v is newer than kept %+v", trial, d, k)
				}
			}
		}
		for i := 1; i < len(got); i++ {
			if newer(got[i-1], got[i]) {
				t.Fatalf("trial %d: not oldest first: %v", trial, got)
			}
		}
	}
}
