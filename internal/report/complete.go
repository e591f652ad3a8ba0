package report

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/releasekit/release-action/internal/actions"
	"github.com/releasekit/release-action/internal/publish"
)

// completeOutputs is the waiting_for output, last: the JSON array of the
// expected_assets entries that the draft did not hold yet, so this run left
// it unpublished for the job that completes it; "[]" when the run did not
// wait (the release is published, or no set was expected).
func completeOutputs(r *publish.Result) []actions.Output {
	waiting := r.Waiting
	if waiting == nil {
		waiting = []string{}
	}
	b, _ := json.Marshal(waiting)
	return []actions.Output{{Name: "waiting_for", Value: string(b)}}
}

// completeSection is the step summary's word on fan-in and verification: what
// the draft still waits for, and what was downloaded and checked after the
// publish; "" when neither applies.
func completeSection(r *publish.Result) string {
	var b strings.Builder
	if len(r.Waiting) > 0 {
		b.WriteString("**Not published yet:** the release stays a draft until it holds every expected asset; still missing: ")
		for i, w := range r.Waiting {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("`" + strings.ReplaceAll(escape(w), "`", "'") + "`")
		}
		b.WriteString(". The job that uploads the last of them publishes it.\n\n")
	}
	if len(r.Verified) > 0 {
		ok := 0
		for _, v := range r.Verified {
			if v.OK {
				ok++
			}
		}
		fmt.Fprintf(&b, "### Verified downloads\n\n%d of %d assets downloaded through their public links, without credentials, hash to what was uploaded.\n\n", ok, len(r.Verified))
		for _, v := range r.Verified {
			if !v.OK {
				b.WriteString("- " + escape(v.Name) + ": " + escape(v.Reason) + "\n")
			}
		}
		if ok < len(r.Verified) {
			b.WriteString("\n")
		}
	}
	if r.ReleaseAttested {
		b.WriteString("**Release attestation:** GitHub marked the release immutable and its release attestation covers every asset with the digest the release lists (what `gh release verify` checks).\n\n")
	}
	return b.String()
}
