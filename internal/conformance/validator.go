package conformance

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// DefaultMaxBody is the most of a JSON request or response body a Validator holds
// in memory to validate it. Upload bodies are never held at all.
const DefaultMaxBody = 4 << 20

// Operation IDs the Validator treats specially.
const (
	OpUploadAsset = "repos/upload-release-asset"
	OpGetAsset    = "repos/get-release-asset"
)

// Violation is one disagreement between the traffic and the description.
type Violation struct {
	Phase     string // "request" or "response"
	Method    string
	Path      string // as received, query included
	Operation string // operationId, "" when no operation matched
	Status    int    // the answer's status (response violations)
	Message   string
}

func (v Violation) String() string {
	op := v.Operation
	if op == "" {
		op = "no operation"
	}
	s := fmt.Sprintf("%s %s %s (%s)", v.Phase, v.Method, v.Path, op)
	if v.Status != 0 {
		s += fmt.Sprintf(" -> %d", v.Status)
	}
	return s + ": " + v.Message
}

// Layout tells the Validator where the server under test serves the API and the
// uploads: path prefixes on one host ("" and "/uploads" for the emulator's
// github.com layout, "/api/v3" and "/api/uploads" for GHES).
type Layout struct {
	APIPrefix    string
	UploadPrefix string
}

// Validator is an http.Handler that validates every request before passing it to
// Next, and every answer Next writes, against a Spec.
type Validator struct {
	Spec   *Spec
	Next   http.Handler
	Layout Layout
	// MaxBody bounds the bytes of a JSON body held for validation (DefaultMaxBody if 0).
	MaxBody int64

	mu         sync.Mutex
	violations []Violation
	ops        map[string]int // operationId -> validated exchanges
	exceptions map[string]int // runtime exception -> times applied
	web        int            // browser downloads passed through unvalidated
}

// NewValidator wraps next.
func NewValidator(spec *Spec, layout Layout, next http.Handler) *Validator {
	return &Validator{Spec: spec, Next: next, Layout: layout}
}

// Violations returns what was recorded so far.
func (v *Validator) Violations() []Violation {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]Violation(nil), v.violations...)
}

// Operations returns how many exchanges were validated, per operationId.
func (v *Validator) Operations() map[string]int {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := map[string]int{}
	for k, n := range v.ops {
		out[k] = n
	}
	return out
}

// ExceptionsUsed returns how often each runtime exception applied.
func (v *Validator) ExceptionsUsed() map[string]int {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := map[string]int{}
	for k, n := range v.exceptions {
		out[k] = n
	}
	return out
}

// WebRequests returns how many browser downloads (the web host, not the REST API,
// so not in the description) went through without validation.
func (v *Validator) WebRequests() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.web
}

func (v *Validator) record(x Violation) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.violations = append(v.violations, x)
}

func (v *Validator) count(op, exception string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.ops == nil {
		v.ops, v.exceptions = map[string]int{}, map[string]int{}
	}
	if op != "" {
		v.ops[op]++
	}
	if exception != "" {
		v.exceptions[exception]++
	}
}

func (v *Validator) maxBody() int64 {
	if v.MaxBody > 0 {
		return v.MaxBody
	}
	return DefaultMaxBody
}

// schemaOptions are used for every body, in both directions.
func schemaOptions() []openapi3.SchemaValidationOption {
	return []openapi3.SchemaValidationOption{
		// kin-openapi checks "date-time" by default, not "uri"; the release and
		// asset URLs are all "format: uri", and a client builds on them.
		openapi3.WithStringFormatValidator("uri", openapi3.NewCallbackValidator(func(s string) error {
			u, err := url.Parse(s)
			if err != nil {
				return err
			}
			if !u.IsAbs() || u.Host == "" {
				return fmt.Errorf("%q is not an absolute URI", s)
			}
			return nil
		})),
	}
}

func filterOptions() *openapi3filter.Options {
	o := &openapi3filter.Options{
		MultiError: true,
		// The description documents a selection of statuses per operation; an
		// answer with a status it does not list is reported, not waved through.
		IncludeResponseStatus: true,
		// Defaults must not be written into the request the server receives.
		SkipSettingDefaults:     true,
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions: schemaOptions(),
	}
	o.WithCustomSchemaErrorFunc(schemaMessage)
	return o
}

// schemaMessage keeps a schema error short: where, why, and a scalar value.
func schemaMessage(e *openapi3.SchemaError) string {
	at := "/" + strings.Join(e.JSONPointer(), "/")
	reason := e.Reason
	if reason == "" {
		reason = fmt.Sprintf("doesn't match schema %q", e.SchemaField)
	}
	switch val := e.Value.(type) {
	case string, bool, float64, int, int64, nil:
		return fmt.Sprintf("at %s: %s (got %#v)", at, reason, val)
	}
	return fmt.Sprintf("at %s: %s", at, reason)
}

