package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

type repoState struct {
	owner, name string
	immutable   bool
	burned      map[string]bool // tags once used by an immutable release
	releases    map[int64]*releaseState
	latestID    int64 // explicitly chosen latest release; 0 = fall back to the legacy rule
}

type releaseState struct {
	id         int64
	repo       *repoState
	tag        string
	target     string // target_commitish as given; "" = the default branch
	name       string
	body       string
	discussion string
	draft      bool
	prerelease bool
	immutable  bool
	// immutableAt is when GitHub shows the release immutable and its
	// attestation (Options.ImmutableAfter after the publish).
	immutableAt time.Time
	created     time.Time
	published   time.Time
	assets      []*assetState // in upload order
}

type assetState struct {
	id          int64
	release     *releaseState
	name        string
	label       string
	state       string
	contentType string
	size        int64
	sha256      string // hex; "" when unknown
	content     []byte
	kept        bool // content holds the full bytes
	downloads   int
	created     time.Time
	updated     time.Time
}

// newAsset stores an asset on rel with fresh timestamps; it must hold s.mu.
func (s *Server) newAsset(rel *releaseState, name, label, state, contentType string) *assetState {
	now := s.now()
	a := &assetState{
		id: s.nextID(), release: rel, name: name, label: label, state: state,
		contentType: contentType, created: now, updated: now,
	}
	rel.assets = append(rel.assets, a)
	s.assets[a.id] = a
	return a
}

func (s *Server) nextID() int64 {
	s.seq++
	return s.seq
}

// AddRepo creates an empty repository ("owner/name"); immutable turns on immutable
// releases for it. Adding an existing repository only updates the immutable setting.
// https://docs.github.com/en/code-security/supply-chain-security/understanding-your-software-supply-chain/immutable-releases
func (s *Server) AddRepo(fullName string, immutable bool) {
	owner, name, ok := strings.Cut(fullName, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		panic(fmt.Sprintf("emulator: repository %q is not owner/name", fullName))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.git.AddRepo(fullName)
	if s.firstRepo == "" {
		s.firstRepo = fullName
	}
	if r := s.repos[strings.ToLower(fullName)]; r != nil {
		r.immutable = immutable
		return
	}
	s.repos[strings.ToLower(fullName)] = &repoState{
		owner:     owner,
		name:      name,
		immutable: immutable,
		burned:    map[string]bool{},
		releases:  map[int64]*releaseState{},
	}
}

// AddTag records a git tag that already exists in the repository, as a
// lightweight tag on the default branch's head (Git() seeds other shapes); it
// panics if the repository is unknown.
func (s *Server) AddTag(repo, tag string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mustRepo(repo)
	if _, _, err := s.git.TagForRelease(repo, tag, ""); err != nil {
		panic(err)
	}
}

// Tags returns the repository's git tags, sorted.
func (s *Server) Tags(repo string) []string { return s.git.Tags(repo) }

func (s *Server) mustRepo(repo string) *repoState {
	r := s.repos[strings.ToLower(repo)]
	if r == nil {
		panic(fmt.Sprintf("emulator: unknown repository %q (call AddRepo first)", repo))
	}
	return r
}

func (r *repoState) fullName() string { return r.owner + "/" + r.name }

func (s *Server) repo(owner, name string) *repoState {
	return s.repos[strings.ToLower(owner+"/"+name)]
}

// sorted returns the releases newest first: by creation time, ties by ID.
func (r *repoState) sorted() []*releaseState {
	out := make([]*releaseState, 0, len(r.releases))
	for _, rel := range r.releases {
		out = append(out, rel)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].created.Equal(out[j].created) {
			return out[i].created.After(out[j].created)
		}
		return out[i].id > out[j].id
	})
	return out
}

// publishedByTag returns the published release that holds tag, if any.
func (r *repoState) publishedByTag(tag string) *releaseState {
	var found *releaseState
	for _, rel := range r.releases {
		if !rel.draft && rel.tag == tag && (found == nil || rel.id < found.id) {
			found = rel
		}
	}
	return found
}

