package emulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
)

const (
	token = "T"
	repo  = "octo/demo"
)

// env is one emulator behind a loopback httptest server.
type env struct {
	t    *testing.T
	emu  *emulator.Server
	srv  *httptest.Server
	opts emulator.Options
}

func newEnv(t *testing.T, opts emulator.Options) *env {
	t.Helper()
	emu := emulator.New(opts)
	emu.AddRepo(repo, false)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &env{t: t, emu: emu, srv: srv, opts: opts}
}

// api is the absolute URL of an API path such as "/repos/octo/demo/releases".
func (e *env) api(path string) string { return e.srv.URL + e.opts.Layout.APIPrefix() + path }

// upload is the absolute upload URL for a release.
func (e *env) upload(releaseID int64, query string) string {
	return e.srv.URL + e.opts.Layout.UploadPrefix() + "/repos/" + repo + "/releases/" + itoa(releaseID) + "/assets?" + query
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request with the default token; body may be nil, a string or []byte
// (sent verbatim) or any value (sent as JSON); hdr are header name/value pairs that
// override the defaults ("" as a value removes the header).
func (e *env) do(method, url string, body any, hdr ...string) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/vnd.github+json")
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

// want fails the test unless the answer has the given status.
func (r resp) want(t *testing.T, status int) resp {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	return r
}

func decode[T any](t *testing.T, r resp) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

// ghError is GitHub's JSON error body.
type ghError struct {
	Message          string `json:"message"`
	DocumentationURL string `json:"documentation_url"`
	Status           string `json:"status"`
	Errors           []struct {
		Resource string `json:"resource"`
		Code     string `json:"code"`
		Field    string `json:"field"`
		Message  string `json:"message"`
	} `json:"errors"`
}

// wantAlreadyExists checks GitHub's 422 for a duplicate resource.
func wantAlreadyExists(t *testing.T, r resp, resource, field string) {
	t.Helper()
	r.want(t, http.StatusUnprocessableEntity)
	e := decode[ghError](t, r)
	if e.Message != "Validation Failed" || len(e.Errors) != 1 || e.Errors[0].Resource != resource ||
		e.Errors[0].Code != "already_exists" || e.Errors[0].Field != field || e.Status != "422" {
		t.Fatalf("want %s.%s already_exists, got %s", resource, field, r.body)
	}
}

func (e *env) create(fields map[string]any) emulator.Release {
	e.t.Helper()
	return decode[emulator.Release](e.t, e.do("POST", e.api("/repos/"+repo+"/releases"), fields).want(e.t, http.StatusCreated))
}

func (e *env) uploadBytes(releaseID int64, name string, content []byte) resp {
	e.t.Helper()
	return e.do("POST", e.upload(releaseID, "name="+name), content, "Content-Type", "application/octet-stream")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// clock is a fake time source that moves one second per reading.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// waitFor polls cond until it holds or a few seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
