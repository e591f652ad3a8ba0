package ghclient

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/actions"
	"github.com/releasekit/release-action/internal/hostile"
	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/retry"
)

const hostileToken = "ghs_hostileTestToken0123456789abcdefABCDEF"

// hostileClient returns a client for srv with short waits, and the retry lines it logs.
func hostileClient(t *testing.T, srv *hostile.Server) (*Client, *[]string) {
	t.Helper()
	p := retry.Default()
	p.MaxAttempts, p.BaseDelay, p.MaxDelay = 3, time.Millisecond, time.Millisecond
	var mu sync.Mutex
	var logged []string
	c, err := New(Options{
		Token: hostileToken, APIURL: srv.URL, UploadURL: srv.Upload, Owner: hostile.Owner, Repo: hostile.Repo,
		Policy:    &p,
		Timeouts:  Timeouts{Header: 300 * time.Millisecond, UploadHeader: 300 * time.Millisecond, Idle: 300 * time.Millisecond},
		MaxAnswer: 1 << 20,
		Logf: func(f string, a ...any) {
			mu.Lock()
			defer mu.Unlock()
			logged = append(logged, fmt.Sprintf(f, a...))
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, &logged
}

func uploadFile(t *testing.T, content string) publish.UploadRequest {
	t.Helper()
	path := filepath.Join(t.TempDir(), "app.zip")
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return publish.UploadRequest{Path: path, Name: "app.zip", Size: int64(len(content)), ContentType: "application/zip"}
}

func wantOriginError(t *testing.T, err error) {
	t.Helper()
	var oe *OriginError
	if !errors.As(err, &oe) {
		t.Fatalf("err = %v, want an OriginError", err)
	}
}

func TestTokenGoesOnlyToGitHub(t *testing.T) {
	t.Parallel()
	t.Run("upload_url on another port", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{Mode: hostile.ForeignUploadURL})
		c, _ := hostileClient(t, srv)
		rel, err := c.GetRelease(t.Context(), 1)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.UploadAsset(t.Context(), rel, uploadFile(t, "bytes"))
		wantOriginError(t, err)
		if got := srv.Recorder.Requests(); len(got) != 0 {
			t.Fatalf("the other origin got %v", got)
		}
	})
	t.Run("Link header to another port", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{Mode: hostile.ForeignLink})
		c, _ := hostileClient(t, srv)
		_, err := c.ListReleases(t.Context())
		wantOriginError(t, err)
		if got := srv.Recorder.Requests(); len(got) != 0 {
			t.Fatalf("the other origin got %v", got)
		}
	})
	t.Run("API redirect to another port", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{Mode: hostile.ForeignRedirect})
		c, logged := hostileClient(t, srv)
		_, err := c.GetRelease(t.Context(), 1)
		wantOriginError(t, err)
		if got := srv.Recorder.Requests(); len(got) != 0 {
			t.Fatalf("the other origin got %v", got)
		}
		if len(*logged) != 0 {
			t.Fatalf("a refused redirect was retried: %v", *logged)
		}
	})
	t.Run("download redirect is followed without the token", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{Mode: hostile.ForeignDownload})
		c, _ := hostileClient(t, srv)
		rc, err := c.DownloadAsset(t.Context(), 5, int64(len("asset bytes from the storage host")))
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || string(b) != "asset bytes from the storage host" {
			t.Fatalf("download = %q, %v", b, err)
		}
		if got := srv.Recorder.Authorizations(); len(got) != 0 {
			t.Fatalf("the storage host got Authorization %q", got)
		}
		if got := srv.Recorder.Requests(); len(got) != 1 {
			t.Fatalf("the storage host got %v, want the one download", got)
		}
	})
}

