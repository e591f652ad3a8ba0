package emulator_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
)

func TestAuth(t *testing.T) {
	t.Parallel()
	list := "/repos/" + repo + "/releases"
	tests := []struct {
		name      string
		opts      emulator.Options
		auth      string
		method    string
		path      string
		status    int
		message   string
		wantError bool
	}{
		{name: "missing header", opts: emulator.Options{Token: token}, auth: "", method: "GET", path: list, status: 401, message: "Bad credentials"},
		{name: "wrong token", opts: emulator.Options{Token: token}, auth: "Bearer nope", method: "GET", path: list, status: 401, message: "Bad credentials"},
		{name: "basic scheme", opts: emulator.Options{Token: token}, auth: "Basic " + token, method: "GET", path: list, status: 401, message: "Bad credentials"},
		{name: "empty bearer", opts: emulator.Options{Token: token}, auth: "Bearer ", method: "GET", path: list, status: 401, message: "Bad credentials"},
		{name: "bearer", opts: emulator.Options{Token: token}, auth: "Bearer " + token, method: "GET", path: list, status: 200},
		{name: "token scheme", opts: emulator.Options{Token: token}, auth: "token " + token, method: "GET", path: list, status: 200},
		{name: "any token accepted", opts: emulator.Options{}, auth: "Bearer whatever", method: "GET", path: list, status: 200},
		{name: "any token still needs one", opts: emulator.Options{}, auth: "", method: "GET", path: list, status: 401, message: "Bad credentials"},
		{name: "unknown repo", opts: emulator.Options{Token: token}, auth: "Bearer " + token, method: "GET", path: "/repos/octo/nope/releases", status: 404, message: "Not Found"},
		{name: "repo name is case-insensitive", opts: emulator.Options{Token: token}, auth: "Bearer " + token, method: "GET", path: "/repos/Octo/DEMO/releases", status: 200},
		{name: "read-only token reads", opts: emulator.Options{Token: token, ReadOnlyToken: "RO"}, auth: "Bearer RO", method: "GET", path: list, status: 200},
		{name: "read-only token cannot write", opts: emulator.Options{Token: token, ReadOnlyToken: "RO"}, auth: "Bearer RO", method: "POST", path: list, status: 403, message: "Resource not accessible by integration"},
		{name: "unknown endpoint", opts: emulator.Options{Token: token}, auth: "Bearer " + token, method: "GET", path: "/repos/" + repo + "/releases/1/nope", status: 404, message: "Not Found"},
		{name: "unknown method on a known path", opts: emulator.Options{Token: token}, auth: "Bearer " + token, method: "PUT", path: list, status: 404, message: "Not Found"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, tc.opts)
			r := e.do(tc.method, e.api(tc.path), `{"tag_name":"v1"}`, "Authorization", tc.auth).want(t, tc.status)
			if tc.message != "" {
				if got := decode[ghError](t, r); got.Message != tc.message || got.Status != strconv.Itoa(tc.status) || got.DocumentationURL == "" {
					t.Errorf("body %s, want message %q", r.body, tc.message)
				}
			}
			if r.header.Get("X-RateLimit-Resource") != "core" {
				t.Errorf("missing rate limit headers: %v", r.header)
			}
		})
	}
}

func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	first := e.do("GET", e.api("/repos/"+repo+"/releases"), nil).want(t, 200)
	second := e.do("GET", e.api("/repos/octo/missing/releases"), nil).want(t, 404)
	for name, r := range map[string]resp{"first": first, "second": second} {
		for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Used", "X-RateLimit-Resource"} {
			if r.header.Get(h) == "" {
				t.Errorf("%s answer lacks %s", name, h)
			}
		}
	}
	if first.header.Get("X-RateLimit-Used") != "1" || second.header.Get("X-RateLimit-Used") != "2" ||
		second.header.Get("X-RateLimit-Remaining") != "4998" {
		t.Errorf("used/remaining do not count requests: %v / %v", first.header, second.header)
	}
}

func TestListReleasesPagination(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 1; i <= 5; i++ {
		e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: fmt.Sprintf("v1.0.%d", i), CreatedAt: base.Add(time.Duration(i) * time.Hour), Draft: i == 3})
	}
	link := func(page int) string {
		return fmt.Sprintf("%s?page=%d&per_page=2", e.api("/repos/"+repo+"/releases"), page)
	}
	tests := []struct {
		query string
		tags  []string
		link  string
	}{
		{"per_page=2", []string{"v1.0.5", "v1.0.4"}, fmt.Sprintf(`<%s>; rel="next", <%s>; rel="last"`, link(2), link(3))},
		{"per_page=2&page=2", []string{"v1.0.3", "v1.0.2"}, fmt.Sprintf(`<%s>; rel="prev", <%s>; rel="next", <%s>; rel="last", <%s>; rel="first"`, link(1), link(3), link(3), link(1))},
		{"per_page=2&page=3", []string{"v1.0.1"}, fmt.Sprintf(`<%s>; rel="prev", <%s>; rel="first"`, link(2), link(1))},
		{"per_page=2&page=9", []string{}, fmt.Sprintf(`<%s>; rel="prev", <%s>; rel="first"`, link(3), link(1))},
		{"", []string{"v1.0.5", "v1.0.4", "v1.0.3", "v1.0.2", "v1.0.1"}, ""},
		{"per_page=500", []string{"v1.0.5", "v1.0.4", "v1.0.3", "v1.0.2", "v1.0.1"}, ""},
		{"per_page=abc&page=-1", []string{"v1.0.5", "v1.0.4", "v1.0.3", "v1.0.2", "v1.0.1"}, ""},
	}
	for _, tc := range tests {
		t.Run("query="+tc.query, func(t *testing.T) {
			t.Parallel()
			r := e.do("GET", e.api("/repos/"+repo+"/releases?"+tc.query), nil).want(t, 200)
			rels := decode[[]emulator.Release](t, r)
			tags := []string{}
			for _, rel := range rels {
				tags = append(tags, rel.TagName)
			}
			if strings.Join(tags, ",") != strings.Join(tc.tags, ",") {
				t.Errorf("tags %v, want %v", tags, tc.tags)
			}
			if got := r.header.Get("Link"); got != tc.link {
				t.Errorf("Link\n got %s\nwant %s", got, tc.link)
			}
		})
	}
}

func TestListReleasesPageSizes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	for i := 0; i < 130; i++ {
		e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: fmt.Sprintf("t%d", i), Draft: true})
	}
	tests := []struct {
		query string
		n     int
		last  string
	}{
		{"", 30, "page=5&per_page=30"},
		{"per_page=100", 100, "page=2&per_page=100"},
		{"per_page=1000", 100, "page=2&per_page=100"},
	}
	for _, tc := range tests {
		t.Run("query="+tc.query, func(t *testing.T) {
			t.Parallel()
			r := e.do("GET", e.api("/repos/"+repo+"/releases?"+tc.query), nil).want(t, 200)
			if n := len(decode[[]json.RawMessage](t, r)); n != tc.n {
				t.Errorf("%d releases, want %d", n, tc.n)
			}
			if !strings.Contains(r.header.Get("Link"), tc.last+`>; rel="last"`) {
				t.Errorf("Link %s lacks %s", r.header.Get("Link"), tc.last)
			}
		})
	}
}

func TestListReleasesOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	same := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	a := e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: "a", CreatedAt: same})
	b := e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: "b", CreatedAt: same, Draft: true})
	c := e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: "c", CreatedAt: same.Add(-time.Hour)})
	d := e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: "d", CreatedAt: same.Add(time.Hour), Draft: true})
	rels := decode[[]emulator.Release](t, e.do("GET", e.api("/repos/"+repo+"/releases"), nil).want(t, 200))
	var got []int64
	for _, r := range rels {
		got = append(got, r.ID)
	}
	want := []int64{d.ID, b.ID, a.ID, c.ID}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("order %v, want %v (newest first, ties by id desc, drafts included)", got, want)
	}
	if inspect := e.emu.Releases(repo); len(inspect) != 4 || inspect[0].ID != d.ID {
		t.Errorf("Releases() = %v", inspect)
	}
}

