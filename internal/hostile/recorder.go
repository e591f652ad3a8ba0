package hostile

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Recorder is a second loopback server, on another port of the same address: to
// a client it is another origin. It notes every request and any Authorization
// header, and answers plausibly (JSON, or bytes for a download) so that a client
// that should have refused it cannot tell it from the real thing.
type Recorder struct {
	URL string

	mu    sync.Mutex
	paths []string
	auth  []string
}

func startRecorder(t testing.TB) *Recorder {
	rec := &Recorder{}
	srv := httptest.NewServer(http.HandlerFunc(rec.serve))
	rec.URL = srv.URL
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return rec
}

func (rec *Recorder) serve(w http.ResponseWriter, r *http.Request) {
	rec.mu.Lock()
	rec.paths = append(rec.paths, r.Method+" "+r.URL.Path)
	if a := r.Header.Get("Authorization"); a != "" {
		rec.auth = append(rec.auth, a)
	}
	rec.mu.Unlock()
	if strings.HasPrefix(r.URL.Path, "/download/") {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write([]byte("asset bytes from the storage host"))
		return
	}
	if r.Method == http.MethodPost {
		writeJSON(w, http.StatusCreated, map[string]any{"id": 900, "name": r.URL.Query().Get("name"), "state": "uploaded", "size": r.ContentLength})
		return
	}
	writeJSON(w, http.StatusOK, []map[string]any{{"id": 900, "tag_name": "v900"}})
}

// Authorizations returns every Authorization header received.
func (rec *Recorder) Authorizations() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.auth...)
}

// Requests returns "METHOD /path" for every request received.
func (rec *Recorder) Requests() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]string(nil), rec.paths...)
}

// StartRecorder starts a Recorder alone, for a test that puts it behind a
// server of its own (a download host that must never see the token).
func StartRecorder(t testing.TB) *Recorder { return startRecorder(t) }
