package inputs

import (
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// notesPaths reads notes_paths: patterns of paths in the repository
// (doublestar: api/**, {api,proto}/**, **/*.proto) separated by newlines or
// by commas outside braces. A pattern ending in / stands for everything under
// that directory (api/ is api/**); a leading ./ is dropped. Paths in a
// repository are relative, so a leading / is refused, and so is a pattern
// doublestar cannot read. It filters generated notes, so it goes with
// generate_release_notes only.
func (p *parser) notesPaths(c *Config) {
	v := p.notesInput(c, "notes_paths")
	if v == "" {
		return
	}
	var pats []string
	for _, e := range splitEntries(v) { // patterns.go
		e = strings.TrimSpace(e)
		for strings.HasPrefix(e, "./") {
			e = e[2:]
		}
		if e == "" {
			continue
		}
		if strings.HasSuffix(e, "/") {
			e += "**"
		}
		switch {
		case strings.HasPrefix(e, "/"):
			p.fail("%s: %s starts with /; paths in the repository are relative to its root (api/**)", p.words.Input("notes_paths"), quote(e))
		case !doublestar.ValidatePattern(e):
			p.fail("%s: %s is not a valid pattern", p.words.Input("notes_paths"), quote(e))
		default:
			pats = append(pats, e)
		}
	}
	if len(pats) == 0 {
		p.fail("%s: no pattern given; use patterns of paths such as %s", p.words.Input("notes_paths"), quote("api/**"))
		return
	}
	c.NotesPaths = pats
}
