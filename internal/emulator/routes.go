package emulator

import (
	"net/http"
	"strconv"
	"strings"
)

// endpoint is one row of the route table: a net/http ServeMux pattern and the
// handler that answers it. In a pattern, {api} and {upload} stand for the
// layout's prefixes ("" and "/uploads" for DotCom, "/api/v3" and
// "/api/uploads" for GHES); a pattern without either is on the web host.
type endpoint struct {
	name    string
	pattern string
	serve   handler
}

// handler answers a matched request; it reports whether it dropped the
// connection instead of answering (only uploads do).
type handler func(s *Server, c *exchange) (dropped bool)

// exchange is one request on its way through the server.
type exchange struct {
	w     *recorder           // records the status for the request log
	raw   http.ResponseWriter // the connection itself, for faults that drop it
	r     *http.Request
	rt    route
	fault *Fault
}

// api adapts the common handler shape, which never drops the connection.
func api(f func(*Server, http.ResponseWriter, *http.Request, route)) handler {
	return func(s *Server, c *exchange) bool {
		f(s, c.w, c.r, c.rt)
		return false
	}
}

// routes is the emulator's API, one line per endpoint: add a route by adding a
// line (and its name to the Route constants). GitHub's URL space does not fit
// ServeMux's precedence rules in two places, so two rows are shaped to avoid a
// conflict: a tag with raw slashes has its own row, and the list of a release's
// assets shares the "{id}/{sub}" row, where any other sub is unknown.
var routes = []endpoint{
	{RouteListReleases, "GET {api}/repos/{owner}/{repo}/releases", api((*Server).listReleases)},
	{RouteCreateRelease, "POST {api}/repos/{owner}/{repo}/releases", api((*Server).createRelease)},
	{RouteGetLatest, "GET {api}/repos/{owner}/{repo}/releases/latest", api((*Server).getLatest)},
	{RouteGenerateNotes, "POST {api}/repos/{owner}/{repo}/releases/generate-notes", api((*Server).generateNotes)},
	{RouteGetReleaseByTag, "GET {api}/repos/{owner}/{repo}/releases/tags/{tag}", api((*Server).getReleaseByTag)},
	{RouteGetReleaseByTag, "GET {api}/repos/{owner}/{repo}/releases/tags/{tag}/{more...}", api((*Server).getReleaseByTag)},
	{RouteGetRelease, "GET {api}/repos/{owner}/{repo}/releases/{id}", api((*Server).getRelease)},
	{RouteUpdateRelease, "PATCH {api}/repos/{owner}/{repo}/releases/{id}", api((*Server).updateRelease)},
	{RouteDeleteRelease, "DELETE {api}/repos/{owner}/{repo}/releases/{id}", api((*Server).deleteRelease)},
	{RouteListAssets, "GET {api}/repos/{owner}/{repo}/releases/{id}/{sub}", api((*Server).listAssets)},
	{RouteGetAsset, "GET {api}/repos/{owner}/{repo}/releases/assets/{id}", api((*Server).getAsset)},
	{RouteUpdateAsset, "PATCH {api}/repos/{owner}/{repo}/releases/assets/{id}", api((*Server).updateAsset)},
	{RouteDeleteAsset, "DELETE {api}/repos/{owner}/{repo}/releases/assets/{id}", api((*Server).deleteAsset)},
	{RouteUploadAsset, "POST {upload}/repos/{owner}/{repo}/releases/{id}/assets", (*Server).uploadAsset},
	{RouteBrowserDownload, "GET /{owner}/{repo}/releases/download/{path...}", api((*Server).browserDownload)},
	{RouteImmutableReleases, "GET {api}/repos/{owner}/{repo}/immutable-releases", api((*Server).getImmutableReleases)},
	{RouteGetRef, "GET {api}/repos/{owner}/{repo}/git/ref/{param...}", git((*Git).getRef)},
	{RouteCreateRef, "POST {api}/repos/{owner}/{repo}/git/refs", git(func(g *Git, w http.ResponseWriter, r *http.Request, o, n, _ string) { g.createRef(w, r, o, n) })},
	{RouteUpdateRef, "PATCH {api}/repos/{owner}/{repo}/git/refs/{param...}", git((*Git).updateRef)},
	{RouteGetTag, "GET {api}/repos/{owner}/{repo}/git/tags/{param}", git((*Git).getTag)},
	{RouteMatchingRefs, "GET {api}/repos/{owner}/{repo}/git/matching-refs/{param...}", git((*Git).matchingRefs)}, // matching_refs.go
	{RouteCompare, "GET {api}/repos/{owner}/{repo}/compare/{param...}", git((*Git).compareCommits)},
	{RouteGetCommit, "GET {api}/repos/{owner}/{repo}/commits/{param}", git((*Git).getCommit)},           // commits.go
	{RouteCommitPulls, "GET {api}/repos/{owner}/{repo}/commits/{param}/pulls", git((*Git).commitPulls)}, // commits.go
	{RouteCreateAttestation, "POST {api}/repos/{owner}/{repo}/attestations", api((*Server).createAttestation)},
	{RouteListAttestations, "GET {api}/repos/{owner}/{repo}/attestations/{digest}", api((*Server).listAttestations)},
	{RouteAttestationBundle, "GET /_attestations/{id}", api((*Server).attestationBundle)},
	{RouteIDToken, "GET " + TokenPath, api((*Server).idToken)},
	{RouteSigningCert, "POST " + FulcioPath + "/api/v2/signingCert", api((*Server).signingCert)},
	{RouteTimestamp, "POST " + TimestampPath, api((*Server).timestampHandler)},
}

