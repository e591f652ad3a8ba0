package emulator_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-github/v66/github"

	"github.com/releasekit/release-action/internal/emulator"
)

// newGitHubClient points go-github at the emulator the way the action would.
func newGitHubClient(t *testing.T, e *env) *github.Client {
	t.Helper()
	c := github.NewClient(nil).WithAuthToken(token)
	if e.opts.Layout == emulator.GHES {
		var err error
		if c, err = c.WithEnterpriseURLs(e.srv.URL, e.srv.URL); err != nil {
			t.Fatal(err)
		}
		return c
	}
	base, err := url.Parse(e.srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	up, err := url.Parse(e.srv.URL + "/uploads/")
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL, c.UploadURL = base, up
	return c
}

// TestGoGitHubClient drives the real go-github client through a release's life
// in both layouts, to catch any drift between the emulator and what clients expect.
func TestGoGitHubClient(t *testing.T) {
	t.Parallel()
	for _, layout := range []emulator.Layout{emulator.DotCom, emulator.GHES} {
		t.Run(map[emulator.Layout]string{emulator.DotCom: "dotcom", emulator.GHES: "ghes"}[layout], func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, emulator.Options{Token: token, Layout: layout, RedirectDownloads: layout == emulator.GHES})
			gh := newGitHubClient(t, e)
			ctx := context.Background()

			rel, _, err := gh.Repositories.CreateRelease(ctx, "octo", "demo", &github.RepositoryRelease{
				TagName: github.String("v1.0.0"), Draft: github.Bool(true), MakeLatest: github.String("true"),
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := gh.Repositories.GetReleaseByTag(ctx, "octo", "demo", "v1.0.0"); !isStatus(err, 404) {
				t.Errorf("draft by tag: %v, want 404", err)
			}

			path := filepath.Join(t.TempDir(), "app linux.tar.gz")
			if err := os.WriteFile(path, []byte("payload"), 0o600); err != nil {
				t.Fatal(err)
			}
			upload := func() (*github.ReleaseAsset, error) {
				f, err := os.Open(path)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				a, _, err := gh.Repositories.UploadReleaseAsset(ctx, "octo", "demo", rel.GetID(), &github.UploadOptions{Name: filepath.Base(path), Label: "Linux"}, f)
				return a, err
			}
			asset, err := upload()
			if err != nil {
				t.Fatal(err)
			}
			if asset.GetName() != "app.linux.tar.gz" || asset.GetSize() != 7 || asset.GetState() != "uploaded" || asset.GetLabel() != "Linux" {
				t.Errorf("uploaded asset %v", asset)
			}
			_, err = upload()
			var er *github.ErrorResponse
			if !errors.As(err, &er) || er.Response.StatusCode != 422 || len(er.Errors) != 1 || er.Errors[0].Code != "already_exists" {
				t.Errorf("second upload: %v, want 422 already_exists", err)
			}

			pub, _, err := gh.Repositories.EditRelease(ctx, "octo", "demo", rel.GetID(), &github.RepositoryRelease{Draft: github.Bool(false)})
			if err != nil || pub.GetDraft() || pub.PublishedAt == nil {
				t.Fatalf("publish: %v %v", pub, err)
			}
			latest, _, err := gh.Repositories.GetLatestRelease(ctx, "octo", "demo")
			if err != nil || latest.GetID() != rel.GetID() {
				t.Errorf("latest %v %v", latest, err)
			}

			rc, _, err := gh.Repositories.DownloadReleaseAsset(ctx, "octo", "demo", asset.GetID(), http.DefaultClient)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || string(got) != "payload" {
				t.Errorf("download %q %v", got, err)
			}

			for i := 0; i < 4; i++ {
				e.emu.SeedRelease(repo, emulator.SeedRelease{TagName: "old" + itoa(int64(i)), Draft: true})
			}
			var all []*github.RepositoryRelease
			opt := &github.ListOptions{PerPage: 2}
			for {
				page, res, err := gh.Repositories.ListReleases(ctx, "octo", "demo", opt)
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, page...)
				if res.NextPage == 0 {
					if res.LastPage != 0 || res.PrevPage != 2 || res.FirstPage != 1 {
						t.Errorf("last page links: %+v", res)
					}
					break
				}
				opt.Page = res.NextPage
			}
			if len(all) != 5 {
				t.Errorf("listed %d releases, want 5", len(all))
			}

			notes, _, err := gh.Repositories.GenerateReleaseNotes(ctx, "octo", "demo", &github.GenerateNotesOptions{TagName: "v1.1.0"})
			if err != nil || notes.Name != "v1.1.0" || notes.Body == "" {
				t.Errorf("notes %v %v", notes, err)
			}
		})
	}
}

// TestGoGitHubRateLimitErrors checks that go-github recognises the emulator's rate
// limit answers as its typed errors.
func TestGoGitHubRateLimitErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault emulator.Fault
		check func(error) bool
	}{
		{"primary", emulator.Fault{Kind: emulator.FaultPrimaryLimit, RetryAfter: 30}, func(err error) bool {
			var rl *github.RateLimitError
			return errors.As(err, &rl) && rl.Rate.Remaining == 0
		}},
		{"secondary", emulator.Fault{Kind: emulator.FaultSecondaryLimit, RetryAfter: 30}, func(err error) bool {
			var ab *github.AbuseRateLimitError
			return errors.As(err, &ab) && ab.RetryAfter != nil && ab.RetryAfter.Seconds() == 30
		}},
		{"server error", emulator.Fault{Kind: emulator.FaultStatus, Status: 502}, func(err error) bool { return isStatus(err, 502) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, emulator.Options{Token: token})
			e.emu.Inject(tc.fault)
			_, _, err := newGitHubClient(t, e).Repositories.ListReleases(context.Background(), "octo", "demo", nil)
			if !tc.check(err) {
				t.Errorf("error %T %v", err, err)
			}
		})
	}
}

func isStatus(err error, status int) bool {
	var er *github.ErrorResponse
	return errors.As(err, &er) && er.Response.StatusCode == status
}
