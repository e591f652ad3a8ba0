package publish

import (
	"fmt"
	"math/rand/v2"
	"path"
	"testing"
	"time"
)

// For generated releases, roomDeletes picks min(need, candidates) assets, each
// one matching the glob, unused by any step, not the checksum list, not broken,
// not temporary, and no candidate it leaves is older than one it picks.
func TestRoomDeletesInvariant(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	base := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	const glob = "app-*.zip"
	for round := range 300 {
		var listed []*Asset
		var steps []Step
		n := rng.IntN(40)
		for i := range n {
			name := fmt.Sprintf("other-%d.txt", i)
			switch rng.IntN(4) {
			case 0, 1:
				name = fmt.Sprintf("app-%d.zip", i)
			case 2:
				if rng.IntN(3) == 0 {
					name = "app-SUMS.zip" // the checksum list, matching the glob
				}
			}
			a := &Asset{ID: int64(1000 - i), Name: name, Size: 1, State: "uploaded", CreatedAt: base.Add(time.Duration(rng.IntN(50)) * time.Hour)}
			if rng.IntN(10) == 0 {
				a.State = "starter"
			}
			listed = append(listed, a)
			if rng.IntN(4) == 0 {
				steps = append(steps, Step{Op: OpKeep, Name: a.Name, Remote: a})
			}
		}
		need := rng.IntN(15) - 2
		got := roomDeletes(listed, steps, glob, "app-SUMS.zip", need, "the glob")
		used := map[int64]bool{}
		for _, s := range steps {
			used[s.Remote.ID] = true
		}
		eligible := func(a *Asset) bool {
			ok, _ := path.Match(glob, a.Name)
			return ok && !used[a.ID] && a.Name != "app-SUMS.zip" && a.State == "uploaded"
		}
		cands := 0
		for _, a := range listed {
			if eligible(a) {
				cands++
			}
		}
		if want := min(max(need, 0), cands); len(got) != want {
			t.Fatalf("round %d: %d deletes, want %d (need %d, %d candidates)", round, len(got), want, need, cands)
		}
		picked := map[int64]bool{}
		var newest time.Time
		for _, s := range got {
			if s.Op != OpDelete || !s.Room || !eligible(s.Remote) || s.RemoteID != s.Remote.ID {
				t.Fatalf("round %d: picked %+v", round, s)
			}
			picked[s.Remote.ID] = true
			if s.Remote.CreatedAt.After(newest) {
				newest = s.Remote.CreatedAt
			}
		}
		for _, a := range listed {
			if eligible(a) && !picked[a.ID] && a.CreatedAt.Before(newest) {
				t.Fatalf("round %d: left %s (created %s) but deleted one created %s", round, a.Name, a.CreatedAt, newest)
			}
		}
	}
}

// Room deletes lower the peak one for one, so makeRoom asks for exactly the
// excess.
func TestPeakAssetsCountsRoomDeletes(t *testing.T) {
	t.Parallel()
	var listed []*Asset
	for i := range 995 {
		listed = append(listed, &Asset{ID: int64(i + 1), Name: fmt.Sprintf("app-%d.zip", i), State: "uploaded", CreatedAt: time.Unix(int64(i), 0)})
	}
	var steps []Step
	for i := range 10 {
		steps = append(steps, Step{Op: OpUpload, Name: fmt.Sprintf("new-%d", i)})
	}
	p := &assetPlan{listed: listed, steps: steps}
	if n := peakAssets(p, 4, ""); n != 1005 {
		t.Fatalf("peak without room %d, want 1005", n)
	}
	r := &run{j: &Job{}}
	r.j.PruneAssets, r.j.MaxParallel = "app-*.zip", 4
	r.makeRoom(p)
	if n := peakAssets(p, 4, ""); n != MaxAssets {
		t.Errorf("peak with room %d, want %d", n, MaxAssets)
	}
	if len(p.steps) != 15 || p.steps[10].Remote.ID != 1 {
		t.Errorf("want 5 room deletes of the oldest, got %d steps, first delete %+v", len(p.steps), p.steps[min(10, len(p.steps)-1)])
	}
}
