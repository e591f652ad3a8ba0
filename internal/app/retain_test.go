package app_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// seededClock is the emulator's clock: while seeding, the created_at the test
// chooses; after, the real time.
type seededClock struct {
	mu  sync.Mutex
	set time.Time
}

func (c *seededClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.set.IsZero() {
		return time.Now()
	}
	return c.set
}

func (c *seededClock) at(t time.Time) {
	c.mu.Lock()
	c.set = t
	c.mu.Unlock()
}

// TestPruneAssetsRemovesOnlyMatchedOldest: a rolling release of 990 assets
// (30 unmatched, all older than the rest, and 960 matching nightly-*.zip with
// created_at in an order unrelated to their ids and names) gets 20 new files,
// one more of which is a file it already holds. prune_assets deletes exactly
// the 10 oldest matched assets the run does not keep, before the uploads, so
// the release never passes 1,000; a dry run plans the same deletes.
func TestPruneAssetsRemovesOnlyMatchedOldest(t *testing.T) {
	t.Parallel()
	clock := &seededClock{}
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{Now: clock.now}})
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock.at(base)
	rel := h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: "nightly"})
	for i := range 30 {
		clock.at(base.Add(time.Duration(i) * time.Minute))
		h.Emu.SeedAsset(actiontest.Repo, rel.ID, fmt.Sprintf("keep-%02d.txt", i), "", "", []byte("x"))
	}
	rng := rand.New(rand.NewPCG(20, 3))
	ages := rng.Perm(960) // the i-th seeded matched asset is ages[i] hours old
	created := map[string]time.Time{}
	for i, age := range ages {
		at := base.Add(24*time.Hour + time.Duration(960-age)*time.Hour)
		clock.at(at)
		name := fmt.Sprintf("nightly-%03d.zip", i)
		h.Emu.SeedAsset(actiontest.Repo, rel.ID, name, "", "", []byte(name))
		created[name] = at
	}
	clock.at(time.Time{})
	// The oldest matched asset is one the run keeps (same content): it stays.
	oldest := ""
	for n, at := range created {
		if oldest == "" || at.Before(created[oldest]) {
			oldest = n
		}
	}
	h.Write("dist/"+oldest, oldest)
	for i := range 20 {
		h.Write(fmt.Sprintf("dist/nightly-new-%02d.zip", i), fmt.Sprintf("new %d", i))
	}
	// The 10 that must go: the oldest matched, the kept one excepted.
	var byAge []string
	for n := range created {
		if n != oldest {
			byAge = append(byAge, n)
		}
	}
	sort.Slice(byAge, func(i, j int) bool { return created[byAge[i]].Before(created[byAge[j]]) })
	want := byAge[:10]
	in := map[string]string{"tag": "nightly", "files": "dist/*", "prune_assets": "nightly-*.zip"}

	dry := h.Run(map[string]string{"tag": "nightly", "files": "dist/*", "prune_assets": "nightly-*.zip", "dry_run": "true"})
	if dry.Code != 0 {
		t.Fatalf("dry run: exit %d\n%s", dry.Code, dry.Stdout)
	}
	for _, n := range want {
		if !strings.Contains(dry.Stdout, "delete   "+n+": oldest matching prune_assets") {
			t.Errorf("dry run does not plan the delete of %s:\n%s", n, dry.Stdout)
		}
	}
	if got := strings.Count(dry.Outputs["plan"], `"op":"delete"`); got != 10 {
		t.Errorf("dry run plans %d deletes, want 10", got)
	}

	h.Emu.ResetLog()
	r := h.Run(in)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	left := map[string]bool{}
	for _, a := range h.Emu.Assets(actiontest.Repo, rel.ID) {
		left[a.Name] = true
	}
	if len(left) != 1000 {
		t.Errorf("%d assets on the release, want 1000", len(left))
	}
	gone := map[string]bool{}
	for n := range created {
		if !left[n] {
			gone[n] = true
		}
	}
	for i := range 30 {
		if n := fmt.Sprintf("keep-%02d.txt", i); !left[n] {
			t.Errorf("unmatched %s was deleted", n)
		}
	}
	if !left[oldest] {
		t.Errorf("%s, a file of this run, was deleted", oldest)
	}
	for _, n := range want {
		if !gone[n] {
			t.Errorf("%s, among the 10 oldest matched, stayed", n)
		}
	}
	if len(gone) != len(want) {
		t.Errorf("%d matched assets deleted, want %d", len(gone), len(want))
	}
	// The deletes come before the first upload: the release never held 1,001.
	firstUpload, lastDelete := -1, -1
	for i, q := range h.Emu.Requests() {
		switch q.Route {
		case emulator.RouteUploadAsset:
			if firstUpload < 0 {
				firstUpload = i
			}
		case emulator.RouteDeleteAsset:
			lastDelete = i
		}
	}
	if lastDelete < 0 || firstUpload < lastDelete {
		t.Errorf("delete %d, first upload %d: the room must be made before the uploads", lastDelete, firstUpload)
	}
	var rep []string
	for _, a := range r.Assets(t) {
		if a.Action == "deleted" {
			rep = append(rep, a.Name)
		}
	}
	if len(rep) != 10 {
		t.Errorf("the assets output reports %d deleted, want 10: %v", len(rep), rep)
	}
}

// TestPruneAssetsNeverPassesTheCapWithoutEnoughMatches: when the matched
// assets cannot make enough room, the run is refused before any write, as
// without prune_assets.
func TestPruneAssetsCannotMakeEnoughRoom(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	rel := h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: "nightly"})
	for i := range 995 {
		name := fmt.Sprintf("other-%03d.txt", i)
		if i < 3 {
			name = fmt.Sprintf("nightly-%d.zip", i)
		}
		h.Emu.SeedAsset(actiontest.Repo, rel.ID, name, "", "", []byte(name))
	}
	for i := range 10 {
		h.Write(fmt.Sprintf("dist/nightly-new-%d.zip", i), "n")
	}
	h.Emu.ResetLog()
	r := h.Run(map[string]string{"tag": "nightly", "files": "dist/*", "prune_assets": "nightly-*.zip"})
	if r.Code != 1 || !strings.Contains(r.Stdout, "GitHub keeps at most 1000") {
		t.Fatalf("exit %d, want 1 with the cap named\n%s", r.Code, r.Stdout)
	}
	if n := h.Writes(); n != 0 {
		t.Errorf("%d writes; the refusal must come before any", n)
	}
}
