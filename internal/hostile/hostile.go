// Package hostile runs a loopback server that answers like a small GitHub releases
// API and misbehaves on purpose: it stalls, sends endless bodies, hands back URLs
// on another loopback port (where a Recorder notes any Authorization header it
// receives), echoes the token and workflow commands, loops its Link headers, and
// drops answers after doing the write. Tests start one per case; nothing leaves
// the machine.
package hostile

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Mode is the way a Server misbehaves.
type Mode int

// The modes. Each applies to the requests named, and only to the first Times of
// them when Times is set; the other requests get plain answers.
const (
	Plain            Mode = iota // no misbehaviour
	StallHeaders                 // any request: read it, never answer
	StallBody                    // any GET: headers and half a JSON value, then nothing
	EndlessBody                  // any GET: a JSON array that never ends
	ForeignUploadURL             // releases carry an upload_url on the Recorder's port
	ForeignLink                  // a listing's next page is on the Recorder's port
	ForeignRedirect              // API requests are redirected (307) to the Recorder
	ForeignDownload              // asset downloads are redirected (302) to the Recorder
	Echo                         // any request: a 422 whose message holds the token and workflow commands
	LinkLoop                     // a listing's next page is the page itself
	LostAnswer                   // POST: the write is done, then the connection closes unanswered
	NotGitHub                    // any request: an HTML page with 200
	Unauthorized                 // any request: GitHub's 401
)

// Owner and Repo are the repository the server knows.
const (
	Owner = "o"
	Repo  = "r"
)

// Injected is what Echo puts in its error messages besides the token.
const Injected = "::error::pwned%0A##[set-env name=PWNED;]1"

// Config says how a Server misbehaves.
type Config struct {
	Mode Mode
	// Times limits the misbehaviour to the first Times requests it applies to; 0 = all.
	Times int
	// Releases is how many releases a listing returns (100 per page); default 1.
	Releases int
}

// Server is a running hostile GitHub.
type Server struct {
	URL      string // API root
	Upload   string // upload root, on the same origin
	Recorder *Recorder
	Config

	srv  *httptest.Server
	done chan struct{}

	mu     sync.Mutex
	hits   int      // requests the mode applied to
	writes []string // POST/PATCH/DELETE carried out
	assets []map[string]any
}

// Start runs a server configured by c, stopped when the test ends.
func Start(t testing.TB, c Config) *Server {
	t.Helper()
	if c.Releases == 0 {
		c.Releases = 1
	}
	s := &Server{Config: c, done: make(chan struct{})}
	s.Recorder = startRecorder(t)
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	s.Upload = s.srv.URL + "/uploads"
	t.Cleanup(func() {
		close(s.done) // releases stalled handlers
		s.srv.CloseClientConnections()
		s.srv.Close()
	})
	return s
}

// Writes lists the changes the server carried out ("POST /repos/o/r/releases").
func (s *Server) Writes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.writes...)
}

// Hits counts the requests the mode was applied to.
func (s *Server) Hits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits
}

// applies reports whether the mode acts on this request, and counts it.
func (s *Server) applies(m Mode) bool {
	if s.Mode != m {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Times > 0 && s.hits >= s.Times {
		return false
	}
	s.hits++
	return true
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.misbehave(w, r) {
		return
	}
	s.route(w, r)
}

// misbehave answers r in the server's mode and reports whether it did.
func (s *Server) misbehave(w http.ResponseWriter, r *http.Request) bool {
	get := r.Method == http.MethodGet
	isAPI := strings.HasPrefix(r.URL.Path, "/repos/")
	switch {
	case s.applies(StallHeaders):
		s.wait(r)
	case get && s.applies(StallBody):
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`[{"id":1,"tag_name":"v`))
		w.(http.Flusher).Flush()
		s.wait(r)
	case get && s.applies(EndlessBody):
		endless(w, r, s.done)
	case isAPI && s.applies(ForeignRedirect):
		http.Redirect(w, r, s.Recorder.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	case s.applies(Echo):
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
			"message": "Validation Failed: token " + token + " " + Injected,
			"errors":  []map[string]string{{"resource": "Release", "field": "name", "code": "custom", "message": "\n::warning::" + token + "\n##[command]pwned"}},
		})
	case s.applies(NotGitHub):
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<!doctype html><title>Sign in</title><p>corporate portal</p>"))
	case s.applies(Unauthorized):
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
	default:
		return false
	}
	return true
}

