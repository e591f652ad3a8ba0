package publish

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/releasekit/release-action/internal/core"
	"github.com/releasekit/release-action/internal/notes"
)

// notesDecision is what notes_mode makes of this run's notes for one release.
type notesDecision struct {
	body  string // the body to write, when write
	write bool   // false: the release's body stays as it is
	note  string // what the mode decided, for the log and the summary; "" when nothing was asked for
	// repaired is set when the release's notes held this tag's markers
	// damaged by a hand edit (notes.Repaired).
	repaired bool
}

// decideNotes applies notes_mode to rel (nil: the release this run creates).
// The decision is made here and only here:
//
//   - A new release gets this run's notes in every mode (between markers in
//     prepend and append, so that the next run finds them).
//   - replace writes them over the release's notes, as before notes_mode.
//   - keep leaves a published release's notes exactly as they are, and does
//     not even ask for generated notes. A draft is not kept: it is a release
//     still being made, whose notes a later job of the same pipeline may be
//     the first to set (matrix jobs upload into a draft without notes, the
//     final job brings them), so it gets this run's notes as with replace.
//   - prepend and append combine them with the release's notes, draft or
//     published, by notes.Combine: the section an earlier run added is
//     rewritten in place, never added twice, and text outside it is kept.
//
// The combined body must fit in GitHub's limit; otherwise the run fails
// here, before any change.
func (r *run) decideNotes(ctx context.Context, rel *Release) (notesDecision, error) {
	j, w, mode := r.j, r.j.Words, r.notesMode()
	with := "with " + w.Set("notes_mode", mode) + ", "
	if mode == core.NotesKeep && rel != nil && !rel.Draft {
		if !r.notesAsked() {
			return notesDecision{}, nil
		}
		return notesDecision{note: with + fmt.Sprintf("release %s is published, so its notes stay as they are; this run's notes were not made", j.Tag)}, nil
	}
	composed, set, err := r.composed(ctx)
	if err != nil || !set {
		return notesDecision{}, err
	}
	d := notesDecision{body: composed, write: true}
	switch {
	case mode == core.NotesPrepend || mode == core.NotesAppend:
		existing := ""
		if rel != nil {
			existing = rel.Body
		}
		below := mode == core.NotesAppend
		where := map[bool]string{false: "above", true: "below"}[below]
		var how notes.Outcome
		d.body, how = notes.Combine(existing, composed, notes.MarkerID(j.Tag), below)
		switch {
		case rel == nil:
			d.note = "the new release gets this run's notes, between markers that later runs rewrite in place"
		case how == notes.Rewritten:
			d.note = "this run's notes replace, in place, the section between the markers an earlier run added; the rest of the notes stays"
		case how == notes.Repaired:
			d.repaired = true
			d.note = "the markers of the section an earlier run added were damaged by an edit; they were removed, every line of the notes kept, and this run's notes added " + where + " the rest between new markers"
		case strings.TrimSpace(existing) == "":
			d.note = "the release has no notes yet, so they are this run's notes, between markers that later runs rewrite in place"
		default:
			d.note = "this run's notes are added " + where + " the release's notes, between markers that later runs rewrite in place"
		}
		if n := utf8.RuneCountInString(d.body); n > core.MaxBodyChars {
			added := "with this run's notes added " + where + " the release's"
			if strings.TrimSpace(existing) == "" {
				added = "with the markers around this run's notes"
			}
			return notesDecision{}, fmt.Errorf("the release notes would come to %d characters %s (%s), more than the %d GitHub takes in a release body; nothing was changed: shorten the release's notes or this run's, or set %s to write this run's notes alone",
				n, added, w.Set("notes_mode", mode), core.MaxBodyChars, w.Set("notes_mode", core.NotesReplace))
		}
	case rel == nil:
		d.note = "the new release gets this run's notes"
	case mode == core.NotesKeep:
		d.note = fmt.Sprintf("release %s is a draft, so it gets this run's notes (keep keeps only a published release's)", j.Tag)
	default:
		d.note = "this run's notes replace the release's"
	}
	d.note = with + d.note
	if rel != nil && d.body == rel.Body {
		d.note += "; the notes are unchanged"
	}
	return d, nil
}

// notesMode is notes_mode, replace when the job leaves it empty.
func (r *run) notesMode() string {
	if r.j.NotesMode == "" {
		return core.NotesReplace
	}
	return r.j.NotesMode
}

// notesAsked reports whether any part of the notes was asked for, without
// making them: keep on a published release makes none.
func (r *run) notesAsked() bool {
	j := r.j
	return j.BodySet || j.Changelog != "" || j.BodyFromTag || j.GenerateNotes
}

// body returns the body this run writes on rel (nil: the release it creates)
// and whether it writes one at all, after notes_mode (decideNotes); what the
// mode decided is logged, and in the summary when it is more than replace's
// plain rewrite.
func (r *run) body(ctx context.Context, rel *Release) (string, bool, error) {
	d, err := r.decideNotes(ctx, rel)
	if err != nil {
		return "", false, err
	}
	if d.note != "" && (r.notesMode() != core.NotesReplace || r.j.DryRun) {
		r.notesNote = d.note
		if d.repaired {
			r.warn("notes: %s; the old section's text is now outside the markers and may repeat this run's notes: delete it by hand if so", d.note)
		} else {
			r.p.Log.Infof("notes: %s", d.note)
		}
	}
	return d.body, d.write, nil
}

// checkNotes makes the notes and applies notes_mode before any change, so that
// a failure to make them (generated notes refused, a body over GitHub's limit
// once combined) changes nothing. It logs nothing: body does, when it writes.
func (r *run) checkNotes(ctx context.Context, rel *Release) error {
	_, err := r.decideNotes(ctx, rel)
	return err
}

// dryRunNotes says what a real run would do with the notes, and shows them.
func (r *run) dryRunNotes(ctx context.Context, rel *Release) error {
	body, write, err := r.body(ctx, rel)
	if err != nil {
		return err
	}
	switch {
	case !write:
		r.p.Log.Infof("dry run: would leave the release's notes as they are")
	case rel != nil && body == rel.Body:
		r.p.Log.Infof("dry run: the release's notes are already what this run would write")
		r.dryNotes = &body
	default:
		r.p.Log.Infof("dry run: would write the notes (%d characters):\n%s", utf8.RuneCountInString(body), body)
		r.dryNotes = &body
	}
	return nil
}
