package app_test

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

// TestNotesLimitedToPaths: in a monorepo, notes_paths: api/** with
// previous_tag_prefix: auto keeps, of GitHub's generated notes for api/v1.1.0
// (which start at api/v1.0.0), the entries of the pull requests whose commits
// change a file under api/ (a renamed file counts under its old name too), in
// GitHub's words; the other components' pull requests and their New
// Contributors lines go, the Full Changelog line stays. A dry run shows the
// scoped notes; a tag that does not exist yet is compared up to
// target_commitish; categories regroup what is kept.
func TestNotesLimitedToPaths(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	g := h.Emu.Git()
	first, _ := g.MergePull(actiontest.Repo, "chore: start", "ann", "go.mod", "api/main.go", "web/index.html")
	g.SeedTag(actiontest.Repo, "api/v1.0.0", first)
	g.SeedTag(actiontest.Repo, "web/v1.0.0", first)
	mustRun(t, h, map[string]string{"tag": "web/v1.0.0"}) // the latest release is another component's

	var head, moved string
	for _, p := range []struct {
		title, user string
		paths       []string
	}{
		{"feat(api): add /v2", "ann", []string{"api/v2.go"}},            // #2
		{"fix(web): the header's colour", "bob", []string{"web/a.css"}}, // #3
		{"chore: bump the api's go.sum", "cat", []string{"go.sum", "api/go.sum"}},
		{"docs: web guide", "dan", []string{"web/guide.md", "README.md"}},
		{"refactor: move the client out of api", "eve", []string{"client/c.go"}}, // #6, renamed below
		{"feat(api)!: drop v1", "ann", []string{"api/v1.go"}},
	} {
		head, _ = g.MergePull(actiontest.Repo, p.title, p.user, p.paths...)
		if strings.HasPrefix(p.title, "refactor") {
			moved = head
		}
	}
	// #6 moved api/client.go: GitHub lists the file under its new name with
	// its old one as previous_filename.
	g.SeedRename(actiontest.Repo, moved, "api/client.go", "client/c.go")
	g.SeedTag(actiontest.Repo, "api/v1.1.0", head)

	web := h.Srv.URL + "/" + actiontest.Repo
	pr := func(title, user string, n int) string {
		return "* " + title + " by @" + user + " in " + web + "/pull/" + strconv.Itoa(n) + "\n"
	}
	in := map[string]string{"tag": "api/v1.1.0", "generate_release_notes": "true", "previous_tag_prefix": "auto", "notes_paths": "api/**"}

	dry := mustRun(t, h, with(in, map[string]string{"dry_run": "true"}))
	if !strings.Contains(dry.Summary, pr("feat(api): add /v2", "ann", 2)) || strings.Contains(dry.Summary, "fix(web)") {
		t.Errorf("the dry run's summary does not show the scoped notes:\n%s", dry.Summary)
	}
	if !strings.Contains(dry.Stdout, "notes: 4 of 6 pull requests kept, those whose commits change paths of") {
		t.Errorf("the log does not say what was kept:\n%s", dry.Stdout)
	}

	mustRun(t, h, in)
	want := "## What's Changed\n" +
		pr("feat(api): add /v2", "ann", 2) +
		pr("chore: bump the api's go.sum", "cat", 4) +
		pr("refactor: move the client out of api", "eve", 6) +
		pr("feat(api)!: drop v1", "ann", 7) +
		"\n## New Contributors\n" +
		"* @cat made their first contribution in " + web + "/pull/4\n" +
		"* @eve made their first contribution in " + web + "/pull/6\n\n" +
		"**Full Changelog**: " + web + "/compare/api/v1.0.0...api/v1.1.0"
	if got := h.Only("api/v1.1.0").Body; got != want {
		t.Errorf("notes\n%s\nwant\n%s", got, want)
	}

	// The web component, with categories, before its tag exists: compared
	// up to the branch it will be made from.
	r := mustRun(t, h, map[string]string{"tag": "web/v1.1.0", "target_commitish": "main", "generate_release_notes": "true",
		"previous_tag_prefix": "auto", "notes_paths": "web/, README.md", "notes_categories": "conventional"})
	want = "## What's Changed\n" +
		"### Bug fixes\n" + pr("fix(web): the header's colour", "bob", 3) +
		"### Documentation\n" + pr("docs: web guide", "dan", 5) +
		"\n## New Contributors\n" +
		"* @bob made their first contribution in " + web + "/pull/3\n" +
		"* @dan made their first contribution in " + web + "/pull/5\n\n" +
		"**Full Changelog**: " + web + "/compare/web/v1.0.0...web/v1.1.0"
	if got := h.Only("web/v1.1.0").Body; got != want {
		t.Errorf("web notes\n%s\nwant\n%s\nlog:\n%s", got, want, r.Stdout)
	}
	if want := "start from web/v1.0.0, the one tag that is \"web/\" followed by a version"; !strings.Contains(r.Stdout, want) {
		t.Errorf("the log does not say %q:\n%s", want, r.Stdout)
	}
}

