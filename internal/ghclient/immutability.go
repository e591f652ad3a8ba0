package ghclient

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/releasekit/release-action/internal/publish"
)

var _ publish.ImmutabilityReader = (*Client)(nil)

// Immutability reads the repository's immutable-releases setting. The
// endpoint needs admin read access (a workflow's GITHUB_TOKEN has none, and
// gets 403), and servers without it (GitHub Enterprise Server before 3.21)
// answer 404: both are "unknown", not an error.
// https://docs.github.com/en/rest/repos/repos#check-if-immutable-releases-are-enabled-for-a-repository
func (c *Client) Immutability(ctx context.Context) (publish.Immutability, error) {
	if c.enterpriseServer() {
		// GHES has the endpoint from 3.21 on, and the version is unknown
		// before a request; a read that older servers refuse is not sent.
		return publish.ImmutabilityUnknown, nil
	}
	var out struct {
		Enabled *bool `json:"enabled"`
	}
	_, err := c.call(ctx, http.MethodGet, c.repoPath("immutable-releases"), nil, &out)
	var e *publish.APIError
	switch {
	case errors.As(err, &e) && !e.Retryable && (e.Status == http.StatusNotFound || e.Status == http.StatusForbidden):
		return publish.ImmutabilityUnknown, nil
	case err != nil:
		return publish.ImmutabilityUnknown, err
	case out.Enabled == nil:
		return publish.ImmutabilityUnknown, nil
	case *out.Enabled:
		return publish.ImmutabilityOn, nil
	}
	return publish.ImmutabilityOff, nil
}

// enterpriseServer reports whether the API is GitHub Enterprise Server's
// ("https://HOST/api/v3/"), as opposed to github.com's or GHE.com's.
func (c *Client) enterpriseServer() bool {
	return strings.HasSuffix(strings.TrimSuffix(c.gh.BaseURL.Path, "/"), "/api/v3")
}
