package ghclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Timeouts bound every wait on the network. A zero field takes its default.
//
// The first five bound one wait each (idle time); the last three bound the whole
// of one attempt, from the connect to the answer's last byte, so that a server
// that sends one byte just before each idle timeout cannot hold a request open:
// a JSON request ends within Total, an upload or an asset download of n bytes
// within Transfer + n/MinRate.
type Timeouts struct {
	Connect      time.Duration // TCP connect; default 10s
	TLS          time.Duration // TLS handshake; default 10s
	Header       time.Duration // from sending a request to its answer's headers; default 60s
	UploadHeader time.Duration // from an upload's last byte to its answer; default 5m (GitHub stores the file first)
	Idle         time.Duration // no byte moving, either way, on a body; default 60s

	// Total is the whole of a request with a JSON answer (the largest is a
	// page of 100 releases); default 3m: Header plus two minutes for the body.
	Total time.Duration
	// Transfer is the fixed part of an upload's or a download's total deadline;
	// default 10m: UploadHeader's five minutes and as many for the rest.
	Transfer time.Duration
	// MinRate is the slowest transfer, in bytes a second, that counts as
	// progress: default 64 KiB/s (half a megabit), so 1 GiB may take 4.6 hours,
	// within a GitHub-hosted job's six.
	MinRate int64
}

func (t Timeouts) withDefaults() Timeouts {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.Connect, 10*time.Second)
	def(&t.TLS, 10*time.Second)
	def(&t.Header, 60*time.Second)
	def(&t.UploadHeader, 5*time.Minute)
	def(&t.Idle, 60*time.Second)
	def(&t.Total, 3*time.Minute)
	def(&t.Transfer, 10*time.Minute)
	if t.MinRate <= 0 {
		t.MinRate = 64 << 10
	}
	return t
}

// transfer is the total deadline of an upload or a download of size bytes.
func (t Timeouts) transfer(size int64) time.Duration {
	return t.Transfer + time.Duration(float64(max(size, 0))/float64(t.MinRate)*float64(time.Second))
}

// origin is scheme://host:port with the default port written out, so that
// "https://h" and "https://h:443" compare equal and "http://h:1" and "http://h:2"
// do not: the same IP on another port can be another program.
func origin(u *url.URL) string {
	port := u.Port()
	scheme := strings.ToLower(u.Scheme)
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// OriginError refuses a URL that a server handed back when it points away from
// the hosts the token belongs to.
type OriginError struct {
	What    string // "release upload_url", "Link header", "redirect"
	URL     string // redacted
	Trusted []string
}

func (e *OriginError) Error() string {
	return fmt.Sprintf("%s points at %s, which is not GitHub's API or upload host (%s); refusing to follow it, so the token stays with GitHub",
		e.What, e.URL, strings.Join(e.Trusted, ", "))
}

// Permanent tells internal/retry not to try again: the server will hand back the
// same URL.
func (e *OriginError) Permanent() bool { return true }

// authTransport adds the token to requests for the trusted origins only, on every
// hop: net/http drops Authorization on a redirect only when the host name
// changes, not when the port does, and never sees a header set here.
type authTransport struct {
	base    http.RoundTripper
	token   string
	trusted map[string]bool
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	give := t.token != "" && t.trusted[origin(req.URL)] && !isAnonymous(req.Context())
	if !give && req.Header.Get("Authorization") == "" {
		return t.base.RoundTrip(req)
	}
	// A RoundTripper must not change the caller's request.
	r := req.Clone(req.Context())
	r.Header.Del("Authorization")
	if give {
		r.Header.Set("Authorization", "Bearer "+t.token)
	}
	return t.base.RoundTrip(r)
}

type foreignRedirectKey struct{}

// allowForeignRedirect marks a request whose redirects may leave GitHub's
// origins (an asset download goes to a storage host); they get no token.
func allowForeignRedirect(ctx context.Context) context.Context {
	return context.WithValue(ctx, foreignRedirectKey{}, true)
}

// checkRedirect refuses an API redirect to another origin.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if c.trusted[origin(req.URL)] || req.Context().Value(foreignRedirectKey{}) != nil {
		return nil
	}
	return &OriginError{What: "a redirect from " + redact(via[len(via)-1].URL), URL: redact(req.URL), Trusted: c.trustedList}
}

