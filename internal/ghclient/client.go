// Package ghclient implements publish.GitHub over GitHub's REST API with go-github.
//
// go-github builds the requests (headers, API version, JSON) and parses error bodies;
// this package sends them itself. go-github's Client.Do refuses calls locally after a
// rate-limit answer until the reset time, and v66 offers no exported way around it,
// which would turn every retry after a 403 into an instant failure. Sending through
// our own loop keeps one retry policy (internal/retry) in charge of every request.
package ghclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v66/github"

	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/retry"
)

var _ publish.GitHub = (*Client)(nil)

// Options configure a Client.
type Options struct {
	Token     string
	APIURL    string // "https://api.github.com", "https://HOST/api/v3", ...
	UploadURL string // used only when a release carries no upload_url
	Owner     string
	Repo      string
	UserAgent string

	HTTPClient *http.Client  // nil: a client with sane timeouts
	Policy     *retry.Policy // nil: retry.Default()
	Gate       *retry.Gate   // nil: a new gate for this client
	// Logf receives one line per retry; nil discards them.
	Logf func(format string, args ...any)
}

// Client talks to one repository's releases.
type Client struct {
	gh     *github.Client
	http   *http.Client
	token  string
	owner  string
	repo   string
	policy retry.Policy
	gate   *retry.Gate
	logf   func(string, ...any)
}

// New returns a Client for opts.
func New(opts Options) (*Client, error) {
	api, err := withSlash(opts.APIURL)
	if err != nil {
		return nil, fmt.Errorf("api url: %w", err)
	}
	up := opts.UploadURL
	if up == "" {
		up = opts.APIURL
	}
	upload, err := withSlash(up)
	if err != nil {
		return nil, fmt.Errorf("upload url: %w", err)
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			ForceAttemptHTTP2:     true,
			MaxIdleConnsPerHost:   32,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   15 * time.Second,
			ResponseHeaderTimeout: 5 * time.Minute, // an upload's answer comes after GitHub has stored the bytes
		}}
	}
	gh := github.NewClient(hc)
	gh.BaseURL = api
	gh.UploadURL = upload
	if opts.UserAgent != "" {
		gh.UserAgent = opts.UserAgent
	}
	c := &Client{gh: gh, http: hc, token: opts.Token, owner: opts.Owner, repo: opts.Repo, gate: opts.Gate, logf: opts.Logf}
	if opts.Policy != nil {
		c.policy = *opts.Policy
	} else {
		c.policy = retry.Default()
	}
	if c.gate == nil {
		c.gate = &retry.Gate{}
	}
	if c.logf == nil {
		c.logf = func(string, ...any) {}
	}
	return c, nil
}

func withSlash(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(s, "/") + "/")
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute http(s) URL", s)
	}
	return u, nil
}

func (c *Client) repoPath(format string, args ...any) string {
	return fmt.Sprintf("repos/%s/%s/", url.PathEscape(c.owner), url.PathEscape(c.repo)) + fmt.Sprintf(format, args...)
}

// call sends one API request, retrying transient failures, and decodes a success
// into out (when out is not nil). The request is rebuilt for every attempt.
func (c *Client) call(ctx context.Context, method, path string, body, out any, opts ...github.RequestOption) (*http.Response, error) {
	for attempt := 1; ; attempt++ {
		if err := c.gate.Wait(ctx); err != nil {
			return nil, err
		}
		req, err := c.gh.NewRequest(method, path, body, opts...)
		if err != nil {
			return nil, err
		}
		resp, apiErr, ans := c.send(req.WithContext(ctx))
		if apiErr == nil {
			defer resp.Body.Close()
			if out != nil {
				if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
					return resp, fmt.Errorf("%s %s: decode answer: %w", method, redact(req.URL), err)
				}
			}
			return resp, nil
		}
		if !c.backOff(ctx, attempt, apiErr, ans) {
			return nil, apiErr
		}
	}
}

// backOff applies the retry decision for a failed attempt: it reports whether to
// try again, after waiting as long as the decision says.
func (c *Client) backOff(ctx context.Context, attempt int, e *publish.APIError, a retry.Answer) bool {
	d := c.policy.Decide(attempt, a)
	e.Retryable = d.Retry
	if !d.Retry {
		if d.RateLimited || attempt > 1 {
			e.Message = strings.TrimSpace(e.Message + " (" + d.Reason + ")")
		}
		return false
	}
	c.logf("%s %s: %s; retrying in %s (attempt %d of %d)", e.Method, e.URL, d.Reason, d.Wait.Round(time.Millisecond), attempt+1, c.policy.MaxAttempts)
	if d.RateLimited {
		// Everyone waits, not just this worker: the limit is per token.
		c.gate.Hold(d.Wait)
		return c.gate.Wait(ctx) == nil
	}
	t := time.NewTimer(d.Wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// send makes one attempt. On failure it returns the error to report and what the
// retry policy needs to know; the response body is then already closed.
func (c *Client) send(req *http.Request) (*http.Response, *publish.APIError, retry.Answer) {
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		e := &publish.APIError{Method: req.Method, URL: redact(req.URL), Message: transportMessage(err)}
		return nil, e, retry.Answer{Err: err}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp, nil, retry.Answer{}
	}
	defer resp.Body.Close()
	e := &publish.APIError{Method: req.Method, URL: redact(req.URL), Status: resp.StatusCode}
	// go-github knows GitHub's error body; it also reads past a body it cannot parse.
	var ge *github.ErrorResponse
	switch err := github.CheckResponse(resp).(type) {
	case *github.ErrorResponse:
		ge = err
	case *github.RateLimitError:
		e.Message = err.Message
	case *github.AbuseRateLimitError:
		e.Message = err.Message
	}
	if ge != nil {
		e.Message = ge.Message
		for _, fe := range ge.Errors {
			e.Errors = append(e.Errors, publish.FieldError{Resource: fe.Resource, Field: fe.Field, Code: fe.Code, Message: fe.Message})
		}
	}
	return nil, e, retry.Answer{Status: resp.StatusCode, Header: resp.Header, Message: e.Message}
}

// transportMessage keeps the cause of a transport error without its URL, which the
// APIError already carries.
func transportMessage(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return "no answer: " + err.Error()
}

// redact drops the query string: it is never secret today, but nothing guarantees
// that for a URL GitHub handed us.
func redact(u *url.URL) string {
	v := *u
	v.RawQuery = ""
	v.User = nil
	return v.String()
}

// listAll follows pagination to the end and returns every item.
// https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
func listAll[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	var all []T
	next := path
	if strings.Contains(next, "?") {
		next += "&per_page=100"
	} else {
		next += "?per_page=100"
	}
	for next != "" {
		var page []T
		resp, err := c.call(ctx, http.MethodGet, next, nil, &page)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		next = nextLink(resp.Header.Get("Link"))
		if len(all) >= 10000 { // GitHub stops listing there
			break
		}
	}
	return all, nil
}

// nextLink returns the rel="next" target of a Link header, or "".
func nextLink(h string) string {
	for _, part := range strings.Split(h, ",") {
		target, params, ok := strings.Cut(strings.TrimSpace(part), ";")
		if !ok {
			continue
		}
		for _, p := range strings.Split(params, ";") {
			if strings.TrimSpace(p) == `rel="next"` {
				return strings.Trim(strings.TrimSpace(target), "<>")
			}
		}
	}
	return ""
}
