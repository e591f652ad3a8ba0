package ghclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/releasekit/release-action/internal/publish"
)

// refPath escapes each segment of a reference name and keeps its slashes, the
// form GitHub's {ref} parameter takes ("tags/pkg/v1.2.3").
func refPath(ref string) string {
	segs := strings.Split(ref, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// GetRef reads a reference; a 404 is "not found", not an error.
// https://docs.github.com/en/rest/git/refs#get-a-reference
func (c *Client) GetRef(ctx context.Context, ref string) (publish.GitObject, bool, error) {
	var out struct {
		Ref    string            `json:"ref"`
		Object publish.GitObject `json:"object"`
	}
	_, err := c.call(ctx, http.MethodGet, c.repoPath("git/ref/%s", refPath(ref)), nil, &out)
	if errors.Is(err, publish.ErrNotFound) {
		return publish.GitObject{}, false, nil
	}
	if err != nil {
		return publish.GitObject{}, false, err
	}
	if out.Ref != "refs/"+ref {
		// The singular endpoint matches exactly; any other ref is not the one asked for.
		return publish.GitObject{}, false, fmt.Errorf("get ref %s: GitHub answered with %q", ref, out.Ref)
	}
	return out.Object, true, nil
}

// GetTagObject reads an annotated tag object.
// https://docs.github.com/en/rest/git/tags#get-a-tag
func (c *Client) GetTagObject(ctx context.Context, sha string) (*publish.TagObject, error) {
	var t publish.TagObject
	if _, err := c.call(ctx, http.MethodGet, c.repoPath("git/tags/%s", url.PathEscape(sha)), nil, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// UpdateRef moves refs/tags/{tag} to sha.
// https://docs.github.com/en/rest/git/refs#update-a-reference
func (c *Client) UpdateRef(ctx context.Context, tag, sha string, force bool) (publish.GitObject, error) {
	body := struct {
		SHA   string `json:"sha"`
		Force bool   `json:"force"`
	}{sha, force}
	var out struct {
		Object publish.GitObject `json:"object"`
	}
	_, err := c.call(ctx, http.MethodPatch, c.repoPath("git/refs/%s", refPath("tags/"+tag)), body, &out)
	var e *publish.APIError
	if errors.As(err, &e) && e.Status == http.StatusUnprocessableEntity && strings.Contains(strings.ToLower(e.Message), "fast forward") {
		return publish.GitObject{}, fmt.Errorf("%w: %w", publish.ErrNotFastForward, err)
	}
	return out.Object, err
}

// Compare relates head to base. Two commits with no common history are
// "diverged": GitHub answers that with 404 "No common ancestor between ...".
// https://docs.github.com/en/rest/commits/commits#compare-two-commits
func (c *Client) Compare(ctx context.Context, base, head string) (*publish.Comparison, error) {
	var out publish.Comparison
	// per_page=1: only the status and the counts are read, not the commit list.
	path := c.repoPath("compare/%s...%s?per_page=1", url.PathEscape(base), url.PathEscape(head))
	_, err := c.call(ctx, http.MethodGet, path, nil, &out)
	var e *publish.APIError
	if errors.As(err, &e) && e.Status == http.StatusNotFound && strings.HasPrefix(e.Message, "No common ancestor") {
		return &publish.Comparison{Status: "diverged"}, nil
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}
