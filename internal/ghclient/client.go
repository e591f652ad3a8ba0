// Package ghclient implements publish.GitHub over GitHub's REST API with go-github.
//
// go-github builds the requests (headers, API version, JSON) and parses error bodies;
// this package sends them itself. go-github's Client.Do refuses calls locally after a
// rate-limit answer until the reset time, and v66 offers no exported way around it,
// which would turn every retry after a 403 into an instant failure. Sending through
// our own loop keeps one retry policy (internal/retry) in charge of every request.
//
// The token is added by the transport, per request, only for the origins of the
// API and upload URLs (transport.go); every wait and every answer is bounded.
package ghclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
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
	UploadURL string // the upload host; also used when a release carries no upload_url
	Owner     string
	Repo      string
	UserAgent string
	// TokenSource names where the token came from, for the message of a 401;
	// "" means the token input or GITHUB_TOKEN / GH_TOKEN.
	TokenSource string

	// HTTPClient is the base client; nil: one with Timeouts for connect and TLS.
	// Its transport is wrapped: the token is added per request, only for the
	// origins of APIURL and UploadURL, and its CheckRedirect is replaced.
	HTTPClient *http.Client
	Timeouts   Timeouts
	// MaxAnswer caps the bytes read of one JSON answer, counted after gzip is
	// undone; 0: 64 MiB. A page of 100 releases with long notes and many assets
	// stays far below it; a page of 100 releases each at GitHub's 125,000
	// character body limit with a thousand assets would not, so it is not lower.
	MaxAnswer int64
	// AnswerMemory bounds the bytes of JSON answers held at once by all the
	// requests in flight: each answer's first 256 KiB (error answers: 1 MiB) are
	// its own, and an answer longer than that waits for one of
	// AnswerMemory/MaxAnswer slots (at least one); 0: MaxAnswer.
	AnswerMemory int64
	Policy       *retry.Policy     // nil: retry.Default()
	Gate         *retry.Gate       // nil: a new gate for this client
	Hour         *retry.HourGate   // counts the writes against the hour window; nil: not counted
	Budget       *retry.TimeBudget // time the run may lose to retrying; nil: retry.NewTimeBudget(0)
	// Logf receives one line per retry; nil discards them.
	Logf func(format string, args ...any)
}