func TestGetRelease(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	pub := e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: "v1"})
	draft := e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: "v2", Draft: true})
	slash := e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: "release/v3"})
	tests := []struct {
		name   string
		path   string
		status int
		id     int64
	}{
		{"by tag published", "/releases/tags/v1", 200, pub.ID},
		{"by tag draft is hidden", "/releases/tags/v2", 404, 0},
		{"by tag unknown", "/releases/tags/v9", 404, 0},
		{"by tag with escaped slash", "/releases/tags/release%2Fv3", 200, slash.ID},
		{"by tag with raw slash", "/releases/tags/release/v3", 200, slash.ID},
		{"by id published", "/releases/" + itoa(pub.ID), 200, pub.ID},
		{"by id draft", "/releases/" + itoa(draft.ID), 200, draft.ID},
		{"by id unknown", "/releases/999999", 404, 0},
		{"by id not a number", "/releases/abc", 404, 0},
		{"latest", "/releases/latest", 200, slash.ID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := e.do("GET", e.api("/repos/"+repo+tc.path), nil).want(t, tc.status)
			if tc.status == 200 {
				if got := decode[emulator.Release](t, r); got.ID != tc.id {
					t.Errorf("id %d, want %d", got.ID, tc.id)
				}
			} else if decode[ghError](t, r).Message != "Not Found" {
				t.Errorf("body %s", r.body)
			}
		})
	}
}

func TestHeadRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	rel := e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: "v1"})
	e.emu.SeedAsset(repo, rel.ID, "a.txt", "", "", []byte("abc"))
	tests := []struct {
		name, url string
		status    int
	}{
		{"release", e.api("/repos/" + repo + "/releases/" + itoa(rel.ID)), 200},
		{"list", e.api("/repos/" + repo + "/releases"), 200},
		{"browser download", e.srv.URL + "/" + repo + "/releases/download/v1/a.txt", 200},
		{"missing", e.api("/repos/" + repo + "/releases/999"), 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if r := e.do("HEAD", tc.url, nil).want(t, tc.status); len(r.body) != 0 {
				t.Errorf("HEAD answered a body: %q", r.body)
			}
		})
	}
}

func TestLatestMissing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: "v1", Draft: true})
	e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: "v2", Prerelease: true})
	e.do("GET", e.api("/repos/"+repo+"/releases/latest"), nil).want(t, 404)
	if _, ok := e.emu.Latest(repo); ok {
		t.Error("Latest() found a release although only a draft and a prerelease exist")
	}
}

func TestReleaseJSONShape(t *testing.T) {
	t.Parallel()
	for _, layout := range []emulator.Layout{emulator.DotCom, emulator.GHES} {
		t.Run(fmt.Sprint("layout=", layout), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, emulator.Options{Token: token, Layout: layout})
			host := strings.TrimPrefix(e.srv.URL, "http://")
			api := e.srv.URL + layout.APIPrefix()
			up := e.srv.URL + layout.UploadPrefix()
			draft := e.create(map[string]any{"tag_name": "v1.0.0", "draft": true})
			e.uploadBytes(draft.ID, "a.txt", []byte("hi")).want(t, 201)

			r := e.do("GET", e.api("/repos/"+repo+"/releases/"+itoa(draft.ID)), nil).want(t, 200)
			var raw map[string]any
			if err := json.Unmarshal(r.body, &raw); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"url", "html_url", "assets_url", "upload_url", "tarball_url", "zipball_url", "id", "node_id",
				"tag_name", "target_commitish", "name", "body", "draft", "prerelease", "immutable", "created_at", "published_at", "author", "assets"} {
				if _, ok := raw[k]; !ok {
					t.Errorf("release JSON lacks %q", k)
				}
			}
			if raw["published_at"] != nil {
				t.Errorf("draft published_at = %v, want null", raw["published_at"])
			}
			id := itoa(draft.ID)
			checks := map[string]string{
				"url":         api + "/repos/" + repo + "/releases/" + id,
				"assets_url":  api + "/repos/" + repo + "/releases/" + id + "/assets",
				"upload_url":  up + "/repos/" + repo + "/releases/" + id + "/assets{?name,label}",
				"tarball_url": api + "/repos/" + repo + "/tarball/v1.0.0",
				"zipball_url": api + "/repos/" + repo + "/zipball/v1.0.0",
			}
			for k, want := range checks {
				if raw[k] != want {
					t.Errorf("%s = %v, want %s", k, raw[k], want)
				}
			}
			html, _ := raw["html_url"].(string)
			if !strings.HasPrefix(html, "http://"+host+"/"+repo+"/releases/tag/untagged-") {
				t.Errorf("draft html_url = %s, want .../releases/tag/untagged-<hex>", html)
			}
			author, _ := raw["author"].(map[string]any)
			if author["login"] == "" || author["type"] == nil || author["node_id"] == nil {
				t.Errorf("author is not a simple-user: %v", author)
			}
			assetList, _ := raw["assets"].([]any)
			if len(assetList) != 1 {
				t.Fatalf("assets = %v", raw["assets"])
			}
			asset, _ := assetList[0].(map[string]any)
			for _, k := range []string{"url", "browser_download_url", "id", "node_id", "name", "label", "state", "content_type",
				"size", "digest", "download_count", "created_at", "updated_at", "uploader"} {
				if _, ok := asset[k]; !ok {
					t.Errorf("asset JSON lacks %q", k)
				}
			}
			if asset["label"] != nil {
				t.Errorf("empty label = %v, want null", asset["label"])
			}
			sum := sha256.Sum256([]byte("hi"))
			if asset["digest"] != "sha256:"+hex.EncodeToString(sum[:]) {
				t.Errorf("digest = %v", asset["digest"])
			}

			pub := decode[emulator.Release](t, e.do("PATCH", e.api("/repos/"+repo+"/releases/"+id), map[string]any{"draft": false}).want(t, 200))
			if pub.HTMLURL != "http://"+host+"/"+repo+"/releases/tag/v1.0.0" || pub.PublishedAt.IsZero() {
				t.Errorf("published release html_url %s published_at %v", pub.HTMLURL, pub.PublishedAt)
			}
			if want := "http://" + host + "/" + repo + "/releases/download/v1.0.0/a.txt"; pub.Assets[0].BrowserDownloadURL != want {
				t.Errorf("browser_download_url %s, want %s", pub.Assets[0].BrowserDownloadURL, want)
			}
		})
	}
}

func TestGHESLayoutPrefixes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token, Layout: emulator.GHES})
	rel := e.create(map[string]any{"tag_name": "v1"})
	tests := []struct {
		name   string
		method string
		url    string
		status int
	}{
		{"api under /api/v3", "GET", e.srv.URL + "/api/v3/repos/" + repo + "/releases", 200},
		{"api at root is absent", "GET", e.srv.URL + "/repos/" + repo + "/releases", 404},
		{"uploads under /api/uploads", "POST", e.srv.URL + "/api/uploads/repos/" + repo + "/releases/" + itoa(rel.ID) + "/assets?name=x.bin", 201},
		{"uploads not on the api prefix", "POST", e.srv.URL + "/api/v3/repos/" + repo + "/releases/" + itoa(rel.ID) + "/assets?name=y.bin", 404},
		{"dotcom upload prefix is absent", "POST", e.srv.URL + "/uploads/repos/" + repo + "/releases/" + itoa(rel.ID) + "/assets?name=z.bin", 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.do(tc.method, tc.url, []byte("data"), "Content-Type", "text/plain").want(t, tc.status)
		})
	}
}

func TestCreateReleaseValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		body   string
		status int
		field  string
	}{
		{"missing tag_name", `{"name":"x"}`, 422, "tag_name"},
		{"empty tag_name", `{"tag_name":""}`, 422, "tag_name"},
		{"tag_name not a string", `{"tag_name":1}`, 422, "tag_name"},
		{"name not a string", `{"tag_name":"v1","name":5}`, 422, "name"},
		{"body not a string", `{"tag_name":"v1","body":true}`, 422, "body"},
		{"target_commitish not a string", `{"tag_name":"v1","target_commitish":[]}`, 422, "target_commitish"},
		{"discussion_category_name not a string", `{"tag_name":"v1","discussion_category_name":{}}`, 422, "discussion_category_name"},
		{"draft as string", `{"tag_name":"v1","draft":"true"}`, 422, "draft"},
		{"prerelease as number", `{"tag_name":"v1","prerelease":0}`, 422, "prerelease"},
		{"generate_release_notes as string", `{"tag_name":"v1","generate_release_notes":"yes"}`, 422, "generate_release_notes"},
		{"make_latest as boolean", `{"tag_name":"v1","make_latest":true}`, 422, "make_latest"},
		{"make_latest unknown value", `{"tag_name":"v1","make_latest":"maybe"}`, 422, "make_latest"},
		{"malformed JSON", `{"tag_name":`, 400, ""},
		{"JSON array", `["v1"]`, 400, ""},
		{"make_latest string true", `{"tag_name":"v1","make_latest":"true"}`, 201, ""},
		{"make_latest legacy", `{"tag_name":"v1","make_latest":"legacy"}`, 201, ""},
		{"nulls are absent", `{"tag_name":"v1","name":null,"draft":null}`, 201, ""},
		{"unknown fields ignored", `{"tag_name":"v1","whatever":1}`, 201, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, emulator.Options{Token: token})
			r := e.do("POST", e.api("/repos/"+repo+"/releases"), tc.body).want(t, tc.status)
			switch {
			case tc.status == 400:
				if decode[ghError](t, r).Message != "Problems parsing JSON" {
					t.Errorf("body %s", r.body)
				}
			case tc.field != "":
				got := decode[ghError](t, r)
				if len(got.Errors) != 1 || got.Errors[0].Field != tc.field || got.Status != "422" {
					t.Errorf("body %s, want an error on %s", r.body, tc.field)
				}
				if n := len(e.emu.Releases(repo)); n != 0 {
					t.Errorf("a refused create stored %d releases", n)
				}
			default:
				if n := len(e.emu.Releases(repo)); n != 1 {
					t.Errorf("%d releases stored, want 1", n)
				}
			}
		})
	}
}

func TestCreateReleaseTagConflicts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	d1 := e.create(map[string]any{"tag_name": "v1", "draft": true})
	d2 := e.create(map[string]any{"tag_name": "v1", "draft": true})
	if d1.ID == d2.ID || !d1.Draft || !d2.Draft {
		t.Fatalf("two drafts for one tag: %+v %+v", d1, d2)
	}
	if tags := e.emu.Tags(repo); len(tags) != 0 {
		t.Errorf("a draft created tags %v", tags)
	}
	feature := emulator.CommitSHA("feature 1")
	e.emu.Git().SeedCommit(repo, feature, emulator.InitialCommit(repo))
	e.emu.Git().SetBranchHead(repo, "feature", feature)
	pub := e.create(map[string]any{"tag_name": "v1", "target_commitish": "feature"})
	if pub.Draft || pub.PublishedAt.IsZero() || pub.TargetCommitish != "feature" {
		t.Errorf("published release %+v", pub)
	}
	if tags := e.emu.Tags(repo); fmt.Sprint(tags) != "[v1]" {
		t.Errorf("publishing did not create the tag: %v", tags)
	}
	if c, _ := e.emu.Git().TagCommit(repo, "v1"); c != feature {
		t.Errorf("the tag is on %s, want the head of feature %s", c, feature)
	}
	wantAlreadyExists(t, e.do("POST", e.api("/repos/"+repo+"/releases"), map[string]any{"tag_name": "v1"}), "Release", "tag_name")
	// A draft never conflicts, even with a published release.
	e.create(map[string]any{"tag_name": "v1", "draft": true})
	// Publishing a draft for the taken tag conflicts.
	wantAlreadyExists(t, e.do("PATCH", e.api("/repos/"+repo+"/releases/"+itoa(d1.ID)), map[string]any{"draft": false}), "Release", "tag_name")
	if n := len(e.emu.Releases(repo)); n != 4 {
		t.Errorf("%d releases, want 4", n)
	}
}

func TestCreateReleaseDefaults(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	e.emu.AddTag(repo, "v0")
	rel := e.create(map[string]any{"tag_name": "v0"})
	if rel.Name != "" || rel.Body != "" || rel.TargetCommitish != "main" || rel.Prerelease || rel.Immutable {
		t.Errorf("defaults: %+v", rel)
	}
	if rel.Author.Login == "" || rel.NodeID == "" || rel.CreatedAt.IsZero() {
		t.Errorf("missing author/node_id/created_at: %+v", rel)
	}
}

func TestCreateReleaseGeneratesNotes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token, Now: newClock().Now})
	e.create(map[string]any{"tag_name": "v1"})
	web := e.srv.URL + "/" + repo
	tests := []struct {
		name     string
		fields   map[string]any
		wantName string
		wantBody string
	}{
		{"body first then notes", map[string]any{"tag_name": "v2", "draft": true, "body": "Intro", "generate_release_notes": true},
			"v2", "Intro\n\n## What's Changed\n* Example change by @octocat in " + web + "/pull/1\n\n**Full Changelog**: " + web + "/compare/v1...v2"},
		{"name kept", map[string]any{"tag_name": "v3", "draft": true, "name": "Three", "generate_release_notes": true},
			"Three", "## What's Changed\n* Example change by @octocat in " + web + "/pull/1\n\n**Full Changelog**: " + web + "/compare/v1...v3"},
		{"no notes unless asked", map[string]any{"tag_name": "v4", "draft": true, "body": "Only", "generate_release_notes": false},
			"", "Only"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rel := e.create(tc.fields)
			if rel.Name != tc.wantName || rel.Body != tc.wantBody {
				t.Errorf("name %q body %q\nwant name %q body %q", rel.Name, rel.Body, tc.wantName, tc.wantBody)
			}
		})
	}
}

func TestUpdateRelease(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	rel := e.create(map[string]any{"tag_name": "v1", "name": "One", "body": "B", "draft": true, "prerelease": true})
	path := e.api("/repos/" + repo + "/releases/" + itoa(rel.ID))

	got := decode[emulator.Release](t, e.do("PATCH", path, map[string]any{"body": "B2"}).want(t, 200))
	if got.Name != "One" || got.Body != "B2" || !got.Draft || !got.Prerelease || got.TagName != "v1" {
		t.Errorf("absent fields changed: %+v", got)
	}
	got = decode[emulator.Release](t, e.do("PATCH", path, map[string]any{"name": ""}).want(t, 200))
	if got.Name != "" {
		t.Errorf("name not cleared: %q", got.Name)
	}
	for _, body := range []string{`{"draft":"false"}`, `{"make_latest":false}`, `{"tag_name":7}`, `{"prerelease":"no"}`} {
		e.do("PATCH", path, body).want(t, 422)
	}
	e.do("PATCH", path, `{`).want(t, 400)
	e.do("PATCH", path, `{"tag_name":""}`).want(t, 422)
	e.do("PATCH", e.api("/repos/"+repo+"/releases/99999"), `{}`).want(t, 404)

	got = decode[emulator.Release](t, e.do("PATCH", path, map[string]any{"draft": false, "prerelease": false, "tag_name": "v1.1"}).want(t, 200))
	if got.Draft || got.PublishedAt.IsZero() || got.TagName != "v1.1" {
		t.Errorf("publish with new tag: %+v", got)
	}
	if l, ok := e.emu.Latest(repo); !ok || l.ID != rel.ID {
		t.Errorf("published release is not latest: %+v", l)
	}
	other := e.create(map[string]any{"tag_name": "v2", "make_latest": "false"})
	wantAlreadyExists(t, e.do("PATCH", e.api("/repos/"+repo+"/releases/"+itoa(other.ID)), map[string]any{"tag_name": "v1.1"}), "Release", "tag_name")
	// Going back to draft is allowed in an ordinary repository.
	got = decode[emulator.Release](t, e.do("PATCH", path, map[string]any{"draft": true}).want(t, 200))
	if !got.Draft || !got.PublishedAt.IsZero() {
		t.Errorf("unpublish: %+v", got)
	}
	if l, ok := e.emu.Latest(repo); !ok || l.ID != other.ID {
		t.Errorf("latest after unpublishing = %+v, want %d", l, other.ID)
	}
}

