package ghclient

import (
	"context"
	"fmt"
	"net/http"

	"github.com/releasekit/release-action/internal/publish"
)

// GetAsset reads one asset's JSON by id; an answer for another id is an error.
// https://docs.github.com/en/rest/releases/assets#get-a-release-asset
func (c *Client) GetAsset(ctx context.Context, id int64) (*publish.Asset, error) {
	var a publish.Asset
	if _, err := c.call(ctx, http.MethodGet, c.repoPath("releases/assets/%d", id), nil, &a); err != nil {
		return nil, err
	}
	if a.ID != id {
		return nil, fmt.Errorf("GET asset %d: GitHub answered with asset id %d", id, a.ID)
	}
	return &a, nil
}