// Client talks to one repository's releases.
type Client struct {
	gh          *github.Client
	http        *http.Client
	token       string
	tokenSource string
	apiURL      string
	trusted     map[string]bool // origins that get the token
	trustedList []string
	timeouts    Timeouts
	maxAnswer   int64
	owner       string
	repo        string
	policy      retry.Policy
	gate        *retry.Gate
	hour        *retry.HourGate
	budget      *retry.TimeBudget
	bigAnswers  chan struct{} // a slot per answer longer than smallAnswer being read
	logf        func(string, ...any)
	// seen is the tag each release id was answered with (identity.go).
	seen ledger
	// answered is set once a GitHub-shaped answer came back; until then an odd
	// answer most likely means GITHUB_API_URL points at something else.
	answered atomic.Bool
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
	c := &Client{
		token: opts.Token, tokenSource: opts.TokenSource, apiURL: strings.TrimRight(opts.APIURL, "/"),
		trusted: map[string]bool{}, timeouts: opts.Timeouts.withDefaults(), maxAnswer: opts.MaxAnswer,
		owner: opts.Owner, repo: opts.Repo, gate: opts.Gate, hour: opts.Hour, budget: opts.Budget, logf: opts.Logf,
	}
	for _, u := range []*url.URL{api, upload} {
		if o := origin(u); !c.trusted[o] {
			c.trusted[o] = true
			c.trustedList = append(c.trustedList, o)
		}
	}
	if c.maxAnswer <= 0 {
		c.maxAnswer = 64 << 20
	}
	c.bigAnswers = make(chan struct{}, max(1, opts.AnswerMemory/c.maxAnswer))
	if c.budget == nil {
		c.budget = retry.NewTimeBudget(0)
	}
	if c.tokenSource == "" {
		c.tokenSource = "INPUT_TOKEN, GITHUB_TOKEN or GH_TOKEN"
	}
	c.http = c.newHTTPClient(opts.HTTPClient, c.timeouts)
	// go-github adds no Authorization of its own: it is given no token.
	gh := github.NewClient(c.http)
	gh.BaseURL = api
	gh.UploadURL = upload
	if opts.UserAgent != "" {
		gh.UserAgent = opts.UserAgent
	}
	c.gh = gh
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
// into out (when out is not nil). The request is rebuilt for every attempt. A POST
// is a create, which must not be sent twice blindly (see once); the other methods
// set or remove state, so a second send of the same request changes nothing.
func (c *Client) call(ctx context.Context, method, path string, body, out any, opts ...github.RequestOption) (*http.Response, error) {
	return c.do(ctx, method, path, body, out, method != http.MethodPost, opts...)
}

// do is call with the choice made explicit: replay says whether the request may
// be sent again after its answer was lost. When it may not, a lost answer ends
// the call with an error matching publish.ErrAnswerLost, and the caller finds out
// whether the request took effect before it sends it again.
func (c *Client) do(ctx context.Context, method, path string, body, out any, replay bool, opts ...github.RequestOption) (*http.Response, error) {
	var at attempts
	for {
		counted := func() {}
		if method != http.MethodGet && method != http.MethodHead {
			var err error
			if counted, err = c.hour.Take(ctx); err != nil { // every attempt is a write GitHub counts
				return nil, err
			}
		}
		if err := c.gate.Wait(ctx); err != nil {
			return nil, err
		}
		at.start()
		req, err := c.gh.NewRequest(method, path, body, opts...)
		if err != nil {
			return nil, err
		}
		resp, apiErr, ans := c.send(req.WithContext(ctx), nil, c.timeouts.Total)
		counted()
		if apiErr == nil {
			err := c.readJSON(resp, out)
			if err == nil {
				return resp, nil
			}
			if !replay {
				// A success whose body could not be read: the request took effect.
				return nil, &answerLostError{err: err}
			}
			// A body that stalled halfway is a lost answer: ask again.
			var se *StallError
			if !errors.As(err, &se) {
				return nil, err
			}
			apiErr = &publish.APIError{Method: method, URL: redact(req.URL), Message: "no answer: " + se.Error()}
			ans = retry.Answer{Err: se}
		} else if !replay && mayHaveLanded(ctx, ans) {
			return nil, &answerLostError{err: c.failure(apiErr, ans)}
		}
		if !c.backOff(ctx, &at, apiErr, ans) {
			return nil, c.failure(apiErr, ans)
		}
	}
}

// attempts is what the retry decision and the run's budget need to know about
// one request's attempts so far.
type attempts struct {
	n      int       // attempts made, the last (failed) one included
	stalls int       // of them, how many stalled or passed their total deadline
	began  time.Time // when the last one started
}

func (a *attempts) start() {
	a.n++
	a.began = time.Now()
}

// mayHaveLanded reports whether a failed attempt may still have done its work:
// a 5xx can come from a proxy after GitHub acted, and a connection that broke or
// was cancelled after the request left may have delivered it. A rate limit, a
// 4xx, a refused connection or an unknown host mean GitHub did nothing.
func mayHaveLanded(ctx context.Context, a retry.Answer) bool {
	if a.Status != 0 {
		return a.Status >= 500 && a.Status != http.StatusNotImplemented
	}
	return a.Err != nil && (ctx.Err() != nil || !retry.Unreachable(a.Err))
}

// answerLostError is a request that is not sent twice blindly and whose answer
// was lost. It matches publish.ErrAnswerLost and keeps the cause in the chain.
type answerLostError struct{ err error }

func (e *answerLostError) Error() string {
	return e.err.Error() + " (the answer was lost; the request may have taken effect)"
}
func (e *answerLostError) Unwrap() []error { return []error{e.err, publish.ErrAnswerLost} }

// smallAnswer is the part of every answer read without a slot: nearly every
// answer (a release, an asset, a short page) fits.
const smallAnswer = 256 << 10

// readUpTo appends what r has to buf until r ends or buf holds limit bytes. The
// buffer doubles but never beyond limit, so a slot holds at most limit bytes
// and, while growing, the half it grows from.
func readUpTo(r io.Reader, buf []byte, limit int64) ([]byte, error) {
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(max(2*int64(cap(buf)), 4096), limit))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// AnswerTooLargeError is a success answer longer than the cap, counted in the
// bytes decoded (after gzip is undone), so a small compressed answer that
// expands without end is cut off at the cap.
type AnswerTooLargeError struct {
	Method, URL string
	Cap         int64
}

func (e *AnswerTooLargeError) Error() string {
	return fmt.Sprintf("%s %s: the answer passed the cap of %d bytes (after decompression); refusing to read more", e.Method, e.URL, e.Cap)
}

// readJSON reads a success answer, at most maxAnswer bytes, and decodes it into
// out. The body is closed. An answer longer than smallAnswer is read only in one
// of the client's bigAnswers slots, held until it is decoded, so the answers in
// memory at once stay within AnswerMemory however many requests are in flight.
func (c *Client) readJSON(resp *http.Response, out any) error {
	defer resp.Body.Close()
	req := resp.Request
	data, err := io.ReadAll(io.LimitReader(resp.Body, smallAnswer+1))
	if err == nil && len(data) > smallAnswer {
		select {
		case c.bigAnswers <- struct{}{}:
		case <-req.Context().Done():
			return fmt.Errorf("%s %s: read answer: %w", req.Method, redact(req.URL), context.Cause(req.Context()))
		}
		defer func() { <-c.bigAnswers }()
		data, err = readUpTo(resp.Body, data, c.maxAnswer+1)
	}
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", req.Method, redact(req.URL), err)
	}
	if int64(len(data)) > c.maxAnswer {
		return &AnswerTooLargeError{Method: req.Method, URL: redact(req.URL), Cap: c.maxAnswer}
	}
	if out == nil {
		return nil
	}
	err = json.Unmarshal(data, out)
	if err == nil && !c.answered.Load() && !isJSON(resp.Header) {
		err = fmt.Errorf("content type is %q", resp.Header.Get("Content-Type"))
	}
	if err != nil {
		if !c.answered.Load() {
			return c.notGitHub(req, resp, err)
		}
		return fmt.Errorf("%s %s: decode answer: %w", req.Method, redact(req.URL), err)
	}
	c.answered.Store(true)
	return nil
}