func TestMakeLatest(t *testing.T) {
	t.Parallel()
	type step struct {
		tag, makeLatest string
		draft, pre      bool
	}
	tests := []struct {
		name   string
		steps  []step
		latest string // "" = none
	}{
		{"published becomes latest", []step{{tag: "v1"}, {tag: "v2"}}, "v2"},
		{"false leaves latest alone", []step{{tag: "v1"}, {tag: "v2", makeLatest: "false"}}, "v1"},
		{"explicit true", []step{{tag: "v1"}, {tag: "v2", makeLatest: "true"}}, "v2"},
		{"draft never latest", []step{{tag: "v1"}, {tag: "v2", draft: true, makeLatest: "true"}}, "v1"},
		{"prerelease never latest", []step{{tag: "v1"}, {tag: "v2", pre: true, makeLatest: "true"}}, "v1"},
		{"legacy picks newest", []step{{tag: "v1"}, {tag: "v2", makeLatest: "false"}, {tag: "v3", pre: true, makeLatest: "legacy"}}, "v2"},
		{"only drafts and prereleases", []step{{tag: "v1", draft: true}, {tag: "v2", pre: true}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, emulator.Options{Token: token, Now: newClock().Now})
			for _, s := range tc.steps {
				f := map[string]any{"tag_name": s.tag, "draft": s.draft, "prerelease": s.pre}
				if s.makeLatest != "" {
					f["make_latest"] = s.makeLatest
				}
				e.create(f)
			}
			r := e.do("GET", e.api("/repos/"+repo+"/releases/latest"), nil)
			if tc.latest == "" {
				r.want(t, 404)
				return
			}
			if got := decode[emulator.Release](t, r.want(t, 200)); got.TagName != tc.latest {
				t.Errorf("latest %s, want %s", got.TagName, tc.latest)
			}
		})
	}
}

func TestMakeLatestOnUpdate(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token, Now: newClock().Now})
	v1 := e.create(map[string]any{"tag_name": "v1"})
	v2 := e.create(map[string]any{"tag_name": "v2"})
	latest := func() string {
		return decode[emulator.Release](t, e.do("GET", e.api("/repos/"+repo+"/releases/latest"), nil).want(t, 200)).TagName
	}
	patch := func(id int64, f map[string]any) {
		e.do("PATCH", e.api("/repos/"+repo+"/releases/"+itoa(id)), f).want(t, 200)
	}
	patch(v1.ID, map[string]any{"body": "edit"})
	if got := latest(); got != "v2" {
		t.Errorf("editing an old release moved latest to %s", got)
	}
	patch(v1.ID, map[string]any{"make_latest": "true"})
	if got := latest(); got != "v1" {
		t.Errorf("make_latest true: latest %s", got)
	}
	patch(v1.ID, map[string]any{"make_latest": "legacy"})
	if got := latest(); got != "v2" {
		t.Errorf("make_latest legacy: latest %s", got)
	}
	patch(v2.ID, map[string]any{"prerelease": true})
	if got := latest(); got != "v1" {
		t.Errorf("latest turned prerelease: latest %s", got)
	}
	draft := e.create(map[string]any{"tag_name": "v3", "draft": true})
	patch(draft.ID, map[string]any{"draft": false, "make_latest": "false"})
	if got := latest(); got != "v1" {
		t.Errorf("publishing with make_latest false: latest %s", got)
	}
	patch(draft.ID, map[string]any{"prerelease": false})
	e.do("DELETE", e.api("/repos/"+repo+"/releases/"+itoa(v1.ID)), nil).want(t, 204)
	if got := latest(); got != "v3" {
		t.Errorf("after deleting the latest: latest %s, want v3", got)
	}
}

func TestLegacyLatestUsesSemverOnTies(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	at := time.Date(2025, 5, 5, 5, 5, 5, 0, time.UTC)
	for _, tag := range []string{"v1.10.0", "v1.9.0", "v1.10.0-rc.1"} {
		e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: tag, CreatedAt: at, MakeLatest: "legacy"})
	}
	if l, ok := e.emu.Latest(repo); !ok || l.TagName != "v1.10.0" {
		t.Errorf("legacy latest %q, want v1.10.0", l.TagName)
	}
}

func TestDeleteRelease(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	rel := e.create(map[string]any{"tag_name": "v1"})
	a := decode[emulator.Asset](t, e.uploadBytes(rel.ID, "a.bin", []byte("x")).want(t, 201))
	e.do("DELETE", e.api("/repos/"+repo+"/releases/"+itoa(rel.ID)), nil).want(t, 204)
	e.do("GET", e.api("/repos/"+repo+"/releases/"+itoa(rel.ID)), nil).want(t, 404)
	e.do("GET", e.api("/repos/"+repo+"/releases/assets/"+itoa(a.ID)), nil).want(t, 404)
	e.do("DELETE", e.api("/repos/"+repo+"/releases/"+itoa(rel.ID)), nil).want(t, 404)
	if _, ok := e.emu.AssetContent(repo, a.ID); ok {
		t.Error("asset content survived its release")
	}
	if tags := e.emu.Tags(repo); fmt.Sprint(tags) != "[v1]" {
		t.Errorf("deleting a release must keep its git tag: %v", tags)
	}
	// The tag is free again in an ordinary repository.
	e.create(map[string]any{"tag_name": "v1"})
}

func TestGenerateNotes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token, Now: newClock().Now})
	web := e.srv.URL + "/" + repo
	notes := func(full string) string {
		return "## What's Changed\n* Example change by @octocat in " + web + "/pull/1\n\n**Full Changelog**: " + full
	}
	e.create(map[string]any{"tag_name": "v1"})
	e.create(map[string]any{"tag_name": "v2"})
	e.create(map[string]any{"tag_name": "v9", "draft": true})
	tests := []struct {
		name   string
		body   string
		status int
		want   string
	}{
		{"explicit previous tag", `{"tag_name":"v3","previous_tag_name":"v1","configuration_file_path":".github/release.yml"}`, 200, notes(web + "/compare/v1...v3")},
		{"newest other published tag", `{"tag_name":"v3","target_commitish":"main"}`, 200, notes(web + "/compare/v2...v3")},
		{"skips its own tag", `{"tag_name":"v2"}`, 200, notes(web + "/compare/v1...v2")},
		{"missing tag_name", `{}`, 422, ""},
		{"previous_tag_name not a string", `{"tag_name":"v3","previous_tag_name":1}`, 422, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("POST", e.api("/repos/"+repo+"/releases/generate-notes"), tc.body).want(t, tc.status)
			if tc.status != 200 {
				return
			}
			got := decode[map[string]string](t, r)
			if got["name"] == "" || got["body"] != tc.want {
				t.Errorf("got %q\nwant %q", got["body"], tc.want)
			}
		})
	}
	if n := len(e.emu.Releases(repo)); n != 3 {
		t.Errorf("generate-notes saved something: %d releases", n)
	}

	fresh := newEnv(t, emulator.Options{Token: token})
	got := decode[map[string]string](t, fresh.do("POST", fresh.api("/repos/"+repo+"/releases/generate-notes"), `{"tag_name":"v1"}`).want(t, 200))
	if want := "**Full Changelog**: " + fresh.srv.URL + "/" + repo + "/commits/v1"; !strings.HasSuffix(got["body"], want) || got["name"] != "v1" {
		t.Errorf("first release notes %q, want suffix %q", got["body"], want)
	}
}

