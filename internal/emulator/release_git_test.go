package emulator_test

import (
	"testing"

	"github.com/releasekit/release-action/internal/emulator"
)

// TestPublishTagsTheDefaultBranchHeadAtPublishTime is GitHub's trap: a draft
// made while main was at the built commit, published after main moved on, gets
// its tag from main's head at publish time; one whose target is a SHA does not.
func TestPublishTagsTheDefaultBranchHeadAtPublishTime(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	g := e.emu.Git()
	built, later := emulator.CommitSHA("built"), emulator.CommitSHA("later")
	g.SeedCommit(repo, built, emulator.InitialCommit(repo))
	g.SetBranchHead(repo, "main", built)

	loose := e.create(map[string]any{"tag_name": "v1", "draft": true})
	pinned := e.create(map[string]any{"tag_name": "v2", "draft": true, "target_commitish": built})
	if _, ok := g.TagCommit(repo, "v1"); ok {
		t.Fatal("a draft created its tag")
	}
	g.SeedCommit(repo, later, built)
	g.SetBranchHead(repo, "main", later)

	e.do("PATCH", e.api("/repos/"+repo+"/releases/"+itoa(loose.ID)), map[string]any{"draft": false}).want(t, 200)
	e.do("PATCH", e.api("/repos/"+repo+"/releases/"+itoa(pinned.ID)), map[string]any{"draft": false}).want(t, 200)
	if c, _ := g.TagCommit(repo, "v1"); c != later {
		t.Errorf("v1 (no target) is on %s, want main's head at publish time %s", c, later)
	}
	if c, _ := g.TagCommit(repo, "v2"); c != built {
		t.Errorf("v2 (target a SHA) is on %s, want %s", c, built)
	}
	// A target that is neither a branch nor a commit is refused, and tags nothing.
	r := e.do("POST", e.api("/repos/"+repo+"/releases"), map[string]any{"tag_name": "v3", "target_commitish": "no-such-branch"})
	r.want(t, 422)
	if _, ok := g.TagCommit(repo, "v3"); ok {
		t.Error("a refused release created its tag")
	}
}

// TestImmutableReleaseLocksItsTag: the refs API refuses to move the tag of an
// immutable release, even forced, until the release is deleted.
func TestImmutableReleaseLocksItsTag(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	e.emu.AddRepo(repo, true)
	g := e.emu.Git()
	next := emulator.CommitSHA("next")
	g.SeedCommit(repo, next, emulator.InitialCommit(repo))
	rel := e.create(map[string]any{"tag_name": "v1"})
	move := map[string]any{"sha": next, "force": true}
	e.do("PATCH", e.api("/repos/"+repo+"/git/refs/tags/v1"), move).want(t, 422)
	if c, _ := g.TagCommit(repo, "v1"); c != emulator.InitialCommit(repo) {
		t.Errorf("the locked tag moved to %s", c)
	}
	e.do("DELETE", e.api("/repos/"+repo+"/releases/"+itoa(rel.ID)), nil).want(t, 204)
	e.do("PATCH", e.api("/repos/"+repo+"/git/refs/tags/v1"), move).want(t, 200)
	if n := e.emu.Counts()[emulator.RouteUpdateRef]; n != 2 {
		t.Errorf("%d update_ref requests logged, want 2", n)
	}
}

// TestAdoptUnknownCommits: with adoption on (as cmd/emulator runs), a release
// for a commit the emulator never saw tags that commit; with it off (the
// default), the same request is refused like GitHub refuses an unknown target.
func TestAdoptUnknownCommits(t *testing.T) {
	t.Parallel()
	pushed := emulator.CommitSHA("pushed-elsewhere")
	for _, adopt := range []bool{false, true} {
		e := newEnv(t, emulator.Options{Token: token})
		g := e.emu.Git()
		g.AdoptUnknownCommits(adopt)
		r := e.do("POST", e.api("/repos/"+repo+"/releases"), map[string]any{"tag_name": "v1", "target_commitish": pushed})
		c, tagged := g.TagCommit(repo, "v1")
		switch {
		case adopt && (r.status != 201 || !tagged || c != pushed):
			t.Errorf("adopting: status %d, tag on %q (%v), want 201 and %s", r.status, c, tagged, pushed)
		case !adopt && (r.status != 422 || tagged):
			t.Errorf("not adopting: status %d, tagged %v, want 422 and no tag", r.status, tagged)
		}
	}
}