func isJSON(h http.Header) bool {
	return strings.Contains(strings.ToLower(h.Get("Content-Type")), "json")
}

// notGitHub explains a first answer that is not GitHub's.
func (c *Client) notGitHub(req *http.Request, resp *http.Response, cause error) error {
	return fmt.Errorf("GITHUB_API_URL %s does not look like a GitHub API: %s %s answered %d with %q (%v)",
		c.apiURL, req.Method, redact(req.URL), resp.StatusCode, resp.Header.Get("Content-Type"), cause)
}

// failure is the error returned for a request that will not be tried again. A
// request that got no answer says so (not "0 no answer"), keeps the cause in the
// chain, and, when the host could not be reached at all, names the API URL.
func (c *Client) failure(e *publish.APIError, a retry.Answer) error {
	if a.Status != 0 || a.Err == nil {
		return e
	}
	if errors.Is(a.Err, context.Canceled) || errors.Is(a.Err, context.DeadlineExceeded) {
		// The run's own stop, in the APIError's words; the cause stays in the
		// chain so that the caller can tell an interrupted run from a failed one.
		return &noAnswerError{text: e.Error(), api: e, cause: a.Err}
	}
	var oe *OriginError
	var se *StallError
	text := fmt.Sprintf("%s %s: %s", e.Method, e.URL, e.Message)
	switch {
	case errors.As(a.Err, &oe):
		text = fmt.Sprintf("%s %s: %v", e.Method, e.URL, oe)
	case errors.As(a.Err, &se):
	default:
		text = fmt.Sprintf("cannot reach GitHub at %s (GITHUB_API_URL): %s", c.apiURL, text)
	}
	return &noAnswerError{text: text, api: e, cause: a.Err}
}

// noAnswerError is a request that got no answer. It matches both the APIError
// (whose Retryable field says it may be sent again) and the transport error
// that caused it.
type noAnswerError struct {
	text  string
	api   *publish.APIError
	cause error
}

func (n *noAnswerError) Error() string   { return n.text }
func (n *noAnswerError) Unwrap() []error { return []error{n.api, n.cause} }