// The transport adds the token for the trusted origins, and only there.
func TestAuthTransportByOrigin(t *testing.T) {
	t.Parallel()
	var got []string
	rt := &authTransport{token: "tok", trusted: map[string]bool{"https://api.example.com:443": true},
		base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			got = append(got, r.URL.String()+" "+r.Header.Get("Authorization"))
			return &http.Response{StatusCode: 204, Body: http.NoBody}, nil
		})}
	for _, u := range []string{"https://api.example.com/x", "https://api.example.com:443/x", "https://api.example.com:8443/x", "http://api.example.com/x", "https://evil.example.com/x"} {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Authorization", "Bearer planted")
		rt.RoundTrip(req)
		if req.Header.Get("Authorization") != "Bearer planted" {
			t.Fatal("RoundTrip changed the caller's request")
		}
	}
	want := []string{
		"https://api.example.com/x Bearer tok", "https://api.example.com:443/x Bearer tok",
		"https://api.example.com:8443/x ", "http://api.example.com/x ", "https://evil.example.com/x ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("sent:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestStallsAreBoundedAndRetried(t *testing.T) {
	t.Parallel()
	for _, mode := range []hostile.Mode{hostile.StallHeaders, hostile.StallBody} {
		t.Run("once", func(t *testing.T) {
			t.Parallel()
			srv := hostile.Start(t, hostile.Config{Mode: mode, Times: 1})
			c, logged := hostileClient(t, srv)
			if mode == hostile.StallBody {
				// A stalled body is retried only for a request that is safe to repeat.
				if _, err := c.ListReleases(t.Context()); err != nil {
					t.Fatal(err)
				}
			} else if _, err := c.GetRelease(t.Context(), 1); err != nil {
				t.Fatal(err)
			}
			if srv.Hits() != 1 || len(*logged) != 1 {
				t.Fatalf("stalled %d times, retried %v; want one stall and one retry", srv.Hits(), *logged)
			}
		})
		t.Run("always", func(t *testing.T) {
			t.Parallel()
			srv := hostile.Start(t, hostile.Config{Mode: mode})
			c, _ := hostileClient(t, srv)
			_, err := c.ListReleases(t.Context())
			var se *StallError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a StallError", err)
			}
			if srv.Hits() != 3 {
				t.Fatalf("%d attempts, want the policy's 3", srv.Hits())
			}
		})
	}
	t.Run("server stops reading the upload", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{Mode: hostile.StallHeaders, Times: 1})
		c, logged := hostileClient(t, srv)
		// Far more than the socket buffers hold: the transport blocks writing.
		u := uploadFile(t, strings.Repeat("x", 16<<20))
		if _, err := c.UploadAsset(t.Context(), &publish.Release{ID: 1}, u); err != nil {
			t.Fatal(err)
		}
		if len(*logged) != 1 || !strings.Contains((*logged)[0], "the upload stopped moving") {
			t.Fatalf("retries %q, want one after the upload's stall", *logged)
		}
	})
	t.Run("upload answer", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{Mode: hostile.StallHeaders})
		c, _ := hostileClient(t, srv)
		_, err := c.UploadAsset(t.Context(), &publish.Release{ID: 1}, uploadFile(t, "bytes"))
		var se *StallError
		if !errors.As(err, &se) {
			t.Fatalf("err = %v, want a StallError", err)
		}
	})
}

func TestEndlessAnswerIsAnError(t *testing.T) {
	t.Parallel()
	srv := hostile.Start(t, hostile.Config{Mode: hostile.EndlessBody})
	c, _ := hostileClient(t, srv)
	_, err := c.ListReleases(t.Context())
	if err == nil || !strings.Contains(err.Error(), "passed the cap of 1048576 bytes") {
		t.Fatalf("err = %v, want the size cap", err)
	}
}

func TestPaginationStops(t *testing.T) {
	t.Parallel()
	t.Run("loop", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{Mode: hostile.LinkLoop})
		c, _ := hostileClient(t, srv)
		_, err := c.ListReleases(t.Context())
		if err == nil || !strings.Contains(err.Error(), "already read") || srv.Hits() != 1 {
			t.Fatalf("err = %v after %d loops, want a stop at the first repeated page", err, srv.Hits())
		}
	})
	t.Run("past the ceiling", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{Releases: listCeiling + 1})
		c, _ := hostileClient(t, srv)
		_, err := c.ListReleases(t.Context())
		if err == nil || !strings.Contains(err.Error(), "more than GitHub's 10000") {
			t.Fatalf("err = %v, want the ceiling", err)
		}
	})
	t.Run("up to the ceiling", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{Releases: 250})
		c, _ := hostileClient(t, srv)
		got, err := c.ListReleases(t.Context())
		if err != nil || len(got) != 250 {
			t.Fatalf("got %d releases, %v; want all 250", len(got), err)
		}
	})
}

