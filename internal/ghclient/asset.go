package ghclient

import (
	"context"
	"net/http"
	"strconv"

	"github.com/releasekit/release-action/internal/publish"
)

// GetAsset reads one asset's JSON by id, as an asset of release releaseID: the
// answer must be that asset (its id and url), filed under that release (its
// browser_download_url, as in a listing).
// https://docs.github.com/en/rest/releases/assets#get-a-release-asset
func (c *Client) GetAsset(ctx context.Context, releaseID, id int64) (*publish.Asset, error) {
	var a publish.Asset
	path := c.repoPath("releases/assets/%d", id)
	if _, err := c.call(ctx, http.MethodGet, path, nil, &a); err != nil {
		return nil, err
	}
	request := http.MethodGet + " " + path
	if a.ID != id {
		return nil, &IdentityError{Request: request, What: "asset id", Asked: "asset " + itoa(id), Got: itoa(a.ID)}
	}
	if err := c.assetURL(request, &a); err != nil {
		return nil, err
	}
	if err := c.filedUnder(request, releaseID, c.seen.downloads(releaseID), &a); err != nil {
		return nil, err
	}
	return &a, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
