package emulator

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Layout selects where the emulator serves the API and the uploads.
// https://docs.github.com/en/enterprise-server@latest/rest/quickstart
type Layout int

const (
	// DotCom serves the API at "/" and uploads at "/uploads/", like api.github.com and
	// uploads.github.com folded onto one host.
	DotCom Layout = iota
	// GHES serves the API at "/api/v3/" and uploads at "/api/uploads/", like GitHub
	// Enterprise Server.
	GHES
)

// Options configures a Server.
type Options struct {
	// Layout chooses the URL prefixes (DotCom or GHES).
	Layout Layout
	// Token is the accepted "Authorization: Bearer|token X" value; "" accepts any
	// non-empty credentials.
	Token string
	// ReadOnlyToken may read, but every write answers 403 "Resource not accessible by
	// integration".
	ReadOnlyToken string
	// PerPageDefault is the page size when a list request has no per_page (30 if 0).
	PerPageDefault int
	// UploadBytesPerSecond caps how fast each upload body is read (0 = unlimited).
	UploadBytesPerSecond int64
	// MaxStoredBytes is the largest asset whose content is kept in memory (64 MiB if
	// 0, none if negative); bigger uploads keep only their size and sha256.
	MaxStoredBytes int64
	// RedirectDownloads makes a download through the API answer 302 to the
	// browser_download_url instead of 200 with the bytes.
	RedirectDownloads bool
	// Now, when set, replaces time.Now (useful for deterministic created_at ordering).
	Now func() time.Time
	// Hold, when set, sees every request first and may keep it waiting: a
	// test's scheduler (see HoldFunc in hold.go).
	Hold HoldFunc
	// HourWindow and HourAllow, when HourWindow is set, enforce an hour window
	// of HourAllow content-creating requests in any HourWindow (GitHub: 500 an
	// hour; tests scale it down). See HourLimit in hour.go.
	HourWindow time.Duration
	HourAllow  int
	// Workflow is the job the runner's OIDC token service speaks for (oidc.go);
	// zero fields take defaults (see Server.Workflow).
	Workflow Workflow
	// NoAttestationsToken may do everything Token may, but creating an
	// attestation answers 403 with X-Accepted-GitHub-Permissions:
	// attestations=write (a job without that permission).
	NoAttestationsToken string
	// ImmutableAfter delays what GitHub does a little after an immutable
	// release is published: until it has passed, the release reads
	// "immutable": false and its release attestation is not listed.
	ImmutableAfter time.Duration
}

// Request is one entry of the server's request log.
type Request struct {
	Method  string
	Route   string // stable name such as "upload_asset"; "unknown" for unmatched paths
	Path    string
	Query   string
	Status  int   // 0 when the connection was dropped without an answer
	BytesIn int64 // request body bytes the server read
}

// Route names used in Request.Route, Counts and Fault.Route.
const (
	RouteListReleases    = "list_releases"
	RouteGetRelease      = "get_release"
	RouteGetReleaseByTag = "get_release_by_tag"
	RouteGetLatest       = "get_latest"
	RouteCreateRelease   = "create_release"
	RouteUpdateRelease   = "update_release"
	RouteDeleteRelease   = "delete_release"
	RouteGenerateNotes   = "generate_notes"
	RouteListAssets      = "list_assets"
	RouteGetAsset        = "get_asset"
	RouteDownloadAsset   = "download_asset"
	RouteUpdateAsset     = "update_asset"
	RouteDeleteAsset     = "delete_asset"
	RouteUploadAsset     = "upload_asset"
	RouteBrowserDownload = "browser_download"
	RouteUnknown         = "unknown"
)

const (
	docsRoot         = "https://docs.github.com/rest"
	docsReleases     = "https://docs.github.com/rest/releases/releases"
	docsAssets       = "https://docs.github.com/rest/releases/assets"
	defaultMaxStored = 64 << 20
	rateLimit        = 5000
)

