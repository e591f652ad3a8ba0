package report

import (
	"fmt"
	"strings"

	"github.com/releasekit/release-action/internal/publish"
)

// attestSection is the step summary's word on attest: true, a line per
// attested asset: the bundle beside it, and the attestation stored (or that
// the bundle already there was kept); "" when nothing was attested.
func attestSection(r *publish.Result) string {
	var lines []string
	for _, a := range r.Assets {
		at := a.Attestation
		if at == nil {
			continue
		}
		line := "- " + escape(a.Name) + ": "
		switch {
		case at.Kept:
			line += "unchanged; its bundle " + escape(at.Bundle) + " already attests it"
		case at.URL != "":
			line += fmt.Sprintf("[attestation %d](%s), bundle %s", at.ID, escapeURL(at.URL), escape(at.Bundle))
		default:
			line += fmt.Sprintf("attestation %d, bundle %s", at.ID, escape(at.Bundle))
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return ""
	}
	return "### Build provenance\n\nSigned with Sigstore for this workflow run; each bundle sits beside its asset, so anyone can check it with `gh attestation verify FILE --bundle FILE.sigstore.json --repo OWNER/REPO`.\n\n" +
		strings.Join(lines, "\n") + "\n\n"
}
