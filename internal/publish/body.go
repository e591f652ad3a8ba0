package publish

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/releasekit/release-action/internal/core"
	"github.com/releasekit/release-action/internal/notes"
)

// composed returns this run's notes by the one rule of notes.Compose: the
// user's body (or body_path), the changelog section, the tag message, then the
// generated notes. Every part is made afresh on each run (the generated notes
// from the generate-notes endpoint, never generate_release_notes on create,
// which GitHub appends once and never redoes), so a re-run writes the same
// notes instead of appending to them; they are asked for once per run. set is
// false when no part was asked for: the release's body is then left alone.
// What becomes of the release's existing notes is notes_mode's (notesmode.go).
func (r *run) composed(ctx context.Context) (string, bool, error) {
	if r.notes != nil {
		return r.notes.text, r.notes.set, nil
	}
	j := r.j
	parts := notes.Parts{Body: j.Body, Changelog: j.Changelog, TagMessage: r.tag.message}
	set := j.BodySet || j.Changelog != "" || j.BodyFromTag
	if j.GenerateNotes {
		prev, err := r.previousTag(ctx) // prevtag.go
		if err != nil {
			return "", false, err
		}
		gen, err := r.p.GH.GenerateNotes(ctx, NotesRequest{
			TagName: j.Tag, TargetCommitish: r.target(),
			PreviousTagName: prev, ConfigFilePath: j.NotesConfig,
		})
		if err != nil {
			return "", false, fmt.Errorf("generate release notes: %w", err)
		}
		if gen, err = r.limitedToPaths(ctx, gen, prev); err != nil { // notespaths.go
			return "", false, err
		}
		parts.Generated, set = r.categorized(gen), true // categories.go
	}
	if !set {
		r.notes = &composedNotes{}
		return "", false, nil
	}
	body := notes.Compose(parts)
	if n := utf8.RuneCountInString(body); n > core.MaxBodyChars {
		// Each part may fit and the whole not; GitHub would answer 422. This
		// runs before the create or the update, so nothing has changed yet.
		return "", false, fmt.Errorf("the release notes come to %d characters once composed (body, changelog section, tag message, generated notes), more than the %d GitHub takes in a release body; shorten a part or leave one out", n, core.MaxBodyChars)
	}
	r.notes = &composedNotes{text: body, set: true}
	return body, true, nil
}

// composedNotes are the run's notes once composed.
type composedNotes struct {
	text string
	set  bool
}

// target is the commit a missing tag is made from: target_commitish as given,
// else the workflow's commit (GITHUB_SHA), so that the tag lands on what was
// built even when the default branch moved on, or the draft is published
// later; "" outside a workflow, where GitHub falls back to the default branch.
func (r *run) target() string {
	if r.j.TargetCommitish != "" {
		return r.j.TargetCommitish
	}
	return r.j.SHA
}
