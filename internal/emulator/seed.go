package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// Seeding: what a test puts in place before the client runs, without going
// through the API and its validation.

// SeedRelease describes a release put in place by a test.
type SeedRelease struct {
	TagName         string
	TargetCommitish string // "" = the default branch
	Name            string
	Body            string
	Draft           bool
	Prerelease      bool
	CreatedAt       time.Time // now if zero
	// MakeLatest is "true" (the default when empty), "false" or "legacy", as in the API.
	MakeLatest string
}

// SeedRelease stores a release without any API validation and returns it as the API
// would render it. A published release creates its tag where it does not exist
// (at TargetCommitish, else the default branch's head) and, in an immutable
// repository, is immutable and locks its tag. It panics if the repository is unknown.
func (s *Server) SeedRelease(repo string, sr SeedRelease) Release {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(repo)
	rel := &releaseState{
		id:         s.nextID(),
		repo:       r,
		tag:        sr.TagName,
		target:     sr.TargetCommitish,
		name:       sr.Name,
		body:       sr.Body,
		draft:      sr.Draft,
		prerelease: sr.Prerelease,
		created:    sr.CreatedAt.UTC().Truncate(time.Second),
	}
	if sr.CreatedAt.IsZero() {
		rel.created = s.now()
	}
	if !rel.draft {
		if apiErr := s.tagFor("", r, rel.tag, rel.target); apiErr != nil {
			panic(fmt.Sprintf("emulator: seeding release %s: %s", rel.tag, apiErr.message))
		}
	}
	r.releases[rel.id] = rel
	if !rel.draft {
		s.publish(rel, rel.created)
	}
	mk := sr.MakeLatest
	if mk == "" {
		mk = "true"
	}
	r.applyLatest(rel, mk, !rel.draft)
	return s.renderRelease(s.urlsFor(s.lastHost), rel)
}

// SeedAsset stores an asset on a release without any API validation. The name is
// rewritten as an upload's would be (see observedNames); state "" means "uploaded". An asset that is not
// "uploaded" has size 0 and no digest, whatever content is given. It panics if the
// repository or the release is unknown.
func (s *Server) SeedAsset(repo string, releaseID int64, name, label, state string, content []byte) Asset {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.mustRepo(repo)
	rel := r.releases[releaseID]
	if rel == nil {
		panic(fmt.Sprintf("emulator: unknown release %d in %s", releaseID, repo))
	}
	if state == "" {
		state = "uploaded"
	}
	stored, ok := storedName(name)
	if !ok {
		panic(unobserved(name))
	}
	a := s.newAsset(rel, stored, label, state, "application/octet-stream")
	if state == "uploaded" {
		sum := sha256.Sum256(content)
		a.size = int64(len(content))
		a.sha256 = hex.EncodeToString(sum[:])
		a.content = append([]byte(nil), content...)
		a.kept = true
	}
	return s.renderAsset(s.urlsFor(s.lastHost), a)
}