// Messages flattens a kin-openapi error into one line per problem.
func Messages(err error) []string {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var out []string
		for _, e := range me {
			out = append(out, Messages(e)...)
		}
		return out
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) && re.Err != nil {
		var inner openapi3.MultiError
		if errors.As(re.Err, &inner) {
			prefix := "request body"
			if re.Parameter != nil {
				prefix = fmt.Sprintf("parameter %q in %s", re.Parameter.Name, re.Parameter.In)
			}
			var out []string
			for _, m := range Messages(inner) {
				out = append(out, prefix+": "+m)
			}
			return out
		}
	}
	var rs *openapi3filter.ResponseError
	if errors.As(err, &rs) && rs.Err != nil {
		var inner openapi3.MultiError
		if errors.As(rs.Err, &inner) {
			var out []string
			for _, m := range Messages(inner) {
				out = append(out, rs.Reason+": "+m)
			}
			return out
		}
	}
	return []string{err.Error()}
}

// ServeHTTP validates the request, serves it, and validates the answer.
func (v *Validator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ex := &exchange{v: v, method: r.Method, path: r.URL.RequestURI()}
	routed, ok := v.route(ex, r)
	if !ok {
		v.Next.ServeHTTP(w, r)
		return
	}
	v.checkRequest(ex, r, routed)
	cw := &captureWriter{ResponseWriter: w, limit: v.maxBody()}
	v.Next.ServeHTTP(cw, r)
	// A handler that drops the connection panics (http.ErrAbortHandler) and never
	// gets here: there is no answer to validate.
	v.checkResponse(ex, r, cw)
	v.count(ex.op, "")
}

// exchange collects what is known about one request.
type exchange struct {
	v        *Validator
	method   string
	path     string
	op       string
	route    *routers.Route
	params   map[string]string
	upload   bool // arrived under the upload prefix
	reqInput *openapi3filter.RequestValidationInput
}

func (ex *exchange) fail(phase string, status int, msg string) {
	ex.v.record(Violation{Phase: phase, Method: ex.method, Path: ex.path, Operation: ex.op, Status: status, Message: msg})
}

// route finds the operation. It reports false for requests that are not REST API
// calls (browser downloads on the web host), which are passed through untouched.
func (v *Validator) route(ex *exchange, r *http.Request) (*http.Request, bool) {
	p := r.URL.EscapedPath()
	var rest string
	switch {
	case v.Layout.UploadPrefix != "" && strings.HasPrefix(p, v.Layout.UploadPrefix+"/"):
		ex.upload, rest = true, p[len(v.Layout.UploadPrefix):]
	case isWebDownload(p):
		// https://github.com/OWNER/REPO/releases/download/TAG/NAME: the web host,
		// where an API download may redirect; not part of the REST API.
		v.mu.Lock()
		v.web++
		v.mu.Unlock()
		return nil, false
	case strings.HasPrefix(p, v.Layout.APIPrefix+"/"):
		rest = p[len(v.Layout.APIPrefix):]
	default:
		ex.fail("request", 0, "outside both the API prefix "+quoteOrRoot(v.Layout.APIPrefix)+" and the upload prefix "+quoteOrRoot(v.Layout.UploadPrefix))
		return nil, false
	}
	rest = v.Spec.escapeMultiSegment(rest)
	u := *r.URL
	u.RawPath = rest
	var err error
	if u.Path, err = url.PathUnescape(rest); err != nil {
		ex.fail("request", 0, "bad path escaping: "+err.Error())
		return nil, false
	}
	// Routing uses a copy whose body is replaced before validation.
	routed := r.Clone(r.Context())
	routed.URL = &u
	routed.RequestURI = ""
	routed.Body = http.NoBody
	route, params, err := v.Spec.Router.FindRoute(routed)
	if err != nil {
		ex.fail("request", 0, "the description has no such operation: "+err.Error())
		return nil, false
	}
	ex.route, ex.params, ex.op = route, params, route.Operation.OperationID
	switch isUpload := ex.op == OpUploadAsset; {
	case isUpload && !ex.upload:
		ex.fail("request", 0, fmt.Sprintf("an upload must go to the upload server (%s in the description), not the API", v.Spec.UploadServer))
	case !isUpload && ex.upload:
		ex.fail("request", 0, "only uploads go to the upload server; this operation belongs on the API server")
	}
	return routed, true
}

func isWebDownload(escapedPath string) bool {
	segs := strings.Split(strings.Trim(escapedPath, "/"), "/")
	return len(segs) >= 6 && segs[0] != "repos" && segs[2] == "releases" && segs[3] == "download"
}

func quoteOrRoot(p string) string {
	if p == "" {
		return `"/"`
	}
	return fmt.Sprintf("%q", p)
}

