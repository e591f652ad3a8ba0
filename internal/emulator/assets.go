package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// findAsset returns the route's asset in the route's repository or a 404; it must
// hold s.mu.
func (s *Server) findAsset(rt route) (*assetState, *apiError) {
	repo, apiErr := s.findRepo(rt)
	if apiErr != nil {
		return nil, apiErr
	}
	a := s.assets[rt.id]
	if !rt.idOK || a == nil || a.release.repo != repo {
		return nil, errNotFound(routeDocs[rt.name])
	}
	return a, nil
}

// nameTaken reports whether another asset of rel already has name, whatever its state.
func nameTaken(rel *releaseState, name string, except *assetState) bool {
	for _, a := range rel.assets {
		if a != except && a.name == name {
			return true
		}
	}
	return false
}

// listAssets serves GET /repos/{o}/{r}/releases/{id}/assets, oldest first.
// https://docs.github.com/en/rest/releases/assets#list-release-assets
func (s *Server) listAssets(w http.ResponseWriter, r *http.Request, rt route) {
	s.answer(w, func() (any, *apiError) {
		rel, apiErr := s.findRelease(rt)
		if apiErr != nil {
			return nil, apiErr
		}
		lo, hi := s.page(w, r, len(rel.assets))
		u := s.urlsFor(r.Host)
		out := make([]Asset, 0, hi-lo)
		for _, a := range rel.assets[lo:hi] {
			out = append(out, s.renderAsset(u, a))
		}
		return out, nil
	})
}

// getAsset serves GET /repos/{o}/{r}/releases/assets/{id}: the JSON, or with
// "Accept: application/octet-stream" the content (302 or 200, per RedirectDownloads).
// https://docs.github.com/en/rest/releases/assets#get-a-release-asset
func (s *Server) getAsset(w http.ResponseWriter, r *http.Request, rt route) {
	s.mu.Lock()
	a, apiErr := s.findAsset(rt)
	if apiErr != nil {
		s.mu.Unlock()
		writeError(w, apiErr)
		return
	}
	if rt.name != RouteDownloadAsset {
		out := s.renderAsset(s.urlsFor(r.Host), a)
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
		return
	}
	if a.state != "uploaded" {
		s.mu.Unlock()
		writeError(w, errNotFound(routeDocs[rt.name]))
		return
	}
	if s.opts.RedirectDownloads {
		loc := s.renderAsset(s.urlsFor(r.Host), a).BrowserDownloadURL
		s.mu.Unlock()
		http.Redirect(w, r, loc, http.StatusFound)
		return
	}
	s.serveContent(w, r, a) // unlocks
}

// browserDownload serves http://HOST/{o}/{r}/releases/download/{tag}/{name}; a
// draft is reached through its "untagged-…" placeholder.
func (s *Server) browserDownload(w http.ResponseWriter, r *http.Request, rt route) {
	s.mu.Lock()
	var found *assetState
	if repo := s.repo(rt.owner, rt.repo); repo != nil {
		for _, rel := range repo.releases {
			if (rel.draft && rel.untagged() == rt.tag) || (!rel.draft && rel.tag == rt.tag) {
				for _, a := range rel.assets {
					if a.name == rt.assetName && a.state == "uploaded" {
						found = a
					}
				}
			}
		}
	}
	if found == nil {
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "Not Found")
		return
	}
	s.serveContent(w, r, found) // unlocks
}

// serveContent writes an asset's bytes; it is called holding s.mu and releases it.
func (s *Server) serveContent(w http.ResponseWriter, r *http.Request, a *assetState) {
	if !a.kept {
		s.mu.Unlock()
		writeError(w, &apiError{
			status:  http.StatusNotImplemented,
			message: "emulator: content larger than MaxStoredBytes was not kept",
		})
		return
	}
	a.downloads++
	content, name := a.content, a.name // content is never modified in place
	s.mu.Unlock()
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Length", strconv.Itoa(len(content)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(content)
	}
}

