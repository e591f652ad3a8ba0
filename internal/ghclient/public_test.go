package ghclient

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/releasekit/release-action/internal/hostile"
	"github.com/releasekit/release-action/internal/publish"
)

// TestDownloadPublic: a download through browser_download_url carries no
// token on any hop, not even to the API's own origin; it follows the redirect
// to a storage host on another port (which gets no token either), and never
// reads more than the asset's size and one byte.
func TestDownloadPublic(t *testing.T) {
	t.Parallel()
	rec := hostile.StartRecorder(t)
	const stored = "asset bytes from the storage host" // what rec serves
	var (
		mu    sync.Mutex
		auth  []string
		wrote int64
	)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if a := r.Header.Get("Authorization"); a != "" {
			auth = append(auth, r.URL.Path+" "+a)
		}
		mu.Unlock()
		switch r.URL.Path {
		case "/octo/demo/releases/download/v1/app.zip":
			http.Redirect(w, r, rec.URL+"/download/app.zip", http.StatusFound)
		case "/octo/demo/releases/download/v1/here.zip":
			_, _ = io.WriteString(w, stored)
		case "/octo/demo/releases/download/v1/endless.zip":
			w.(http.Flusher).Flush() // no Content-Length: the body is what counts
			buf := make([]byte, 4096)
			for {
				n, err := w.Write(buf)
				mu.Lock()
				wrote += int64(n)
				mu.Unlock()
				if err != nil || wrote > 64<<20 {
					return
				}
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(api.Close)
	c, err := New(Options{Token: hostileToken, APIURL: api.URL, Owner: "octo", Repo: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	read := func(path string, size int64) (string, error) {
		rc, err := c.DownloadPublic(t.Context(), api.URL+path, size)
		if err != nil {
			return "", err
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		return string(b), err
	}
	for _, path := range []string{"/octo/demo/releases/download/v1/app.zip", "/octo/demo/releases/download/v1/here.zip"} {
		if got, err := read(path, int64(len(stored))); err != nil || got != stored {
			t.Fatalf("%s: %q, %v", path, got, err)
		}
	}
	if got, err := read("/octo/demo/releases/download/v1/endless.zip", 10); err == nil || len(got) > 10 {
		t.Fatalf("endless answer: read %d bytes, err %v; want at most 10 and an error", len(got), err)
	} else if se := (*SizeError)(nil); !errors.As(err, &se) || !se.Longer {
		t.Fatalf("endless answer: %v, want a SizeError saying it is longer", err)
	}
	if _, err := read("/octo/demo/releases/download/v1/here.zip", int64(len(stored))+1); err == nil {
		t.Fatal("an answer shorter than the size was accepted")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(auth) != 0 {
		t.Fatalf("the web host got Authorization: %v", auth)
	}
	if got := rec.Authorizations(); len(got) != 0 {
		t.Fatalf("the storage host got Authorization: %v", got)
	}
	if got := rec.Requests(); len(got) != 1 {
		t.Fatalf("the storage host got %v, want the one redirected download", got)
	}
	for _, bad := range []string{"ftp://127.0.0.1/x", "/relative", "http://user:pass@127.0.0.1/x"} {
		if _, err := c.DownloadPublic(t.Context(), bad, 1); err == nil || !strings.Contains(err.Error(), "not an absolute http(s) URL") {
			t.Errorf("%s: %v, want refused", bad, err)
		}
	}
}

// TestPublishAnswerAssetsAreChecked: the assets a release answer carries are
// handed on only when they are this release's, checked like a listing; an
// asset filed under another release's tag is an IdentityError.
func TestPublishAnswerAssetsAreChecked(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, filed string
		ok          bool
	}{{"own tag", "v1", true}, {"another release's tag", "v0", false}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var srv *httptest.Server
			srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, `{"id":1,"tag_name":"v1","draft":false,
					"url":"`+srv.URL+`/repos/octo/demo/releases/1",
					"html_url":"`+srv.URL+`/octo/demo/releases/tag/v1",
					"assets":[{"id":7,"name":"app.zip","state":"uploaded","size":3,
						"url":"`+srv.URL+`/repos/octo/demo/releases/assets/7",
						"browser_download_url":"`+srv.URL+`/octo/demo/releases/download/`+c.filed+`/app.zip"}]}`)
			}))
			t.Cleanup(srv.Close)
			cl, err := New(Options{Token: hostileToken, APIURL: srv.URL, Owner: "octo", Repo: "demo"})
			if err != nil {
				t.Fatal(err)
			}
			rel, err := cl.UpdateRelease(t.Context(), 1, publish.ReleaseFields{Draft: ptr(false)})
			var ie *IdentityError
			switch {
			case c.ok && (err != nil || len(rel.Assets) != 1 || rel.Assets[0].ID != 7):
				t.Fatalf("rel %+v, err %v; want the one asset", rel, err)
			case !c.ok && !errors.As(err, &ie):
				t.Fatalf("err = %v, want an IdentityError", err)
			}
		})
	}
}
