package ghclient

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/releasekit/release-action/internal/publish"
)

// ReleaseByTag gets a published release by its tag; GitHub answers 404 for drafts.
// https://docs.github.com/en/rest/releases/releases#get-a-release-by-tag-name
func (c *Client) ReleaseByTag(ctx context.Context, tag string) (*publish.Release, error) {
	var r publish.Release
	if _, err := c.call(ctx, http.MethodGet, c.repoPath("releases/tags/%s", url.PathEscape(tag)), nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// ListReleases lists every release, drafts included, newest first.
// https://docs.github.com/en/rest/releases/releases#list-releases
func (c *Client) ListReleases(ctx context.Context) ([]*publish.Release, error) {
	return listAll[*publish.Release](ctx, c, c.repoPath("releases"))
}

// GetRelease gets a release by id, drafts included.
// https://docs.github.com/en/rest/releases/releases#get-a-release
func (c *Client) GetRelease(ctx context.Context, id int64) (*publish.Release, error) {
	var r publish.Release
	if _, err := c.call(ctx, http.MethodGet, c.repoPath("releases/%d", id), nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// CreateRelease creates a release. It is sent once: when its answer is lost (a
// 5xx, a dropped or stalled connection, an unreadable body) the error matches
// publish.ErrAnswerLost and the caller finds out whether the release landed.
// https://docs.github.com/en/rest/releases/releases#create-a-release
func (c *Client) CreateRelease(ctx context.Context, f publish.ReleaseFields) (*publish.Release, error) {
	var r publish.Release
	if _, err := c.call(ctx, http.MethodPost, c.repoPath("releases"), f, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// UpdateRelease changes the fields of f that are set.
// https://docs.github.com/en/rest/releases/releases#update-a-release
func (c *Client) UpdateRelease(ctx context.Context, id int64, f publish.ReleaseFields) (*publish.Release, error) {
	var r publish.Release
	if _, err := c.call(ctx, http.MethodPatch, c.repoPath("releases/%d", id), f, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// DeleteRelease deletes a release; its tag stays.
// https://docs.github.com/en/rest/releases/releases#delete-a-release
func (c *Client) DeleteRelease(ctx context.Context, id int64) error {
	_, err := c.call(ctx, http.MethodDelete, c.repoPath("releases/%d", id), nil, nil)
	return err
}

// GenerateNotes asks GitHub for the notes it would write; nothing is saved, so
// unlike other POSTs it is asked again after a lost answer.
// https://docs.github.com/en/rest/releases/releases#generate-release-notes-content-for-a-release
func (c *Client) GenerateNotes(ctx context.Context, r publish.NotesRequest) (string, error) {
	var out struct {
		Name string `json:"name"`
		Body string `json:"body"`
	}
	if _, err := c.do(ctx, http.MethodPost, c.repoPath("releases/generate-notes"), r, &out, true); err != nil {
		return "", err
	}
	return out.Body, nil
}

// ListAssets lists every asset of a release.
// https://docs.github.com/en/rest/releases/assets#list-release-assets
func (c *Client) ListAssets(ctx context.Context, releaseID int64) ([]*publish.Asset, error) {
	return listAll[*publish.Asset](ctx, c, c.repoPath("releases/%d/assets", releaseID))
}

// UpdateAsset renames an asset or changes its label.
// https://docs.github.com/en/rest/releases/assets#update-a-release-asset
func (c *Client) UpdateAsset(ctx context.Context, id int64, name, label *string) (*publish.Asset, error) {
	body := struct {
		Name  *string `json:"name,omitempty"`
		Label *string `json:"label,omitempty"`
	}{name, label}
	var a publish.Asset
	if _, err := c.call(ctx, http.MethodPatch, c.repoPath("releases/assets/%d", id), body, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// DeleteAsset deletes an asset.
// https://docs.github.com/en/rest/releases/assets#delete-a-release-asset
func (c *Client) DeleteAsset(ctx context.Context, id int64) error {
	_, err := c.call(ctx, http.MethodDelete, c.repoPath("releases/assets/%d", id), nil, nil)
	return err
}

// DownloadAsset streams the size bytes of an asset. GitHub answers either with
// the bytes or with a 302 to its download host, which is followed; the token is
// added only for GitHub's own origins (see authTransport), so the download host
// never gets it. The attempt has a total deadline scaled to size, and the reader
// fails as soon as the answer turns out longer or shorter than size (see
// sizedBody), so an endless answer is never read past the asset's size.
// https://docs.github.com/en/rest/releases/assets#get-a-release-asset
func (c *Client) DownloadAsset(ctx context.Context, id, size int64) (io.ReadCloser, error) {
	var at attempts
	for {
		if err := c.gate.Wait(ctx); err != nil {
			return nil, err
		}
		at.start()
		req, err := c.gh.NewRequest(http.MethodGet, c.repoPath("releases/assets/%d", id), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/octet-stream")
		resp, apiErr, ans := c.send(req.WithContext(allowForeignRedirect(ctx)), nil, c.timeouts.transfer(size))
		if apiErr == nil {
			return newSizedBody(resp, id, size)
		}
		if !c.backOff(ctx, &at, apiErr, ans) {
			return nil, fmt.Errorf("download asset %d: %w", id, c.failure(apiErr, ans))
		}
	}
}

// LatestRelease gets the release marked latest.
// https://docs.github.com/en/rest/releases/releases#get-the-latest-release
func (c *Client) LatestRelease(ctx context.Context) (*publish.Release, error) {
	var r publish.Release
	if _, err := c.call(ctx, http.MethodGet, c.repoPath("releases/latest"), nil, &r); err != nil {
		return nil, err
	}
	return &r, nil
}
