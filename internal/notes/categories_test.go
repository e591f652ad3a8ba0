package notes

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/core"
)

// genEntry is one generated pull request: its line and the key its title
// must be grouped by (a type in lower case, or CategoryBreaking), known by
// construction rather than read back from the line.
type genEntry struct {
	line     string
	typ      string // "" when the title is not a Conventional-Commit one
	breaking bool
}

var genTypes = []string{"feat", "fix", "perf", "docs", "chore", "refactor", "ci", "build", "test", "revert", "deps"}

func genTitle(r *rand.Rand) genEntry {
	typ := genTypes[r.Intn(len(genTypes))]
	cased := typ
	if r.Intn(5) == 0 {
		cased = strings.ToUpper(typ[:1]) + typ[1:]
	}
	scope := []string{"", "(api)", "(deps)", "(web ui)", "()"}[r.Intn(5)]
	bang := r.Intn(5) == 0
	desc := []string{"add a flag", "handle: colons", "bump x from 1.0 to 2.0", "fix!: not a type here", "Ünïcode ✓"}[r.Intn(5)]
	b := ""
	if bang {
		b = "!"
	}
	switch r.Intn(6) {
	case 0: // not conventional at all
		return genEntry{line: []string{"Update README", "WIP feat: later", "feat : spaced", "feat(api: open", "Merge branch 'main'", "feat:no space"}[r.Intn(6)]}
	default:
		return genEntry{line: cased + scope + b + ": " + desc, typ: typ, breaking: bang}
	}
}

func genCategories(r *rand.Rand) []core.NoteCategory {
	if r.Intn(4) == 0 {
		return core.ConventionalCategories()
	}
	pool := append([]string{core.CategoryBreaking, core.CategoryOther}, genTypes...)
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	var cats []core.NoteCategory
	for _, t := range pool[:r.Intn(len(pool))] {
		// Few headings, so that several types often share one.
		cats = append(cats, core.NoteCategory{Type: t, Heading: fmt.Sprintf("Group %d", r.Intn(4))})
	}
	return cats
}

// expectedHeading is the heading the rule of Regroup gives an entry, from
// what the generator knows about its title.
func expectedHeading(e genEntry, cats []core.NoteCategory) string {
	first := func(t string) (string, bool) {
		for _, c := range cats {
			if c.Type == t {
				return c.Heading, true
			}
		}
		return "", false
	}
	if e.breaking {
		if h, ok := first(core.CategoryBreaking); ok {
			return h
		}
	}
	if e.typ != "" {
		if h, ok := first(e.typ); ok {
			return h
		}
	}
	if h, ok := first(core.CategoryOther); ok {
		return h
	}
	return OtherHeading
}

// genNotes writes notes in GitHub's shape: an optional comment, the What's
// Changed section (sometimes grouped by release.yml labels), New
// Contributors, the Full Changelog line.
func genNotes(r *rand.Rand) (string, []genEntry, string, string) {
	var pre, sec, post strings.Builder
	if r.Intn(3) == 0 {
		pre.WriteString("<!-- Release notes generated using configuration in .github/release.yml at main -->\n\n")
	}
	pre.WriteString(whatsChanged)
	n := r.Intn(12)
	var es []genEntry
	labelled := r.Intn(3) == 0
	for i := 0; i < n; i++ {
		if labelled && (i == 0 || r.Intn(4) == 0) {
			fmt.Fprintf(&sec, "\n### Label %d 🎉", i)
		}
		e := genTitle(r)
		users := []string{"octocat", "dependabot[bot]", "a-b"}
		e.line = fmt.Sprintf("* %s by @%s in https://github.com/o/r/pull/%d", e.line, users[r.Intn(len(users))], i+1)
		es = append(es, e)
		sec.WriteString("\n" + e.line)
	}
	if r.Intn(2) == 0 {
		post.WriteString("## New Contributors\n* @a-b made their first contribution in https://github.com/o/r/pull/3\n\n")
	}
	post.WriteString("**Full Changelog**: https://github.com/o/r/compare/v1.0.0...v1.1.0")
	return pre.String() + sec.String() + "\n\n" + post.String(), es, pre.String(), post.String()
}