func TestUploadAsset(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	rel := e.create(map[string]any{"tag_name": "v1", "draft": true})
	content := bytes.Repeat([]byte("0123456789"), 1000)
	sum := sha256.Sum256(content)

	r := e.do("POST", e.upload(rel.ID, "name="+url.QueryEscape("my app (linux).tar.gz")+"&label="+url.QueryEscape("Linux build ✓")),
		content, "Content-Type", "application/gzip").want(t, 201)
	a := decode[emulator.Asset](t, r)
	if a.Name != "my.app.linux.tar.gz" || a.Label != "Linux build ✓" || a.State != "uploaded" || a.Size != int64(len(content)) ||
		a.ContentType != "application/gzip" || a.Digest != "sha256:"+hex.EncodeToString(sum[:]) || a.Uploader.Login == "" {
		t.Errorf("uploaded asset %+v", a)
	}
	if got, ok := e.emu.AssetContent(repo, a.ID); !ok || !bytes.Equal(got, content) {
		t.Errorf("stored content differs (ok=%v)", ok)
	}
	if log := e.emu.Requests(); log[len(log)-1].Route != "upload_asset" || log[len(log)-1].BytesIn != int64(len(content)) {
		t.Errorf("log entry %+v", log[len(log)-1])
	}

	tests := []struct {
		name    string
		query   string
		ctype   string
		status  int
		message string
		exists  bool
	}{
		{"missing name", "label=x", "text/plain", 422, "", false},
		{"missing content type", "name=new.txt", "", 400, "Content-Type header is required", false},
		{"duplicate name", "name=my.app.linux.tar.gz", "text/plain", 422, "", true},
		{"duplicate after renaming", "name=" + url.QueryEscape("my app [linux].tar.gz"), "text/plain", 422, "", true},
		{"any media type", "name=other.weird", "application/x-whatever", 201, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("POST", e.upload(rel.ID, tc.query), []byte("abc"), "Content-Type", tc.ctype).want(t, tc.status)
			switch {
			case tc.exists:
				wantAlreadyExists(t, r, "ReleaseAsset", "name")
			case tc.message != "":
				if decode[ghError](t, r).Message != tc.message {
					t.Errorf("body %s", r.body)
				}
			}
		})
	}
	e.do("POST", e.upload(99999, "name=a"), []byte("abc"), "Content-Type", "text/plain").want(t, 404)
	if n := len(e.emu.Assets(repo, rel.ID)); n != 2 {
		t.Errorf("%d assets, want 2", n)
	}
}

func TestUploadEmptyFile(t *testing.T) {
	t.Parallel()
	// GitHub refuses a 0-byte asset with 422 (github-releases-api.md, "Limits").
	e := newEnv(t, emulator.Options{Token: token})
	rel := e.create(map[string]any{"tag_name": "v1", "draft": true})
	body := string(e.uploadBytes(rel.ID, "empty", nil).want(t, 422).body)
	if !strings.Contains(body, `"field":"size"`) || !strings.Contains(body, "greater than or equal to 1") {
		t.Errorf("answer %s, want GitHub's size error", body)
	}
	if n := len(e.emu.Assets(repo, rel.ID)); n != 0 {
		t.Errorf("%d assets stored after a refused upload", n)
	}
}

// rawRequest writes head and body on a fresh connection, optionally closing it
// right after, and returns the status line the server answered (or "").
func rawRequest(t *testing.T, e *env, head string, body []byte, closeEarly bool) string {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(body); err != nil {
		t.Fatal(err)
	}
	if closeEarly {
		return ""
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		t.Fatalf("reading answer: %v", err)
	}
	return strings.TrimSpace(line)
}

func TestUploadRefusesChunkedBody(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	rel := e.create(map[string]any{"tag_name": "v1", "draft": true})
	head := "POST /uploads/repos/" + repo + "/releases/" + itoa(rel.ID) + "/assets?name=c.bin HTTP/1.1\r\n" +
		"Host: " + strings.TrimPrefix(e.srv.URL, "http://") + "\r\n" +
		"Authorization: Bearer " + token + "\r\n" +
		"Content-Type: application/octet-stream\r\n" +
		"Transfer-Encoding: chunked\r\n\r\n"
	status := rawRequest(t, e, head, []byte("5\r\nhello\r\n0\r\n\r\n"), false)
	if !strings.HasPrefix(status, "HTTP/1.1 400") {
		t.Errorf("chunked upload answered %q, want 400", status)
	}
	if n := len(e.emu.Assets(repo, rel.ID)); n != 0 {
		t.Errorf("a refused chunked upload left %d assets", n)
	}
}

func TestUploadCutShortLeavesStarter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	rel := e.create(map[string]any{"tag_name": "v1", "draft": true})
	head := "POST /uploads/repos/" + repo + "/releases/" + itoa(rel.ID) + "/assets?name=cut.bin HTTP/1.1\r\n" +
		"Host: " + strings.TrimPrefix(e.srv.URL, "http://") + "\r\n" +
		"Authorization: Bearer " + token + "\r\n" +
		"Content-Type: application/octet-stream\r\n" +
		"Content-Length: 1000\r\n\r\n"
	rawRequest(t, e, head, bytes.Repeat([]byte("x"), 100), true)
	waitFor(t, "the upload to finish", func() bool { return e.emu.Counts()["upload_asset"] == 1 })

	list := e.emu.Assets(repo, rel.ID)
	if len(list) != 1 || list[0].Name != "cut.bin" || list[0].State != "starter" || list[0].Size != 0 || list[0].Digest != "" {
		t.Fatalf("assets after a cut upload: %+v", list)
	}
	// The starter blocks the name until it is deleted.
	wantAlreadyExists(t, e.uploadBytes(rel.ID, "cut.bin", []byte("again")), "ReleaseAsset", "name")
	e.do("DELETE", e.api("/repos/"+repo+"/releases/assets/"+itoa(list[0].ID)), nil).want(t, 204)
	e.uploadBytes(rel.ID, "cut.bin", []byte("again")).want(t, 201)
}

func TestUploadLargerThanMaxStoredBytes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token, MaxStoredBytes: 1000})
	rel := e.create(map[string]any{"tag_name": "v1", "draft": true})
	big := bytes.Repeat([]byte("y"), 5000)
	sum := sha256.Sum256(big)
	a := decode[emulator.Asset](t, e.uploadBytes(rel.ID, "big.bin", big).want(t, 201))
	if a.Size != 5000 || a.Digest != "sha256:"+hex.EncodeToString(sum[:]) {
		t.Errorf("big asset %+v", a)
	}
	if _, ok := e.emu.AssetContent(repo, a.ID); ok {
		t.Error("content above MaxStoredBytes was kept")
	}
	// Downloading it fails loudly rather than serving wrong bytes.
	e.do("GET", e.api("/repos/"+repo+"/releases/assets/"+itoa(a.ID)), nil, "Accept", "application/octet-stream").want(t, http.StatusNotImplemented)
	small := decode[emulator.Asset](t, e.uploadBytes(rel.ID, "small.bin", big[:1000]).want(t, 201))
	if got, ok := e.emu.AssetContent(repo, small.ID); !ok || len(got) != 1000 {
		t.Errorf("content at the limit was not kept (ok=%v)", ok)
	}
}

