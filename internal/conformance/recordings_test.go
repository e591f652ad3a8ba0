package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/releasekit/release-action/internal/ghclient"
	"github.com/releasekit/release-action/internal/publish"
)

// recorded is one exchange recorded against the real api.github.com by
// @octokit/fixtures, in its normalized form (ids, dates and tokens replaced by
// stable values).
type recorded struct {
	Scope      string          `json:"scope"` // "https://api.github.com:443"
	Method     string          `json:"method"`
	Path       string          `json:"path"` // with the query
	Body       json.RawMessage `json:"body"` // "" when none, a string, or JSON
	Status     int             `json:"status"`
	Response   json.RawMessage `json:"response"`
	ReqHeaders map[string]any  `json:"reqheaders"`
	Headers    map[string]any  `json:"headers"`
	IsBinary   bool            `json:"responseIsBinary"`
}

type scenario struct {
	name    string
	dir     string
	entries []recorded
}

func loadScenario(t *testing.T, name string) scenario {
	t.Helper()
	dir, _, err := PackageDir(FixturesPackage)
	if err != nil {
		t.Fatalf("recordings: %v", err)
	}
	sdir := filepath.Join(dir, "scenarios", "api.github.com", name)
	b, err := os.ReadFile(filepath.Join(sdir, "normalized-fixture.json"))
	if err != nil {
		t.Fatalf("recordings of %s in %s: %v", name, FixturesPackage, err)
	}
	var list []recorded
	if err := json.Unmarshal(b, &list); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(list) == 0 {
		t.Fatalf("%s: no recorded exchanges", name)
	}
	for i, e := range list {
		if e.IsBinary {
			// nock stores binary answers hex-encoded; none of these scenarios
			// has one, and replaying one would need decoding first.
			t.Fatalf("%s: exchange %d has a binary answer, which this replay does not decode", name, i)
		}
	}
	return scenario{name: name, dir: sdir, entries: list}
}

// host is the recorded host without the port.
func (r recorded) host() string {
	u, err := url.Parse(r.Scope)
	if err != nil {
		return r.Scope
	}
	return u.Hostname()
}

// bodyBytes is the recorded request body: a JSON string is the raw body, any
// other JSON value was sent as JSON.
func (r recorded) bodyBytes() ([]byte, bool) {
	var s string
	if err := json.Unmarshal(r.Body, &s); err == nil {
		return []byte(s), false
	}
	return r.Body, true
}

// responseBytes is the recorded answer body.
func (r recorded) responseBytes() []byte {
	var s string
	if err := json.Unmarshal(r.Response, &s); err == nil {
		return []byte(s)
	}
	return r.Response
}

func headerString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return fmt.Sprintf("%.0f", x)
	default:
		return fmt.Sprint(x)
	}
}

// replayer answers each request with the next recorded answer, after checking
// that the request is the recorded one. The recording's hosts become the test
// server: api.github.com its root, uploads.github.com its "/uploads".
type replayer struct {
	t       *testing.T
	sc      scenario
	skip    map[int]string // entries the client has no call for, with the reason
	base    string         // the test server's URL
	mu      sync.Mutex
	next    int
	served  []int
	problem []string
}

func (p *replayer) normalize(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("https://uploads.github.com"), []byte(p.base+"/uploads"))
	return bytes.ReplaceAll(b, []byte("https://api.github.com"), []byte(p.base))
}

func (p *replayer) fail(format string, args ...any) {
	p.problem = append(p.problem, fmt.Sprintf(format, args...))
}

func (p *replayer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.skip[p.next] != "" {
		p.next++
	}
	if p.next >= len(p.sc.entries) {
		p.fail("%s %s: more requests than the recording holds", r.Method, r.URL)
		http.Error(w, "not in the recording", http.StatusTeapot)
		return
	}
	i := p.next
	e := p.sc.entries[i]
	p.next++
	p.served = append(p.served, i)
	body, _ := io.ReadAll(r.Body)
	p.check(i, e, r, body)

	for k, v := range e.Headers {
		switch strings.ToLower(k) {
		case "content-length", "connection", "transfer-encoding":
			// Recomputed: host normalization changes the body's length.
		default:
			w.Header().Set(k, headerString(v))
		}
	}
	w.WriteHeader(e.Status)
	_, _ = w.Write(p.normalize(e.responseBytes()))
}