// tagFor does to git what publishing a release for tag does (Git.TagForRelease):
// it creates the tag at target, resolved now, unless the tag exists. A target
// that is neither a branch nor a commit is GitHub's 422; it must hold s.mu, and
// the caller changes nothing when it fails.
func (s *Server) tagFor(doc string, repo *repoState, tag, target string) *apiError {
	_, _, err := s.git.TagForRelease(repo.fullName(), tag, target)
	switch {
	case errors.Is(err, ErrUnknownTarget):
		return errValidation(doc, fieldError{Resource: "Release", Code: "invalid", Field: "target_commitish"})
	case err != nil:
		return errUnprocessable(doc, err.Error())
	}
	return nil
}

// publish marks a release published at t (its tag already made by tagFor), and
// makes it immutable, its tag locked, when the repository asks for that; an
// immutable release gets GitHub's release attestation (sigstore_release.go),
// both shown Options.ImmutableAfter later.
func (s *Server) publish(rel *releaseState, t time.Time) {
	rel.draft = false
	rel.published = t
	if rel.repo.immutable {
		rel.immutable = true
		rel.immutableAt = s.clock().Add(s.opts.ImmutableAfter)
		s.git.SetTagLocked(rel.repo.fullName(), rel.tag, true)
		if err := s.attestRelease(rel, rel.immutableAt); err != nil {
			panic(fmt.Sprintf("emulator: attesting release %s: %v", rel.tag, err))
		}
	}
}

func (rel *releaseState) eligibleLatest() bool { return !rel.draft && !rel.prerelease }

// applyLatest applies make_latest after rel was created or updated. publishedNow
// tells whether this request published it, which is when an absent make_latest
// means "true".
// https://docs.github.com/en/rest/releases/releases#create-a-release
func (r *repoState) applyLatest(rel *releaseState, makeLatest string, publishedNow bool) {
	switch makeLatest {
	case "true":
		if rel.eligibleLatest() {
			r.latestID = rel.id
		}
	case "legacy":
		r.recomputeLatest()
	case "":
		if publishedNow && rel.eligibleLatest() {
			r.latestID = rel.id
		}
	}
	if r.latestID == rel.id && !rel.eligibleLatest() {
		r.recomputeLatest()
	}
}

// recomputeLatest pins the legacy pick as latest, as GitHub does when the latest
// release is deleted or stops being eligible.
func (r *repoState) recomputeLatest() {
	r.latestID = 0
	if l := r.legacyLatest(); l != nil {
		r.latestID = l.id
	}
}

// latest is the explicitly chosen latest release, or the legacy pick when none is.
func (r *repoState) latest() *releaseState {
	if rel := r.releases[r.latestID]; rel != nil && rel.eligibleLatest() {
		return rel
	}
	return r.legacyLatest()
}

// legacyLatest picks among published non-prereleases by creation date, then by
// semantic version, then by ID.
func (r *repoState) legacyLatest() *releaseState {
	var best *releaseState
	for _, rel := range r.releases {
		if !rel.eligibleLatest() {
			continue
		}
		if best == nil || legacyNewer(rel, best) {
			best = rel
		}
	}
	return best
}

func legacyNewer(a, b *releaseState) bool {
	if !a.created.Equal(b.created) {
		return a.created.After(b.created)
	}
	if c := compareSemver(a.tag, b.tag); c != 0 {
		return c > 0
	}
	return a.id > b.id
}

// compareSemver orders tags like "v1.2.3" and "1.2.3-rc.1"; tags that are not
// versions sort below versions.
func compareSemver(a, b string) int {
	va, oka := parseSemver(a)
	vb, okb := parseSemver(b)
	switch {
	case !oka && !okb:
		return 0
	case !oka:
		return -1
	case !okb:
		return 1
	}
	for i := 0; i < 3; i++ {
		if va.num[i] != vb.num[i] {
			if va.num[i] > vb.num[i] {
				return 1
			}
			return -1
		}
	}
	switch {
	case va.pre == vb.pre:
		return 0
	case va.pre == "":
		return 1
	case vb.pre == "":
		return -1
	case va.pre > vb.pre:
		return 1
	}
	return -1
}

