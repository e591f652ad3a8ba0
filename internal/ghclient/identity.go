package ghclient

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/publish"
)

// The server's word is never taken about identity. Every answer the action acts
// on is checked here against what was asked: the repository, the tag, the
// release's and the asset's id and name. An answer about something else, or one
// that contradicts itself or an earlier answer of this client, is an
// IdentityError, returned before the caller can act on it.

// IdentityError is an answer that names another release, asset or repository
// than the one asked for, or that contradicts itself or an earlier answer.
type IdentityError struct {
	Request string // "GET repos/o/r/releases/tags/v1"
	What    string // "tag_name", "the release's upload_url", ...
	Asked   string // what was asked, or what the answer must say
	Got     string // what came back
}

func (e *IdentityError) Error() string {
	return fmt.Sprintf("%s: the answer's %s is %s, but %s was asked; refusing to act on an answer about something else",
		e.Request, e.What, quoteOr(e.Got), e.Asked)
}

// Permanent tells internal/retry not to try again: asking the same server the
// same question is not how a lie is cured.
func (e *IdentityError) Permanent() bool { return true }

func quoteOr(s string) string {
	if s == "" {
		return "empty"
	}
	return strconv.Quote(s)
}

// wireRelease is a release as the wire carries it: publish.Release and the
// API URL that names it, which only this package checks.
type wireRelease struct {
	publish.Release
	URL string `json:"url"`
	// WireAssets are the assets a release answer carries; a single-release
	// answer hands them on (checked) as Release.Assets.
	WireAssets []*publish.Asset `json:"assets"`
}

// releaseWant is what an answer about one release must say; a zero field is
// not asked.
type releaseWant struct {
	request string
	id      int64
	tag     *string
	draft   *bool
}

// ledger remembers, for every release id answered, its tag and the name its
// assets' download URLs are filed under (the tag once published, GitHub's
// "untagged-…" name while a draft), so that a later answer about the same id
// with another tag, or a listing of another release's assets, is caught.
type ledger struct {
	mu   sync.Mutex
	rels map[int64]mark
}

type mark struct{ tag, web string }

// note records id's tag and web name, or reports the tag an earlier answer
// gave it when that differs. renamed is set when the request asked for the tag.
func (l *ledger) note(id int64, m mark, renamed bool) (before string, contradicts bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rels == nil {
		l.rels = map[int64]mark{}
	}
	old, seen := l.rels[id]
	if seen && old.tag != m.tag && !renamed {
		return old.tag, true
	}
	if m.web == "" {
		m.web = old.web
	}
	l.rels[id] = m
	return "", false
}

// downloads returns the names release id's assets may be filed under, nil
// when no answer told.
func (l *ledger) downloads(id int64) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	m, ok := l.rels[id]
	if !ok {
		return nil
	}
	// A draft another run publishes meanwhile files its assets under the tag.
	out := []string{m.tag}
	if m.web != "" && m.web != m.tag {
		out = append(out, m.web)
	}
	return out
}

// checkRelease checks one release answer against w and against this
// repository, and records its tag.
func (c *Client) checkRelease(r *wireRelease, w releaseWant) error {
	bad := func(what, asked, got string) error {
		return &IdentityError{Request: w.request, What: what, Asked: asked, Got: got}
	}
	switch {
	case r.ID <= 0:
		return bad("id", "a release id", strconv.FormatInt(r.ID, 10))
	case w.id != 0 && r.ID != w.id:
		return bad("id", "release "+strconv.FormatInt(w.id, 10), strconv.FormatInt(r.ID, 10))
	case w.tag != nil && r.TagName != *w.tag:
		return bad("tag_name", "tag "+strconv.Quote(*w.tag), r.TagName)
	case w.draft != nil && r.Draft != *w.draft:
		asked := "a published release"
		if *w.draft {
			asked = "a draft"
		}
		return bad("draft", asked, strconv.FormatBool(r.Draft))
	}
	if err := c.releaseURLs(w.request, &r.Release, r.URL); err != nil {
		return err
	}
	web, _ := c.webTag(r.HTMLURL)
	web = strings.TrimPrefix(web, "tag/")
	if before, contradicts := c.seen.note(r.ID, mark{tag: r.TagName, web: web}, w.tag != nil); contradicts {
		return bad("tag_name", fmt.Sprintf("release %d, which an earlier answer gave the tag %q", r.ID, before), r.TagName)
	}
	return nil
}

