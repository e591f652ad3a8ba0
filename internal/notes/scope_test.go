package notes

import (
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// entriesOf returns the lines of notes that name a pull request, in order.
func entriesOf(notes string) []string {
	var out []string
	for _, l := range strings.Split(notes, "\n") {
		if _, ok := EntryPull(l); ok {
			out = append(out, l)
		}
	}
	return out
}

// TestScopeKeepsExactlyTheChosenPullRequests is the property of notes_paths
// over generated notes and sets of pull requests: the entries left are those
// of the chosen pull requests, word for word and in order; no heading is left
// without an entry under it; the Full Changelog line stays; keeping every
// pull request changes nothing; and limiting then grouping by title is
// grouping then limiting.
func TestScopeKeepsExactlyTheChosenPullRequests(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	for c := 0; c < 3000; c++ {
		in, _, _, post := genNotes(r)
		chosen := map[int]bool{}
		for n := 1; n <= 12; n++ {
			chosen[n] = r.Intn(2) == 0
		}
		keep := func(n int) bool { return chosen[n] }
		out, res := Scope(in, keep)

		var want []string
		for _, l := range entriesOf(in) {
			if n, _ := EntryPull(l); chosen[n] {
				want = append(want, l)
			}
		}
		if got := entriesOf(out); !slices.Equal(got, want) {
			t.Fatalf("case %d: entries %q, want %q\n--- in\n%s\n--- out\n%s", c, got, want, in, out)
		}
		if res.Kept+res.Left != strings.Count(strings.SplitN(in, "## New Contributors", 2)[0], "/pull/") {
			t.Fatalf("case %d: %+v does not count the entries of What's Changed\n%s", c, res, in)
		}
		hadEntries := map[string]bool{} // headings of the input with an entry under them
		inLines := strings.Split(in, "\n")
		for i, l := range inLines {
			if strings.HasPrefix(l, "##") && i+1 < len(inLines) && (strings.HasPrefix(inLines[i+1], "* ") || strings.HasPrefix(inLines[i+1], "### ")) {
				hadEntries[l] = true
			}
		}
		lines := strings.Split(out, "\n")
		for i, l := range lines {
			if !strings.HasPrefix(l, "##") || !hadEntries[l] {
				continue
			}
			if i+1 == len(lines) || !strings.HasPrefix(lines[i+1], "* ") && !strings.HasPrefix(lines[i+1], "### ") {
				t.Fatalf("case %d: heading %q without an entry under it\n--- in\n%s\n--- out\n%s", c, l, in, out)
			}
		}
		if !strings.HasSuffix(out, strings.TrimPrefix(post[strings.Index(post, "**Full"):], "")) {
			t.Fatalf("case %d: the Full Changelog line is gone\n%s", c, out)
		}
		if all, _ := Scope(in, func(int) bool { return true }); all != in {
			t.Fatalf("case %d: keeping everything changed the notes\n--- in\n%s\n--- out\n%s", c, in, all)
		}
		cats := genCategories(r)
		a, _ := Regroup(out, cats)
		b0, _ := Regroup(in, cats)
		b, _ := Scope(b0, keep)
		if a != b {
			t.Fatalf("case %d: limiting then grouping differs from grouping then limiting\n--- in\n%s\n--- limit, group\n%s\n--- group, limit\n%s", c, in, a, b)
		}
	}
}

func TestScopeExample(t *testing.T) {
	in := "## What's Changed\n" +
		"### Features\n" +
		"* feat(api): list users by @ann in https://github.com/o/r/pull/2\n" +
		"### Fixes\n" +
		"* fix: typo in the site by @bob in https://github.com/o/r/pull/3\n\n" +
		"## New Contributors\n" +
		"* @bob made their first contribution in https://github.com/o/r/pull/3\n\n" +
		"**Full Changelog**: https://github.com/o/r/compare/api/v1.0.0...api/v1.1.0"
	want := "## What's Changed\n" +
		"### Features\n" +
		"* feat(api): list users by @ann in https://github.com/o/r/pull/2\n\n" +
		"**Full Changelog**: https://github.com/o/r/compare/api/v1.0.0...api/v1.1.0"
	got, res := Scope(in, func(n int) bool { return n == 2 })
	if got != want || res.Kept != 1 || res.Left != 1 {
		t.Fatalf("got %+v\n%s\nwant\n%s", res, got, want)
	}
	if b, ok := ChangelogBase(in); !ok || b != "api/v1.0.0" {
		t.Errorf("base %q, %v", b, ok)
	}
	if _, ok := ChangelogBase("**Full Changelog**: https://github.com/o/r/commits/v1.0.0"); ok {
		t.Errorf("a first release has a base")
	}
}
