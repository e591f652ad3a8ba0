package app_test

import (
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
)

// TestNotesCategoriesFromTitles: with notes_categories: conventional, the
// pull requests GitHub lists for v2.0.0 (those merged since v1.0.0) are
// regrouped by their titles' types, breaking changes first, each once and in
// GitHub's words, with New Contributors and the Full Changelog line kept; a
// dry run shows the regrouped notes; a list of categories sets the groups
// and their order.
func TestNotesCategoriesFromTitles(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	g := h.Emu.Git()
	g.MergePull(actiontest.Repo, "chore: start", "ann", "go.mod")
	mustRun(t, h, map[string]string{"tag": "v1.0.0"})
	for _, p := range [][2]string{
		{"fix(api): handle a nil body", "ann"},
		{"Update README", "bob"},
		{"feat!: drop the v1 API", "ann"},
		{"feat: add --json", "cat"},
		{"perf: cache the index", "bob"},
	} {
		g.MergePull(actiontest.Repo, p[0], p[1], "x")
	}
	web := h.Srv.URL + "/" + actiontest.Repo
	pr := func(title, user string, n int) string {
		return "* " + title + " by @" + user + " in " + web + "/pull/" + string(rune('0'+n)) + "\n"
	}
	tail := "\n## New Contributors\n" +
		"* @bob made their first contribution in " + web + "/pull/3\n" +
		"* @cat made their first contribution in " + web + "/pull/5\n\n" +
		"**Full Changelog**: " + web + "/compare/v1.0.0...v2.0.0"
	in := map[string]string{"tag": "v2.0.0", "generate_release_notes": "true", "notes_categories": "conventional"}

	dry := mustRun(t, h, with(in, map[string]string{"dry_run": "true"}))
	if !strings.Contains(dry.Summary, "### Breaking changes\n"+pr("feat!: drop the v1 API", "ann", 4)) {
		t.Errorf("the dry run's summary does not show the regrouped notes:\n%s", dry.Summary)
	}
	if !strings.Contains(dry.Stdout, "notes: 5 pull requests grouped by the Conventional-Commit type of their titles") {
		t.Errorf("the log does not say what was grouped:\n%s", dry.Stdout)
	}

	mustRun(t, h, in)
	want := "## What's Changed\n" +
		"### Breaking changes\n" + pr("feat!: drop the v1 API", "ann", 4) +
		"### Features\n" + pr("feat: add --json", "cat", 5) +
		"### Bug fixes\n" + pr("fix(api): handle a nil body", "ann", 2) +
		"### Performance\n" + pr("perf: cache the index", "bob", 6) +
		"### Other changes\n" + pr("Update README", "bob", 3) + tail
	if got := h.Only("v2.0.0").Body; got != want {
		t.Errorf("notes\n%s\nwant\n%s", got, want)
	}

	mustRun(t, h, with(in, map[string]string{"notes_categories": "*=Misc, feat=New, fix=New"}))
	want = "## What's Changed\n" +
		"### Breaking changes\n" + pr("feat!: drop the v1 API", "ann", 4) +
		"### Misc\n" + pr("Update README", "bob", 3) + pr("perf: cache the index", "bob", 6) +
		"### New\n" + pr("fix(api): handle a nil body", "ann", 2) + pr("feat: add --json", "cat", 5) + tail
	if got := h.Only("v2.0.0").Body; got != want {
		t.Errorf("notes with a list\n%s\nwant\n%s", got, want)
	}
}