var routeDocs = map[string]string{
	RouteListReleases:    docsReleases + "#list-releases",
	RouteGetRelease:      docsReleases + "#get-a-release",
	RouteGetReleaseByTag: docsReleases + "#get-a-release-by-tag-name",
	RouteGetLatest:       docsReleases + "#get-the-latest-release",
	RouteCreateRelease:   docsReleases + "#create-a-release",
	RouteUpdateRelease:   docsReleases + "#update-a-release",
	RouteDeleteRelease:   docsReleases + "#delete-a-release",
	RouteGenerateNotes:   docsReleases + "#generate-release-notes-content-for-a-release",
	RouteListAssets:      docsAssets + "#list-release-assets",
	RouteGetAsset:        docsAssets + "#get-a-release-asset",
	RouteDownloadAsset:   docsAssets + "#get-a-release-asset",
	RouteUpdateAsset:     docsAssets + "#update-a-release-asset",
	RouteDeleteAsset:     docsAssets + "#delete-a-release-asset",
	RouteUploadAsset:     docsAssets + "#upload-a-release-asset",
}

func init() {
	for name, doc := range gitRouteDocs {
		routeDocs[name] = doc
	}
}

// Git is the repositories' git model, for seeding commits, branches and tags
// and for reading them back.
func (s *Server) Git() *Git { return s.git }

// Server is the emulated GitHub; it implements http.Handler and is safe for
// concurrent use.
type Server struct {
	opts Options

	mux *http.ServeMux // the route table (routes.go) for opts.Layout
	git *Git           // refs, tags and commits; its own lock, taken after mu

	mu        sync.Mutex
	repos     map[string]*repoState // by lower-cased "owner/name"
	assets    map[int64]*assetState
	seq       int64 // one counter for release and asset IDs, so they never collide
	log       []Request
	faults    []*faultState
	lastHost  string
	rateUsed  int
	rateReset time.Time
	firstRepo string           // the first repository added: Workflow's default
	sig       sigstoreOnce     // the Sigstore keys (sigstore.go), made on first use
	attest    attestationStore // guarded by mu
}

// New returns an empty server; add repositories with AddRepo.
func New(opts Options) *Server {
	if opts.PerPageDefault <= 0 {
		opts.PerPageDefault = 30
	}
	if opts.PerPageDefault > 100 {
		opts.PerPageDefault = 100
	}
	if opts.MaxStoredBytes == 0 {
		opts.MaxStoredBytes = defaultMaxStored
	}
	s := &Server{
		opts:   opts,
		repos:  map[string]*repoState{},
		assets: map[int64]*assetState{},
	}
	s.git = NewGit(opts.Layout, s.now)
	s.mux = s.newMux()
	s.hourLimit()
	return s
}

// APIPrefix is the path under which the layout serves the REST API ("" or "/api/v3").
func (l Layout) APIPrefix() string {
	if l == GHES {
		return "/api/v3"
	}
	return ""
}

// UploadPrefix is the path under which the layout serves uploads ("/uploads" or
// "/api/uploads").
func (l Layout) UploadPrefix() string {
	if l == GHES {
		return "/api/uploads"
	}
	return "/uploads"
}

// urls holds the absolute bases for one request's host.
type urls struct {
	api, upload, web string
}

func (s *Server) urlsFor(host string) urls {
	if host == "" {
		host = "localhost"
	}
	web := "http://" + host
	return urls{api: web + s.opts.Layout.APIPrefix(), upload: web + s.opts.Layout.UploadPrefix(), web: web}
}

func (s *Server) now() time.Time {
	t := time.Now()
	if s.opts.Now != nil {
		t = s.opts.Now()
	}
	return t.UTC().Truncate(time.Second)
}

// route is a request matched to an endpoint.
type route struct {
	name      string
	owner     string
	repo      string
	id        int64 // release or asset ID, from the path
	idOK      bool
	tag       string
	assetName string
}