// wait blocks until the client gives up or the test ends.
func (s *Server) wait(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.done:
	}
}

// endless writes an array of releases that never closes.
func endless(w http.ResponseWriter, r *http.Request, done <-chan struct{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte("["))
	repeat(w, r, done, []byte(strings.Repeat(`{"id":1,"tag_name":"v1","body":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},`, 256)))
}

// repeat writes chunk again and again until the client goes, the write fails
// or the server stops (done).
func repeat(w http.ResponseWriter, r *http.Request, done <-chan struct{}, chunk []byte) {
	for {
		select {
		case <-r.Context().Done():
			return
		case <-done:
			return
		default:
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Server) release(id int) map[string]any {
	up := s.Upload
	if s.Mode == ForeignUploadURL {
		up = s.Recorder.URL + "/uploads"
	}
	return map[string]any{
		"id": id, "tag_name": "v" + strconv.Itoa(id), "draft": false,
		"html_url":   s.URL + "/" + Owner + "/" + Repo + "/releases/v" + strconv.Itoa(id),
		"upload_url": fmt.Sprintf("%s/repos/%s/%s/releases/%d/assets{?name,label}", up, Owner, Repo, id),
	}
}

// route gives the plain answers of the few endpoints the action uses.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimPrefix(r.URL.Path, "/repos/"+Owner+"/"+Repo)
	switch {
	case r.Method == http.MethodGet && p == "/releases":
		s.list(w, r)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/releases/tags/"):
		writeJSON(w, http.StatusOK, s.release(1))
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/releases/assets/"):
		s.download(w, r, strings.TrimPrefix(p, "/releases/assets/"))
	case r.Method == http.MethodGet && strings.HasSuffix(p, "/assets"):
		s.mu.Lock()
		list := append([]map[string]any{}, s.assets...)
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, list)
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/releases/"):
		id, _ := strconv.Atoi(strings.TrimPrefix(p, "/releases/"))
		writeJSON(w, http.StatusOK, s.release(id))
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/download/"):
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write([]byte("asset bytes"))
	case r.Method == http.MethodPost || r.Method == http.MethodPatch || r.Method == http.MethodDelete:
		s.write(w, r)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
	}
}

// list answers one page of releases, with the Link header the mode calls for.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page < 1 {
		page = 1
	}
	var items []map[string]any
	for id := (page-1)*100 + 1; id <= page*100 && id <= s.Releases; id++ {
		items = append(items, s.release(id))
	}
	next := ""
	switch {
	case s.applies(LinkLoop):
		next = s.URL + r.URL.RequestURI()
	case s.applies(ForeignLink):
		next = s.Recorder.URL + r.URL.Path + "?per_page=100&page=2"
	case page*100 < s.Releases:
		next = fmt.Sprintf("%s%s?per_page=100&page=%d", s.URL, r.URL.Path, page+1)
	}
	if next != "" {
		w.Header().Set("Link", "<"+next+`>; rel="next"`)
	}
	if items == nil {
		items = []map[string]any{}
	}
	writeJSON(w, http.StatusOK, items)
}

func (s *Server) download(w http.ResponseWriter, r *http.Request, id string) {
	target := s.URL + "/download/" + id
	if s.applies(ForeignDownload) {
		target = s.Recorder.URL + "/download/" + id
	}
	http.Redirect(w, r, target, http.StatusFound)
}

// write carries out a change, then answers, or in LostAnswer mode drops the
// connection instead of answering.
func (s *Server) write(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body) // GitHub reads the whole request before it answers
	s.mu.Lock()
	s.writes = append(s.writes, r.Method+" "+r.URL.Path)
	var answer any = s.release(1)
	status := http.StatusOK
	switch {
	case r.Method == http.MethodDelete:
		status = http.StatusNoContent
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/assets"):
		a := map[string]any{"id": 100 + len(s.assets), "name": r.URL.Query().Get("name"), "state": "uploaded", "size": r.ContentLength}
		s.assets = append(s.assets, a)
		answer, status = a, http.StatusCreated
	case r.Method == http.MethodPost:
		status = http.StatusCreated
	}
	s.mu.Unlock()
	if r.Method == http.MethodPost && s.applies(LostAnswer) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, answer)
}
