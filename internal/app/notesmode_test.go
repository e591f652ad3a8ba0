package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/notes"
)

// editBody does what saving the release's page in a browser does: a PATCH of
// the body, with the CRLF line ends the web editor sends.
func editBody(t *testing.T, h *actiontest.Harness, id int64, body string) {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"body": strings.ReplaceAll(body, "\n", "\r\n")})
	if status := h.API(http.MethodPatch, fmt.Sprintf("releases/%d", id), string(b)); status != http.StatusOK {
		t.Fatalf("edit the body: %d", status)
	}
}

// TestNotesModeKeepKeepsHandEdits: with notes_mode keep, a published
// release's notes edited by hand survive a re-run, which does not even ask
// for generated notes; a draft gets the run's notes (a fan-in's final job
// brings the notes the matrix jobs left out); replace, the default, writes
// over the edit.
func TestNotesModeKeepKeepsHandEdits(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	h.Write("dist/app.zip", "build")
	in := map[string]string{"tag": "v1.0.0", "files": "dist/*", "body": "From the workflow.", "generate_release_notes": "true", "notes_mode": "keep"}

	// The matrix job: a draft, no notes. The final job: keep does not keep a draft's.
	mustRun(t, h, map[string]string{"tag": "v1.0.0", "files": "dist/*", "draft": "true"})
	r := mustRun(t, h, in)
	rel := h.Only("v1.0.0")
	if rel.Draft || !strings.HasPrefix(rel.Body, "From the workflow.") || !strings.Contains(rel.Body, "## What's Changed") {
		t.Fatalf("the draft was published with body %q", rel.Body)
	}
	if !strings.Contains(r.Summary, "is a draft, so it gets this run") {
		t.Errorf("the summary does not say what keep did with the draft:\n%s", r.Summary)
	}

	hand := "Written by hand.\n\nWith care."
	editBody(t, h, rel.ID, hand)
	asked := h.Count(emulator.RouteGenerateNotes)
	updates := h.Count(emulator.RouteUpdateRelease)
	r = mustRun(t, h, in)
	if got := h.Only("v1.0.0").Body; got != strings.ReplaceAll(hand, "\n", "\r\n") {
		t.Errorf("keep changed the edited notes to %q", got)
	}
	if n := h.Count(emulator.RouteGenerateNotes) - asked; n != 0 {
		t.Errorf("keep asked for generated notes %d times on a published release", n)
	}
	if n := h.Count(emulator.RouteUpdateRelease) - updates; n != 0 {
		t.Errorf("keep sent %d updates", n)
	}
	for _, want := range []string{"notes: with notes_mode: keep, release v1.0.0 is published, so its notes stay as they are"} {
		if !strings.Contains(r.Stdout, want) || !strings.Contains(r.Summary, "stay as they are") {
			t.Errorf("the log or summary does not say %q:\n%s\n%s", want, r.Stdout, r.Summary)
		}
	}

	mustRun(t, h, with(in, map[string]string{"notes_mode": "replace"}))
	if got := h.Only("v1.0.0").Body; strings.Contains(got, "by hand") || !strings.HasPrefix(got, "From the workflow.") {
		t.Errorf("replace left %q", got)
	}
}

