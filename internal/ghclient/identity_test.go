package ghclient

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/hostile"
	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/retry"
)

const (
	idRepo    = "octo/demo"
	idForeign = "other/elsewhere"
)

// lying is an emulator with a decoy release (v0, two assets) and a second
// repository's release, behind a lying proxy, and a client for octo/demo.
type lying struct {
	t       *testing.T
	emu     *emulator.Server
	proxy   *hostile.Proxy
	c       *Client
	decoy   emulator.Release
	decoyA  emulator.Asset
	foreign emulator.Release
	writes  func() []string
}

func newLying(t *testing.T, layout emulator.Layout) *lying {
	t.Helper()
	emu := emulator.New(emulator.Options{Layout: layout})
	emu.AddRepo(idRepo, false)
	emu.AddRepo(idForeign, false)
	l := &lying{t: t, emu: emu}
	l.foreign = emu.SeedRelease(idForeign, emulator.SeedRelease{TagName: "v1"})
	emu.SeedAsset(idForeign, l.foreign.ID, "a.txt", "", "", []byte("foreign"))
	l.decoy = emu.SeedRelease(idRepo, emulator.SeedRelease{TagName: "v0"})
	l.decoyA = emu.SeedAsset(idRepo, l.decoy.ID, "a.txt", "", "", []byte("decoy a"))
	emu.SeedAsset(idRepo, l.decoy.ID, "b.txt", "", "", []byte("decoy b"))
	l.proxy = hostile.NewProxy(emu)
	srv := httptest.NewServer(l.proxy)
	t.Cleanup(func() { l.proxy.Close(); srv.Close() })
	p := retry.Default()
	p.BaseDelay, p.MaxDelay = time.Millisecond, time.Millisecond
	c, err := New(Options{Token: "t", APIURL: srv.URL + layout.APIPrefix(), UploadURL: srv.URL + layout.UploadPrefix(),
		Owner: "octo", Repo: "demo", Policy: &p})
	if err != nil {
		t.Fatal(err)
	}
	l.c = c
	l.writes = func() []string {
		var out []string
		for _, r := range emu.Requests() {
			if r.Method != http.MethodGet {
				out = append(out, r.Method+" "+r.Path)
			}
		}
		return out
	}
	return l
}

func (l *lying) lie(rules ...hostile.Rule) { l.proxy.SetRules(rules...) }

func every(rt hostile.Route, m ...hostile.Mutation) hostile.Rule {
	return hostile.Rule{Route: rt, Mutations: m}
}

// wantIdentity fails unless err is a permanent IdentityError whose message
// holds each of words.
func wantIdentity(t *testing.T, err error, words ...string) {
	t.Helper()
	var ie *IdentityError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an IdentityError", err)
	}
	if !ie.Permanent() || !retry.Unreachable(err) {
		t.Fatalf("%v is not permanent", err)
	}
	for _, w := range words {
		if !strings.Contains(err.Error(), w) {
			t.Fatalf("%q does not name %q", err, w)
		}
	}
}

func (l *lying) file(content string) publish.UploadRequest {
	path := filepath.Join(l.t.TempDir(), "app.zip")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		l.t.Fatal(err)
	}
	return publish.UploadRequest{Path: path, Name: "app.zip", Size: int64(len(content)), ContentType: "application/zip"}
}

