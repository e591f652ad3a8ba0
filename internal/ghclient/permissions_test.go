package ghclient

import (
	"net/http"
	"testing"
)

// TestAcceptedPermissions: a 403's hint names what GitHub says the request
// needed, as a workflow's permissions block writes it, and never echoes a
// header that is not a permission list.
func TestAcceptedPermissions(t *testing.T) {
	t.Parallel()
	for header, want := range map[string]string{
		"":                                   "contents: write",
		"attestations=write":                 "attestations: write",
		"contents=write, pull_requests=read": "contents: write, pull_requests: read",
		"contents=read; contents=write":      "contents: read",
		"garbage":                            "contents: write",
		"a b=write":                          "contents: write",
	} {
		h := http.Header{}
		if header != "" {
			h.Set("X-Accepted-GitHub-Permissions", header)
		}
		if got := acceptedPermissions(h); got != want {
			t.Errorf("%q: %q, want %q", header, got, want)
		}
	}
}
