package app_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/hostile"
)

// TestVerifyDownloadsEveryAssetWithoutTheToken: verify: download reads the
// published release back and downloads each asset through its
// browser_download_url. The emulator serves those on the API's own origin,
// which gets the token for API requests; the downloads must still carry none.
func TestVerifyDownloadsEveryAssetWithoutTheToken(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	var (
		mu    sync.Mutex
		paths []string
		auth  []string
	)
	hook := func(r *http.Request) {
		if strings.Contains(r.URL.Path, "/releases/download/") {
			mu.Lock()
			paths = append(paths, r.URL.Path)
			if a := r.Header.Get("Authorization"); a != "" {
				auth = append(auth, a)
			}
			mu.Unlock()
		}
	}
	h.Hook.Store(&hook)
	threeFiles(h)
	r := h.Run(map[string]string{"tag": "v1.0.0", "files": "dist/*", "verify": "download"})
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stdout)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(paths) != 3 {
		t.Fatalf("%d browser downloads, want 3: %v", len(paths), paths)
	}
	for _, p := range paths {
		if !strings.Contains(p, "/releases/download/v1.0.0/") {
			t.Errorf("downloaded %s, not under the published tag", p)
		}
	}
	if len(auth) != 0 {
		t.Fatalf("browser downloads carried Authorization: %v", auth)
	}
	if !strings.Contains(r.Summary, "3 of 3 assets") {
		t.Fatalf("summary does not report the verified downloads:\n%s", r.Summary)
	}
}

// TestVerifyMismatchNamesTheAsset: the web host redirects the download to a
// storage host on another loopback port (a Recorder), which serves other
// bytes of the same length. The run fails naming the asset, and the storage
// host never saw the token.
func TestVerifyMismatchNamesTheAsset(t *testing.T) {
	t.Parallel()
	rec := hostile.StartRecorder(t)
	served := "asset bytes from the storage host" // what the Recorder serves
	h := actiontest.New(t, actiontest.Config{Wrap: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if i := strings.Index(r.URL.Path, "/releases/download/"); i >= 0 {
				http.Redirect(w, r, rec.URL+"/download/"+r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], http.StatusFound)
				return
			}
			next.ServeHTTP(w, r)
		})
	}})
	h.Write("dist/app.bin", strings.Repeat("x", len(served)))
	h.Write("dist/notes.txt", served) // the same bytes: verified
	r := h.Run(map[string]string{"tag": "v1.0.0", "files": "dist/*", "verify": "download"})
	if r.Code == 0 {
		t.Fatalf("exit 0 though app.bin downloads as other bytes\n%s", r.Stdout)
	}
	errs := strings.Join(errorLines(r.Stdout), "\n")
	for _, want := range []string{"app.bin", "hashes to", "does not serve what was uploaded"} {
		if !strings.Contains(errs, want) {
			t.Errorf("no error line says %q:\n%s", want, r.Stdout)
		}
	}
	if strings.Contains(errs, "notes.txt") {
		t.Errorf("notes.txt downloads as uploaded, yet an error names it:\n%s", errs)
	}
	if got := rec.Requests(); len(got) != 2 {
		t.Fatalf("the storage host got %v, want the two downloads", got)
	}
	if a := rec.Authorizations(); len(a) != 0 {
		t.Fatalf("the storage host got Authorization headers: %v", a)
	}
	if rel := h.Only("v1.0.0"); rel.Draft {
		t.Fatal("verify runs after the publish; the release should be published")
	}
}
