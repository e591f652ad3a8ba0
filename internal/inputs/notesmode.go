package inputs

import (
	"strings"

	"github.com/releasekit/release-action/internal/core"
)

// notesModes lists notes_mode's values in the order messages name them.
var notesModes = []string{core.NotesReplace, core.NotesKeep, core.NotesPrepend, core.NotesAppend}

// notesMode reads notes_mode; empty is replace, today's behaviour. Case does
// not matter. The mode matters only when the notes are set at all (body,
// body_path, body_from_changelog, body_from_tag or generate_release_notes);
// without them the body is left alone whatever the mode, so a mode alone is
// not an error: it asks for nothing that could be done differently.
func (p *parser) notesMode(c *Config) {
	v := p.input("notes_mode")
	c.NotesMode = core.NotesReplace
	if v == "" {
		return
	}
	l := strings.ToLower(v)
	for _, m := range notesModes {
		if l == m {
			c.NotesMode = m
			return
		}
	}
	p.fail("%s: %s is not one of %s: replace writes this run's notes over the release's, keep leaves a published release's notes as they are, prepend and append add this run's notes above or below them",
		p.words.Input("notes_mode"), quote(v), strings.Join(notesModes, ", "))
}
