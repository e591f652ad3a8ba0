package app_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

const repo = actiontest.Repo

// commits seeds a line of commits on top of the repository's root, each the
// child of the one before, and returns their SHAs.
func commits(h *actiontest.Harness, names ...string) []string {
	parent := emulator.InitialCommit(repo)
	var out []string
	for _, n := range names {
		c := emulator.CommitSHA(n)
		h.Emu.Git().SeedCommit(repo, c, parent)
		out, parent = append(out, c), c
	}
	return out
}

func mustRun(t *testing.T, h *actiontest.Harness, in map[string]string) actiontest.Result {
	t.Helper()
	r := h.Run(in)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	return r
}

func tagOn(t *testing.T, h *actiontest.Harness, tag string) string {
	t.Helper()
	c, ok := h.Emu.Git().TagCommit(repo, tag)
	if !ok {
		t.Fatalf("tag %s does not exist", tag)
	}
	return c
}

// TestNewTagLandsOnGitHubSHA: the default branch moved on after the build; the
// new tag is still made on the built commit, also when the release waited as a
// draft and was published by a later run.
func TestNewTagLandsOnGitHubSHA(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	c := commits(h, "built", "pushed later", "pushed even later")
	g := h.Emu.Git()
	g.SetBranchHead(repo, "main", c[1])
	h.Write("dist/app.zip", "build")

	mustRun(t, h, map[string]string{"tag": "v1.0.0", "files": "dist/*", "GITHUB_SHA": c[0]})
	if got := tagOn(t, h, "v1.0.0"); got != c[0] {
		t.Errorf("v1.0.0 is on %s, want the built commit %s (main is on %s)", got, c[0], c[1])
	}

	mustRun(t, h, map[string]string{"tag": "v2.0.0", "files": "dist/*", "draft": "true", "GITHUB_SHA": c[1]})
	if _, ok := g.TagCommit(repo, "v2.0.0"); ok {
		t.Fatal("a draft made its tag")
	}
	g.SetBranchHead(repo, "main", c[2])
	mustRun(t, h, map[string]string{"tag": "v2.0.0", "files": "dist/*", "GITHUB_SHA": c[1]})
	if got := tagOn(t, h, "v2.0.0"); got != c[1] {
		t.Errorf("v2.0.0, published from a draft after main moved, is on %s, want %s", got, c[1])
	}
}

// routeOrder returns the positions of the requests to route, in the log.
func routeOrder(h *actiontest.Harness, route string) []int {
	var at []int
	for i, q := range h.Emu.Requests() {
		if q.Route == route {
			at = append(at, i)
		}
	}
	return at
}

// TestRollingReleaseMovesItsTagForward: each run replaces the assets, then
// moves the tag to its commit; an older run started later changes nothing.
func TestRollingReleaseMovesItsTagForward(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	c := commits(h, "one", "two")
	nightly := func(sha, build string) actiontest.Result {
		h.Write("dist/app.zip", build)
		h.Emu.ResetLog()
		return h.Run(map[string]string{"tag": "nightly", "files": "dist/*", "move_tag": "true", "prerelease": "true", "GITHUB_SHA": sha})
	}
	if r := nightly(c[0], "build one"); r.Code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.Code, r.Stdout)
	}
	if got := tagOn(t, h, "nightly"); got != c[0] {
		t.Fatalf("nightly is on %s after the first run, want %s", got, c[0])
	}

	r := nightly(c[1], "build two")
	if r.Code != 0 {
		t.Fatalf("second run: exit %d\n%s", r.Code, r.Stdout)
	}
	if got := tagOn(t, h, "nightly"); got != c[1] {
		t.Errorf("nightly is on %s, want it moved forward to %s", got, c[1])
	}
	uploads, moves := routeOrder(h, emulator.RouteUploadAsset), routeOrder(h, emulator.RouteUpdateRef)
	if len(moves) != 1 || len(uploads) == 0 || slices.Max(uploads) > moves[0] {
		t.Errorf("uploads at %v, tag moves at %v: want one move, after every upload", uploads, moves)
	}
	if gets := routeOrder(h, emulator.RouteGetRef); len(gets) < 2 || gets[len(gets)-1] < moves[0] {
		t.Errorf("the tag was not read back after the move (get_ref at %v)", gets)
	}
	rel := h.Only("nightly")
	if got := h.AssetContents(rel.ID)["app.zip"]; got != "uploaded:build two" {
		t.Errorf("app.zip = %q after the second run", got)
	}

	// A run of the older commit, started after the newer one finished.
	r = nightly(c[0], "build one, rebuilt late")
	if r.Code != 0 {
		t.Fatalf("stale run: exit %d\n%s", r.Code, r.Stdout)
	}
	if n := h.Writes(); n != 0 {
		t.Errorf("the stale run sent %d writes: %v", n, h.Emu.Requests())
	}
	if !strings.Contains(r.Stdout, "changes nothing") || !strings.Contains(r.Summary, "changes nothing") {
		t.Errorf("the stale run does not say it changed nothing:\n%s\n%s", r.Stdout, r.Summary)
	}
	if got := tagOn(t, h, "nightly"); got != c[1] {
		t.Errorf("the stale run moved nightly to %s", got)
	}
	if got := h.AssetContents(rel.ID)["app.zip"]; got != "uploaded:build two" {
		t.Errorf("the stale run replaced app.zip: %q", got)
	}
}