func TestUploadThrottle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token, UploadBytesPerSecond: 100_000})
	rel := e.create(map[string]any{"tag_name": "v1", "draft": true})
	start := time.Now()
	e.uploadBytes(rel.ID, "slow.bin", make([]byte, 50_000)).want(t, 201)
	if took := time.Since(start); took < 400*time.Millisecond || took > 5*time.Second {
		t.Errorf("50 kB at 100 kB/s took %v, want about 0.5s", took)
	}
}

func TestAssetEndpoints(t *testing.T) {
	t.Parallel()
	for _, redirect := range []bool{false, true} {
		t.Run(fmt.Sprint("redirect=", redirect), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, emulator.Options{Token: token, RedirectDownloads: redirect})
			rel := e.create(map[string]any{"tag_name": "v1", "draft": true})
			var ids []int64
			for i := 0; i < 5; i++ {
				ids = append(ids, decode[emulator.Asset](t, e.uploadBytes(rel.ID, fmt.Sprintf("f%d.txt", i), []byte(fmt.Sprint("content ", i))).want(t, 201)).ID)
			}
			assetPath := func(id int64) string { return e.api("/repos/" + repo + "/releases/assets/" + itoa(id)) }

			page := e.do("GET", e.api("/repos/"+repo+"/releases/"+itoa(rel.ID)+"/assets?per_page=2&page=2"), nil).want(t, 200)
			got := decode[[]emulator.Asset](t, page)
			if len(got) != 2 || got[0].ID != ids[2] || got[1].ID != ids[3] {
				t.Errorf("page 2 = %+v, want assets %d and %d (oldest first)", got, ids[2], ids[3])
			}
			if !strings.Contains(page.header.Get("Link"), `rel="next"`) || !strings.Contains(page.header.Get("Link"), `rel="prev"`) {
				t.Errorf("asset Link header %q", page.header.Get("Link"))
			}

			one := decode[emulator.Asset](t, e.do("GET", assetPath(ids[0]), nil).want(t, 200))
			if one.Name != "f0.txt" {
				t.Errorf("get asset %+v", one)
			}

			dl := e.do("GET", assetPath(ids[1]), nil, "Accept", "application/octet-stream")
			if redirect {
				dl.want(t, 302)
				untagged := rel.HTMLURL[strings.LastIndex(rel.HTMLURL, "/")+1:]
				if loc := dl.header.Get("Location"); loc != e.srv.URL+"/"+repo+"/releases/download/"+untagged+"/f1.txt" {
					t.Errorf("Location %s", loc)
				}
				dl = e.do("GET", dl.header.Get("Location"), nil, "Authorization", "")
			}
			if dl.want(t, 200); string(dl.body) != "content 1" {
				t.Errorf("download body %q", dl.body)
			}
			browser := e.do("GET", one.BrowserDownloadURL, nil, "Authorization", "").want(t, 200)
			if string(browser.body) != "content 0" {
				t.Errorf("browser download %q", browser.body)
			}
			if counted := decode[emulator.Asset](t, e.do("GET", assetPath(ids[0]), nil)); counted.DownloadCount != 1 {
				t.Errorf("download_count %d, want 1", counted.DownloadCount)
			}
			e.do("GET", e.srv.URL+"/"+repo+"/releases/download/nope/f0.txt", nil).want(t, 404)

			renamed := decode[emulator.Asset](t, e.do("PATCH", assetPath(ids[0]), map[string]any{"name": "new name!.txt", "label": "L"}).want(t, 200))
			if renamed.Name != "new.name.txt" || renamed.Label != "L" {
				t.Errorf("renamed %+v", renamed)
			}
			relabel := decode[emulator.Asset](t, e.do("PATCH", assetPath(ids[0]), map[string]any{"label": ""}).want(t, 200))
			if relabel.Label != "" || relabel.Name != "new.name.txt" {
				t.Errorf("clearing the label %+v", relabel)
			}
			wantAlreadyExists(t, e.do("PATCH", assetPath(ids[0]), map[string]any{"name": "f1.txt"}), "ReleaseAsset", "name")
			e.do("PATCH", assetPath(ids[0]), `{"name":1}`).want(t, 422)

			e.do("DELETE", assetPath(ids[0]), nil).want(t, 204)
			e.do("GET", assetPath(ids[0]), nil).want(t, 404)
			e.do("DELETE", assetPath(ids[0]), nil).want(t, 404)
			e.do("GET", e.api("/repos/"+repo+"/releases/assets/"+itoa(rel.ID)), nil).want(t, 404)
		})
	}
}

func TestImmutableRepository(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	e.emu.AddRepo(repo, true)
	draft := e.create(map[string]any{"tag_name": "v1", "draft": true})
	if draft.Immutable {
		t.Fatal("a draft is immutable")
	}
	a := decode[emulator.Asset](t, e.uploadBytes(draft.ID, "a.bin", []byte("a")).want(t, 201))
	e.uploadBytes(draft.ID, "b.bin", []byte("b")).want(t, 201)
	e.do("DELETE", e.api("/repos/"+repo+"/releases/assets/"+itoa(a.ID)), nil).want(t, 204)
	relPath := e.api("/repos/" + repo + "/releases/" + itoa(draft.ID))
	pub := decode[emulator.Release](t, e.do("PATCH", relPath, map[string]any{"draft": false}).want(t, 200))
	if !pub.Immutable || len(pub.Assets) != 1 {
		t.Fatalf("published release %+v", pub)
	}
	b := pub.Assets[0]
	assetPath := e.api("/repos/" + repo + "/releases/assets/" + itoa(b.ID))

	tests := []struct {
		name    string
		method  string
		url     string
		body    any
		status  int
		message string
	}{
		{"upload", "POST", e.upload(pub.ID, "name=c.bin"), []byte("c"), 422, "Cannot upload assets to an immutable release"},
		{"delete asset", "DELETE", assetPath, nil, 422, ""},
		{"rename asset", "PATCH", assetPath, map[string]any{"name": "z.bin"}, 422, ""},
		{"change tag", "PATCH", relPath, map[string]any{"tag_name": "v2"}, 422, ""},
		{"back to draft", "PATCH", relPath, map[string]any{"draft": true}, 422, ""},
		{"edit name and body", "PATCH", relPath, map[string]any{"name": "N", "body": "B"}, 200, ""},
		{"same tag is no change", "PATCH", relPath, map[string]any{"tag_name": "v1"}, 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(tc.method, tc.url, tc.body, "Content-Type", "application/octet-stream").want(t, tc.status)
			if tc.message != "" && decode[ghError](t, r).Message != tc.message {
				t.Errorf("body %s", r.body)
			}
		})
	}
	if got := e.emu.Assets(repo, pub.ID); len(got) != 1 || got[0].Name != "b.bin" {
		t.Errorf("immutable assets changed: %+v", got)
	}

	e.do("DELETE", relPath, nil).want(t, 204)
	wantBurned := func(r resp) {
		t.Helper()
		if got := decode[ghError](t, r); len(got.Errors) != 1 || got.Errors[0].Field != "tag_name" || !strings.Contains(got.Errors[0].Message, "immutable") {
			t.Errorf("reusing a burned tag: %s", r.body)
		}
	}
	// Published at once on the burned tag: refused.
	wantBurned(e.do("POST", e.api("/repos/"+repo+"/releases"), map[string]any{"tag_name": "v1"}).want(t, 422))
	// As a draft: accepted, and so are its uploads; only the publish is refused.
	burnt := e.create(map[string]any{"tag_name": "v1", "draft": true})
	e.uploadBytes(burnt.ID, "c.bin", []byte("c")).want(t, 201)
	burntPath := e.api("/repos/" + repo + "/releases/" + itoa(burnt.ID))
	wantBurned(e.do("PATCH", burntPath, map[string]any{"draft": false}).want(t, 422))
	if got := decode[emulator.Release](t, e.do("GET", burntPath, nil).want(t, 200)); !got.Draft {
		t.Errorf("the refused publish left %+v", got)
	}
	// A draft may move to the burned tag, but not be published there.
	other := e.create(map[string]any{"tag_name": "v2", "draft": true})
	otherPath := e.api("/repos/" + repo + "/releases/" + itoa(other.ID))
	e.do("PATCH", otherPath, map[string]any{"tag_name": "v1"}).want(t, 200)
	wantBurned(e.do("PATCH", otherPath, map[string]any{"draft": false}).want(t, 422))
	e.do("PATCH", otherPath, map[string]any{"tag_name": "v3", "draft": false}).want(t, 200)
}

