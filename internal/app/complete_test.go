package app_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/emulator"
)

var assetsPath = regexp.MustCompile(`^/repos/octo/demo/releases/\d+/assets$`)

// rewriteListing puts change in front of the emulator: it sees every listing
// of a release's assets (decoded) and may alter it before the action reads it.
func rewriteListing(change func(h *actiontest.Harness, list []map[string]any) []map[string]any) func(*actiontest.Harness) func(http.Handler) http.Handler {
	return func(h *actiontest.Harness) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodGet || !assetsPath.MatchString(r.URL.Path) {
					next.ServeHTTP(w, r)
					return
				}
				rec := httptest.NewRecorder()
				next.ServeHTTP(rec, r)
				var list []map[string]any
				if err := json.Unmarshal(rec.Body.Bytes(), &list); err != nil {
					h.T.Errorf("listing: %v", err)
				}
				list = change(h, list)
				for k, v := range rec.Header() {
					if k != "Content-Length" {
						w.Header()[k] = v
					}
				}
				w.WriteHeader(rec.Code)
				_ = json.NewEncoder(w).Encode(list)
			})
		}
	}
}

// harnessWith starts a harness whose emulator sits behind wrap(h).
func harnessWith(t *testing.T, wrap func(*actiontest.Harness) func(http.Handler) http.Handler) *actiontest.Harness {
	var h *actiontest.Harness
	h = actiontest.New(t, actiontest.Config{Wrap: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { wrap(h)(next).ServeHTTP(w, r) })
	}})
	return h
}

func errorLines(stdout string) []string {
	var out []string
	for _, l := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(l, "::error") {
			out = append(out, l)
		}
	}
	return out
}

// TestIncompleteDraftIsNotPublished: before the publish the draft's assets are
// read back; one that is missing, broken or holds other bytes than uploaded
// blocks the publish, and the run fails naming it. A new draft is never
// listed before its uploads, so the first listing is that read-back.
func TestIncompleteDraftIsNotPublished(t *testing.T) {
	t.Parallel()
	const victim = "app-darwin-arm64.zip"
	cases := []struct {
		name   string
		change func(h *actiontest.Harness, a map[string]any) map[string]any // nil result: drop
		want   string
	}{
		{"missing", func(h *actiontest.Harness, a map[string]any) map[string]any {
			// Really gone: deleted on the emulator, as another run could.
			req := httptest.NewRequest(http.MethodDelete, "/repos/octo/demo/releases/assets/"+strconv.FormatInt(int64(a["id"].(float64)), 10), nil)
			req.Header.Set("Authorization", "Bearer "+actiontest.Token)
			rec := httptest.NewRecorder()
			h.Emu.ServeHTTP(rec, req)
			if rec.Code != http.StatusNoContent {
				h.T.Errorf("delete: %d %s", rec.Code, rec.Body)
			}
			return nil
		}, victim + " is missing"},
		{"broken", func(_ *actiontest.Harness, a map[string]any) map[string]any {
			a["state"] = "starter"
			return a
		}, victim + ` is broken (state "starter")`},
		{"other bytes", func(_ *actiontest.Harness, a map[string]any) map[string]any {
			a["digest"] = "sha256:" + strings.Repeat("0", 64)
			return a
		}, victim + " has digest sha256:" + strings.Repeat("0", 64)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var once atomic.Bool
			h := harnessWith(t, rewriteListing(func(h *actiontest.Harness, list []map[string]any) []map[string]any {
				if once.Swap(true) {
					return list
				}
				var out []map[string]any
				for _, a := range list {
					if a["name"] == victim {
						if a = c.change(h, a); a == nil {
							continue
						}
					}
					out = append(out, a)
				}
				return out
			}))
			threeFiles(h)
			r := h.Run(map[string]string{"tag": "v1.0.0", "files": "dist/*"})
			if r.Code == 0 {
				t.Fatalf("exit 0 with an incomplete draft\n%s", r.Stdout)
			}
			errs := strings.Join(errorLines(r.Stdout), "\n")
			for _, want := range []string{"was not published", c.want} {
				if !strings.Contains(errs, want) {
					t.Errorf("no error line says %q:\n%s", want, r.Stdout)
				}
			}
			for _, rel := range h.ReleasesFor("v1.0.0") {
				if !rel.Draft {
					t.Fatalf("release %d was published", rel.ID)
				}
			}
			for _, q := range h.Emu.Requests() {
				if q.Route == emulator.RouteUpdateRelease {
					t.Fatalf("the run sent %s %s; the draft must not be published", q.Method, q.Path)
				}
			}
		})
	}
}