// check compares a request with the recorded one: method, host (as a path
// prefix), path, query and body. The client's list calls add per_page=100 (it
// always asks for the largest page); that parameter alone is allowed extra.
func (p *replayer) check(i int, e recorded, r *http.Request, body []byte) {
	where := fmt.Sprintf("exchange %d (%s %s)", i, strings.ToUpper(e.Method), e.Path)
	if !strings.EqualFold(r.Method, e.Method) {
		p.fail("%s: client sent method %s", where, r.Method)
	}
	wantPath, wantQuery, _ := strings.Cut(e.Path, "?")
	switch e.host() {
	case "uploads.github.com":
		wantPath = "/uploads" + wantPath
	case "api.github.com":
	default:
		p.fail("%s: recorded host %s is neither api.github.com nor uploads.github.com", where, e.Scope)
	}
	if r.URL.EscapedPath() != wantPath {
		p.fail("%s: client sent path %s, want %s", where, r.URL.EscapedPath(), wantPath)
	}
	got, want := r.URL.Query(), mustQuery(wantQuery)
	if _, recorded := want["per_page"]; !recorded && got.Get("per_page") == "100" && e.Method == "get" {
		got.Del("per_page")
	}
	if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
		p.fail("%s: client sent query %v, want %v", where, got, want)
	}
	wantBody, isJSON := e.bodyBytes()
	switch {
	case isJSON:
		var g, w any
		if err := json.Unmarshal(body, &g); err != nil {
			p.fail("%s: client body %q is not JSON: %v", where, body, err)
		} else if _ = json.Unmarshal(wantBody, &w); !reflect.DeepEqual(g, w) {
			p.fail("%s: client sent %s, want %s", where, body, wantBody)
		}
	case !bytes.Equal(body, wantBody):
		p.fail("%s: client sent body %q, want %q", where, body, wantBody)
	}
	if ct, ok := e.ReqHeaders["content-type"]; ok && e.host() == "uploads.github.com" && r.Header.Get("Content-Type") != headerString(ct) {
		p.fail("%s: client sent Content-Type %q, want %q", where, r.Header.Get("Content-Type"), headerString(ct))
	}
	if cl, ok := e.ReqHeaders["content-length"]; ok && !isJSON && fmt.Sprint(r.ContentLength) != headerString(cl) {
		p.fail("%s: client sent Content-Length %d, want %s", where, r.ContentLength, headerString(cl))
	}
	if r.Header.Get("Authorization") == "" {
		p.fail("%s: no Authorization header", where)
	}
}

func mustQuery(q string) url.Values {
	v, _ := url.ParseQuery(q)
	return v
}

// done fails on any mismatch, and unless every recorded exchange was served or
// explicitly skipped.
func (p *replayer) done() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.problem {
		p.t.Error(m)
	}
	for p.skip[p.next] != "" {
		p.next++
	}
	if p.next != len(p.sc.entries) {
		p.t.Errorf("%s: the client stopped after %d of %d recorded exchanges", p.sc.name, p.next, len(p.sc.entries))
	}
}

func newReplay(t *testing.T, sc scenario, skip map[int]string) (*replayer, *ghclient.Client) {
	t.Helper()
	p := &replayer{t: t, sc: sc, skip: skip}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	p.base = srv.URL
	pol := fastPolicy()
	c, err := ghclient.New(ghclient.Options{Token: testToken, APIURL: srv.URL, Owner: "octokit-fixture-org", Repo: sc.name, Policy: &pol})
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}

// response decodes a recorded answer body, with hosts normalized to the server.
func (p *replayer) response(i int, v any) {
	p.t.Helper()
	if err := json.Unmarshal(p.normalize(p.sc.entries[i].responseBytes()), v); err != nil {
		p.t.Fatalf("recorded answer %d: %v", i, err)
	}
}

// recordedAsset is what a recording says about an asset.
type recordedAsset struct {
	ID                 int64     `json:"id"`
	Name               string    `json:"name"`
	Label              *string   `json:"label"`
	State              string    `json:"state"`
	ContentType        string    `json:"content_type"`
	Size               int64     `json:"size"`
	URL                string    `json:"url"`
	BrowserDownloadURL string    `json:"browser_download_url"`
	CreatedAt          time.Time `json:"created_at"`
}

func sameAsset(t *testing.T, what string, got *publish.Asset, want recordedAsset) {
	t.Helper()
	label := ""
	if want.Label != nil {
		label = *want.Label
	}
	w := publish.Asset{ID: want.ID, Name: want.Name, Label: label, State: want.State, ContentType: want.ContentType, Size: want.Size, URL: want.URL, BrowserDownloadURL: want.BrowserDownloadURL, CreatedAt: want.CreatedAt}
	if got == nil || *got != w {
		t.Fatalf("%s: client decoded %+v, recording says %+v", what, got, w)
	}
}

