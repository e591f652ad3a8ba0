package ghclient

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/publish"
)

// TestGitRefsAgainstTheEmulator reads a tag with slashes, an annotated tag's
// message, compares commits (no common history is "diverged"), and moves a tag
// forward, sideways only with force.
func TestGitRefsAgainstTheEmulator(t *testing.T) {
	t.Parallel()
	emu := emulator.New(emulator.Options{Token: "t"})
	const repo = "o/r"
	emu.AddRepo(repo, false)
	g := emu.Git()
	root := emulator.InitialCommit(repo)
	c1, c2, side, orphan := emulator.CommitSHA("c1"), emulator.CommitSHA("c2"), emulator.CommitSHA("side"), emulator.CommitSHA("orphan")
	g.SeedCommit(repo, c1, root)
	g.SeedCommit(repo, c2, c1)
	g.SeedCommit(repo, side, root)
	g.SeedCommit(repo, orphan)
	g.SeedTag(repo, "pkg/nightly", c1)
	tagObj := g.SeedAnnotatedTag(repo, "v1.0.0", c1, "Release 1.0.0\n")
	c := loopbackClient(t, emu)
	ctx := context.Background()

	if obj, found, err := c.GetRef(ctx, "tags/pkg/nightly"); err != nil || !found || obj != (publish.GitObject{Type: "commit", SHA: c1}) {
		t.Fatalf("get tags/pkg/nightly: %+v %v %v", obj, found, err)
	}
	if _, found, err := c.GetRef(ctx, "tags/absent"); err != nil || found {
		t.Fatalf("an absent tag: found %v, err %v", found, err)
	}
	obj, _, _ := c.GetRef(ctx, "tags/v1.0.0")
	tag, err := c.GetTagObject(ctx, obj.SHA)
	if err != nil {
		t.Fatalf("annotated tag: %v", err)
	}
	type annotated struct{ Type, SHA, Message, Commit string }
	if d := cmp.Diff(annotated{"tag", tagObj, "Release 1.0.0\n", c1}, annotated{obj.Type, obj.SHA, tag.Message, tag.Object.SHA}); d != "" {
		t.Fatalf("annotated tag (-want +got):\n%s", d)
	}
	for _, tc := range []struct{ base, head, want string }{
		{c1, c2, "ahead"}, {c2, c1, "behind"}, {c1, c1, "identical"}, {c2, side, "diverged"}, {c1, orphan, "diverged"},
	} {
		if cmp, err := c.Compare(ctx, tc.base, tc.head); err != nil || cmp.Status != tc.want {
			t.Errorf("compare %.7s...%.7s: %+v %v, want %s", tc.base, tc.head, cmp, err, tc.want)
		}
	}
	if _, err := c.Compare(ctx, c1, emulator.CommitSHA("never pushed")); err == nil {
		t.Error("comparing with an unknown commit is not an error")
	}

	if moved, err := c.UpdateRef(ctx, "pkg/nightly", c2, false); err != nil || moved.SHA != c2 {
		t.Fatalf("forward move: %+v %v", moved, err)
	}
	_, err = c.UpdateRef(ctx, "pkg/nightly", side, false)
	if !errors.Is(err, publish.ErrNotFastForward) {
		t.Fatalf("sideways move without force: %v, want ErrNotFastForward", err)
	}
	if moved, err := c.UpdateRef(ctx, "pkg/nightly", side, true); err != nil || moved.SHA != side {
		t.Fatalf("forced move: %+v %v", moved, err)
	}
	if got, _ := g.TagCommit(repo, "pkg/nightly"); got != side {
		t.Errorf("the tag is on %s after the forced move, want %s", got, side)
	}
}
