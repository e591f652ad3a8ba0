package attest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Bounds limit every exchange with a Sigstore service or the token service.
type Bounds struct {
	// Total is the longest one request may take, answer included.
	Total time.Duration
	// MaxAnswer is the most bytes an answer body may hold (decompressed).
	MaxAnswer int64
}

// DefaultBounds suit answers of a few KiB: a certificate chain, a timestamp,
// a log entry, a token.
var DefaultBounds = Bounds{Total: 30 * time.Second, MaxAnswer: 1 << 20}

// boundedTransport ties every request to the signing's context (sigstore-go
// makes requests without one), refuses redirects (a redirected POST would carry
// the OIDC token to a place no one chose), and caps every answer's body.
type boundedTransport struct {
	ctx   context.Context
	base  http.RoundTripper
	max   int64
	total time.Duration
}

func newTransport(ctx context.Context, base http.RoundTripper, b Bounds) *boundedTransport {
	if base == nil {
		d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
		base = &http.Transport{
			Proxy:                  http.ProxyFromEnvironment,
			DialContext:            d.DialContext,
			TLSHandshakeTimeout:    10 * time.Second,
			ResponseHeaderTimeout:  b.Total,
			MaxResponseHeaderBytes: 64 << 10,
			ForceAttemptHTTP2:      true,
		}
	}
	return &boundedTransport{ctx: ctx, base: base, max: b.MaxAnswer, total: b.Total}
}

// ErrRedirect is a service's answer that tried to send the request elsewhere.
var ErrRedirect = errors.New("redirects are refused")

func (t *boundedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(t.ctx, t.total)
	stop := context.AfterFunc(req.Context(), cancel) // the caller's own deadline too
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		stop()
		cancel()
		return nil, err
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		resp.Body.Close()
		stop()
		cancel()
		return nil, fmt.Errorf("%s %s answered %d: %w", req.Method, redactURL(req), resp.StatusCode, ErrRedirect)
	}
	resp.Body = &cappedBody{rc: resp.Body, left: t.max, max: t.max, what: req.Method + " " + redactURL(req), done: func() { stop(); cancel() }}
	return resp, nil
}

// cappedBody fails a read past its cap instead of handing on more bytes.
type cappedBody struct {
	rc   io.ReadCloser
	left int64
	max  int64
	what string
	done func()
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a body of exactly the cap from a longer one.
		var one [1]byte
		if n, _ := b.rc.Read(one[:]); n > 0 {
			return 0, fmt.Errorf("%s: the answer is longer than %d bytes", b.what, b.max)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *cappedBody) Close() error {
	err := b.rc.Close()
	b.done()
	return err
}

// redactURL names a request without its query, which may hold a secret.
func redactURL(req *http.Request) string {
	u := *req.URL
	u.RawQuery, u.User = "", nil
	return u.String()
}