// releaseURLs checks that the URLs of release rel name this repository and
// rel's own id (and, once published, its tag). An absent URL is not acted on:
// the client builds its own (uploadTarget).
func (c *Client) releaseURLs(request string, rel *publish.Release, apiURL string) error {
	id := strconv.FormatInt(rel.ID, 10)
	asked := fmt.Sprintf("release %s of %s/%s", id, c.owner, c.repo)
	if apiURL != "" && !c.underPath(apiURL, "releases", id) {
		return &IdentityError{Request: request, What: "url", Asked: asked, Got: apiURL}
	}
	if err := c.uploadURLNames(request, rel); err != nil {
		return err
	}
	if rel.HTMLURL == "" {
		return nil
	}
	tag, ok := c.webTag(rel.HTMLURL)
	switch {
	case !ok:
		return &IdentityError{Request: request, What: "html_url", Asked: asked, Got: rel.HTMLURL}
	case !rel.Draft && !sameWebTag(tag, rel.TagName):
		return &IdentityError{Request: request, What: "html_url", Asked: fmt.Sprintf("the page of the tag %q it says it has", rel.TagName), Got: rel.HTMLURL}
	}
	return nil
}

// uploadURLNames checks that rel's upload_url is this repository's upload
// endpoint for rel itself: <upload host and prefix>/repos/{owner}/{repo}/releases/{id}/assets,
// with GitHub's "{?name,label}" template or none. The origin is checked apart
// (OriginError), where the token is given out.
func (c *Client) uploadURLNames(request string, rel *publish.Release) error {
	if rel.UploadURL == "" {
		return nil
	}
	base, tmpl, _ := strings.Cut(rel.UploadURL, "{")
	if u, err := url.Parse(base); err == nil && u.Host != "" && !c.trusted[origin(u)] {
		return nil // never used: uploadTarget refuses it with an OriginError
	}
	if (tmpl == "" || tmpl == "?name,label}") && c.underPath(base, "releases", strconv.FormatInt(rel.ID, 10), "assets") {
		return nil
	}
	return &IdentityError{Request: request, What: "upload_url",
		Asked: fmt.Sprintf("the upload endpoint of release %d of %s/%s", rel.ID, c.owner, c.repo), Got: rel.UploadURL}
}

// checkUploadTarget is the last look before bytes leave: the upload_url the
// files are sent to must be this repository's endpoint for the release they
// are meant for.
func (c *Client) checkUploadTarget(rel *publish.Release, u publish.UploadRequest) error {
	return c.uploadURLNames(fmt.Sprintf("upload %s to release %d", u.Name, rel.ID), rel)
}

// underPath reports whether raw, once parsed, is <prefix>/repos/{owner}/{repo}/<rest...>
// with owner and repo compared without case, as GitHub does, and no query or
// fragment. The prefix is the host's layout ("", "/api/v3", "/uploads",
// "/api/uploads", or a proxy's own): it does not say which release is meant, so
// any plain one is taken, but none that could climb out of it ("." or ".."
// segments, an escaped "/") or name a repository of its own. Where the URL points is checked apart, by origin.
func (c *Client) underPath(raw string, rest ...string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return false
	}
	var segs []string
	for _, e := range strings.Split(strings.TrimPrefix(u.EscapedPath(), "/"), "/") {
		s, err := url.PathUnescape(e)
		if err != nil || s == "" || s == "." || s == ".." || strings.Contains(s, "/") {
			return false
		}
		segs = append(segs, s)
	}
	want := append([]string{"repos", c.owner, c.repo}, rest...)
	if len(segs) < len(want) {
		return false
	}
	prefix := segs[:len(segs)-len(want)]
	if slices.Contains(prefix, "repos") {
		return false // another repository's path, followed by ours
	}
	segs = segs[len(prefix):]
	for i := range want {
		same := segs[i] == want[i]
		if i == 1 || i == 2 {
			same = strings.EqualFold(segs[i], want[i])
		}
		if !same {
			return false
		}
	}
	return true
}

