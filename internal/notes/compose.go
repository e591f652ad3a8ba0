package notes

import "strings"

// Parts are the pieces of a release body, each already read or fetched; an empty
// part is left out.
type Parts struct {
	Body       string // the body input, or the contents of body_path
	Changelog  string // ChangelogSection's result for body_from_changelog
	TagMessage string // TagMessage's result for body_from_tag
	Generated  string // GitHub's generated notes (POST .../releases/generate-notes)
}

// Compose is the one composition rule: the user's body, then the changelog
// section, then the tag message, then the generated notes, separated by one
// blank line. The result depends on the parts alone: callers must build them
// afresh on every run and never pass the release's current body in, so that a
// re-run writes the same body again instead of appending to it.
func Compose(p Parts) string {
	var kept []string
	for _, part := range []string{p.Body, p.Changelog, p.TagMessage, p.Generated} {
		if s := trimBlankLines(strings.ReplaceAll(part, "\r\n", "\n")); s != "" {
			kept = append(kept, s)
		}
	}
	return strings.Join(kept, "\n\n")
}
