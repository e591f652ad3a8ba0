package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/releasekit/release-action/internal/publish"
)

// pruned is the step summary's section on the channel's releases that
// prune_tags deleted, or in a dry run would delete; "" when none.
func pruned(r *publish.Result) string {
	if len(r.Pruned) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("### Pruned releases\n\n")
	if r.DryRun {
		fmt.Fprintf(&b, "Would delete %d older releases of the channel (their git tags stay):\n\n", len(r.Pruned))
	} else {
		fmt.Fprintf(&b, "Deleted %d older releases of the channel (their git tags stay):\n\n", len(r.Pruned))
	}
	b.WriteString("| Tag | Release id | Created |\n|---|--:|---|\n")
	for _, p := range r.Pruned {
		fmt.Fprintf(&b, "| %s | %d | %s |\n", escape(p.Tag), p.ID, p.CreatedAt.UTC().Format(time.RFC3339))
	}
	return b.String() + "\n"
}
