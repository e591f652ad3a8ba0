package emulator

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/google/go-github/v66/github"
)

// gitMux mounts the git handlers the way the emulator's router will: one line a
// route, the path parameters unescaped ({ref...} and {basehead...} keep their
// slashes).
func gitMux(g *Git) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /repos/{o}/{r}/git/ref/{ref...}", func(w http.ResponseWriter, r *http.Request) {
		g.getRef(w, r, r.PathValue("o"), r.PathValue("r"), r.PathValue("ref"))
	})
	mux.HandleFunc("POST /repos/{o}/{r}/git/refs", func(w http.ResponseWriter, r *http.Request) {
		g.createRef(w, r, r.PathValue("o"), r.PathValue("r"))
	})
	mux.HandleFunc("PATCH /repos/{o}/{r}/git/refs/{ref...}", func(w http.ResponseWriter, r *http.Request) {
		g.updateRef(w, r, r.PathValue("o"), r.PathValue("r"), r.PathValue("ref"))
	})
	mux.HandleFunc("GET /repos/{o}/{r}/git/tags/{sha}", func(w http.ResponseWriter, r *http.Request) {
		g.getTag(w, r, r.PathValue("o"), r.PathValue("r"), r.PathValue("sha"))
	})
	mux.HandleFunc("GET /repos/{o}/{r}/compare/{basehead...}", func(w http.ResponseWriter, r *http.Request) {
		g.compareCommits(w, r, r.PathValue("o"), r.PathValue("r"), r.PathValue("basehead"))
	})
	return mux
}

// TestGitWithGoGitHub drives the rolling-release sequence with the real client:
// read the tag, compare it with the run's commit, move it forward, read it back;
// then an older run is told "behind", and a sideways move needs force.
func TestGitWithGoGitHub(t *testing.T) {
	t.Parallel()
	f := newGitFixture(t)
	srv := httptest.NewServer(gitMux(f.g))
	t.Cleanup(srv.Close)
	gh := github.NewClient(nil)
	base, err := url.Parse(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	gh.BaseURL = base
	ctx := context.Background()

	f.g.SeedTag(gitRepoName, "nightly", f.c1)
	ref, _, err := gh.Git.GetRef(ctx, "octo", "demo", "tags/nightly")
	if err != nil || ref.GetObject().GetSHA() != f.c1 || ref.GetObject().GetType() != "commit" {
		t.Fatalf("get ref: %v %v", ref, err)
	}
	cmp, _, err := gh.Repositories.CompareCommits(ctx, "octo", "demo", ref.GetObject().GetSHA(), f.c3, nil)
	if err != nil || cmp.GetStatus() != "ahead" || cmp.GetAheadBy() != 2 {
		t.Fatalf("compare tag...run: %v %v", cmp, err)
	}
	ref.Object.SHA = github.String(f.c3)
	if _, _, err := gh.Git.UpdateRef(ctx, "octo", "demo", ref, false); err != nil {
		t.Fatalf("move forward: %v", err)
	}
	back, _, err := gh.Git.GetRef(ctx, "octo", "demo", "refs/tags/nightly")
	if err != nil || back.GetObject().GetSHA() != f.c3 {
		t.Fatalf("read back: %v %v", back, err)
	}

	// A slow older run (built c2) compares after the newer one moved the tag.
	cmp, _, err = gh.Repositories.CompareCommits(ctx, "octo", "demo", f.c3, f.c2, nil)
	if err != nil || cmp.GetStatus() != "behind" || cmp.GetBehindBy() != 1 {
		t.Fatalf("older run: %v %v", cmp, err)
	}

	// Sideways: refused without force, done with it.
	ref.Object.SHA = github.String(f.f1)
	_, _, err = gh.Git.UpdateRef(ctx, "octo", "demo", ref, false)
	var ghErr *github.ErrorResponse
	if !errors.As(err, &ghErr) || ghErr.Response.StatusCode != 422 || ghErr.Message != "Update is not a fast forward" {
		t.Fatalf("sideways without force: %v", err)
	}
	if _, _, err := gh.Git.UpdateRef(ctx, "octo", "demo", ref, true); err != nil {
		t.Fatalf("forced move: %v", err)
	}

	// Tags with slashes travel through go-github's escaping on every route.
	ref2, _, err := gh.Git.CreateRef(ctx, "octo", "demo", &github.Reference{
		Ref: github.String("refs/tags/tools/cli/v0.4.0"), Object: &github.GitObject{SHA: github.String(f.c2)},
	})
	if err != nil || ref2.GetRef() != "refs/tags/tools/cli/v0.4.0" {
		t.Fatalf("create slashed tag: %v %v", ref2, err)
	}
	cmp, _, err = gh.Repositories.CompareCommits(ctx, "octo", "demo", "tools/cli/v0.4.0", "main", nil)
	if err != nil || cmp.GetStatus() != "ahead" || cmp.GetAheadBy() != 1 {
		t.Fatalf("compare slashed tag: %v %v", cmp, err)
	}

	// The annotated tag's message, through its tag object.
	v2, _, err := gh.Git.GetRef(ctx, "octo", "demo", "tags/v2")
	if err != nil || v2.GetObject().GetType() != "tag" {
		t.Fatalf("annotated ref: %v %v", v2, err)
	}
	tag, _, err := gh.Git.GetTag(ctx, "octo", "demo", v2.GetObject().GetSHA())
	if err != nil || tag.GetObject().GetSHA() != f.c2 || tag.GetMessage() == "" {
		t.Fatalf("tag object: %v %v", tag, err)
	}
}
