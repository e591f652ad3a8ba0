package notes

import (
	"regexp"
	"strings"
	"unicode"
)

// A version as changelogs and tags write it, without the "v": 1.2.3, 1.2.3-rc.1,
// 2.0.0+build.5. dotted demands at least one dot, so that in "pkg-1-v2.0.0" the
// version is "2.0.0"; bare accepts "v2" when nothing dotted is there.
var (
	dottedVersion = regexp.MustCompile(`^[vV]?(\d+(?:\.\d+)+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$`)
	bareVersion   = regexp.MustCompile(`^[vV]?(\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$`)
	isoDate       = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// ref is a tag split into its package and version: "pkg/v1.2.3" is ("pkg",
// "1.2.3"), "v1.2.3" is ("", "1.2.3"), "nightly" has no version.
type ref struct {
	tag, pkg, version string
}

func parseRef(tag string) ref {
	pkg, version := splitVersion(tag)
	return ref{tag: tag, pkg: pkg, version: version}
}

// splitVersion finds the version at the end of s, after the start or after one
// of the separators monorepos use ("pkg/v1", "pkg-v1", "pkg_v1", "@scope/pkg@1").
// The leftmost split that leaves a whole version wins.
func splitVersion(s string) (pkg, version string) {
	for _, re := range []*regexp.Regexp{dottedVersion, bareVersion} {
		for i := -1; i < len(s); i++ {
			if i >= 0 && !strings.ContainsRune("/-_@", rune(s[i])) {
				continue
			}
			if m := re.FindStringSubmatch(s[i+1:]); m != nil {
				if i < 0 {
					return "", m[1]
				}
				return s[:i], m[1]
			}
		}
	}
	return "", ""
}

// matchScore rates how well a heading's plain text names this tag: 3 when a word
// is the tag itself, 2 when its version matches and the heading names the tag's
// package ("pkg-v1.2.3", "pkg: 1.2.3"), 1 when its version matches and no package
// is named, 0 otherwise. Only the heading's first version counts (the second is
// usually a date or a compare range), and a heading naming another package never
// matches.
func (r ref) matchScore(headingText string) int {
	words := headingWords(headingText)
	for i, w := range words {
		if w == r.tag {
			return 3
		}
		if isoDate.MatchString(w) {
			continue
		}
		pkg, version := splitVersion(w)
		if version == "" {
			continue
		}
		switch {
		case version != r.version:
			return 0
		case pkg != "":
			if r.pkg != "" && strings.EqualFold(pkg, r.pkg) {
				return 2
			}
			return 0
		case i > 0 && r.pkg != "" && strings.EqualFold(strings.TrimRight(words[i-1], ":@"), r.pkg):
			return 2
		default:
			return 1
		}
	}
	return 0
}

// namesVersion tells whether a heading's plain text is a release heading: one of
// its first two words is a version ("1.2.3 - date", "pkg: 1.2.3", "Version
// 1.2.3"). A subsection such as "Upgrading to 2.0" mentions one later.
func namesVersion(headingText string) bool {
	words := headingWords(headingText)
	for _, w := range words[:min(2, len(words))] {
		if _, v := splitVersion(w); v != "" && !isoDate.MatchString(w) {
			return true
		}
	}
	return false
}

// headingWords splits a heading into words on spaces, brackets, quotes and dashes
// used as punctuation, and trims trailing sentence punctuation.
func headingWords(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("[](){}<>\"'`*|,;—–", r)
	})
	out := fields[:0]
	for _, f := range fields {
		f = strings.TrimRight(f, ".:")
		if f != "" && f != "-" {
			out = append(out, f)
		}
	}
	return out
}