// backOff applies the retry decision for a failed attempt: it reports whether to
// try again, after waiting as long as the decision says.
func (c *Client) backOff(ctx context.Context, at *attempts, e *publish.APIError, a retry.Answer) bool {
	var se *StallError
	if errors.As(a.Err, &se) {
		at.stalls++
	}
	a.Stalls = at.stalls
	attempt := at.n
	d := c.policy.Decide(attempt, a)
	e.Retryable = d.Retry
	if !d.Retry {
		if d.RateLimited || attempt > 1 || a.Stalls > 0 {
			e.Message = strings.TrimSpace(e.Message + " (" + d.Reason + ")")
		}
		return false
	}
	reason := d.Reason
	if e.Status == 0 && e.Message != "" {
		reason += " (" + e.Message + ")" // which way the connection failed
	}
	wait := d.Wait
	lost := time.Since(at.began)
	var fits bool
	if d.RateLimited {
		// Everyone waits, not just this worker: the limit is per token. The gate
		// may hold longer than GitHub asked when its wait proved too short.
		wait = c.gate.Hold(d.Wait)
		now := time.Now()
		fits = c.budget.Hold(lost, now, now.Add(wait))
	} else {
		fits = c.budget.Spend(lost, wait)
	}
	if !fits {
		e.Message = strings.TrimSpace(e.Message + " (" + d.Reason + "; " + c.budget.Exhausted() + ")")
		return false
	}
	c.logf("%s %s: %s; retrying in %s (attempt %d of %d)", e.Method, e.URL, reason, wait.Round(time.Millisecond), attempt+1, c.policy.MaxAttempts)
	if d.RateLimited {
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

// send makes one attempt, under a watchdog: the answer's headers must come within
// Timeouts.Header (for an upload, within UploadHeader of its last byte, and the
// upload body must keep moving), and the answer's body must keep moving. On
// failure it returns the error to report and what the retry policy needs to know;
// the response body is then already closed.
func (c *Client) send(req *http.Request, up *meter, total time.Duration) (*http.Response, *publish.APIError, retry.Answer) {
	ctx, wd := newWatchdog(req.Context())
	what := "the answer was not complete"
	if up != nil {
		what = "the upload and its answer were not complete"
	}
	wd.deadline(total, &StallError{What: what, After: total, Total: true})
	if up != nil {
		up.watch(wd, c.timeouts)
	} else {
		wd.arm(c.timeouts.Header, &StallError{What: "no answer headers", After: c.timeouts.Header})
	}
	resp, err := c.http.Do(req.WithContext(ctx))
	if up != nil && up.size > 0 {
		up.settle(c.timeouts.Idle, func() {
			wd.cancel(&StallError{What: "the upload went on after the answer", After: c.timeouts.Idle})
		})
	}
	if err != nil {
		err = wd.explain(ctx, err)
		wd.release()
		e := &publish.APIError{Method: req.Method, URL: redact(req.URL), Message: transportMessage(err)}
		return nil, e, retry.Answer{Err: err}
	}
	wd.pause()
	resp.Body = &watchedBody{rc: resp.Body, ctx: ctx, wd: wd, idle: c.timeouts.Idle}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp, nil, retry.Answer{}
	}
	defer resp.Body.Close()
	// go-github reads the whole error body: keep a hostile one, compressed or
	// not, from filling memory.
	capped := &cappedReader{r: resp.Body, left: maxErrorAnswer}
	resp.Body = struct {
		io.Reader
		io.Closer
	}{capped, resp.Body}
	e := &publish.APIError{Method: req.Method, URL: redact(req.URL), Status: resp.StatusCode}
	c.explainStatus(resp, e)
	if capped.hit {
		e.Message = strings.TrimSpace(fmt.Sprintf("the error answer passed the cap of %d bytes (after decompression); the rest was not read. %s", maxErrorAnswer, e.Message))
	}
	return nil, e, retry.Answer{Status: resp.StatusCode, Header: resp.Header, Message: e.Message}
}

// maxErrorAnswer caps the bytes read of an error answer; GitHub's are a few
// hundred bytes.
const maxErrorAnswer = 1 << 20

// cappedReader reads at most left bytes and notes whether r had more.
type cappedReader struct {
	r    io.Reader
	left int64
	hit  bool
}

func (c *cappedReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var probe [1]byte
		if n, _ := c.r.Read(probe[:]); n > 0 {
			c.hit = true
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// explainStatus fills e from GitHub's error body and adds what the user can do
// about the usual causes.
func (c *Client) explainStatus(resp *http.Response, e *publish.APIError) {
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
	switch {
	case !c.answered.Load() && resp.StatusCode < 500 && !isJSON(resp.Header):
		// GitHub answers errors in JSON; its 5xx pages may be HTML.
		e.Message = fmt.Sprintf("GITHUB_API_URL %s does not look like a GitHub API (the answer is %q, not GitHub's JSON)", c.apiURL, resp.Header.Get("Content-Type"))
	case resp.StatusCode == http.StatusUnauthorized:
		e.Message = strings.TrimSpace(e.Message + "; GitHub refused the token from " + c.tokenSource +
			": it is wrong, expired or revoked; use a token that is valid for this repository with permission contents: write")
	case resp.StatusCode == http.StatusForbidden && strings.Contains(strings.ToLower(e.Message), "not accessible"):
		perm := acceptedPermissions(resp.Header)
		e.Message += "; the token from " + c.tokenSource + " needs permission " + perm + " (permissions: " + perm + " in the workflow)"
	default:
		if isJSON(resp.Header) {
			c.answered.Store(true)
		}
	}
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

// GitHub stops listing at 10,000 results; a server that goes on is not GitHub.
const (
	listCeiling = 10000
	perPage     = 100
)

// listAll follows pagination to the end and returns every item. It stops with an
// error on a page it has seen before, on a next page on another origin, and past
// GitHub's ceiling, so a hostile Link header cannot keep the run going for ever.
// https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
func listAll[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	return listPages[T](ctx, c, path, nil)
}

// listPages is listAll that hands each page's answer to onPage (when not nil)
// before its body is used.
func listPages[T any](ctx context.Context, c *Client, path string, onPage func(*http.Response)) ([]T, error) {
	var all []T
	next := path
	if strings.Contains(next, "?") {
		next += "&per_page=" + strconv.Itoa(perPage)
	} else {
		next += "?per_page=" + strconv.Itoa(perPage)
	}
	seen := map[string]bool{}
	for pages := 0; next != ""; pages++ {
		var page []T
		resp, err := c.call(ctx, http.MethodGet, next, nil, &page)
		if err != nil {
			return nil, err
		}
		if onPage != nil {
			onPage(resp)
		}
		all = append(all, page...)
		if len(all) > listCeiling || pages+1 >= listCeiling/perPage && nextLink(resp.Header.Get("Link")) != "" {
			return nil, fmt.Errorf("list %s: the server offers more than GitHub's %d results; stopping", path, listCeiling)
		}
		// Both the page asked for and, after a redirect, the page that answered.
		seen[resp.Request.URL.String()] = true
		if u, err := c.gh.BaseURL.Parse(next); err == nil {
			seen[u.String()] = true
		}
		if next, err = c.nextPage(resp, seen); err != nil {
			return nil, fmt.Errorf("list %s: %w", path, err)
		}
	}
	return all, nil
}

// nextPage returns the absolute URL of the page after resp, "" at the end.
func (c *Client) nextPage(resp *http.Response, seen map[string]bool) (string, error) {
	link := nextLink(resp.Header.Get("Link"))
	if link == "" {
		return "", nil
	}
	u, err := resp.Request.URL.Parse(link)
	if err != nil {
		return "", fmt.Errorf("Link header: %w", err)
	}
	if !c.trusted[origin(u)] {
		return "", &OriginError{What: "the Link header's next page", URL: redact(u), Trusted: c.trustedList}
	}
	if seen[u.String()] {
		return "", fmt.Errorf("the Link header points back at %s, a page already read", redact(u))
	}
	return u.String(), nil
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

// acceptedPermissions is what GitHub says a refused request needed
// (X-Accepted-GitHub-Permissions: "attestations=write", alternatives
// separated by ";" and a set by ","), as a workflow writes it:
// "attestations: write". Without the header: contents: write, which every
// release request needs.
// https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api#resource-not-accessible
func acceptedPermissions(h http.Header) string {
	v := strings.TrimSpace(h.Get("X-Accepted-GitHub-Permissions"))
	first, _, _ := strings.Cut(v, ";")
	var parts []string
	for _, p := range strings.Split(first, ",") {
		name, level, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || name == "" || level == "" || strings.ContainsAny(name+level, " :\n\r") {
			continue
		}
		parts = append(parts, name+": "+level)
	}
	if len(parts) == 0 {
		return "contents: write"
	}
	return strings.Join(parts, ", ")
}