// checkRequest validates the request. A JSON body is read (up to MaxBody) and put
// back for the server; an upload body is binary, possibly huge, and never read.
func (v *Validator) checkRequest(ex *exchange, r, routed *http.Request) {
	opts := filterOptions()
	if ex.op == OpUploadAsset {
		// Explicitly: the body is the raw file. Its schema is {type: string,
		// format: binary}, which any bytes satisfy, so nothing is lost by not
		// reading it; the headers and the query are still validated below and by
		// ValidateRequest.
		opts.ExcludeRequestBody = true
		v.checkUploadHeaders(ex, r)
	} else if r.Body != nil && r.Body != http.NoBody {
		held, err := io.ReadAll(io.LimitReader(r.Body, v.maxBody()+1))
		if err != nil {
			ex.fail("request", 0, "reading the body: "+err.Error())
		}
		if int64(len(held)) > v.maxBody() {
			ex.fail("request", 0, fmt.Sprintf("JSON body larger than %d bytes: not validated", v.maxBody()))
			opts.ExcludeRequestBody = true
		}
		r.Body = &restoredBody{Reader: io.MultiReader(bytes.NewReader(held), r.Body), Closer: r.Body}
		routed.Body = io.NopCloser(bytes.NewReader(held))
		routed.ContentLength = int64(len(held))
	}
	ex.reqInput = &openapi3filter.RequestValidationInput{
		Request:    routed,
		PathParams: ex.params,
		Route:      ex.route,
		Options:    opts,
	}
	if err := openapi3filter.ValidateRequest(context.Background(), ex.reqInput); err != nil {
		for _, m := range Messages(err) {
			ex.fail("request", 0, m)
		}
	}
}

// checkUploadHeaders does for an upload what the skipped body validation would
// have done with its headers: the media type must be one the description lists
// for the body (with ExceptionUploadContentType, any), and present.
func (v *Validator) checkUploadHeaders(ex *exchange, r *http.Request) {
	ct := r.Header.Get("Content-Type")
	body := ex.route.Operation.RequestBody
	switch {
	case ct == "":
		ex.fail("request", 0, "upload without Content-Type (GitHub answers 400)")
	case body == nil || body.Value == nil:
		ex.fail("request", 0, "the description has no request body for uploads")
	default:
		if _, _, err := mime.ParseMediaType(ct); err != nil {
			ex.fail("request", 0, fmt.Sprintf("Content-Type %q: %v", ct, err))
		} else if body.Value.Content.Get(ct) == nil {
			ex.fail("request", 0, fmt.Sprintf("Content-Type %q is not a media type the description lists for the upload body", ct))
		}
	}
	if r.ContentLength < 0 {
		ex.fail("request", 0, "upload without Content-Length (chunked); GitHub refuses it")
	}
}

// checkResponse validates what the handler wrote.
func (v *Validator) checkResponse(ex *exchange, r *http.Request, cw *captureWriter) {
	status := cw.status
	if status == 0 {
		status = http.StatusOK
	}
	header := cw.header
	if header == nil {
		header = cw.Header().Clone()
	}
	opts := filterOptions()
	if ex.op == OpGetAsset && status == http.StatusOK && accepts(r, "application/octet-stream") && mediaType(header) == "application/octet-stream" {
		// ExceptionDownloadBytes: the bytes themselves; see exceptions.go.
		opts.ExcludeResponseBody = true
		v.count("", ExceptionDownloadBytes)
	} else if cw.overflow {
		ex.fail("response", status, fmt.Sprintf("%s body larger than %d bytes: not validated", mediaType(header), v.maxBody()))
		opts.ExcludeResponseBody = true
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: ex.reqInput,
		Status:                 status,
		Header:                 header,
		Options:                opts,
	}
	in.SetBodyBytes(cw.body.Bytes())
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		for _, m := range Messages(err) {
			ex.fail("response", status, m)
		}
	}
}

func accepts(r *http.Request, mt string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if t, _, err := mime.ParseMediaType(strings.TrimSpace(part)); err == nil && t == mt {
			return true
		}
	}
	return false
}

func mediaType(h http.Header) string {
	t, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return t
}

// restoredBody replays the bytes read for validation, then the rest.
type restoredBody struct {
	io.Reader
	io.Closer
}

// captureWriter remembers the status and headers and, for answers that are not
// raw bytes, up to limit bytes of the body.
type captureWriter struct {
	http.ResponseWriter
	limit    int64
	status   int
	header   http.Header
	body     bytes.Buffer
	overflow bool
	binary   bool
}

func (c *captureWriter) WriteHeader(code int) {
	if c.status == 0 {
		c.status = code
		c.header = c.ResponseWriter.Header().Clone()
		c.binary = mediaType(c.header) == "application/octet-stream"
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *captureWriter) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	if !c.binary && !c.overflow {
		if int64(c.body.Len()+len(p)) > c.limit {
			c.overflow = true
		} else {
			c.body.Write(p)
		}
	}
	return c.ResponseWriter.Write(p)
}

func (c *captureWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack lets a handler drop the connection, as the emulator's faults do.
func (c *captureWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := c.ResponseWriter.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, errors.New("hijacking not supported")
}

func (c *captureWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// Report formats violations one per line, sorted, for a test failure.
func Report(vs []Violation) string {
	lines := make([]string, 0, len(vs))
	for _, x := range vs {
		lines = append(lines, "  "+x.String())
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