// newHTTPClient wraps base (nil: a transport with this client's timeouts) so that
// the token is added per request by origin and API redirects stay on GitHub.
func (c *Client) newHTTPClient(base *http.Client, t Timeouts) *http.Client {
	var hc http.Client
	if base != nil {
		hc = *base
	}
	rt := hc.Transport
	if rt == nil {
		d := &net.Dialer{Timeout: t.Connect, KeepAlive: 30 * time.Second}
		rt = &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			DialContext:         d.DialContext,
			ForceAttemptHTTP2:   true,
			MaxIdleConnsPerHost: 32,
			IdleConnTimeout:     90 * time.Second,
			TLSHandshakeTimeout: t.TLS,
			// GitHub's headers are a few KiB; the default allows 10 MB per
			// answer (decoded, HPACK included) times every request in flight.
			MaxResponseHeaderBytes: maxHeaderBytes,
			// The header and body waits are per request (see watch): an upload's
			// answer may take minutes, a listing's must not.
		}
	}
	hc.Transport = &authTransport{base: rt, token: c.token, trusted: c.trusted}
	hc.CheckRedirect = c.checkRedirect
	return &hc
}

// maxHeaderBytes caps an answer's headers.
const maxHeaderBytes = 1 << 20

// StallError means the other side stopped moving bytes for longer than a timeout,
// or (Total) moved them so slowly that the attempt passed its total deadline. It
// is a transport failure like a dropped connection, so it is retried, a few
// times only (retry.Policy.MaxStalls).
type StallError struct {
	What  string
	After time.Duration
	Total bool // the total deadline, not an idle one
}

func (e *StallError) Error() string {
	if e.Total {
		return fmt.Sprintf("%s within the request's total deadline of %s (the server sends or takes bytes too slowly); giving up on this attempt", e.What, e.After)
	}
	return fmt.Sprintf("%s for %s; giving up on this attempt", e.What, e.After)
}

// watchdog cancels a request's context when its timer fires, with the cause of
// the timer currently armed.
type watchdog struct {
	parent context.Context
	cancel context.CancelCauseFunc
	mu     sync.Mutex
	timer  *time.Timer
	cause  error
	total  *time.Timer
}

// deadline ends the request with cause after d, whatever moves meanwhile.
func (w *watchdog) deadline(d time.Duration, cause *StallError) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.total = time.AfterFunc(d, func() { w.cancel(cause) })
}

func newWatchdog(parent context.Context) (context.Context, *watchdog) {
	ctx, cancel := context.WithCancelCause(parent)
	w := &watchdog{parent: parent, cancel: cancel}
	return ctx, w
}

// arm (re)starts the timer: after d without another arm or pause, the request ends
// with cause.
func (w *watchdog) arm(d time.Duration, cause *StallError) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.cause = cause
	if w.timer == nil {
		w.timer = time.AfterFunc(d, w.fire)
		return
	}
	w.timer.Reset(d)
}

// pause stops the timer while the caller, not the server, holds things up.
func (w *watchdog) pause() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.timer != nil {
		w.timer.Stop()
	}
}

func (w *watchdog) fire() {
	w.mu.Lock()
	cause := w.cause
	w.mu.Unlock()
	w.cancel(cause)
}

// release stops the timers and frees the context.
func (w *watchdog) release() {
	w.pause()
	w.mu.Lock()
	if w.total != nil {
		w.total.Stop()
	}
	w.mu.Unlock()
	w.cancel(context.Canceled)
}

// explain turns the context error of a request the watchdog ended into the stall
// that caused it; other errors (the caller cancelled) pass through.
func (w *watchdog) explain(ctx context.Context, err error) error {
	if err == nil || w.parent.Err() != nil {
		return err
	}
	var se *StallError
	if errors.As(context.Cause(ctx), &se) {
		return se
	}
	return err
}

// watchedBody ends a response body that stops moving. The timer runs only while
// a Read waits, so a slow consumer is not taken for a stalled server.
type watchedBody struct {
	rc   io.ReadCloser
	ctx  context.Context
	wd   *watchdog
	idle time.Duration
	once sync.Once
}

func (b *watchedBody) Read(p []byte) (int, error) {
	b.wd.arm(b.idle, &StallError{What: "the answer's body stopped", After: b.idle})
	n, err := b.rc.Read(p)
	b.wd.pause()
	if err != nil && err != io.EOF {
		err = b.wd.explain(b.ctx, err)
	}
	return n, err
}

func (b *watchedBody) Close() error {
	err := b.rc.Close()
	b.once.Do(b.wd.release)
	return err
}
