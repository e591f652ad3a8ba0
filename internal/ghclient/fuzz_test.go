package ghclient

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/retry"
)

// pageServer answers every request in memory with the fuzzer's body and Link
// header; "{n}" in the header becomes the request's number, so a hostile server
// can hand out a new page for ever.
type pageServer struct {
	status int
	json   bool
	body   []byte
	link   string

	mu       sync.Mutex
	requests int
	foreign  []string // requests that reached another origin, and whether they had the token
}

func (p *pageServer) RoundTrip(r *http.Request) (*http.Response, error) {
	p.mu.Lock()
	p.requests++
	n := p.requests
	if origin(r.URL) != "https://api.example.com:443" {
		p.foreign = append(p.foreign, r.URL.String()+" auth="+r.Header.Get("Authorization"))
	}
	p.mu.Unlock()
	h := http.Header{}
	if p.json {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	if p.link != "" {
		h.Set("Link", strings.ReplaceAll(p.link, "{n}", strconv.Itoa(n)))
	}
	return &http.Response{StatusCode: p.status, Header: h, Body: io.NopCloser(bytes.NewReader(p.body)), Request: r}, nil
}

// FuzzDecodeAndPaginate feeds arbitrary answers to the decoding and pagination of
// GitHub's answers. Whatever comes back, the client must not panic, must stop
// within GitHub's ceiling, and must never send a request to another origin.
func FuzzDecodeAndPaginate(f *testing.F) {
	f.Add(200, true, []byte(`[{"id":1,"tag_name":"v1","assets":[]}]`), ``)
	f.Add(200, true, []byte(`[{"id":1}]`), `<https://api.example.com/repos/o/r/releases?page={n}>; rel="next"`)
	f.Add(200, true, []byte(`[{"id":1}]`), `<https://api.example.com/repos/o/r/releases?page=2>; rel="next"`)
	f.Add(200, true, []byte(`[]`), `<http://127.0.0.1:1/x>; rel="next"`)
	f.Add(200, true, []byte(`[]`), `</repos/o/r/releases?page={n}>; rel="next", <x>; rel="last"`)
	f.Add(200, false, []byte(`<html>`), ``)
	f.Add(422, true, []byte(`{"message":"Validation Failed","errors":[{"resource":"Release","code":"already_exists","field":"tag_name"}]}`), ``)
	f.Add(403, true, []byte(`{"message":"You have exceeded a secondary rate limit"}`), ``)
	f.Add(401, true, []byte(`{"message":"Bad credentials"}`), ``)
	f.Add(200, true, []byte(`{"id":"x"}`), `<//evil.example.com/x>; rel="next"`)
	f.Fuzz(func(t *testing.T, status int, isJSON bool, body []byte, link string) {
		if status < 100 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		srv := &pageServer{status: status, json: isJSON, body: body, link: link}
		p := retry.Default()
		p.MaxAttempts, p.BaseDelay, p.MaxDelay, p.MaxWait = 2, time.Nanosecond, time.Nanosecond, time.Nanosecond
		c, err := New(Options{Token: "tok", APIURL: "https://api.example.com", Owner: "o", Repo: "r",
			HTTPClient: &http.Client{Transport: srv}, Policy: &p, MaxAnswer: 1 << 16})
		if err != nil {
			t.Fatal(err)
		}
		rels, err := c.ListReleases(t.Context())
		if err == nil && len(rels) > listCeiling {
			t.Fatalf("%d releases past the ceiling", len(rels))
		}
		if srv.requests > listCeiling/perPage*p.MaxAttempts+p.MaxAttempts {
			t.Fatalf("%d requests for one listing", srv.requests)
		}
		c.GetRelease(t.Context(), 1)
		c.ListAssets(t.Context(), 1)
		c.GenerateNotes(t.Context(), publish.NotesRequest{TagName: "v1"})
		if len(srv.foreign) > 0 {
			t.Fatalf("requests to another origin: %v", srv.foreign)
		}
	})
}
