package app_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// moveRef sends what `git push --force origin refs/tags/NAME` does to a tag,
// through the API, and returns the status.
func moveRef(t *testing.T, h *actiontest.Harness, tag, sha string) int {
	t.Helper()
	return h.API(http.MethodPatch, "git/refs/tags/"+tag, fmt.Sprintf(`{"sha":%q,"force":true}`, sha))
}

// TestOwnReleaseStepsUnderImmutableReleases runs the steps of
// .github/workflows/release.yml that can run here, against a repository with
// immutable releases on: the version tag exists on the release commit (the
// commit pinning the image and the binaries, a child of the dispatched one)
// before any release; the action publishes the binaries draft-first; then the
// major tag, which has no release, moves to the same commit. It also shows why
// the old order failed: the version tag cannot move once its release is out.
func TestOwnReleaseStepsUnderImmutableReleases(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Immutable: true})
	c := commits(h, "v1.2.0 release commit", "main at dispatch", "Use the prebuilt image for v1.3.0")
	previous, dispatched, pinned := c[0], c[1], c[2]
	h.Emu.Git().SeedTag(actiontest.Repo, "v1", previous) // the major tag, from v1.2.0
	// "Commit the pins and push the version tag": a new tag, on the release commit.
	h.Emu.Git().SeedTag(actiontest.Repo, "v1.3.0", pinned)
	for _, n := range []string{"linux-amd64", "linux-arm64", "windows-amd64.exe"} {
		h.Write("dist/release-action-"+n, "binary "+n)
	}
	// "Publish the release": this action, as the workflow runs it.
	h.Emu.ResetLog()
	mustRun(t, h, map[string]string{"tag": "v1.3.0", "target_commitish": pinned, "files": "dist/release-action-*",
		"prerelease": "false", "GITHUB_SHA": dispatched})
	rel := h.Only("v1.3.0")
	if rel.Draft || !rel.Immutable || len(h.Emu.Assets(actiontest.Repo, rel.ID)) != 3 {
		t.Fatalf("release draft=%v immutable=%v with %d assets; want published, immutable, 3 binaries", rel.Draft, rel.Immutable, len(h.Emu.Assets(actiontest.Repo, rel.ID)))
	}
	if got := tagOn(t, h, "v1.3.0"); got != pinned {
		t.Errorf("v1.3.0 is on %s, want the release commit %s", got, pinned)
	}
	// Draft first, published last: the create comes before every upload, the
	// publishing update after the last.
	var routes []string
	for _, q := range h.Emu.Requests() {
		if q.Method != http.MethodGet {
			routes = append(routes, q.Route)
		}
	}
	create, publish := slices.Index(routes, emulator.RouteCreateRelease), len(routes)-1
	for i, r := range routes {
		if r == emulator.RouteUploadAsset && (i < create || i > publish) {
			t.Errorf("writes %v: an upload outside the draft", routes)
		}
	}
	if create != 0 || routes[publish] != emulator.RouteUpdateRelease || slices.Contains(routes, emulator.RouteUpdateRef) || slices.Contains(routes, emulator.RouteCreateRef) {
		t.Errorf("writes %v: want the create first, the publish last, and no tag written by the action", routes)
	}
	// "Move the major tag": it has no release, so it may move.
	if st := moveRef(t, h, "v1", pinned); st != http.StatusOK {
		t.Errorf("moving v1: %d, want 200", st)
	}
	if got := tagOn(t, h, "v1"); got != pinned {
		t.Errorf("v1 is on %s, want %s", got, pinned)
	}
	// The old workflow's order: publish on the dispatched commit, then move the
	// version tag onto the pins. GitHub refuses that move.
	if st := moveRef(t, h, "v1.3.0", dispatched); st == http.StatusOK {
		t.Errorf("moving the tag of an immutable release was accepted")
	}
	if got := tagOn(t, h, "v1.3.0"); got != pinned {
		t.Errorf("v1.3.0 moved to %s", got)
	}
}
