package ghclient

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/releasekit/release-action/internal/publish"
)

var _ publish.PublicDownloader = (*Client)(nil)

type anonymousKey struct{}

// anonymous marks a request that must carry no credentials at all, on any hop,
// whatever its origin: a download through browser_download_url, made as anyone
// would make it. authTransport reads the mark.
func anonymous(ctx context.Context) context.Context {
	return context.WithValue(ctx, anonymousKey{}, true)
}

func isAnonymous(ctx context.Context) bool { return ctx.Value(anonymousKey{}) != nil }

// DownloadPublic downloads a release asset through its browser_download_url,
// as a user's browser or curl would: without the token (not even when the web
// host shares an origin with the API, as on the emulator or a proxy), following
// GitHub's redirect to its download host, with the total deadline of a
// download of size bytes, reading at most size+1 bytes and failing when the
// answer is longer or shorter than size (sizedBody). Transient failures are
// retried like any request.
func (c *Client) DownloadPublic(ctx context.Context, rawURL string, size int64) (io.ReadCloser, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("download %s: not an absolute http(s) URL without credentials", redactRaw(rawURL))
	}
	var at attempts
	for {
		if err := c.gate.Wait(ctx); err != nil {
			return nil, err
		}
		at.start()
		req, err := http.NewRequestWithContext(anonymous(allowForeignRedirect(ctx)), http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/octet-stream")
		req.Header.Set("User-Agent", c.gh.UserAgent)
		resp, apiErr, ans := c.send(req, nil, c.timeouts.transfer(size))
		if apiErr == nil {
			return newSizedBody(resp, 0, size)
		}
		if !c.backOff(ctx, &at, apiErr, ans) {
			return nil, fmt.Errorf("download %s: %w", redact(u), c.failure(apiErr, ans))
		}
	}
}

func redactRaw(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return redact(u)
	}
	return "an unreadable URL"
}
