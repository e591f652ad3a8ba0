package emulator

import "strings"

// Inspection: what a test reads back after the client ran, apart from the wire
// code that answers the client.

// Releases returns the repository's releases, newest first, drafts included. URLs
// use the host of the most recent request ("localhost" before any).
func (s *Server) Releases(repo string) []Release {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[strings.ToLower(repo)]
	if r == nil {
		return nil
	}
	u := s.urlsFor(s.lastHost)
	var out []Release
	for _, rel := range r.sorted() {
		out = append(out, s.renderRelease(u, rel))
	}
	return out
}

// Assets returns a release's assets, oldest first, or nil if the release is unknown.
func (s *Server) Assets(repo string, releaseID int64) []Asset {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[strings.ToLower(repo)]
	if r == nil || r.releases[releaseID] == nil {
		return nil
	}
	u := s.urlsFor(s.lastHost)
	var out []Asset
	for _, a := range r.releases[releaseID].assets {
		out = append(out, s.renderAsset(u, a))
	}
	return out
}

// AssetContent returns a copy of an asset's bytes; ok is false when the asset is
// unknown, not fully uploaded, or larger than MaxStoredBytes.
func (s *Server) AssetContent(repo string, assetID int64) ([]byte, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.assets[assetID]
	if a == nil || !strings.EqualFold(a.release.repo.owner+"/"+a.release.repo.name, repo) || !a.kept || a.state != "uploaded" {
		return nil, false
	}
	return append([]byte{}, a.content...), true
}

// Latest returns the release GET /releases/latest would answer.
// https://docs.github.com/en/rest/releases/releases#get-the-latest-release
func (s *Server) Latest(repo string) (Release, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[strings.ToLower(repo)]
	if r == nil {
		return Release{}, false
	}
	rel := r.latest()
	if rel == nil {
		return Release{}, false
	}
	return s.renderRelease(s.urlsFor(s.lastHost), rel), true
}

// ResetLog forgets the recorded requests.
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// Requests returns a copy of the request log, in the order requests finished.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// Counts returns how many logged requests hit each route.
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[string]int{}
	for _, r := range s.log {
		m[r.Route]++
	}
	return m
}
