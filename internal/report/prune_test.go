package report

import (
	"strings"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/publish"
)

// TestSummaryListsPruned: the channel's deleted releases appear in the
// summary, as done in a run and as intended in a dry run, with a tag that
// holds Markdown escaped; a run that pruned nothing has no section.
func TestSummaryListsPruned(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 12, 1, 3, 4, 5, 0, time.UTC)
	pruned := []publish.PrunedRelease{{ID: 7, Tag: "nightly-1", CreatedAt: at}, {ID: 9, Tag: "nightly-a|b", CreatedAt: at.Add(time.Hour)}}
	rel := &publish.Release{ID: 12, TagName: "nightly-3", HTMLURL: "https://github.com/o/r/releases/tag/nightly-3"}

	done := Summary(&publish.Result{Tag: "nightly-3", Release: rel, Published: true, Pruned: pruned})
	for _, want := range []string{"### Pruned releases", "Deleted 2 older releases", "| nightly-1 | 7 | 2026-12-01T03:04:05Z |", `nightly-a\|b`} {
		if !strings.Contains(done, want) {
			t.Errorf("summary lacks %q:\n%s", want, done)
		}
	}
	dry := Summary(&publish.Result{Tag: "nightly-3", DryRun: true, Pruned: pruned})
	if !strings.Contains(dry, "Would delete 2") || strings.Contains(dry, "Deleted") {
		t.Errorf("dry run summary:\n%s", dry)
	}
	if s := Summary(&publish.Result{Tag: "nightly-3", Release: rel}); strings.Contains(s, "Pruned") {
		t.Errorf("a section without pruning:\n%s", s)
	}
}