// TestTagMoveSidewaysNeedsForce: a diverged history is refused before any
// change unless move_tag is force.
func TestTagMoveSidewaysNeedsForce(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	c := commits(h, "one", "two")
	side := emulator.CommitSHA("rewritten")
	h.Emu.Git().SeedCommit(repo, side, c[0])
	h.Write("dist/app.zip", "build")
	mustRun(t, h, map[string]string{"tag": "edge", "files": "dist/*", "GITHUB_SHA": c[1]})

	h.Emu.ResetLog()
	in := map[string]string{"tag": "edge", "files": "dist/*", "move_tag": "true", "GITHUB_SHA": side}
	h.Write("dist/app.zip", "rewritten build")
	r := h.Run(in)
	if r.Code == 0 || !strings.Contains(r.Stdout, "move_tag: force") {
		t.Fatalf("a sideways move without force: exit %d\n%s", r.Code, r.Stdout)
	}
	if n := h.Writes(); n != 0 {
		t.Errorf("the refused run sent %d writes", n)
	}
	in["move_tag"] = "force"
	mustRun(t, h, in)
	if got := tagOn(t, h, "edge"); got != side {
		t.Errorf("edge is on %s after the forced move, want %s", got, side)
	}
}

// TestTagMovedMeanwhileIsReported: another run moves the tag while this one
// uploads; GitHub refuses the move (not a fast forward) and the run says why.
func TestTagMovedMeanwhileIsReported(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	c := commits(h, "one", "two", "three")
	h.Write("dist/app.zip", "build")
	mustRun(t, h, map[string]string{"tag": "nightly", "files": "dist/*", "GITHUB_SHA": c[0]})

	hook := func(r *http.Request) {
		if r.Method == http.MethodPost && strings.Contains(r.URL.Path, "/assets") {
			h.Emu.Git().SeedTag(repo, "nightly", c[2]) // the newer run got there
		}
	}
	h.Hook.Store(&hook)
	h.Write("dist/app.zip", "build two")
	r := h.Run(map[string]string{"tag": "nightly", "files": "dist/*", "move_tag": "true", "GITHUB_SHA": c[1]})
	if r.Code == 0 || !strings.Contains(r.Stdout, "the tag moved while this run was working") {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if got := tagOn(t, h, "nightly"); got != c[2] {
		t.Errorf("nightly is on %s, want where the other run put it, %s", got, c[2])
	}
}

// TestTagOfImmutableReleaseIsNotMoved: refused before any change.
func TestTagOfImmutableReleaseIsNotMoved(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Immutable: true})
	c := commits(h, "one", "two")
	h.Write("dist/app.zip", "build")
	mustRun(t, h, map[string]string{"tag": "latest", "files": "dist/*", "GITHUB_SHA": c[0]})
	h.Emu.ResetLog()
	h.Write("dist/app.zip", "build two")
	r := h.Run(map[string]string{"tag": "latest", "files": "dist/*", "move_tag": "true", "GITHUB_SHA": c[1]})
	if r.Code == 0 || !strings.Contains(r.Stdout, "immutable") || !strings.Contains(r.Stdout, "move_tag") {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	if n := h.Writes(); n != 0 {
		t.Errorf("the refused run sent %d writes", n)
	}
	if got := tagOn(t, h, "latest"); got != c[0] {
		t.Errorf("the immutable release's tag moved to %s", got)
	}
}
