package inputs

import "strings"

// Values of notes_mode: what a run does with the notes of a release that
// exists already. A new release gets the composed notes in every mode.
const (
	NotesReplace = "replace" // write the composed notes over the existing ones (the default)
	NotesKeep    = "keep"    // leave a published release's notes as they are
	NotesPrepend = "prepend" // the composed notes, marked, above the existing ones
	NotesAppend  = "append"  // the composed notes, marked, below the existing ones
)

// notesModes lists notes_mode's values in the order messages name them.
var notesModes = []string{NotesReplace, NotesKeep, NotesPrepend, NotesAppend}

// notesMode reads notes_mode; empty is replace, today's behaviour. Case does
// not matter. The mode matters only when the notes are set at all (body,
// body_path, body_from_changelog, body_from_tag or generate_release_notes);
// without them the body is left alone whatever the mode, so a mode alone is
// not an error: it asks for nothing that could be done differently.
func (p *parser) notesMode(c *Config) {
	v := p.input("notes_mode")
	c.NotesMode = NotesReplace
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
