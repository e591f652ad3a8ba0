package report

import (
	"strings"
	"unicode/utf8"

	"github.com/releasekit/release-action/internal/publish"
)

// notesShown is the most characters of a dry run's notes the summary shows;
// the log shows them all. Notes may take 125,000 characters, and the summary
// must keep room for the table of assets under GitHub's 1 MiB.
const notesShown = 20_000

// notesSection is the summary's word on the notes: what notes_mode decided,
// and in a dry run the notes a real run would write, as raw Markdown in a
// fence longer than any run of backquotes they hold, so that they show as
// written, markers included; "" when there is nothing to say.
func notesSection(r *publish.Result) string {
	var b strings.Builder
	if r.PreviousTagNote != "" {
		b.WriteString("Previous tag: " + escape(r.PreviousTagNote) + ".\n\n")
	}
	if r.NotesNote != "" {
		b.WriteString("Notes: " + escape(r.NotesNote) + ".\n\n")
	}
	if r.DryRun && r.Notes != nil {
		text, cut := *r.Notes, false
		if utf8.RuneCountInString(text) > notesShown {
			text, cut = string([]rune(text)[:notesShown]), true
		}
		fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
		b.WriteString("<details><summary>The notes a real run would write</summary>\n\n")
		b.WriteString(fence + "markdown\n" + strings.TrimRight(text, "\n") + "\n" + fence + "\n\n")
		if cut {
			b.WriteString("The notes are cut here; the log shows all of them.\n\n")
		}
		b.WriteString("</details>\n\n")
	}
	return b.String()
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}