func uploadRequest(sc scenario, name, label, contentType string) publish.UploadRequest {
	path := filepath.Join(sc.dir, name)
	st, _ := os.Stat(path)
	var size int64
	if st != nil {
		size = st.Size()
	}
	return publish.UploadRequest{Path: path, Name: name, Label: label, ContentType: contentType, Size: size}
}

// getAssetMetadata: the recording reads an asset's metadata with a JSON Accept;
// the client only ever downloads an asset (Accept: application/octet-stream), so
// it is not replayed; it is still validated against the description below.
const getAssetMetadata = "the client has no call that reads an asset's metadata (it downloads with Accept: application/octet-stream)"

// TestReplayReleaseAssets replays GitHub's recorded upload, list, update and
// delete of an asset against the client.
func TestReplayReleaseAssets(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	sc := loadScenario(t, "release-assets")
	p, c := newReplay(t, sc, map[int]string{3: getAssetMetadata})

	type decoded struct {
		ID        int64  `json:"id"`
		TagName   string `json:"tag_name"`
		Name      string `json:"name"`
		Body      string `json:"body"`
		Draft     bool   `json:"draft"`
		UploadURL string `json:"upload_url"`
		HTMLURL   string `json:"html_url"`
	}
	var wantRel decoded
	p.response(0, &wantRel)
	rel, err := c.ReleaseByTag(ctx, "v1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	got := decoded{rel.ID, rel.TagName, rel.Name, rel.Body, rel.Draft, rel.UploadURL, rel.HTMLURL}
	if d := cmp.Diff(wantRel, got); d != "" {
		t.Fatalf("ReleaseByTag decoded differently from the recording (-recording +decoded):\n%s", d)
	}
	if rel.ID != 1000 || !strings.HasPrefix(rel.UploadURL, p.base+"/uploads/") {
		t.Fatalf("release %d, upload_url %s", rel.ID, rel.UploadURL)
	}

	var wantUp recordedAsset
	p.response(1, &wantUp)
	up, err := c.UploadAsset(ctx, rel, uploadRequest(sc, "test-upload.txt", "test", "text/plain"))
	if err != nil {
		t.Fatal(err)
	}
	sameAsset(t, "UploadAsset", up, wantUp)

	var wantList []recordedAsset
	p.response(2, &wantList)
	list, err := c.ListAssets(ctx, rel.ID)
	if err != nil || len(list) != 1 || len(wantList) != 1 {
		t.Fatalf("ListAssets = %d assets (recording %d), %v", len(list), len(wantList), err)
	}
	sameAsset(t, "ListAssets", list[0], wantList[0])

	var wantUpd recordedAsset
	p.response(4, &wantUpd)
	name, label := "new-filename.txt", "new label"
	upd, err := c.UpdateAsset(ctx, up.ID, &name, &label)
	if err != nil {
		t.Fatal(err)
	}
	sameAsset(t, "UpdateAsset", upd, wantUpd)
	if upd.Name != name || upd.Label != label {
		t.Fatalf("UpdateAsset = %+v", upd)
	}

	if err := c.DeleteAsset(ctx, up.ID); err != nil {
		t.Fatal(err)
	}
	p.done()
}

// TestReplayReleaseAssetsConflict replays GitHub's answer to an upload whose
// name is taken (422 already_exists), and the delete-then-upload that follows.
func TestReplayReleaseAssetsConflict(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	sc := loadScenario(t, "release-assets-conflict")
	p, c := newReplay(t, sc, nil)
	// The file uploaded in this scenario is the one of the release-assets one.
	up := uploadRequest(scenario{dir: filepath.Join(filepath.Dir(sc.dir), "release-assets")}, "test-upload.txt", "test", "text/plain")

	rel, err := c.ReleaseByTag(ctx, "v1.0.0")
	if err != nil || rel.ID != 1000 {
		t.Fatalf("ReleaseByTag = %+v, %v", rel, err)
	}
	_, err = c.UploadAsset(ctx, rel, up)
	var apiErr *publish.APIError
	if !publish.IsAlreadyExists(err, "ReleaseAsset") || !errors.As(err, &apiErr) || apiErr.Retryable {
		t.Fatalf("UploadAsset over an existing name = %v; want GitHub's 422 already_exists, not retried", err)
	}
	var wantList []recordedAsset
	p.response(2, &wantList)
	list, err := c.ListAssets(ctx, rel.ID)
	if err != nil || len(list) != 1 || len(wantList) != 1 {
		t.Fatalf("ListAssets = %+v, %v", list, err)
	}
	sameAsset(t, "ListAssets", list[0], wantList[0])
	if err := c.DeleteAsset(ctx, list[0].ID); err != nil {
		t.Fatal(err)
	}
	var wantUp recordedAsset
	p.response(4, &wantUp)
	a, err := c.UploadAsset(ctx, rel, up)
	if err != nil {
		t.Fatal(err)
	}
	sameAsset(t, "UploadAsset", a, wantUp)
	if a.ID != 1001 {
		t.Fatalf("uploaded asset %d, want 1001", a.ID)
	}
	p.done()
}

// TestRecordingsConformToTheDescription runs every recorded exchange, request
// and answer, through the validator, as GitHub sent it (hosts aside).
func TestRecordingsConformToTheDescription(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"release-assets", "release-assets-conflict"} {
		sc := loadScenario(t, name)
		// The recordings are of api.github.com; they are valid GitHub answers for
		// the GHES description too (same schemas), with GHES's URL layout.
		for _, d := range descriptions {
			spec := mustSpec(t, d.name)
			patched := 0
			for i, e := range sc.entries {
				status, hdr, body := e.Status, http.Header{}, e.responseBytes()
				for k, v := range e.Headers {
					hdr.Set(k, headerString(v))
				}
				hdr.Del("Content-Length")
				var op string
				stub := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					_, _ = io.Copy(io.Discard, r.Body)
					out := body
					if route, _, err := spec.Router.FindRoute(stripPrefix(r, d.layout.APIPrefix(), d.layout.UploadPrefix())); err == nil {
						op = route.Operation.OperationID
						var n int
						out, n = withNullDigests(t, op, body)
						patched += n
					}
					for k, vs := range hdr {
						w.Header()[k] = vs
					}
					w.WriteHeader(status)
					_, _ = w.Write(out)
				})
				v := NewValidator(spec, Layout{APIPrefix: d.layout.APIPrefix(), UploadPrefix: d.layout.UploadPrefix()}, stub)
				target := d.layout.APIPrefix() + e.Path
				if e.host() == "uploads.github.com" {
					target = d.layout.UploadPrefix() + e.Path
				}
				reqBody, _ := e.bodyBytes()
				req := httptest.NewRequest(strings.ToUpper(e.Method), target, bytes.NewReader(reqBody))
				for k, hv := range e.ReqHeaders {
					req.Header.Set(k, headerString(hv))
				}
				v.ServeHTTP(httptest.NewRecorder(), req)
				if vs := v.Violations(); len(vs) > 0 {
					t.Errorf("%s exchange %d against %s:\n%s", name, i, d.name, Report(vs))
				}
				if len(v.Operations()) != 1 {
					t.Errorf("%s exchange %d (%s %s) was not validated: %v", name, i, e.Method, e.Path, v.Operations())
				}
			}
			if patched == 0 {
				t.Errorf("%s: no recorded asset lacked digest; %s may be obsolete", name, ExceptionRecordedAssetDigest)
			}
		}
	}
}

