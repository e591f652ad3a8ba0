package ghclient

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/retry"
)

// stub is a minimal GitHub for the upload paths the emulator cannot misbehave in.
type stub struct {
	mu      sync.Mutex
	assets  []*publish.Asset
	calls   []string
	upload  func(w http.ResponseWriter, r *http.Request, body []byte) // nil: store and answer 201
	deleted []int64
}

func (s *stub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls = append(s.calls, r.Method+" "+r.URL.Path)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	switch {
	case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/assets"):
		body, _ := io.ReadAll(r.Body)
		if s.upload != nil {
			s.upload(w, r, body)
			return
		}
		s.store(r.URL.Query().Get("name"), body)
		w.WriteHeader(201)
		json.NewEncoder(w).Encode(s.assets[len(s.assets)-1])
	case r.Method == "GET" && strings.HasSuffix(r.URL.Path, "/assets"):
		s.mu.Lock()
		defer s.mu.Unlock()
		json.NewEncoder(w).Encode(s.assets)
	case r.Method == "DELETE":
		var id int64
		fmt.Sscanf(r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], "%d", &id)
		s.mu.Lock()
		s.deleted = append(s.deleted, id)
		s.mu.Unlock()
		w.WriteHeader(204)
	default:
		http.NotFound(w, r)
	}
}

func (s *stub) store(name string, body []byte) *publish.Asset {
	s.mu.Lock()
	defer s.mu.Unlock()
	sum := sha256.Sum256(body)
	a := &publish.Asset{ID: int64(100 + len(s.assets)), Name: name, State: "uploaded", Size: int64(len(body)), Digest: "sha256:" + hex.EncodeToString(sum[:])}
	s.assets = append(s.assets, a)
	return a
}

// clientAt is a client of o/r with the token "t" for the API at apiURL,
// retrying after a millisecond.
func clientAt(t *testing.T, apiURL string) *Client {
	t.Helper()
	p := retry.Default()
	p.BaseDelay, p.MaxDelay = time.Millisecond, time.Millisecond
	c, err := New(Options{Token: "t", APIURL: apiURL, Owner: "o", Repo: "r", Policy: &p})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// loopbackClient is clientAt for a test server with h behind it.
func loopbackClient(t *testing.T, h http.Handler) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return clientAt(t, srv.URL)
}

func newStubClient(t *testing.T, s *stub) (*Client, *publish.Release, publish.UploadRequest) {
	t.Helper()
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c := clientAt(t, srv.URL)
	path := filepath.Join(t.TempDir(), "app.zip")
	content := strings.Repeat("content ", 1000)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	rel := &publish.Release{ID: 7, UploadURL: srv.URL + "/repos/o/r/releases/7/assets{?name,label}"}
	return c, rel, publish.UploadRequest{Path: path, Name: "app.zip", Size: int64(len(content)), ContentType: "application/zip"}
}

func TestUploadDigestMismatchIsAnErrorAndRemovesTheAsset(t *testing.T) {
	t.Parallel()
	s := &stub{}
	s.upload = func(w http.ResponseWriter, r *http.Request, body []byte) {
		a := s.store("app.zip", body)
		a.Digest = "sha256:" + strings.Repeat("0", 64) // GitHub stored other bytes
		w.WriteHeader(201)
		json.NewEncoder(w).Encode(a)
	}
	c, rel, u := newStubClient(t, s)
	_, err := c.UploadAsset(t.Context(), rel, u)
	if !errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("err = %v, want ErrDigestMismatch", err)
	}
	if len(s.deleted) != 1 || s.deleted[0] != 100 {
		t.Fatalf("deleted %v, want the mismatched asset 100", s.deleted)
	}
}

func TestUploadWhoseAnswerWasLostIsNotSentTwice(t *testing.T) {
	t.Parallel()
	s := &stub{}
	first := true
	s.upload = func(w http.ResponseWriter, r *http.Request, body []byte) {
		s.store("app.zip", body)
		if first {
			first = false
			// Stored, but the connection dies before the answer.
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		t.Error("the upload was sent a second time")
	}
	c, rel, u := newStubClient(t, s)
	a, err := c.UploadAsset(t.Context(), rel, u)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != 100 || len(s.deleted) != 0 {
		t.Fatalf("got asset %d, deleted %v", a.ID, s.deleted)
	}
}

func TestUploadReopensTheFileForEveryAttempt(t *testing.T) {
	t.Parallel()
	s := &stub{}
	var bodies []int
	s.upload = func(w http.ResponseWriter, r *http.Request, body []byte) {
		bodies = append(bodies, len(body))
		if len(bodies) < 3 {
			w.WriteHeader(502)
			return
		}
		a := s.store("app.zip", body)
		w.WriteHeader(201)
		json.NewEncoder(w).Encode(a)
	}
	c, rel, u := newStubClient(t, s)
	var progressed int64
	var mu sync.Mutex
	u.Progress = func(n int64) { mu.Lock(); progressed += n; mu.Unlock() }
	if _, err := c.UploadAsset(t.Context(), rel, u); err != nil {
		t.Fatal(err)
	}
	// Every attempt sent the whole file, from its first byte.
	if fmt.Sprint(bodies) != fmt.Sprint([]int{int(u.Size), int(u.Size), int(u.Size)}) {
		t.Fatalf("bodies %v, want three full copies of %d bytes", bodies, u.Size)
	}
	if progressed != 3*u.Size {
		t.Fatalf("progress counted %d bytes, want %d", progressed, 3*u.Size)
	}
}

func TestUploadTargetExpandsTheTemplate(t *testing.T) {
	t.Parallel()
	c, err := New(Options{APIURL: "https://ghe.example.com/api/v3", UploadURL: "https://ghe.example.com/api/uploads", Owner: "o", Repo: "r"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		rel  publish.Release
		u    publish.UploadRequest
		want string
	}{
		{publish.Release{ID: 1, UploadURL: "https://ghe.example.com/api/uploads/repos/o/r/releases/1/assets{?name,label}"}, publish.UploadRequest{Name: "a b.zip", Label: "A & B"},
			"https://ghe.example.com/api/uploads/repos/o/r/releases/1/assets?label=A+%26+B&name=a+b.zip"},
		{publish.Release{ID: 2}, publish.UploadRequest{Name: "x.zip"},
			"https://ghe.example.com/api/uploads/repos/o/r/releases/2/assets?name=x.zip"},
	}
	for _, tc := range cases {
		got, err := c.uploadTarget(&tc.rel, tc.u)
		if err != nil || got != tc.want {
			t.Errorf("uploadTarget = %q, %v; want %q", got, err, tc.want)
		}
	}
	// An upload_url on another host, or on the same host's other port, never gets the token.
	for _, foreign := range []string{"https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}", "https://ghe.example.com:8443/api/uploads/x{?name}"} {
		_, err := c.uploadTarget(&publish.Release{ID: 1, UploadURL: foreign}, publish.UploadRequest{Name: "x.zip"})
		var oe *OriginError
		if !errors.As(err, &oe) {
			t.Errorf("uploadTarget(%s) = %v, want an OriginError", foreign, err)
		}
	}
}

func TestNextLink(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		`<https://api.github.com/repositories/1/releases?per_page=100&page=2>; rel="next", <https://api.github.com/repositories/1/releases?per_page=100&page=5>; rel="last"`: "https://api.github.com/repositories/1/releases?per_page=100&page=2",
		`<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first"`:                                                                      "",
		``: "",
	}
	for h, want := range cases {
		if got := nextLink(h); got != want {
			t.Errorf("nextLink(%q) = %q, want %q", h, got, want)
		}
	}
}