// TestHonestAnswersPass: every call the action makes, through the proxy with
// no lies, on both layouts and with tags that need escaping: the checks take
// GitHub's true answers.
func TestHonestAnswersPass(t *testing.T) {
	t.Parallel()
	for i, layout := range []emulator.Layout{emulator.DotCom, emulator.GHES, emulator.DotCom} {
		l := newLying(t, layout)
		ctx := t.Context()
		tag := []string{"v1", "release/1.0", "v1.0+build.7"}[i]
		rel, err := l.c.CreateRelease(ctx, publish.ReleaseFields{TagName: &tag, Draft: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.c.GetRelease(ctx, rel.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := l.c.ListReleases(ctx); err != nil {
			t.Fatal(err)
		}
		a, err := l.c.UploadAsset(ctx, rel, l.file("payload"))
		if err != nil {
			t.Fatal(err)
		}
		name, label := "my app.zip", "App"
		if _, err := l.c.UpdateAsset(ctx, a.ID, &name, &label); err != nil {
			t.Fatal(err)
		}
		if _, err := l.c.ListAssets(ctx, rel.ID); err != nil {
			t.Fatal(err)
		}
		pub, err := l.c.UpdateRelease(ctx, rel.ID, publish.ReleaseFields{Draft: ptr(false)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.c.ListAssets(ctx, pub.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := l.c.ReleaseByTag(ctx, tag); err != nil {
			t.Fatal(err)
		}
		if _, err := l.c.LatestRelease(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// TestReleaseByTagIsThatTag: the release answered for a tag must have it
// (before: the other release was returned and acted on).
func TestReleaseByTagIsThatTag(t *testing.T) {
	t.Parallel()
	l := newLying(t, emulator.DotCom)
	l.emu.SeedRelease(idRepo, emulator.SeedRelease{TagName: "v1"})
	l.lie(every(hostile.ByTag, hostile.AskInstead{Old: "/tags/v1", New: "/tags/v0"}))
	_, err := l.c.ReleaseByTag(t.Context(), "v1")
	wantIdentity(t, err, "tag_name", `"v0"`, `"v1"`)
	// A draft is never the answer of get-by-tag.
	l.lie(every(hostile.ByTag, draftLie{}))
	_, err = l.c.ReleaseByTag(t.Context(), "v1")
	wantIdentity(t, err, "draft")
}

// draftLie says a published release is a draft.
type draftLie struct{}

func (draftLie) String() string { return "draft: true" }
func (draftLie) Apply(a *hostile.Answer) string {
	a.Body = []byte(strings.Replace(string(a.Body), `"draft":false`, `"draft":true`, 1))
	return "draft"
}

func TestReleaseAnswersNameWhatWasAsked(t *testing.T) {
	t.Parallel()
	tag := "v1"
	cases := []struct {
		name  string
		rule  func(l *lying) hostile.Rule
		call  func(l *lying) error
		words []string
	}{
		{"get: another release", func(l *lying) hostile.Rule {
			return every(hostile.GetRelease, hostile.AskAbout{ID: l.decoy.ID})
		}, func(l *lying) error {
			rel := l.emu.SeedRelease(idRepo, emulator.SeedRelease{TagName: "v1"})
			_, err := l.c.GetRelease(l.t.Context(), rel.ID)
			return err
		}, []string{"id"}},
		{"get: another id, said consistently", func(l *lying) hostile.Rule {
			return every(hostile.GetRelease, hostile.OtherID{To: l.decoy.ID, Consistent: true})
		}, func(l *lying) error {
			rel := l.emu.SeedRelease(idRepo, emulator.SeedRelease{TagName: "v1"})
			_, err := l.c.GetRelease(l.t.Context(), rel.ID)
			return err
		}, []string{"id"}},
		{"create: another tag", func(l *lying) hostile.Rule {
			return every(hostile.Create, hostile.TagName{To: "v0", Consistent: true})
		}, func(l *lying) error {
			_, err := l.c.CreateRelease(l.t.Context(), publish.ReleaseFields{TagName: &tag, Draft: ptr(true)})
			return err
		}, []string{"tag_name", `"v0"`}},
		{"create: upload_url in another repository", func(l *lying) hostile.Rule {
			return every(hostile.Create, hostile.ForeignRepo{Field: "upload_url", Repo: idForeign, ID: l.foreign.ID})
		}, func(l *lying) error {
			_, err := l.c.CreateRelease(l.t.Context(), publish.ReleaseFields{TagName: &tag, Draft: ptr(true)})
			return err
		}, []string{"upload_url", idForeign}},
		{"create: url in another repository", func(l *lying) hostile.Rule {
			return every(hostile.Create, hostile.ForeignRepo{Field: "url", Repo: idForeign})
		}, func(l *lying) error {
			_, err := l.c.CreateRelease(l.t.Context(), publish.ReleaseFields{TagName: &tag, Draft: ptr(true)})
			return err
		}, []string{"url"}},
		{"update: the tag changed though not asked", func(l *lying) hostile.Rule {
			return every(hostile.Update, hostile.TagName{To: "v0", Consistent: true})
		}, func(l *lying) error {
			rel, err := l.c.CreateRelease(l.t.Context(), publish.ReleaseFields{TagName: &tag, Draft: ptr(true)})
			if err != nil {
				return err
			}
			_, err = l.c.UpdateRelease(l.t.Context(), rel.ID, publish.ReleaseFields{Draft: ptr(false)})
			return err
		}, []string{"tag_name", `"v1"`}},
		{"list: a release twice", func(l *lying) hostile.Rule {
			return every(hostile.ListReleases, hostile.Duplicate{})
		}, func(l *lying) error { _, err := l.c.ListReleases(l.t.Context()); return err }, []string{"twice"}},
		{"list: a release of another repository", func(l *lying) hostile.Rule {
			return every(hostile.ListReleases, hostile.ForeignRepo{Field: "html_url", Repo: idForeign})
		}, func(l *lying) error { _, err := l.c.ListReleases(l.t.Context()); return err }, []string{"html_url"}},
		{"list: a published release whose page is another tag's", func(l *lying) hostile.Rule {
			return every(hostile.ListReleases, hostile.TagName{To: "v1"})
		}, func(l *lying) error { _, err := l.c.ListReleases(l.t.Context()); return err }, []string{"html_url", `"v1"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := newLying(t, emulator.DotCom)
			l.lie(tc.rule(l))
			wantIdentity(t, tc.call(l), tc.words...)
		})
	}
}

func TestAssetAnswersNameWhatWasAsked(t *testing.T) {
	t.Parallel()
	t.Run("a listing of another release's assets", func(t *testing.T) {
		t.Parallel()
		l := newLying(t, emulator.DotCom)
		tag := "v1"
		rel, err := l.c.CreateRelease(t.Context(), publish.ReleaseFields{TagName: &tag, Draft: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		l.lie(every(hostile.ListAssets, hostile.AskAbout{ID: l.decoy.ID}))
		_, err = l.c.ListAssets(t.Context(), rel.ID)
		wantIdentity(t, err, "browser_download_url", "v0/a.txt")
	})
	t.Run("an asset twice, with two sizes", func(t *testing.T) {
		t.Parallel()
		l := newLying(t, emulator.DotCom)
		rel, _ := l.c.GetRelease(t.Context(), l.decoy.ID)
		l.lie(every(hostile.ListAssets, hostile.Duplicate{Drift: 1}))
		_, err := l.c.ListAssets(t.Context(), rel.ID)
		wantIdentity(t, err, "twice", "7 bytes", "8 bytes")
	})
	t.Run("an asset whose url names another id", func(t *testing.T) {
		t.Parallel()
		l := newLying(t, emulator.DotCom)
		l.lie(every(hostile.ListAssets, hostile.OtherID{To: 999}))
		_, err := l.c.ListAssets(t.Context(), l.decoy.ID)
		wantIdentity(t, err, "asset url")
	})
	t.Run("a rename answered with another name", func(t *testing.T) {
		t.Parallel()
		l := newLying(t, emulator.DotCom)
		l.lie(every(hostile.UpdateAsset, renameLie{}))
		name := "my file.txt"
		_, err := l.c.UpdateAsset(t.Context(), l.decoyA.ID, &name, nil)
		wantIdentity(t, err, "name", `"my.file.txt"`)
	})
	t.Run("a rename answered about another asset", func(t *testing.T) {
		t.Parallel()
		l := newLying(t, emulator.DotCom)
		l.lie(every(hostile.UpdateAsset, hostile.OtherID{To: 4242, Consistent: true}))
		label := "x"
		_, err := l.c.UpdateAsset(t.Context(), l.decoyA.ID, nil, &label)
		wantIdentity(t, err, "asset id", "4242")
	})
}

// renameLie answers a rename with another name.
type renameLie struct{}

func (renameLie) String() string { return "another name" }
func (renameLie) Apply(a *hostile.Answer) string {
	a.Body = []byte(strings.Replace(string(a.Body), `"name":"my.file.txt"`, `"name":"a.txt"`, 1))
	return "name"
}

// TestUploadAnswerIsTheAssetSent: an upload answered with another size, name,
// state or id is an IdentityError, and nothing is deleted on its word.
func TestUploadAnswerIsTheAssetSent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		lie   hostile.Mutation
		words []string
	}{
		{"size", hostile.Drift{Size: 1}, []string{"size", "8"}},
		{"url of another asset", hostile.OtherID{To: 4242}, []string{"asset url"}},
		{"url in another repository", hostile.ForeignRepo{Field: "url", Repo: idForeign}, []string{"asset url", idForeign}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := newLying(t, emulator.DotCom)
			tag := "v1"
			rel, err := l.c.CreateRelease(t.Context(), publish.ReleaseFields{TagName: &tag, Draft: ptr(true)})
			if err != nil {
				t.Fatal(err)
			}
			l.lie(every(hostile.Upload, tc.lie))
			_, err = l.c.UploadAsset(t.Context(), rel, l.file("7 bytes"))
			wantIdentity(t, err, tc.words...)
			for _, w := range l.writes() {
				if strings.HasPrefix(w, http.MethodDelete) {
					t.Fatalf("deleted on the word of a lying answer: %v", l.writes())
				}
			}
		})
	}
}

// TestUploadGoesOnlyToTheRelease: a release whose upload_url (on GitHub's own
// host) names another repository's release gets no byte (before: the files
// went there).
func TestUploadGoesOnlyToTheRelease(t *testing.T) {
	t.Parallel()
	l := newLying(t, emulator.DotCom)
	up := l.c.gh.UploadURL.String()
	for _, target := range []string{
		up + "repos/other/elsewhere/releases/1/assets{?name,label}",
		up + "repos/octo/demo/releases/4/assets{?name,label}",
		up + "repos/octo/demo/releases/9/assets/../../4/assets{?name,label}",
		up + "repos/octo/demo/releases/9{?name,label}",
	} {
		rel := &publish.Release{ID: 9, TagName: "v1", Draft: true, UploadURL: target}
		_, err := l.c.UploadAsset(t.Context(), rel, l.file("bytes"))
		wantIdentity(t, err, "upload_url")
	}
	if w := l.writes(); len(w) != 0 {
		t.Fatalf("the server got %v", w)
	}
	// Owner and repository are compared without case, as GitHub does.
	rel := &publish.Release{ID: 9, UploadURL: up + "repos/Octo/Demo/releases/9/assets{?name,label}"}
	if err := l.c.checkUploadTarget(rel, publish.UploadRequest{Name: "x"}); err != nil {
		t.Fatal(err)
	}
}