// TestFanInPublishesWhenTheSetIsComplete: three matrix-style jobs each upload
// one part, all naming the same expected set (a pattern, a plain name, and a
// name GitHub renames). The first two leave the draft unpublished, exit 0 and
// say what is missing in the log, the summary and waiting_for; the third
// completes the set and publishes.
func TestFanInPublishesWhenTheSetIsComplete(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	h.Write("linux/app-linux-amd64.tar.gz", "linux build")
	h.Write("mac/app-darwin-arm64.zip", "mac build")
	h.Write("win/app windows.exe", "windows build")
	expected := "app-*.tar.gz\napp-darwin-arm64.zip, app windows.exe"
	jobs := []struct {
		files   string
		waiting []string
	}{
		{"linux/*", []string{"app-darwin-arm64.zip", "app.windows.exe"}},
		{"win/*", []string{"app-darwin-arm64.zip"}},
		{"mac/*", nil},
	}
	for i, j := range jobs {
		r := h.Run(map[string]string{"tag": "v1.0.0", "files": j.files, "expected_assets": expected})
		if r.Code != 0 {
			t.Fatalf("job %d: exit %d\n%s", i, r.Code, r.Stdout)
		}
		var waiting []string
		if err := json.Unmarshal([]byte(r.Outputs["waiting_for"]), &waiting); err != nil {
			t.Fatalf("job %d: waiting_for %q: %v", i, r.Outputs["waiting_for"], err)
		}
		if strings.Join(waiting, ",") != strings.Join(j.waiting, ",") {
			t.Fatalf("job %d: waiting_for %v, want %v", i, waiting, j.waiting)
		}
		rel := h.Only("v1.0.0")
		if last := i == len(jobs)-1; rel.Draft == last {
			t.Fatalf("job %d: release draft %v", i, rel.Draft)
		}
		if len(j.waiting) > 0 {
			if !strings.Contains(r.Stdout, "stays a draft") || !strings.Contains(r.Summary, "Not published yet") {
				t.Fatalf("job %d: the log or the summary does not say the draft waits\n%s\n%s", i, r.Stdout, r.Summary)
			}
			for _, w := range j.waiting {
				if !strings.Contains(r.Summary, w) {
					t.Errorf("job %d: summary does not name %s", i, w)
				}
			}
		}
	}
	rel := h.Only("v1.0.0")
	if got := h.AssetContents(rel.ID); len(got) != 3 {
		t.Fatalf("published with %v", got)
	}
}

// TestCompletenessInputsRefusedBeforeAnyRequest: an expected entry that can
// never match a name GitHub stores, and combinations that can never publish,
// are refused naming the input, before any request.
func TestCompletenessInputsRefusedBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		in   map[string]string
		want []string
	}{
		{"expected with draft", map[string]string{"expected_assets": "app.zip", "draft": "true"}, []string{`"expected_assets"`, "draft: true"}},
		{"pattern with a trailing dot", map[string]string{"expected_assets": "app-*."}, []string{`"expected_assets"`, `"app-*."`, "never match"}},
		{"pattern with a leading dot", map[string]string{"expected_assets": ".config*"}, []string{`"expected_assets"`, "never match"}},
		{"pattern with a space", map[string]string{"expected_assets": "app *.zip"}, []string{`"expected_assets"`, "never match", "app.a.zip"}},
		{"pattern with a doubled dot", map[string]string{"expected_assets": "app..*"}, []string{`"expected_assets"`, "never match"}},
		{"pattern with a class", map[string]string{"expected_assets": "app-[ab].zip*"}, []string{`"expected_assets"`, "never match"}},
		{"a path", map[string]string{"expected_assets": "dist/app.zip"}, []string{`"expected_assets"`, "path separator"}},
		{"verify not a mode", map[string]string{"verify": "yes"}, []string{`"verify"`, "download"}},
		{"verify with draft", map[string]string{"verify": "download", "draft": "true"}, []string{`"verify"`, "draft: true"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := actiontest.New(t, actiontest.Config{})
			threeFiles(h)
			in := map[string]string{"tag": "v1.0.0", "files": "dist/*"}
			for k, v := range c.in {
				in[k] = v
			}
			r := h.Run(in)
			if r.Code == 0 {
				t.Fatalf("exit 0\n%s", r.Stdout)
			}
			errs := strings.Join(errorLines(r.Stdout), "\n")
			for _, w := range c.want {
				if !strings.Contains(errs, w) {
					t.Errorf("no error line says %q:\n%s", w, r.Stdout)
				}
			}
			if n := len(h.Emu.Requests()); n != 0 {
				t.Fatalf("%d requests sent", n)
			}
		})
	}
}

// TestFanInConcurrentJobsPublishOnce: the three jobs run at the same moment.
// Each reads the draft back after its own uploads, so the job whose upload
// lands last sees the whole set: the tag ends with one published release
// holding all three parts, and every job exits 0.
func TestFanInConcurrentJobsPublishOnce(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{})
	parts := []string{"linux/app-linux-amd64.tar.gz", "mac/app-darwin-arm64.zip", "win/app-windows-amd64.zip"}
	for _, p := range parts {
		h.Write(p, "build of "+p)
	}
	expected := "app-linux-*.tar.gz, app-darwin-*.zip, app-windows-*.zip"
	var wg sync.WaitGroup
	results := make([]actiontest.Result, len(parts))
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = h.Run(map[string]string{"tag": "v1.0.0", "files": strings.Split(p, "/")[0] + "/*", "expected_assets": expected})
		}()
	}
	wg.Wait()
	published := 0
	for i, r := range results {
		if r.Code != 0 {
			t.Fatalf("job %d: exit %d\n%s", i, r.Code, r.Stdout)
		}
		if r.Outputs["waiting_for"] == "[]" {
			published++
		}
	}
	rel := h.Only("v1.0.0")
	if rel.Draft || published == 0 {
		t.Fatalf("release draft %v; %d jobs saw the set complete", rel.Draft, published)
	}
	if got := h.AssetContents(rel.ID); len(got) != 3 {
		t.Fatalf("published with %v", got)
	}
}
