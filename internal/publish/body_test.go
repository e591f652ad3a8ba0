package publish

import (
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/core"
)

// TestComposedNotesOverGitHubsLimit: a body and generated notes that each fit
// but together pass 125,000 characters fail before the create, with nothing
// written; GitHub would refuse the release with 422.
func TestComposedNotesOverGitHubsLimit(t *testing.T) {
	t.Parallel()
	f := newFake()
	f.notes = strings.Repeat("g", core.MaxBodyChars/2+10)
	j := &Job{Body: strings.Repeat("b", core.MaxBodyChars/2+10), BodySet: true}
	j.Tag, j.GenerateNotes = "v1", true
	_, err := runTagJob(t, f, j)
	if err == nil || !strings.Contains(err.Error(), "once composed") {
		t.Fatalf("err = %v, want the composed-length refusal", err)
	}
	if w := f.writes(); len(w) != 0 {
		t.Errorf("writes %v before the refusal", w)
	}
}