// webTag reads the release page URL <web>/{owner}/{repo}/releases/[tag/]<tag>
// and returns what follows "releases/", unescaped. ok is false when the page is
// not one of this repository's releases.
func (c *Client) webTag(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", false
	}
	// Split the path as sent, and unescape once: a tag may hold "/" (escaped
	// or not) and "%".
	segs := strings.Split(strings.TrimPrefix(u.EscapedPath(), "/"), "/")
	for i := 0; i+3 < len(segs); i++ {
		if segs[i+2] == "releases" && strings.EqualFold(segs[i], c.owner) && strings.EqualFold(segs[i+1], c.repo) {
			rest, err := url.PathUnescape(strings.Join(segs[i+3:], "/"))
			return rest, err == nil
		}
	}
	return "", false
}

// sameWebTag reports whether the page path after "releases/" is tag's page:
// "tag/<tag>" as github.com writes it, or "<tag>" as its documentation shows.
func sameWebTag(rest, tag string) bool {
	return rest == "tag/"+tag || rest == tag
}

// checkReleases checks a listing: every entry is a release of this repository
// whose URLs name its own id, and no id is listed twice.
func (c *Client) checkReleases(request string, list []*wireRelease) error {
	seen := map[int64]*wireRelease{}
	for _, r := range list {
		if r == nil {
			return &IdentityError{Request: request, What: "entry", Asked: "a release", Got: "null"}
		}
		if prev := seen[r.ID]; prev != nil {
			return &IdentityError{Request: request, What: "list", Asked: "every release once",
				Got: fmt.Sprintf("release %d twice (tags %q and %q)", r.ID, prev.TagName, r.TagName)}
		}
		seen[r.ID] = r
		if err := c.checkRelease(r, releaseWant{request: request}); err != nil {
			return err
		}
	}
	return nil
}

// assetURL checks that an asset's API url names this repository and its own id.
func (c *Client) assetURL(request string, a *publish.Asset) error {
	id := strconv.FormatInt(a.ID, 10)
	if a.ID <= 0 {
		return &IdentityError{Request: request, What: "asset id", Asked: "an asset id", Got: id}
	}
	if a.URL != "" && !c.underPath(a.URL, "releases", "assets", id) {
		return &IdentityError{Request: request, What: "asset url", Asked: fmt.Sprintf("asset %s of %s/%s", id, c.owner, c.repo), Got: a.URL}
	}
	return nil
}

// checkAssets checks a release's asset listing: every asset names this
// repository and its own id, and no id and no name appears twice (GitHub keeps
// names unique per release).
func (c *Client) checkAssets(request string, releaseID int64, list []*publish.Asset) error {
	filed := c.seen.downloads(releaseID)
	ids := map[int64]*publish.Asset{}
	names := map[string]*publish.Asset{}
	for _, a := range list {
		if a == nil {
			return &IdentityError{Request: request, What: "entry", Asked: "an asset", Got: "null"}
		}
		if prev := ids[a.ID]; prev != nil {
			return &IdentityError{Request: request, What: "list", Asked: "every asset once",
				Got: fmt.Sprintf("asset %d twice (%s)", a.ID, describeTwice(prev, a))}
		}
		if prev := names[a.Name]; prev != nil {
			return &IdentityError{Request: request, What: "list", Asked: "asset names unique on a release",
				Got: fmt.Sprintf("two assets named %q (ids %d and %d)", a.Name, prev.ID, a.ID)}
		}
		ids[a.ID], names[a.Name] = a, a
		if err := c.assetURL(request, a); err != nil {
			return err
		}
		if err := c.filedUnder(request, releaseID, filed, a); err != nil {
			return err
		}
	}
	return nil
}