// updateAsset serves PATCH /repos/{o}/{r}/releases/assets/{id}; a new name is
// rewritten like an upload's (storedName).
// https://docs.github.com/en/rest/releases/assets#update-a-release-asset
func (s *Server) updateAsset(w http.ResponseWriter, r *http.Request, rt route) {
	doc := routeDocs[rt.name]
	o, apiErr := readObject(r, doc, "ReleaseAsset")
	var name, label string
	var hasName, hasLabel bool
	if apiErr == nil {
		name, hasName, apiErr = o.str("name")
	}
	if apiErr == nil {
		label, hasLabel, apiErr = o.str("label")
	}
	if apiErr == nil {
		_, _, apiErr = o.str("state")
	}
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	a, apiErr := s.findAsset(rt)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	newName, newLabel := a.name, a.label
	if hasName {
		if strings.TrimSpace(name) == "" {
			writeError(w, errValidation(doc, fieldError{Resource: "ReleaseAsset", Code: "invalid", Field: "name"}))
			return
		}
		var ok bool
		if newName, ok = storedName(name); !ok {
			writeError(w, errUnprocessable(doc, unobserved(name)))
			return
		}
	}
	if hasLabel {
		newLabel = label
	}
	if a.release.immutable && (newName != a.name || newLabel != a.label) {
		writeError(w, errUnprocessable(doc, "Cannot update assets of an immutable release"))
		return
	}
	if nameTaken(a.release, newName, a) {
		writeError(w, errAlreadyExists(doc, "ReleaseAsset", "name"))
		return
	}
	a.name, a.label = newName, newLabel
	a.updated = s.now()
	writeJSON(w, http.StatusOK, s.renderAsset(s.urlsFor(r.Host), a))
}

// deleteAsset serves DELETE /repos/{o}/{r}/releases/assets/{id}.
// https://docs.github.com/en/rest/releases/assets#delete-a-release-asset
func (s *Server) deleteAsset(w http.ResponseWriter, _ *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, apiErr := s.findAsset(rt)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	if a.release.immutable {
		writeError(w, errUnprocessable(routeDocs[rt.name], "Cannot delete assets of an immutable release"))
		return
	}
	s.removeAsset(a)
	w.WriteHeader(http.StatusNoContent)
}

// maxDrain bounds how much of a refused upload body is read so that the client sees
// the answer instead of a broken pipe.
const maxDrain = 1 << 30

// drain discards the rest of a request body.
func drain(r *http.Request) {
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrain))
}

// faultPart is how much of an upload body a FaultStarter or FaultDrop reads.
func faultPart(contentLength int64) int64 {
	return min(contentLength/2, 1<<20)
}

// uploadAsset serves POST {uploads}/repos/{o}/{r}/releases/{id}/assets?name=&label=.
// The asset exists in state "starter" from the moment the body starts to stream and
// becomes "uploaded" once all Content-Length bytes arrived; a body that ends early
// leaves the starter behind, as GitHub does. It reports whether the connection was
// dropped.
// https://docs.github.com/en/rest/releases/assets#upload-a-release-asset
func (s *Server) uploadAsset(c *exchange) bool {
	doc := routeDocs[c.rt.name]
	a, apiErr := s.startUpload(c.r, c.rt, doc)
	if apiErr != nil {
		writeError(c.w, apiErr)
		return false
	}
	var body io.Reader = c.r.Body
	if s.opts.UploadBytesPerSecond > 0 {
		body = newThrottle(c.r.Context(), body, s.opts.UploadBytesPerSecond)
	}
	if c.fault != nil {
		// Part of the bytes arrive, then the upstream fails: the starter stays.
		_, _ = io.CopyN(io.Discard, body, faultPart(c.r.ContentLength))
		if c.fault.Kind == FaultDrop {
			return dropConnection(c.raw, c.w)
		}
		drain(c.r)
		writeError(c.w, &apiError{status: http.StatusBadGateway, message: "Bad Gateway", docURL: doc})
		return false
	}
	s.finishUpload(c.w, c.r, a, body, doc)
	return false
}

// MaxAssets is how many assets GitHub lets one release hold.
const MaxAssets = 1000