func TestUploadChecksTheFileItReads(t *testing.T) {
	t.Parallel()
	t.Run("fifo swapped in", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{})
		c, _ := hostileClient(t, srv)
		u := uploadFile(t, "planned bytes")
		u.Path = swapSpecial(t, u.Path)
		_, err := c.UploadAsset(t.Context(), &publish.Release{ID: 1}, u)
		if err == nil || !strings.Contains(err.Error(), "no longer a regular file") {
			t.Fatalf("err = %v, want the FIFO refused", err)
		}
		if len(srv.Writes()) != 0 {
			t.Fatalf("sent %v", srv.Writes())
		}
	})
	t.Run("size changed since the plan", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{})
		c, _ := hostileClient(t, srv)
		u := uploadFile(t, "planned bytes")
		os.WriteFile(u.Path, []byte("planned"), 0o644)
		_, err := c.UploadAsset(t.Context(), &publish.Release{ID: 1}, u)
		if err == nil || !strings.Contains(err.Error(), "changed size") || len(srv.Writes()) != 0 {
			t.Fatalf("err = %v, writes %v; want a refusal before sending", err, srv.Writes())
		}
	})
}

// The meter holds back the last planned byte until it knows the file ends there.
func TestMeterRefusesAFileThatChangesWhileRead(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		content string
		size    int64
		want    string
	}{
		{"abcdefgh", 4, "grew"},
		{"ab", 4, "shrank"},
	} {
		m := newMeter(strings.NewReader(tc.content), tc.size, nil)
		n, err := io.Copy(io.Discard, io.LimitReader(m, tc.size))
		if err == nil || !strings.Contains(err.Error(), tc.want) || n >= tc.size {
			t.Errorf("%q as %d bytes: copied %d, %v; want fewer than %d and %q", tc.content, tc.size, n, err, tc.size, tc.want)
		}
	}
	m := newMeter(strings.NewReader("abcd"), 4, nil)
	if n, err := io.Copy(io.Discard, io.LimitReader(m, 4)); n != 4 || err != nil {
		t.Fatalf("exact file: copied %d, %v", n, err)
	}
}

func TestErrorsNameTheCause(t *testing.T) {
	t.Parallel()
	t.Run("not GitHub", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{Mode: hostile.NotGitHub})
		c, _ := hostileClient(t, srv)
		_, err := c.GetRelease(t.Context(), 1)
		if err == nil || !strings.Contains(err.Error(), "GITHUB_API_URL "+srv.URL+" does not look like a GitHub API") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("401", func(t *testing.T) {
		t.Parallel()
		srv := hostile.Start(t, hostile.Config{Mode: hostile.Unauthorized})
		c, _ := hostileClient(t, srv)
		_, err := c.GetRelease(t.Context(), 1)
		for _, want := range []string{"401", "Bad credentials", "INPUT_TOKEN", "GITHUB_TOKEN", "contents: write"} {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("err = %v, want it to mention %s", err, want)
			}
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		t.Parallel()
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		url := "http://" + l.Addr().String()
		l.Close() // nothing listens there now
		var retries []string
		c, err := New(Options{Token: "t", APIURL: url, Owner: "o", Repo: "r", Logf: func(f string, a ...any) { retries = append(retries, f) }})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetRelease(t.Context(), 1)
		if err == nil || !strings.Contains(err.Error(), "cannot reach GitHub at "+url) {
			t.Fatalf("err = %v, want it to name %s", err, url)
		}
		if len(retries) != 0 {
			t.Fatalf("retried a refused connection: %v", retries)
		}
	})
}

// What a server echoes back reaches the log with the token redacted and its
// workflow commands defused.
func TestEchoedTokenAndCommandsAreHarmlessInTheLog(t *testing.T) {
	t.Parallel()
	srv := hostile.Start(t, hostile.Config{Mode: hostile.Echo})
	c, _ := hostileClient(t, srv)
	_, err := c.CreateRelease(t.Context(), publish.ReleaseFields{})
	if err == nil || !strings.Contains(err.Error(), hostileToken) {
		t.Fatalf("err = %v; the echo server should have echoed the token", err)
	}
	var b strings.Builder
	log := actions.New(&b, actions.Mode{Workflow: true})
	log.Mask(hostileToken)
	log.Errorf("%v", err)
	log.Infof("%v", err)
	out := strings.Replace(b.String(), "::add-mask::"+hostileToken+eol, "", 1)
	if strings.Contains(out, hostileToken) {
		t.Fatalf("token printed:\n%s", out)
	}
	for _, line := range strings.FieldsFunc(out, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.Contains(line, "##[") || strings.HasPrefix(strings.TrimSpace(line), "::warning") {
			t.Errorf("line %q can act on the runner", line)
		}
	}
}
