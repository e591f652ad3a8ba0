package emulator

import "net/http"

// RouteImmutableReleases names the repository's immutable-releases setting.
const RouteImmutableReleases = "immutable_releases"

// docsImmutableReleases is the setting's documentation.
const docsImmutableReleases = "https://docs.github.com/rest/repos/repos#check-if-immutable-releases-are-enabled-for-a-repository"

// immutableSetting is the answer of GET /repos/{o}/{r}/immutable-releases.
type immutableSetting struct {
	Enabled         bool `json:"enabled"`
	EnforcedByOwner bool `json:"enforced_by_owner"`
}

// getImmutableReleases serves GET /repos/{o}/{r}/immutable-releases: whether
// releases published from now on become immutable (AddRepo's setting). A
// server without the endpoint (GitHub Enterprise Server before 3.21) answers
// 404; tests make that with a FaultStatus on this route.
// https://docs.github.com/rest/repos/repos#check-if-immutable-releases-are-enabled-for-a-repository
func (s *Server) getImmutableReleases(w http.ResponseWriter, _ *http.Request, rt route) {
	s.mu.Lock()
	repo, apiErr := s.findRepo(rt)
	var out immutableSetting
	if apiErr == nil {
		out.Enabled = repo.immutable
	}
	s.mu.Unlock()
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func init() { routeDocs[RouteImmutableReleases] = docsImmutableReleases }