// TestRegroupKeepsEveryEntryUnderItsTypesHeading is the property of
// notes_categories over generated notes and categories: the entries are the
// same multiset, each under the heading its title's type maps to, groups in
// the categories' order, GitHub's order within a group, and everything
// outside the section untouched; regrouping twice changes nothing more.
func TestRegroupKeepsEveryEntryUnderItsTypesHeading(t *testing.T) {
	r := rand.New(rand.NewSource(23))
	for c := 0; c < 3000; c++ {
		in, es, pre, post := genNotes(r)
		cats := genCategories(r)
		out, res := Regroup(in, cats)
		if !res.Found || res.Entries != len(es) {
			t.Fatalf("case %d: %+v, want found with %d entries\n%s", c, res, len(es), in)
		}
		if !strings.HasPrefix(out, pre+"\n") || !strings.HasSuffix(out, "\n\n"+post) {
			t.Fatalf("case %d: text outside the section changed\n--- in\n%s\n--- out\n%s", c, in, out)
		}
		section := strings.TrimSuffix(strings.TrimPrefix(out, pre+"\n"), "\n\n"+post)
		if len(es) == 0 {
			section = strings.TrimSuffix(strings.TrimPrefix(out, pre), "\n\n"+post)
		}

		// Read the output's groups back.
		got := map[string][]string{}
		var headings []string
		cur := ""
		for _, l := range strings.Split(section, "\n") {
			switch {
			case l == "":
			case strings.HasPrefix(l, "### "):
				cur = l[4:]
				if slices.Contains(headings, cur) {
					t.Fatalf("case %d: heading %q twice\n%s", c, cur, out)
				}
				headings = append(headings, cur)
			case strings.HasPrefix(l, "* "):
				if cur == "" {
					t.Fatalf("case %d: entry %q above every heading\n%s", c, l, out)
				}
				got[cur] = append(got[cur], l)
			default:
				t.Fatalf("case %d: unexpected line %q\n%s", c, l, out)
			}
		}
		want := map[string][]string{}
		for _, e := range es {
			h := expectedHeading(e, cats)
			want[h] = append(want[h], e.line)
		}
		if len(got) != len(want) {
			t.Fatalf("case %d: groups %v, want %v\n%s", c, headings, want, out)
		}
		for h, lines := range want {
			if !slices.Equal(got[h], lines) {
				t.Fatalf("case %d: under %q got %q, want %q (categories %v)\n%s", c, h, got[h], lines, cats, in)
			}
		}
		// Groups in the order the categories first name their headings.
		var order []string
		for _, cat := range cats {
			if !slices.Contains(order, cat.Heading) {
				order = append(order, cat.Heading)
			}
		}
		if !slices.Contains(order, OtherHeading) && !slices.ContainsFunc(cats, func(c core.NoteCategory) bool { return c.Type == core.CategoryOther }) {
			order = append(order, OtherHeading)
		}
		pos := -1
		for _, h := range headings {
			i := slices.Index(order, h)
			if i <= pos {
				t.Fatalf("case %d: headings %v out of the order %v", c, headings, order)
			}
			pos = i
		}
		if again, _ := Regroup(out, cats); again != out {
			t.Fatalf("case %d: regrouping twice changed the notes\n--- once\n%s\n--- twice\n%s", c, out, again)
		}
	}
}

func TestRegroupExample(t *testing.T) {
	in := "## What's Changed\n" +
		"* fix(api): handle a nil body by @a in https://github.com/o/r/pull/3\n" +
		"* Update README by @b in https://github.com/o/r/pull/4\n" +
		"* feat!: drop the v1 API by @a in https://github.com/o/r/pull/5\n" +
		"* feat: add --json by @c in https://github.com/o/r/pull/6\n\n" +
		"## New Contributors\n* @c made their first contribution in https://github.com/o/r/pull/6\n\n" +
		"**Full Changelog**: https://github.com/o/r/compare/v1.0.0...v2.0.0"
	want := "## What's Changed\n" +
		"### Breaking changes\n* feat!: drop the v1 API by @a in https://github.com/o/r/pull/5\n" +
		"### Features\n* feat: add --json by @c in https://github.com/o/r/pull/6\n" +
		"### Bug fixes\n* fix(api): handle a nil body by @a in https://github.com/o/r/pull/3\n" +
		"### Other changes\n* Update README by @b in https://github.com/o/r/pull/4\n\n" +
		"## New Contributors\n* @c made their first contribution in https://github.com/o/r/pull/6\n\n" +
		"**Full Changelog**: https://github.com/o/r/compare/v1.0.0...v2.0.0"
	got, res := Regroup(in, core.ConventionalCategories())
	if got != want || res.Entries != 4 {
		t.Fatalf("got (%d entries)\n%s\nwant\n%s", res.Entries, got, want)
	}
}

func TestRegroupLeavesNotesWithoutTheSection(t *testing.T) {
	in := "**Full Changelog**: https://github.com/o/r/commits/v1.0.0"
	if got, res := Regroup(in, core.ConventionalCategories()); got != in || res.Found {
		t.Fatalf("got %q, %+v", got, res)
	}
}