// recorder remembers the status a handler wrote.
type recorder struct {
	http.ResponseWriter
	status int
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// countingBody counts the request body bytes the server consumed.
type countingBody struct {
	io.ReadCloser
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	return n, err
}

// ServeHTTP answers one request the way GitHub's REST API would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// exchange answers a request matched to rt: Options.Hold first, then faults,
// then credentials, then the route's handler; every request ends in the log.
func (s *Server) exchange(w http.ResponseWriter, r *http.Request, rt route, serve handler) {
	// Deferred first, so it runs last: after the request is in the log.
	defer s.hold(r, rt.name)()
	body := &countingBody{ReadCloser: r.Body}
	r.Body = body
	rec := &recorder{ResponseWriter: w}
	late := &lateHijacker{ResponseWriter: w}

	s.mu.Lock()
	s.lastHost = r.Host
	fault := s.takeFault(rt.name, r.Method)
	primary := fault != nil && fault.Kind == FaultPrimaryLimit
	s.rateHeaders(w.Header(), primary, fault)
	s.mu.Unlock()

	// dropped stays true if serve panics with http.ErrAbortHandler.
	dropped := true
	defer func() {
		status := rec.status
		if dropped {
			status = 0
		}
		s.mu.Lock()
		s.log = append(s.log, Request{
			Method:  r.Method,
			Route:   rt.name,
			Path:    r.URL.Path,
			Query:   r.URL.RawQuery,
			Status:  status,
			BytesIn: body.n,
		})
		s.mu.Unlock()
		late.close()
	}()
	dropped = s.admit(&exchange{w: rec, raw: late, r: r, rt: rt, fault: fault}, serve)
}

// lateHijacker closes a dropped connection only once the request is in the
// log, so a client that sees the drop always finds its request counted.
type lateHijacker struct {
	http.ResponseWriter
	conn net.Conn
}

func (l *lateHijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := l.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, http.ErrNotSupported
	}
	c, rw, err := hj.Hijack()
	if err != nil {
		return nil, nil, err
	}
	l.conn = c
	return keptOpen{c}, rw, nil
}

func (l *lateHijacker) close() {
	if l.conn != nil {
		_ = l.conn.Close()
	}
}

// keptOpen is a hijacked connection whose Close waits for lateHijacker.close.
type keptOpen struct{ net.Conn }

func (keptOpen) Close() error { return nil }

// admit answers an injected fault, or checks the credentials and hands the
// request to its handler; it reports whether the connection was dropped.
func (s *Server) admit(c *exchange, serve handler) bool {
	rt, fault := c.rt, c.fault
	doc := routeDocs[rt.name]
	if fault != nil && fault.Kind != FaultLostAnswer && !(rt.name == RouteUploadAsset && (fault.Kind == FaultStarter || fault.Kind == FaultDrop)) {
		return s.answerFault(c.w, c.raw, fault, doc)
	}
	if rt.name == RouteUnknown || rt.name == RouteBrowserDownload || ownCredentials[rt.name] {
		// The web host serves public downloads without API credentials; the
		// Sigstore services check their own. A lost answer still does the
		// work first.
		if fault != nil && fault.Kind == FaultLostAnswer {
			return s.loseAnswer(c, serve)
		}
		return serve(s, c)
	}
	readOnly, ok := s.authorize(c.r)
	if !ok {
		writeError(c.w, &apiError{status: http.StatusUnauthorized, message: "Bad credentials", docURL: docsRoot})
		return false
	}
	if readOnly && c.r.Method != http.MethodGet && c.r.Method != http.MethodHead {
		writeError(c.w, &apiError{status: http.StatusForbidden, message: "Resource not accessible by integration", docURL: doc})
		return false
	}
	if fault != nil && fault.Kind == FaultLostAnswer {
		return s.loseAnswer(c, serve)
	}
	return serve(s, c)
}

// authorize checks the Authorization header ("Bearer X" or "token X").
func (s *Server) authorize(r *http.Request) (readOnly, ok bool) {
	scheme, cred, found := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	cred = strings.TrimSpace(cred)
	if !found || cred == "" || (!strings.EqualFold(scheme, "bearer") && !strings.EqualFold(scheme, "token")) {
		return false, false
	}
	if s.opts.ReadOnlyToken != "" && cred == s.opts.ReadOnlyToken {
		return true, true
	}
	if s.opts.NoAttestationsToken != "" && cred == s.opts.NoAttestationsToken {
		return false, true // refused where it matters (createAttestation)
	}
	if s.opts.Token != "" && cred != s.opts.Token {
		return false, false
	}
	return false, true
}

// rateHeaders sets GitHub's x-ratelimit-* headers; it must hold s.mu. The emulator
// counts requests but never refuses them on its own: only injected faults do.
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
func (s *Server) rateHeaders(h http.Header, exhausted bool, f *Fault) {
	now := time.Now()
	if s.rateReset.IsZero() || !now.Before(s.rateReset) || s.rateUsed >= rateLimit {
		s.rateReset = now.Add(time.Hour).Truncate(time.Second)
		s.rateUsed = 0
	}
	s.rateUsed++
	used, reset := s.rateUsed, s.rateReset
	if exhausted {
		used = rateLimit
		reset = now.Add(time.Duration(f.RetryAfter) * time.Second)
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(rateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(rateLimit-used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Used", strconv.Itoa(used))
	h.Set("X-RateLimit-Resource", "core")
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
}