type semver struct {
	num [3]int
	pre string
}

func parseSemver(tag string) (semver, bool) {
	var v semver
	t := strings.TrimPrefix(strings.TrimPrefix(tag, "v"), "V")
	t, _, _ = strings.Cut(t, "+")
	t, v.pre, _ = strings.Cut(t, "-")
	parts := strings.Split(t, ".")
	if len(parts) == 0 || len(parts) > 3 {
		return v, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return v, false
		}
		v.num[i] = n
	}
	return v, true
}

// untagged is the placeholder GitHub shows in a draft's URLs instead of its tag.
func (rel *releaseState) untagged() string {
	sum := sha256.Sum256([]byte("release-" + strconv.FormatInt(rel.id, 10)))
	return "untagged-" + hex.EncodeToString(sum[:10])
}

// webTag is the tag segment of the release's web URLs.
func (rel *releaseState) webTag() string {
	if rel.draft {
		return rel.untagged()
	}
	return url.PathEscape(rel.tag)
}

func (s *Server) renderRelease(u urls, rel *releaseState) Release {
	repoPath := rel.repo.owner + "/" + rel.repo.name
	apiRel := u.api + "/repos/" + repoPath + "/releases/" + strconv.FormatInt(rel.id, 10)
	target := rel.target
	if target == "" {
		target = s.git.DefaultBranch(repoPath) // what GitHub shows for "no target"
	}
	out := Release{
		URL:             apiRel,
		HTMLURL:         u.web + "/" + repoPath + "/releases/tag/" + rel.webTag(),
		AssetsURL:       apiRel + "/assets",
		UploadURL:       u.upload + "/repos/" + repoPath + "/releases/" + strconv.FormatInt(rel.id, 10) + "/assets{?name,label}",
		TarballURL:      u.api + "/repos/" + repoPath + "/tarball/" + url.PathEscape(rel.tag),
		ZipballURL:      u.api + "/repos/" + repoPath + "/zipball/" + url.PathEscape(rel.tag),
		ID:              rel.id,
		NodeID:          nodeID("Release", rel.id),
		TagName:         rel.tag,
		TargetCommitish: target,
		Name:            rel.name,
		Body:            rel.body,
		Draft:           rel.draft,
		Prerelease:      rel.prerelease,
		Immutable:       rel.immutable && !s.clock().Before(rel.immutableAt),
		CreatedAt:       rel.created,
		PublishedAt:     rel.published,
		Author:          botUser(u),
		Assets:          []Asset{},
	}
	for _, a := range rel.assets {
		out.Assets = append(out.Assets, s.renderAsset(u, a))
	}
	return out
}

func (s *Server) renderAsset(u urls, a *assetState) Asset {
	rel := a.release
	repoPath := rel.repo.owner + "/" + rel.repo.name
	out := Asset{
		URL:                u.api + "/repos/" + repoPath + "/releases/assets/" + strconv.FormatInt(a.id, 10),
		BrowserDownloadURL: u.web + "/" + repoPath + "/releases/download/" + rel.webTag() + "/" + url.PathEscape(a.name),
		ID:                 a.id,
		NodeID:             nodeID("ReleaseAsset", a.id),
		Name:               a.name,
		Label:              a.label,
		State:              a.state,
		ContentType:        a.contentType,
		Size:               a.size,
		DownloadCount:      a.downloads,
		CreatedAt:          a.created,
		UpdatedAt:          a.updated,
		Uploader:           botUser(u),
	}
	if a.sha256 != "" {
		out.Digest = "sha256:" + a.sha256
	}
	return out
}

// removeAsset deletes an asset from its release and from the index.
func (s *Server) removeAsset(a *assetState) {
	rel := a.release
	for i, x := range rel.assets {
		if x == a {
			rel.assets = append(rel.assets[:i:i], rel.assets[i+1:]...)
			break
		}
	}
	delete(s.assets, a.id)
}