// TestNotesPathsBounds: of a range longer than the bound, only the newest
// commits are read and a warning says how many were left unread (a pull
// request whose commits are all older is left out); a server that claims a
// billion commits costs a few pages, not a billion; a comparison GitHub
// refuses fails the run naming notes_paths, before any change.
func TestNotesPathsBounds(t *testing.T) {
	t.Parallel()
	var lie atomic.Int32 // 1: compare claims 10^9 commits; 2: compare is refused
	var comparePages atomic.Int32
	h := actiontest.New(t, actiontest.Config{Wrap: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.Contains(r.URL.Path, "/compare/") || lie.Load() == 0 {
				next.ServeHTTP(w, r)
				return
			}
			comparePages.Add(1)
			w.Header().Set("Content-Type", "application/json")
			if lie.Load() == 2 {
				w.WriteHeader(http.StatusNotFound)
				_, _ = io.WriteString(w, `{"message":"Not Found"}`)
				return
			}
			_, _ = io.WriteString(w, `{"total_commits":1000000000,"commits":[]}`)
		})
	}})
	g := h.Emu.Git()
	base, _ := g.MergePull(actiontest.Repo, "chore: start", "ann", "go.mod")
	g.SeedTag(actiontest.Repo, "v1.0.0", base)
	var head string
	for i := range 300 {
		path := "web/f.go"
		if i == 0 || i == 299 {
			path = "api/f.go"
		}
		head, _ = g.MergePull(actiontest.Repo, "change "+strconv.Itoa(i), "ann", path)
	}
	g.SeedTag(actiontest.Repo, "v1.1.0", head)
	in := map[string]string{"tag": "v1.1.0", "generate_release_notes": "true", "previous_tag": "v1.0.0", "notes_paths": "api/**", "dry_run": "true"}

	r := mustRun(t, h, in)
	if !strings.Contains(r.Stdout, "::warning::v1.0.0...v1.1.0 holds 300 commits; only the newest 250 were read") {
		t.Errorf("no warning about the commits left unread:\n%s", r.Stdout)
	}
	web := h.Srv.URL + "/" + actiontest.Repo
	if !strings.Contains(r.Summary, web+"/pull/301\n") || strings.Contains(r.Summary, web+"/pull/2\n") {
		t.Errorf("want #301 kept and #2 (older than the bound) left out:\n%s", r.Summary)
	}
	if n := h.Count(emulator.RouteGetCommit); n != 250 {
		t.Errorf("%d commits read, want the newest 250", n)
	}

	lie.Store(1)
	r = h.Run(in)
	if n := comparePages.Load(); n > 4 {
		t.Errorf("a server claiming 10^9 commits was asked for %d pages of them", n)
	}
	if r.Code != 0 || !strings.Contains(r.Stdout, "only the newest 0 were read") {
		t.Errorf("exit %d; want a warning that nothing was read:\n%s", r.Code, r.Stdout)
	}

	lie.Store(2)
	delete(in, "dry_run")
	r = h.Run(in)
	if r.Code == 0 || !strings.Contains(r.Stdout, `limit the generated notes to "notes_paths"`) {
		t.Errorf("exit %d; want a failure naming notes_paths:\n%s", r.Code, r.Stdout)
	}
	if n, c := len(h.ReleasesFor("v1.1.0")), h.Count(emulator.RouteCreateRelease); n != 0 || c != 0 {
		t.Errorf("a failed run left %d releases and made %d create requests", n, c)
	}
}

// TestNotesPathsFollowAMovedTag: with move_tag, the release's tag moves to
// the run's commit after the assets, so the commits notes_paths reads end
// there, not where the tag stood before the run. (GitHub generates the notes
// of an existing tag up to where it stands, target_commitish ignored, so the
// entries of pull requests merged since are not in its list to keep.)
func TestNotesPathsFollowAMovedTag(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	g := h.Emu.Git()
	start, _ := g.MergePull(actiontest.Repo, "chore: start", "ann", "go.mod")
	g.SeedTag(actiontest.Repo, "v1.0.0", start)
	old, _ := g.MergePull(actiontest.Repo, "feat: first api change", "bob", "api/a.go")
	g.SeedTag(actiontest.Repo, "v1.1.0", old)
	head, _ := g.MergePull(actiontest.Repo, "feat: second api change", "cat", "api/b.go")
	r := mustRun(t, h, map[string]string{"tag": "v1.1.0", "move_tag": "true", "GITHUB_SHA": head, "generate_release_notes": "true",
		"previous_tag": "v1.0.0", "notes_paths": "api/**", "dry_run": "true"})
	if want := "(2 of the 2 commits from v1.0.0 to " + head + " change them)"; !strings.Contains(r.Stdout, want) {
		t.Errorf("the notes do not end at the commit the tag moves to; want %q in:\n%s", want, r.Stdout)
	}
}