func TestImmutableReleasesSetting(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	e.emu.AddRepo(repo, false)
	path := e.api("/repos/" + repo + "/immutable-releases")
	type setting struct {
		Enabled         *bool `json:"enabled"`
		EnforcedByOwner *bool `json:"enforced_by_owner"`
	}
	for _, on := range []bool{false, true, false} {
		e.emu.AddRepo(repo, on)
		got := decode[setting](t, e.do("GET", path, nil).want(t, 200))
		if got.Enabled == nil || *got.Enabled != on || got.EnforcedByOwner == nil {
			t.Errorf("immutable %v: answer %+v", on, got)
		}
	}
	e.do("GET", e.api("/repos/"+repo+"x/immutable-releases"), nil).want(t, 404)
}

func TestFaults(t *testing.T) {
	t.Parallel()
	list := "/repos/" + repo + "/releases"
	tests := []struct {
		name     string
		faults   []emulator.Fault
		statuses []int // of successive GET list requests
		check    func(t *testing.T, answers []resp)
	}{
		{"status once", []emulator.Fault{{Route: "list_releases", Kind: emulator.FaultStatus, Status: 502}}, []int{502, 200}, nil},
		{"skip then times", []emulator.Fault{{Route: "list_releases", Kind: emulator.FaultStatus, Status: 500, Skip: 1, Times: 2}}, []int{200, 500, 500, 200}, nil},
		{"method filter", []emulator.Fault{{Method: "POST", Kind: emulator.FaultStatus, Status: 500}}, []int{200, 200}, nil},
		{"other route", []emulator.Fault{{Route: "upload_asset", Kind: emulator.FaultStatus, Status: 500}}, []int{200}, nil},
		{"queued in order", []emulator.Fault{
			{Route: "list_releases", Kind: emulator.FaultStatus, Status: 502},
			{Kind: emulator.FaultStatus, Status: 404},
		}, []int{502, 404, 200}, nil},
		{"custom body", []emulator.Fault{{Kind: emulator.FaultStatus, Status: 401, Body: `{"message":"Bad credentials"}`}}, []int{401}, func(t *testing.T, a []resp) {
			if string(a[0].body) != `{"message":"Bad credentials"}` {
				t.Errorf("body %s", a[0].body)
			}
		}},
		{"secondary limit", []emulator.Fault{{Kind: emulator.FaultSecondaryLimit, RetryAfter: 7}}, []int{403, 200}, func(t *testing.T, a []resp) {
			if a[0].header.Get("Retry-After") != "7" || !strings.Contains(decode[ghError](t, a[0]).Message, "secondary rate limit") {
				t.Errorf("secondary limit %v %s", a[0].header, a[0].body)
			}
		}},
		{"secondary limit as 429", []emulator.Fault{{Kind: emulator.FaultSecondaryLimit, Status: 429}}, []int{429}, func(t *testing.T, a []resp) {
			if a[0].header.Get("Retry-After") != "" {
				t.Errorf("Retry-After without RetryAfter: %v", a[0].header)
			}
		}},
		{"primary limit", []emulator.Fault{{Kind: emulator.FaultPrimaryLimit, RetryAfter: 60}}, []int{403, 200}, func(t *testing.T, a []resp) {
			h := a[0].header
			reset, _ := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64)
			if h.Get("X-RateLimit-Remaining") != "0" || reset < time.Now().Unix()+50 ||
				!strings.HasPrefix(decode[ghError](t, a[0]).Message, "API rate limit exceeded for ") {
				t.Errorf("primary limit %v %s", h, a[0].body)
			}
			if a[1].header.Get("X-RateLimit-Remaining") == "0" {
				t.Error("the limit outlived the fault")
			}
		}},
		{"starter outside uploads is a 502", []emulator.Fault{{Kind: emulator.FaultStarter}}, []int{502}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, emulator.Options{Token: token})
			for _, f := range tc.faults {
				e.emu.Inject(f)
			}
			var answers []resp
			for _, want := range tc.statuses {
				answers = append(answers, e.do("GET", e.api(list), nil).want(t, want))
			}
			if tc.check != nil {
				tc.check(t, answers)
			}
			for i, r := range e.emu.Requests() {
				if r.Status != tc.statuses[i] || r.Route != "list_releases" {
					t.Errorf("log[%d] = %+v, want status %d", i, r, tc.statuses[i])
				}
			}
		})
	}
}

func TestFaultUploadStarterAndDrop(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind   emulator.FaultKind
		status int // 0: the connection drops
	}{
		{emulator.FaultStarter, 502},
		{emulator.FaultDrop, 0},
	}
	for _, tc := range tests {
		t.Run(tc.kind.String(), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, emulator.Options{Token: token})
			rel := e.create(map[string]any{"tag_name": "v1", "draft": true})
			e.emu.Inject(emulator.Fault{Route: "upload_asset", Kind: tc.kind})
			body := bytes.Repeat([]byte("z"), 200_000)
			req, err := http.NewRequest("POST", e.upload(rel.ID, "name=f.bin&label=F"), bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/octet-stream")
			res, err := http.DefaultClient.Do(req)
			if tc.status == 0 {
				if err == nil {
					res.Body.Close()
					t.Fatalf("dropped upload answered %d", res.StatusCode)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != tc.status {
					t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
				}
			}
			waitFor(t, "the log entry", func() bool { return e.emu.Counts()["upload_asset"] == 1 })
			log := e.emu.Requests()
			last := log[len(log)-1]
			if last.Status != tc.status || last.BytesIn == 0 || last.BytesIn > int64(len(body)) {
				t.Errorf("log entry %+v", last)
			}
			list := e.emu.Assets(repo, rel.ID)
			if len(list) != 1 || list[0].State != "starter" || list[0].Name != "f.bin" || list[0].Label != "F" || list[0].Size != 0 || list[0].Digest != "" {
				t.Fatalf("assets %+v, want one starter", list)
			}
			wantAlreadyExists(t, e.uploadBytes(rel.ID, "f.bin", []byte("x")), "ReleaseAsset", "name")
			if e.emu.PendingFaults() != 0 {
				t.Error("fault not spent")
			}
		})
	}
}

