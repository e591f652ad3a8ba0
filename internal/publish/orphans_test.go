package publish

import (
	"testing"

	"github.com/releasekit/release-action/internal/core"
)

// TestOrphanDraftBesideAPublishedRelease: a draft for a tag that a published
// release holds (a run killed between its create and the delete of its losing
// draft left it) is removed by a re-run, which lists the releases for it, and
// by any run that lists them anyway; a first attempt that finds the published
// release by its tag sends no extra request for it.
func TestOrphanDraftBesideAPublishedRelease(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		attempt int
		removed bool
		lists   int
	}{
		{name: "a first attempt does not look", attempt: 1, lists: 0},
		{name: "a re-run removes it", attempt: 2, removed: true, lists: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFake()
			pub := f.seed(Release{TagName: "v1"})
			f.seedAsset(pub.ID, "a.zip", "a")
			orphan := f.seed(Release{TagName: "v1", Draft: true})
			other := f.seed(Release{TagName: "v2", Draft: true})
			j := oneFileJob(t)
			j.Runner = core.RunIdentity{ID: 9, Attempt: tc.attempt}
			if _, log, err := runJob(t, f, j); err != nil {
				t.Fatalf("%v\nlog:\n%s", err, log)
			}
			if got := f.find(orphan.ID) == nil; got != tc.removed {
				t.Fatalf("orphan removed = %v, want %v", got, tc.removed)
			}
			if f.find(other.ID) == nil || f.find(pub.ID) == nil {
				t.Fatal("a release that is not an orphan of the tag was removed")
			}
			if n := f.callsOf("ListReleases"); n != tc.lists {
				t.Fatalf("%d listings, want %d", n, tc.lists)
			}
		})
	}
}