// filedUnder checks that an asset listed for a release is that release's: its
// browser_download_url is <web>/{owner}/{repo}/releases/download/<name>/<asset>,
// <name> the tag or draft name an earlier answer gave the release. An asset
// has no field naming its release, and this is the one that shows whose it is.
func (c *Client) filedUnder(request string, releaseID int64, filed []string, a *publish.Asset) error {
	if a.BrowserDownloadURL == "" || len(filed) == 0 {
		return nil
	}
	rest, ok := c.webTag(a.BrowserDownloadURL)
	if ok {
		for _, f := range filed {
			if rest == "download/"+f+"/"+a.Name {
				return nil
			}
		}
	}
	return &IdentityError{Request: request, What: "browser_download_url of asset " + strconv.FormatInt(a.ID, 10),
		Asked: fmt.Sprintf("an asset of release %d (filed under %q)", releaseID, strings.Join(filed, `" or "`)), Got: a.BrowserDownloadURL}
}

func describeTwice(a, b *publish.Asset) string {
	if a.Name == b.Name && a.Size == b.Size && a.Digest == b.Digest {
		return fmt.Sprintf("%q, %d bytes", a.Name, a.Size)
	}
	return fmt.Sprintf("once %q, %d bytes, %s; once %q, %d bytes, %s", a.Name, a.Size, quoteOr(a.Digest), b.Name, b.Size, quoteOr(b.Digest))
}

// checkAssetUpdate checks the answer to a rename or relabel of asset id.
func (c *Client) checkAssetUpdate(request string, id int64, name, label *string, a *publish.Asset) error {
	bad := func(what, asked, got string) error {
		return &IdentityError{Request: request, What: what, Asked: asked, Got: got}
	}
	switch {
	case a.ID != id:
		return bad("asset id", "asset "+strconv.FormatInt(id, 10), strconv.FormatInt(a.ID, 10))
	case name != nil && a.Name != assets.GitHubName(*name):
		return bad("name", fmt.Sprintf("the name %q (GitHub stores %q)", *name, assets.GitHubName(*name)), a.Name)
	case label != nil && a.Label != *label:
		return bad("label", fmt.Sprintf("the label %q", *label), a.Label)
	}
	return c.assetURL(request, a)
}

// checkUploaded checks the answer to an upload: the asset is the one sent, by
// the name GitHub stores it under, with as many bytes as were sent, complete.
// It runs before anything is done with the asset's id: an answer about another
// asset must not lead to deleting that one.
func (c *Client) checkUploaded(res *uploadResult, u publish.UploadRequest) error {
	a := res.asset
	request := "upload " + u.Name
	bad := func(what, asked, got string) error {
		return &IdentityError{Request: request, What: what, Asked: asked, Got: got}
	}
	switch want := assets.GitHubName(u.Name); {
	case a.Name != want:
		return bad("name", fmt.Sprintf("the name %q (GitHub stores %q)", u.Name, want), a.Name)
	case a.Size != res.sent:
		return bad("size", fmt.Sprintf("the %d bytes sent", res.sent), strconv.FormatInt(a.Size, 10))
	case a.State != "uploaded":
		return bad("state", `a complete asset (state "uploaded")`, a.State)
	case u.Label != "" && a.Label != u.Label:
		return bad("label", fmt.Sprintf("the label %q", u.Label), a.Label)
	}
	return c.assetURL(request, a)
}
