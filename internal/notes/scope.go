package notes

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// pullURL reads the number of the pull request an entry of GitHub's
// generated notes ends with ("... in https://github.com/o/r/pull/12").
var pullURL = regexp.MustCompile(`/pull/([0-9]+)\s*$`)

// EntryPull returns the number of the pull request a line of generated notes
// names at its end; ok is false for any other line.
func EntryPull(line string) (n int, ok bool) {
	m := pullURL.FindStringSubmatch(line)
	if m == nil || !strings.HasPrefix(line, "* ") {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// Scoped says what Scope did.
type Scoped struct {
	Kept, Left int // entries of What's Changed kept and left out
}

// Scope is the one rule of notes_paths on GitHub's generated notes: an entry
// of "What's Changed" or "New Contributors" that ends in a pull request's
// URL stays exactly when keep says so, word for word and in its place; an
// entry that names no pull request stays. A "###" heading whose entries all
// went goes too, and so does a "##" section whose entries all went;
// everything else (the Full Changelog line, text of its own) stays as it is,
// so keeping every pull request changes nothing.
func Scope(generated string, keep func(pull int) bool) (string, Scoped) {
	lines := strings.Split(strings.ReplaceAll(generated, "\r\n", "\n"), "\n")
	var res Scoped
	kept := make([]bool, len(lines))
	section := ""
	for i, l := range lines {
		kept[i] = true
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "## ") || strings.HasPrefix(t, "# ") {
			section = t
		}
		if section != whatsChanged && section != newContributors {
			continue
		}
		n, ok := EntryPull(l)
		if !ok {
			continue
		}
		kept[i] = keep(n)
		switch {
		case section != whatsChanged:
		case kept[i]:
			res.Kept++
		default:
			res.Left++
		}
	}
	// Headings this leaves without entries go (one that had none stays):
	// first a "###" with nothing kept up to the next heading, then a list
	// section with nothing kept up to the next "##" (with its blank lines).
	dropEmpty := func(opens func(t string) bool, closes func(t string) bool, blanksToo bool) {
		for i, l := range lines {
			if !kept[i] || !opens(strings.TrimSpace(l)) {
				continue
			}
			end, empty, emptied := len(lines), true, false
			for k := i + 1; k < len(lines); k++ {
				u := strings.TrimSpace(lines[k])
				if closes(u) {
					end = k
					break
				}
				if u != "" {
					empty = empty && !kept[k]
					emptied = emptied || !kept[k]
				}
			}
			for k := i; empty && emptied && k < end; k++ {
				if blanksToo || strings.TrimSpace(lines[k]) != "" {
					kept[k] = false
				}
			}
		}
	}
	endsList := func(t string) bool {
		return strings.HasPrefix(t, "# ") || strings.HasPrefix(t, "## ") || strings.HasPrefix(t, "**Full Changelog**")
	}
	dropEmpty(func(t string) bool { return strings.HasPrefix(t, "### ") },
		func(t string) bool { return endsList(t) || strings.HasPrefix(t, "### ") }, false)
	dropEmpty(func(t string) bool { return t == whatsChanged || t == newContributors }, endsList, true)
	var out []string
	for i, l := range lines {
		if kept[i] {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n"), res
}

const newContributors = "## New Contributors"

// ChangelogBase returns the tag GitHub's generated notes start from, read
// from their "**Full Changelog**: .../compare/BASE...HEAD" line; ok is false
// when they have none (a first release: ".../commits/TAG").
func ChangelogBase(generated string) (base string, ok bool) {
	for _, l := range strings.Split(generated, "\n") {
		rest, found := strings.CutPrefix(strings.TrimSpace(l), "**Full Changelog**: ")
		if !found {
			continue
		}
		_, cmp, found := strings.Cut(rest, "/compare/")
		if !found {
			return "", false
		}
		b, _, found := strings.Cut(cmp, "...")
		if !found || b == "" {
			return "", false
		}
		if u, err := url.PathUnescape(b); err == nil {
			b = u
		}
		return b, true
	}
	return "", false
}
