package notes

import (
	"regexp"
	"strings"

	"github.com/releasekit/release-action/internal/core"
)

// GitHub's generated notes list the pull requests as lines "* TITLE by @USER
// in URL" under a "## What's Changed" heading, grouped under "### HEADING"
// lines when the repository's .github/release.yml has categories; then come
// "## New Contributors" and the "**Full Changelog**: URL" line.
// https://docs.github.com/en/repositories/releasing-projects-on-github/automatically-generated-release-notes
const whatsChanged = "## What's Changed"

// OtherHeading is the heading of the entries that no category takes when the
// categories have no CategoryOther.
const OtherHeading = "Other changes"

// conventionalTitle reads the type of a Conventional-Commit title at the start
// of an entry: "type: ", "type(scope): ", "type!: " or "type(scope)!: ".
// https://www.conventionalcommits.org/en/v1.0.0/#specification
var conventionalTitle = regexp.MustCompile(`^\* ([A-Za-z][A-Za-z0-9_-]*)(?:\([^()]*\))?(!)?: `)

// Regrouped says what Regroup did.
type Regrouped struct {
	Found    bool     // the notes have a "## What's Changed" section
	Entries  int      // the pull requests regrouped
	Replaced []string // GitHub's own category headings, which the groups replace
}

// Regroup is the one rule of notes_categories: the entries of the "What's
// Changed" section of GitHub's generated notes, each exactly once and word
// for word, go under "### HEADING" lines, one per heading of cats in the
// order of cats (a heading named by several types is one group, where it is
// first named; a group without entries is left out). An entry whose title's
// type is breaking ("feat!:") goes to the CategoryBreaking group when cats has
// one, any other to its type's group, else to CategoryOther's (OtherHeading
// when cats has none). Within a group entries keep GitHub's order. Lines of
// the section that are neither entries nor headings nor blank stay, above the
// groups; everything outside the section stays as it is. Notes without the
// section are returned as they are, Found false. Regroup(Regroup(x)) is
// Regroup(x).
func Regroup(generated string, cats []core.NoteCategory) (string, Regrouped) {
	lines := strings.Split(strings.ReplaceAll(generated, "\r\n", "\n"), "\n")
	start := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == whatsChanged {
			start = i
			break
		}
	}
	if start < 0 {
		return generated, Regrouped{}
	}
	end := len(lines)
	for i := start + 1; i < len(lines); i++ {
		if endsSection(lines[i]) {
			end = i
			break
		}
	}

	headingOf := map[string]string{} // type → heading
	var order []string               // headings, first named first
	named := map[string]bool{}
	for _, c := range cats {
		t := strings.ToLower(c.Type)
		if _, dup := headingOf[t]; dup {
			continue
		}
		headingOf[t] = c.Heading
		if !named[c.Heading] {
			named[c.Heading] = true
			order = append(order, c.Heading)
		}
	}
	other, ok := headingOf[core.CategoryOther]
	if !ok {
		other = OtherHeading
		if !named[other] {
			order = append(order, other)
		}
	}

	res := Regrouped{Found: true}
	groups := map[string][]string{}
	var kept []string
	for _, l := range lines[start+1 : end] {
		t := strings.TrimSpace(l)
		switch {
		case t == "":
		case strings.HasPrefix(t, "### "):
			res.Replaced = append(res.Replaced, strings.TrimSpace(t[4:]))
		case strings.HasPrefix(l, "* "):
			h := headingFor(l, headingOf, other)
			groups[h] = append(groups[h], l)
			res.Entries++
		default:
			kept = append(kept, l)
		}
	}

	out := append([]string(nil), lines[:start+1]...)
	out = append(out, kept...)
	for _, h := range order {
		if len(groups[h]) == 0 {
			continue
		}
		out = append(out, "### "+h)
		out = append(out, groups[h]...)
	}
	if end < len(lines) {
		out = append(out, "")
		out = append(out, lines[end:]...)
	}
	return strings.Join(out, "\n"), res
}

// endsSection tells whether a line ends the "What's Changed" section: a
// heading of level one or two, or the Full Changelog line.
func endsSection(l string) bool {
	t := strings.TrimSpace(l)
	return strings.HasPrefix(t, "# ") || strings.HasPrefix(t, "## ") || strings.HasPrefix(t, "**Full Changelog**")
}

// headingFor is the heading an entry goes under.
func headingFor(entry string, headingOf map[string]string, other string) string {
	m := conventionalTitle.FindStringSubmatch(entry)
	if m == nil {
		return other
	}
	if m[2] == "!" {
		if h, ok := headingOf[core.CategoryBreaking]; ok {
			return h
		}
	}
	if h, ok := headingOf[strings.ToLower(m[1])]; ok {
		return h
	}
	return other
}