func TestFaultDropNonUpload(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	e.emu.Inject(emulator.Fault{Route: "create_release", Kind: emulator.FaultDrop})
	req, err := http.NewRequest("POST", e.api("/repos/"+repo+"/releases"), strings.NewReader(`{"tag_name":"v1"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("dropped request answered %d", res.StatusCode)
	}
	if n := len(e.emu.Releases(repo)); n != 0 {
		t.Errorf("a dropped create stored %d releases", n)
	}
	if got := e.emu.Requests(); len(got) != 1 || got[0].Status != 0 || got[0].Route != "create_release" {
		t.Errorf("log %+v", got)
	}
}

func TestRequestLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	rel := e.create(map[string]any{"tag_name": "v1", "draft": true})
	e.uploadBytes(rel.ID, "a", []byte("abc")).want(t, 201)
	e.do("GET", e.api("/repos/"+repo+"/releases?per_page=5"), nil).want(t, 200)
	e.do("GET", e.api("/repos/"+repo+"/releases/tags/v1"), nil).want(t, 404)
	e.do("GET", e.api("/nope"), nil).want(t, 404)

	log := e.emu.Requests()
	want := []emulator.Request{
		{Method: "POST", Route: "create_release", Path: "/repos/octo/demo/releases", Status: 201},
		{Method: "POST", Route: "upload_asset", Path: "/uploads/repos/octo/demo/releases/" + itoa(rel.ID) + "/assets", Query: "name=a", Status: 201, BytesIn: 3},
		{Method: "GET", Route: "list_releases", Path: "/repos/octo/demo/releases", Query: "per_page=5", Status: 200},
		{Method: "GET", Route: "get_release_by_tag", Path: "/repos/octo/demo/releases/tags/v1", Status: 404},
		{Method: "GET", Route: "unknown", Path: "/nope", Status: 404},
	}
	if len(log) != len(want) {
		t.Fatalf("log %+v", log)
	}
	log[0].BytesIn = 0 // JSON length is not the point here
	for i := range want {
		if log[i] != want[i] {
			t.Errorf("log[%d] = %+v\n      want %+v", i, log[i], want[i])
		}
	}
	if c := e.emu.Counts(); c["create_release"] != 1 || c["upload_asset"] != 1 || c["unknown"] != 1 {
		t.Errorf("counts %v", c)
	}
	e.emu.ResetLog()
	if len(e.emu.Requests()) != 0 || len(e.emu.Counts()) != 0 {
		t.Error("ResetLog kept entries")
	}
}

func TestSeedAndInspect(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	rel := e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: "v1", Name: "One"})
	up := e.emu.SeedAsset(repo, rel.ID, "my file.txt", "lbl", "", []byte("hello"))
	st := e.emu.SeedAsset(repo, rel.ID, "broken.bin", "", "starter", []byte("ignored"))
	if up.Name != "my.file.txt" || up.State != "uploaded" || up.Size != 5 || up.Digest == "" {
		t.Errorf("seeded asset %+v", up)
	}
	if st.State != "starter" || st.Size != 0 || st.Digest != "" {
		t.Errorf("seeded starter %+v", st)
	}
	got := decode[emulator.Release](t, e.do("GET", e.api("/repos/"+repo+"/releases/tags/v1"), nil).want(t, 200))
	if got.ID != rel.ID || len(got.Assets) != 2 || got.Assets[0].ID != up.ID {
		t.Errorf("served seed %+v", got)
	}
	// Inspection copies use the host of the last request.
	if list := e.emu.Releases(repo); !strings.HasPrefix(list[0].URL, e.srv.URL) {
		t.Errorf("inspection URL %s", list[0].URL)
	}
	if c, ok := e.emu.AssetContent(repo, up.ID); !ok || string(c) != "hello" {
		t.Errorf("AssetContent %q %v", c, ok)
	}
	if _, ok := e.emu.AssetContent("octo/other", up.ID); ok {
		t.Error("AssetContent crossed repositories")
	}
	if _, ok := e.emu.AssetContent(repo, st.ID); ok {
		t.Error("AssetContent of a starter")
	}
	if e.emu.Releases("octo/none") != nil || e.emu.Assets(repo, 424242) != nil {
		t.Error("inspection of unknown things is not nil")
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	rel := e.create(map[string]any{"tag_name": "v1", "draft": true})
	const n = 24
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			// Every name is uploaded twice at once: exactly one of each pair wins.
			name := fmt.Sprintf("f%d.bin", i/2)
			req, _ := http.NewRequest("POST", e.upload(rel.ID, "name="+name), bytes.NewReader(bytes.Repeat([]byte{byte(i)}, 10_000)))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/octet-stream")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			statuses[i] = res.StatusCode
			lr, err := http.NewRequest("GET", e.api("/repos/"+repo+"/releases"), nil)
			if err != nil {
				t.Error(err)
				return
			}
			lr.Header.Set("Authorization", "Bearer "+token)
			if res, err := http.DefaultClient.Do(lr); err == nil {
				res.Body.Close()
			}
		}(i)
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case 201:
			created++
		case 422:
		default:
			t.Errorf("unexpected status %d", s)
		}
	}
	if created != n/2 || len(e.emu.Assets(repo, rel.ID)) != n/2 {
		t.Errorf("%d uploads won, %d assets; want %d", created, len(e.emu.Assets(repo, rel.ID)), n/2)
	}
}

// TestStandingWriteLimit checks the secondary limit the benchmarks enforce:
// writes beyond Allow in the window are refused with a Retry-After, reads pass,
// and the limit is never spent.
func TestStandingWriteLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	e.emu.Inject(emulator.Fault{Method: emulator.MethodWrite, Kind: emulator.FaultSecondaryLimit, Window: time.Hour, Allow: 2})
	list := e.api("/repos/" + repo + "/releases")
	e.do("POST", list, map[string]any{"tag_name": "v1", "draft": true}).want(t, 201)
	e.do("POST", list, map[string]any{"tag_name": "v2", "draft": true}).want(t, 201)
	e.do("GET", list, nil).want(t, 200)
	for range 2 {
		r := e.do("POST", list, map[string]any{"tag_name": "v3", "draft": true}).want(t, 403)
		ra, err := strconv.Atoi(r.header.Get("Retry-After"))
		if err != nil || ra < 3500 || ra > 3600 || !strings.Contains(decode[ghError](t, r).Message, "secondary rate limit") {
			t.Fatalf("refused write: Retry-After %q, body %s; want about 3600 s and a secondary limit message", r.header.Get("Retry-After"), r.body)
		}
	}
	if n := len(e.emu.Releases(repo)); n != 2 {
		t.Errorf("%d releases, want the 2 let through", n)
	}
	if e.emu.PendingFaults() != 0 {
		t.Error("a standing limit counts as a pending fault")
	}

	fixed := newEnv(t, emulator.Options{Token: token})
	fixed.emu.Inject(emulator.Fault{Method: emulator.MethodWrite, Kind: emulator.FaultSecondaryLimit, Window: time.Hour, Allow: 0, RetryAfter: 1})
	r := fixed.do("DELETE", fixed.api("/repos/"+repo+"/releases/1"), nil).want(t, 403)
	if r.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q, want the fixed 1", r.header.Get("Retry-After"))
	}
}

// TestUploadBeyondMaxAssets: a release that holds 1,000 assets takes no more,
// as on GitHub, and stores nothing for the refused upload.
func TestUploadBeyondMaxAssets(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	rel := e.create(map[string]any{"tag_name": "v1", "draft": true})
	for i := range emulator.MaxAssets - 1 {
		e.emu.SeedAsset(repo, rel.ID, fmt.Sprintf("a%04d.bin", i), "", "uploaded", []byte("x"))
	}
	e.uploadBytes(rel.ID, "last.bin", []byte("x")).want(t, 201)
	body := string(e.uploadBytes(rel.ID, "one-too-many.bin", []byte("x")).want(t, 422).body)
	if !strings.Contains(body, "at most 1000 assets") {
		t.Errorf("answer %s, want the asset-count refusal", body)
	}
	if n := len(e.emu.Assets(repo, rel.ID)); n != emulator.MaxAssets {
		t.Errorf("%d assets stored, want %d", n, emulator.MaxAssets)
	}
}

// TestBodyOverGitHubsLimit: a body of more than 125,000 characters is refused
// on create and on update; one of exactly that many is taken.
func TestBodyOverGitHubsLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	long := strings.Repeat("é", emulator.MaxBodyChars)
	rel := e.create(map[string]any{"tag_name": "v1", "draft": true, "body": long})
	e.do("POST", e.api("/repos/"+repo+"/releases"), map[string]any{"tag_name": "v2", "body": long + "x"}).want(t, 422)
	e.do("PATCH", e.api("/repos/"+repo+"/releases/"+itoa(rel.ID)), map[string]any{"body": long + "x"}).want(t, 422)
	if got := e.emu.Releases(repo); len(got) != 1 || got[0].Body != long {
		t.Errorf("after the refusals: %d releases, body kept: %v", len(got), len(got) == 1 && got[0].Body == long)
	}
}