// git adapts a git handler (git_handlers.go), which takes the owner, the
// repository and the route's one parameter ({param}, slashes kept) unescaped.
func git(f func(g *Git, w http.ResponseWriter, r *http.Request, owner, repo, param string)) handler {
	return func(s *Server, c *exchange) bool {
		f(s.git, c.w, c.r, c.rt.owner, c.rt.repo, c.r.PathValue("param"))
		return false
	}
}

// newMux registers every route of the table for the layout, and a catch-all
// that answers 404 like GitHub does for an unknown path.
func (s *Server) newMux() *http.ServeMux {
	mux := http.NewServeMux()
	prefixes := strings.NewReplacer("{api}", s.opts.Layout.APIPrefix(), "{upload}", s.opts.Layout.UploadPrefix())
	for _, e := range routes {
		mux.Handle(prefixes.Replace(e.pattern), s.endpoint(e))
	}
	mux.Handle("/", s.endpoint(endpoint{name: RouteUnknown, serve: func(s *Server, c *exchange) bool {
		writeError(c.w, errNotFound(docsRoot))
		return false
	}}))
	return mux
}

// endpoint wraps a route's handler in what every request goes through: the
// route's name and path values, faults, rate-limit headers, credentials and
// the request log.
func (s *Server) endpoint(e endpoint) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt := routeOf(e.name, r)
		serve := e.serve
		if rt.name == RouteUnknown {
			serve = func(s *Server, c *exchange) bool {
				writeError(c.w, errNotFound(docsRoot))
				return false
			}
		}
		s.exchange(w, r, rt, serve)
	})
}

// routeOf reads the path values the handlers use.
func routeOf(name string, r *http.Request) route {
	rt := route{name: name, owner: r.PathValue("owner"), repo: r.PathValue("repo"), tag: r.PathValue("tag")}
	if more := strings.TrimRight(r.PathValue("more"), "/"); more != "" {
		rt.tag += "/" + more // a tag sent with raw slashes
	}
	rt.id, rt.idOK = parseID(r.PathValue("id"))
	switch name {
	case RouteListAssets:
		if r.PathValue("sub") != "assets" {
			rt.name = RouteUnknown
		}
	case RouteGetAsset:
		if strings.Contains(r.Header.Get("Accept"), "application/octet-stream") {
			rt.name = RouteDownloadAsset
		}
	case RouteBrowserDownload:
		p := r.PathValue("path")
		i := strings.LastIndex(p, "/")
		if i <= 0 || i == len(p)-1 {
			rt.name = RouteUnknown
			break
		}
		rt.tag, rt.assetName = p[:i], p[i+1:]
	}
	return rt
}

func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}
