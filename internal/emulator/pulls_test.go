package emulator_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/emulator"
)

// TestPullRequestsAndCommitFiles: seeded pull requests and the files of their
// commits reach generated notes (the pull requests merged between the two
// tags, in GitHub's lines, first contributions credited), the compare
// endpoint (its commits by page, the files of all of them), the single-commit
// endpoint (a commit's files) and a commit's pull requests.
func TestPullRequestsAndCommitFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	g := e.emu.Git()
	web := e.srv.URL + "/" + repo
	first, _ := g.MergePull(repo, "chore: start", "ann", "go.mod")
	g.SeedTag(repo, "v1.0.0", first)
	var shas []string
	for i, p := range []struct{ title, author, path string }{
		{"feat(api): list users", "ann", "api/users.go"},
		{"fix: typo in the site", "bob", "web/index.html"},
		{"feat(api)!: drop v1", "cat", "api/v1.go"},
	} {
		sha, n := g.MergePull(repo, p.title, p.author, p.path, "CHANGELOG.md")
		if n != i+2 {
			t.Fatalf("pull request number %d, want %d", n, i+2)
		}
		shas = append(shas, sha)
	}
	g.SeedTag(repo, "v2.0.0", shas[2])

	notes := decode[map[string]string](t, e.do("POST", e.api("/repos/"+repo+"/releases/generate-notes"), `{"tag_name":"v2.0.0","previous_tag_name":"v1.0.0"}`).want(t, 200))["body"]
	want := "## What's Changed\n" +
		"* feat(api): list users by @ann in " + web + "/pull/2\n" +
		"* fix: typo in the site by @bob in " + web + "/pull/3\n" +
		"* feat(api)!: drop v1 by @cat in " + web + "/pull/4\n\n" +
		"## New Contributors\n" +
		"* @bob made their first contribution in " + web + "/pull/3\n" +
		"* @cat made their first contribution in " + web + "/pull/4\n\n" +
		"**Full Changelog**: " + web + "/compare/v1.0.0...v2.0.0"
	if notes != want {
		t.Errorf("generated notes\n%s\nwant\n%s", notes, want)
	}
	none := decode[map[string]string](t, e.do("POST", e.api("/repos/"+repo+"/releases/generate-notes"), `{"tag_name":"v2.0.0","previous_tag_name":"v2.0.0"}`).want(t, 200))["body"]
	if none != "**Full Changelog**: "+web+"/compare/v2.0.0...v2.0.0" {
		t.Errorf("notes of an empty range: %q", none)
	}

	type cmp struct {
		TotalCommits int `json:"total_commits"`
		Commits      []struct {
			SHA string `json:"sha"`
		} `json:"commits"`
		Files []struct {
			Filename string `json:"filename"`
		} `json:"files"`
	}
	all := decode[cmp](t, e.do("GET", e.api("/repos/"+repo+"/compare/v1.0.0...v2.0.0"), nil).want(t, 200))
	var files []string
	for _, f := range all.Files {
		files = append(files, f.Filename)
	}
	if all.TotalCommits != 3 || len(all.Commits) != 3 || all.Commits[0].SHA != shas[0] || fmt.Sprint(files) != "[api/users.go CHANGELOG.md web/index.html api/v1.go]" {
		t.Errorf("compare: %+v", all)
	}
	for page, want := range map[int][]string{1: shas[:2], 2: shas[2:], 3: nil} {
		got := decode[cmp](t, e.do("GET", e.api(fmt.Sprintf("/repos/%s/compare/v1.0.0...v2.0.0?per_page=2&page=%d", repo, page)), nil).want(t, 200))
		var seen []string
		for _, c := range got.Commits {
			seen = append(seen, c.SHA)
		}
		if !slices.Equal(seen, want) || got.TotalCommits != 3 {
			t.Errorf("compare page %d: %v (total %d), want %v", page, seen, got.TotalCommits, want)
		}
	}

	one := decode[cmp](t, e.do("GET", e.api("/repos/"+repo+"/commits/"+shas[1]), nil).want(t, 200))
	if len(one.Files) != 2 || one.Files[0].Filename != "web/index.html" {
		t.Errorf("commit files: %+v", one.Files)
	}
	e.do("GET", e.api("/repos/"+repo+"/commits/"+strings.Repeat("0", 40)), nil).want(t, 422)

	pulls := decode[[]struct {
		Number   int     `json:"number"`
		Title    string  `json:"title"`
		MergedAt *string `json:"merged_at"`
		User     struct {
			Login string `json:"login"`
		} `json:"user"`
	}](t, e.do("GET", e.api("/repos/"+repo+"/commits/"+shas[2]+"/pulls"), nil).want(t, 200))
	if len(pulls) != 1 || pulls[0].Number != 4 || pulls[0].User.Login != "cat" || pulls[0].MergedAt == nil || pulls[0].Title != "feat(api)!: drop v1" {
		t.Errorf("pulls of a commit: %+v", pulls)
	}
	if got := decode[[]any](t, e.do("GET", e.api("/repos/"+repo+"/commits/"+emulator.InitialCommit(repo)+"/pulls"), nil).want(t, 200)); len(got) != 0 {
		t.Errorf("pulls of a commit no pull request brought: %v", got)
	}
}