// TestNotesModeAddsOnceAndKeepsEdits: prepend and append put the run's
// notes, generated ones included, above or below a published release's own;
// a re-run changes nothing (no update is sent); a changed part rewrites the
// section in place, wherever a person moved it, keeping their edits outside
// the markers; an edit inside is overwritten; a deleted marker loses no line,
// warns, and leaves one pair again.
func TestNotesModeAddsOnceAndKeepsEdits(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"prepend", "append"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{})
			rel := h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: "v2.0.0", Body: "Hand-written intro.\r\n\r\nDetails."})
			id := notes.MarkerID("v2.0.0")
			begin, end := "<!-- release-action notes "+id+" begin", "<!-- release-action notes "+id+" end -->"
			in := map[string]string{"tag": "v2.0.0", "body": "Run notes, first.", "generate_release_notes": "true", "notes_mode": mode}

			r := mustRun(t, h, in)
			first := h.Only("v2.0.0").Body
			hand, section := strings.Index(first, "Hand-written intro.\r\n\r\nDetails."), strings.Index(first, begin)
			if hand < 0 || section < 0 || (mode == "prepend") != (section < hand) || !strings.Contains(first, "## What's Changed") {
				t.Fatalf("%s gave\n%s", mode, first)
			}
			if !strings.Contains(r.Summary, "added "+map[string]string{"prepend": "above", "append": "below"}[mode]) {
				t.Errorf("the summary does not say where the notes went:\n%s", r.Summary)
			}

			updates := h.Count(emulator.RouteUpdateRelease)
			mustRun(t, h, in)
			if again := h.Only("v2.0.0").Body; again != first {
				t.Errorf("a re-run changed the body:\n%s\nwas\n%s", again, first)
			}
			if n := h.Count(emulator.RouteUpdateRelease) - updates; n != 0 {
				t.Errorf("a re-run with the same notes sent %d updates", n)
			}

			// A person moves the section to the end, adds a line on top, and
			// edits a line inside it.
			from, to := strings.Index(first, begin), strings.Index(first, end)+len(end)
			moved := "Added on top.\n" + strings.TrimSpace(first[:from]+first[to:]) + "\n\n" +
				strings.Replace(first[from:to], "Run notes, first.", "Fixed by hand inside.", 1) + "\nSigned, a person."
			editBody(t, h, rel.ID, moved)
			mustRun(t, h, with(in, map[string]string{"body": "Run notes, second."}))
			got := h.Only("v2.0.0").Body
			for _, want := range []string{"Added on top.\r\n", "Hand-written intro.", "Details.", "\r\nSigned, a person.", "Run notes, second."} {
				if !strings.Contains(got, want) {
					t.Errorf("%q is gone after the re-run:\n%s", want, got)
				}
			}
			for _, never := range []string{"Run notes, first.", "Fixed by hand inside."} {
				if strings.Contains(got, never) {
					t.Errorf("%q is still there:\n%s", never, got)
				}
			}
			if strings.Count(got, begin) != 1 || strings.Count(got, end) != 1 || !strings.HasSuffix(got, end+"\r\nSigned, a person.") {
				t.Errorf("the section was not rewritten where it was moved:\n%s", got)
			}

			// A person deletes the end marker.
			editBody(t, h, rel.ID, strings.Replace(strings.ReplaceAll(got, "\r\n", "\n"), end, "", 1))
			r = mustRun(t, h, with(in, map[string]string{"body": "Run notes, third."}))
			got = h.Only("v2.0.0").Body
			if strings.Count(got, begin) != 1 || strings.Count(got, end) != 1 || !strings.Contains(got, "Run notes, third.") {
				t.Errorf("a damaged pair did not end as one pair:\n%s", got)
			}
			for _, want := range []string{"Added on top.", "Hand-written intro.", "Signed, a person.", "Run notes, second."} {
				if !strings.Contains(got, want) {
					t.Errorf("%q was lost with the damaged marker:\n%s", want, got)
				}
			}
			if !strings.Contains(r.Stdout, "::warning::") || !strings.Contains(r.Stdout, "damaged") || !strings.Contains(r.Summary, "damaged") {
				t.Errorf("no warning about the damaged markers:\n%s", r.Stdout)
			}
			again := mustRun(t, h, with(in, map[string]string{"body": "Run notes, third."}))
			if h.Only("v2.0.0").Body != got || strings.Contains(again.Stdout, "damaged") {
				t.Errorf("the run after the repair changed the body again")
			}
		})
	}
}

// TestNotesModeOverTheLimitChangesNothing: notes that fit alone but not once
// added to the release's fail the run before any write, naming notes_mode,
// also when the run has files to upload.
func TestNotesModeOverTheLimitChangesNothing(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: "v3.0.0", Body: strings.Repeat("n", emulator.MaxBodyChars-100)})
	h.Write("dist/app.zip", "build")
	h.Emu.ResetLog()
	r := h.Run(map[string]string{"tag": "v3.0.0", "files": "dist/*", "body": strings.Repeat("r", 200), "notes_mode": "append"})
	for _, want := range []string{"(notes_mode: append)", "set notes_mode: replace", "more than the 125000", "nothing was changed"} {
		if r.Code == 0 || !strings.Contains(r.Stdout, want) {
			t.Errorf("exit %d; want %q in\n%s", r.Code, want, r.Stdout)
		}
	}
	if n := h.Writes(); n != 0 {
		t.Errorf("the refused run sent %d writes", n)
	}
	if got := h.Only("v3.0.0"); len(got.Body) != emulator.MaxBodyChars-100 || len(h.Emu.Assets(actiontest.Repo, got.ID)) != 0 {
		t.Errorf("the release changed")
	}
}

// TestNotesModeDryRunShowsTheNotes: a dry run logs the mode's decision and the
// notes it would write, shows them in the summary as written (markers
// included), and changes nothing.
func TestNotesModeDryRunShowsTheNotes(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: "v4.0.0", Body: "By hand, with ```fences```."})
	in := map[string]string{"tag": "v4.0.0", "body": "Run notes.", "notes_mode": "prepend", "dry_run": "true"}
	h.Emu.ResetLog()
	r := mustRun(t, h, in)
	want, _ := notes.Combine("By hand, with ```fences```.", "Run notes.", notes.MarkerID("v4.0.0"), false)
	if !strings.Contains(r.Stdout, "dry run: would write the notes") || !strings.Contains(r.Stdout, want) {
		t.Errorf("the log does not show the notes\n%s\nin\n%s", want, r.Stdout)
	}
	if !strings.Contains(r.Summary, "````markdown\n"+want+"\n````") || !strings.Contains(r.Summary, "added above the release") {
		t.Errorf("the summary does not show the notes and the decision:\n%s", r.Summary)
	}
	if n := h.Writes(); n != 0 || h.Only("v4.0.0").Body != "By hand, with ```fences```." {
		t.Errorf("the dry run sent %d writes", n)
	}

	r = mustRun(t, h, with(in, map[string]string{"notes_mode": "keep"}))
	if !strings.Contains(r.Stdout, "dry run: would leave the release's notes as they are") || !strings.Contains(r.Summary, "stay as they are") {
		t.Errorf("keep's dry run:\n%s\n%s", r.Stdout, r.Summary)
	}
}