// startUpload checks an upload and stores its "starter" asset. A refused
// upload's body is read to the end first, except a chunked one, which net/http
// closes the connection on.
func (s *Server) startUpload(r *http.Request, rt route, doc string) (*assetState, *apiError) {
	q := r.URL.Query()
	name, label, contentType := q.Get("name"), q.Get("label"), r.Header.Get("Content-Type")
	if r.ContentLength < 0 {
		return nil, &apiError{status: http.StatusBadRequest, message: "Content-Length header is required; chunked uploads are not supported", docURL: doc}
	}
	var apiErr *apiError
	switch {
	case strings.TrimSpace(name) == "":
		apiErr = errMissingField(doc, "ReleaseAsset", "name")
	case contentType == "":
		apiErr = &apiError{status: http.StatusBadRequest, message: "Content-Type header is required", docURL: doc}
	case r.ContentLength == 0:
		// GitHub refuses an empty asset (github-releases-api.md, "Limits").
		apiErr = errValidation(doc, fieldError{Resource: "ReleaseAsset", Code: "custom", Field: "size", Message: "size must be greater than or equal to 1"})
	case r.ContentLength >= 2<<30:
		apiErr = errValidation(doc, fieldError{Resource: "ReleaseAsset", Code: "custom", Field: "size", Message: "size must be less than 2147483648"})
	}
	var a *assetState
	if apiErr == nil {
		s.mu.Lock()
		a, apiErr = s.addStarter(rt, doc, name, label, contentType)
		s.mu.Unlock()
	}
	if apiErr != nil {
		drain(r)
		return nil, apiErr
	}
	return a, nil
}

// addStarter stores the asset of an upload that is about to stream; it must
// hold s.mu.
func (s *Server) addStarter(rt route, doc, name, label, contentType string) (*assetState, *apiError) {
	rel, apiErr := s.findRelease(rt)
	if apiErr != nil {
		return nil, apiErr
	}
	stored, observed := storedName(name)
	switch {
	case !observed:
		return nil, errUnprocessable(doc, unobserved(name))
	case rel.immutable:
		return nil, errUnprocessable(doc, "Cannot upload assets to an immutable release")
	case nameTaken(rel, stored, nil):
		return nil, errAlreadyExists(doc, "ReleaseAsset", "name")
	case len(rel.assets) >= MaxAssets:
		// GitHub refuses uploads beyond 1,000 assets on one release
		// (github-releases-api.md, "Limits"); the wording is the emulator's.
		return nil, errValidation(doc, fieldError{Resource: "ReleaseAsset", Code: "custom", Field: "release", Message: fmt.Sprintf("a release can have at most %d assets", MaxAssets)})
	}
	return s.newAsset(rel, stored, label, "starter", contentType), nil
}

// finishUpload streams the body into the starter asset a and, once every
// announced byte arrived, makes it "uploaded".
func (s *Server) finishUpload(w http.ResponseWriter, r *http.Request, a *assetState, body io.Reader, doc string) {
	sink := newContentSink(r.ContentLength, s.opts.MaxStoredBytes)
	n, err := io.Copy(sink, body)
	if err != nil || n != r.ContentLength {
		// The client went away or sent less than it announced: GitHub keeps a starter.
		writeError(w, &apiError{status: http.StatusBadRequest, message: "upload ended before Content-Length bytes arrived", docURL: doc})
		return
	}
	s.mu.Lock()
	if s.assets[a.id] != a {
		// Deleted (with its release, perhaps) while the body streamed.
		s.mu.Unlock()
		writeError(w, errNotFound(doc))
		return
	}
	a.state = "uploaded"
	a.size = n
	a.sha256 = hex.EncodeToString(sink.h.Sum(nil))
	a.content, a.kept = sink.buf, sink.keep
	a.updated = s.now()
	out := s.renderAsset(s.urlsFor(r.Host), a)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, out)
}

// contentSink hashes everything written to it and keeps the bytes only when the
// announced size fits the storage limit, so it never buffers more than that.
type contentSink struct {
	h    hash.Hash
	buf  []byte
	keep bool
}

func newContentSink(size, limit int64) *contentSink {
	c := &contentSink{h: sha256.New(), keep: limit >= 0 && size <= limit}
	if c.keep {
		c.buf = make([]byte, 0, size)
	}
	return c
}

func (c *contentSink) Write(p []byte) (int, error) {
	c.h.Write(p)
	if c.keep {
		c.buf = append(c.buf, p...)
	}
	return len(p), nil
}
