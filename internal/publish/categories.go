package publish

import (
	"fmt"
	"strings"

	"github.com/releasekit/release-action/internal/notes"
)

// categorized applies notes_categories to GitHub's generated notes
// (notes.Regroup) and says in the log what it did: how many pull requests
// went under which headings, and which of GitHub's own category headings
// (from the repository's .github/release.yml) the groups replaced. Without
// notes_categories the notes are GitHub's as they are.
func (r *run) categorized(generated string) string {
	j := r.j
	if j.NotesCategories == nil {
		return generated
	}
	out, res := notes.Regroup(generated, j.NotesCategories)
	ref := j.Words.Ref("notes_categories")
	switch {
	case !res.Found:
		r.p.Log.Infof("notes: the generated notes list no pull requests, so there is nothing to group by title (%s)", ref)
	default:
		msg := fmt.Sprintf("notes: %d pull requests grouped by the Conventional-Commit type of their titles (%s)", res.Entries, ref)
		if len(res.Replaced) > 0 {
			msg += fmt.Sprintf(", in place of the categories of the repository's release notes configuration (%s)", strings.Join(res.Replaced, ", "))
		}
		r.p.Log.Infof("%s", msg)
	}
	return out
}
