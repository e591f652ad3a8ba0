package core

// Values of notes_mode: what a run does with the notes of a release that
// exists already. A new release gets the composed notes in every mode.
const (
	NotesReplace = "replace" // write the composed notes over the existing ones (the default)
	NotesKeep    = "keep"    // leave a published release's notes as they are
	NotesPrepend = "prepend" // the composed notes, marked, above the existing ones
	NotesAppend  = "append"  // the composed notes, marked, below the existing ones
)