// stripPrefix returns a copy of r for routing, without the layout's prefixes.
func stripPrefix(r *http.Request, api, upload string) *http.Request {
	c := r.Clone(r.Context())
	u := *r.URL
	if p, ok := strings.CutPrefix(u.Path, upload+"/"); ok {
		u.Path = "/" + p
	} else {
		u.Path = strings.TrimPrefix(u.Path, api)
	}
	u.RawPath = ""
	c.URL = &u
	return c
}

// withNullDigests applies ExceptionRecordedAssetDigest: every asset object in a
// recorded answer that has no "digest" key gets "digest": null. It returns the
// new body and how many assets it changed, and changes nothing else.
func withNullDigests(t *testing.T, op string, body []byte) ([]byte, int) {
	t.Helper()
	if len(bytes.TrimSpace(body)) == 0 {
		return body, 0
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return body, 0
	}
	n := 0
	fix := func(a any) {
		if m, ok := a.(map[string]any); ok {
			if _, has := m["digest"]; !has {
				m["digest"] = nil
				n++
			}
		}
	}
	fixRelease := func(r any) {
		if m, ok := r.(map[string]any); ok {
			if list, ok := m["assets"].([]any); ok {
				for _, a := range list {
					fix(a)
				}
			}
		}
	}
	switch op {
	case OpUploadAsset, OpGetAsset, "repos/update-release-asset":
		fix(v)
	case "repos/list-release-assets":
		list, _ := v.([]any)
		for _, a := range list {
			fix(a)
		}
	case "repos/list-releases":
		list, _ := v.([]any)
		for _, r := range list {
			fixRelease(r)
		}
	case "repos/get-release", "repos/get-release-by-tag", "repos/get-latest-release", "repos/create-release", "repos/update-release":
		fixRelease(v)
	}
	if n == 0 {
		return body, 0
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return out, n
}
