package emulator

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// page reads per_page and page from the query, sets GitHub's Link header for a
// list of total items, and returns the slice bounds of the requested page.
// https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
func (s *Server) page(w http.ResponseWriter, r *http.Request, total int) (lo, hi int) {
	q := r.URL.Query()
	perPage, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || perPage <= 0 {
		perPage = s.opts.PerPageDefault
	}
	perPage = min(perPage, 100)
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page <= 0 {
		page = 1
	}
	last := max((total+perPage-1)/perPage, 1)

	link := func(p int, rel string) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("per_page", strconv.Itoa(perPage))
		v.Set("page", strconv.Itoa(p))
		return fmt.Sprintf(`<http://%s%s?%s>; rel="%s"`, r.Host, r.URL.EscapedPath(), v.Encode(), rel)
	}
	var links []string
	if page > 1 {
		links = append(links, link(min(page-1, last), "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	lo = min((page-1)*perPage, total)
	hi = min(lo+perPage, total)
	return lo, hi
}

// findRepo returns the route's repository or a 404; it must hold s.mu.
func (s *Server) findRepo(rt route) (*repoState, *apiError) {
	repo := s.repo(rt.owner, rt.repo)
	if repo == nil {
		return nil, errNotFound(routeDocs[rt.name])
	}
	return repo, nil
}

// findRelease returns the route's release (drafts included) or a 404; it must hold s.mu.
func (s *Server) findRelease(rt route) (*releaseState, *apiError) {
	repo, apiErr := s.findRepo(rt)
	if apiErr != nil {
		return nil, apiErr
	}
	rel := repo.releases[rt.id]
	if !rt.idOK || rel == nil {
		return nil, errNotFound(routeDocs[rt.name])
	}
	return rel, nil
}

// listReleases serves GET /repos/{o}/{r}/releases: newest first, drafts included.
func (s *Server) listReleases(w http.ResponseWriter, r *http.Request, rt route) {
	s.answer(w, func() (any, *apiError) {
		repo, apiErr := s.findRepo(rt)
		if apiErr != nil {
			return nil, apiErr
		}
		all := repo.sorted()
		lo, hi := s.page(w, r, len(all))
		u := s.urlsFor(r.Host)
		out := make([]Release, 0, hi-lo)
		for _, rel := range all[lo:hi] {
			out = append(out, s.renderRelease(u, rel))
		}
		return out, nil
	})
}

// getRelease serves GET /repos/{o}/{r}/releases/{id}, drafts included.
func (s *Server) getRelease(w http.ResponseWriter, r *http.Request, rt route) {
	s.answer(w, func() (any, *apiError) {
		rel, apiErr := s.findRelease(rt)
		if apiErr != nil {
			return nil, apiErr
		}
		return s.renderRelease(s.urlsFor(r.Host), rel), nil
	})
}

// getReleaseByTag serves GET /repos/{o}/{r}/releases/tags/{tag}; drafts are never found.
func (s *Server) getReleaseByTag(w http.ResponseWriter, r *http.Request, rt route) {
	s.answer(w, func() (any, *apiError) {
		repo, apiErr := s.findRepo(rt)
		if apiErr != nil {
			return nil, apiErr
		}
		rel := repo.publishedByTag(rt.tag)
		if rel == nil {
			return nil, errNotFound(routeDocs[rt.name])
		}
		return s.renderRelease(s.urlsFor(r.Host), rel), nil
	})
}

// getLatest serves GET /repos/{o}/{r}/releases/latest.
func (s *Server) getLatest(w http.ResponseWriter, r *http.Request, rt route) {
	s.answer(w, func() (any, *apiError) {
		repo, apiErr := s.findRepo(rt)
		if apiErr != nil {
			return nil, apiErr
		}
		rel := repo.latest()
		if rel == nil {
			return nil, errNotFound(routeDocs[rt.name])
		}
		return s.renderRelease(s.urlsFor(r.Host), rel), nil
	})
}

// answer runs read under the server's lock, then writes its result as a 200 JSON
// answer, or its error. Every read-only route has this shape.
func (s *Server) answer(w http.ResponseWriter, read func() (any, *apiError)) {
	s.mu.Lock()
	out, apiErr := read()
	s.mu.Unlock()
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// releaseInput is a validated create or update body; the has* flags tell which
// fields were present.
type releaseInput struct {
	tag, target, name, body, discussion, makeLatest     string
	draft, prerelease, generate                         bool
	hasTag, hasTarget, hasName, hasBody, hasDiscussion  bool
	hasDraft, hasPrerelease, hasGenerate, hasMakeLatest bool
}

// parseReleaseInput checks each field's JSON type strictly, as GitHub does.
func parseReleaseInput(r *http.Request, doc string) (releaseInput, *apiError) {
	var in releaseInput
	o, apiErr := readObject(r, doc, "Release")
	if apiErr != nil {
		return in, apiErr
	}
	steps := []func() *apiError{
		func() (e *apiError) { in.tag, in.hasTag, e = o.str("tag_name"); return },
		func() (e *apiError) { in.target, in.hasTarget, e = o.str("target_commitish"); return },
		func() (e *apiError) { in.name, in.hasName, e = o.str("name"); return },
		func() (e *apiError) { in.body, in.hasBody, e = o.str("body"); return },
		func() (e *apiError) { in.discussion, in.hasDiscussion, e = o.str("discussion_category_name"); return },
		func() (e *apiError) { in.draft, in.hasDraft, e = o.boolean("draft"); return },
		func() (e *apiError) { in.prerelease, in.hasPrerelease, e = o.boolean("prerelease"); return },
		func() (e *apiError) { in.generate, in.hasGenerate, e = o.boolean("generate_release_notes"); return },
		func() (e *apiError) {
			in.makeLatest, in.hasMakeLatest, e = o.enum("make_latest", "true", "false", "legacy")
			return
		},
	}
	for _, step := range steps {
		if apiErr := step(); apiErr != nil {
			return in, apiErr
		}
	}
	if n := utf8.RuneCountInString(in.body); n > MaxBodyChars {
		// GitHub's limit on a release body (github-releases-api.md, "Limits").
		return in, errValidation(doc, fieldError{Resource: "Release", Code: "custom", Field: "body",
			Message: fmt.Sprintf("body is too long (maximum is %d characters)", MaxBodyChars)})
	}
	return in, nil
}

// MaxBodyChars is the longest release body GitHub accepts.
const MaxBodyChars = 125_000

func errImmutableTag(doc, tag string) *apiError {
	return errValidation(doc, fieldError{
		Resource: "Release", Code: "custom", Field: "tag_name",
		Message: fmt.Sprintf("tag_name %q was used by an immutable release and cannot be reused", tag),
	})
}

func errInvalidTag(doc string) *apiError {
	return errValidation(doc, fieldError{Resource: "Release", Code: "invalid", Field: "tag_name"})
}

// createRelease serves POST /repos/{o}/{r}/releases.
// https://docs.github.com/en/rest/releases/releases#create-a-release
func (s *Server) createRelease(w http.ResponseWriter, r *http.Request, rt route) {
	doc := routeDocs[rt.name]
	in, apiErr := parseReleaseInput(r, doc)
	if apiErr == nil && !in.hasTag {
		apiErr = errMissingField(doc, "Release", "tag_name")
	}
	if apiErr == nil && strings.TrimSpace(in.tag) == "" {
		apiErr = errInvalidTag(doc)
	}
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}

	s.mu.Lock()
	repo, apiErr := s.findRepo(rt)
	switch {
	case apiErr != nil:
	case !in.draft && repo.burned[in.tag]:
		// A draft on a burned tag is accepted, uploads too; only publishing it is
		// refused (checkUpdate), so nothing tells the burn before the publish.
		apiErr = errImmutableTag(doc, in.tag)
	case !in.draft && repo.publishedByTag(in.tag) != nil:
		apiErr = errAlreadyExists(doc, "Release", "tag_name")
	case !in.draft:
		apiErr = s.tagFor(doc, repo, in.tag, in.target)
	}
	if apiErr != nil {
		s.mu.Unlock()
		writeError(w, apiErr)
		return
	}
	now := s.now()
	rel := &releaseState{
		id:         s.nextID(),
		repo:       repo,
		tag:        in.tag,
		target:     in.target,
		name:       in.name,
		body:       in.body,
		discussion: in.discussion,
		draft:      in.draft,
		prerelease: in.prerelease,
		created:    now,
	}
	if in.generate {
		notes := s.notes(r.Host, repo, rel.tag, "", rel.target)
		if rel.body == "" {
			rel.body = notes
		} else {
			rel.body += "\n\n" + notes
		}
		if rel.name == "" {
			rel.name = rel.tag
		}
	}
	repo.releases[rel.id] = rel
	if !rel.draft {
		s.publish(rel, now)
	}
	repo.applyLatest(rel, in.makeLatest, !rel.draft)
	out := s.renderRelease(s.urlsFor(r.Host), rel)
	s.mu.Unlock()
	w.Header().Set("Location", out.URL)
	writeJSON(w, http.StatusCreated, out)
}

// updateRelease serves PATCH /repos/{o}/{r}/releases/{id}; absent fields are left alone.
// https://docs.github.com/en/rest/releases/releases#update-a-release
func (s *Server) updateRelease(w http.ResponseWriter, r *http.Request, rt route) {
	doc := routeDocs[rt.name]
	in, apiErr := parseReleaseInput(r, doc)
	if apiErr == nil && in.hasTag && strings.TrimSpace(in.tag) == "" {
		apiErr = errInvalidTag(doc)
	}
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	rel, apiErr := s.findRelease(rt)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	newTag, newDraft := rel.tag, rel.draft
	if in.hasTag {
		newTag = in.tag
	}
	if in.hasDraft {
		newDraft = in.draft
	}
	apiErr = checkUpdate(doc, rel, newTag, newDraft)
	if apiErr == nil && !newDraft && (rel.draft || newTag != rel.tag) {
		// Publishing, or moving a published release to another tag, makes
		// the tag if git lacks it, at the target this request leaves.
		target := rel.target
		if in.hasTarget {
			target = in.target
		}
		apiErr = s.tagFor(doc, rel.repo, newTag, target)
	}
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	publishing := rel.draft && !newDraft
	rel.tag = newTag
	in.apply(rel)
	switch {
	case publishing:
		s.publish(rel, s.now())
	case newDraft && !rel.draft:
		rel.draft = true
		rel.published = time.Time{}
	}
	rel.repo.applyLatest(rel, in.makeLatest, publishing)
	writeJSON(w, http.StatusOK, s.renderRelease(s.urlsFor(r.Host), rel))
}

// checkUpdate refuses what GitHub refuses when a release would move to newTag
// and the draft state newDraft; it must hold s.mu.
func checkUpdate(doc string, rel *releaseState, newTag string, newDraft bool) *apiError {
	tagChanged := newTag != rel.tag
	switch {
	case rel.immutable && tagChanged:
		return errUnprocessable(doc, "Cannot change the tag of an immutable release")
	case rel.immutable && newDraft:
		return errUnprocessable(doc, "Cannot convert an immutable release to a draft")
	case !newDraft && (tagChanged || rel.draft) && rel.repo.burned[newTag]:
		// Publishing on, or moving a published release to, a burned tag.
		return errImmutableTag(doc, newTag)
	}
	if !newDraft && (tagChanged || rel.draft) {
		if other := rel.repo.publishedByTag(newTag); other != nil && other != rel {
			return errAlreadyExists(doc, "Release", "tag_name")
		}
	}
	return nil
}

// apply writes the plain fields the request set.
func (in releaseInput) apply(rel *releaseState) {
	if in.hasTarget {
		rel.target = in.target
	}
	if in.hasName {
		rel.name = in.name
	}
	if in.hasBody {
		rel.body = in.body
	}
	if in.hasDiscussion {
		rel.discussion = in.discussion
	}
	if in.hasPrerelease {
		rel.prerelease = in.prerelease
	}
}

// deleteRelease serves DELETE /repos/{o}/{r}/releases/{id}; the tag stays in git.
// https://docs.github.com/en/rest/releases/releases#delete-a-release
func (s *Server) deleteRelease(w http.ResponseWriter, _ *http.Request, rt route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rel, apiErr := s.findRelease(rt)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	repo := rel.repo
	if rel.immutable {
		repo.burned[rel.tag] = true
		// The tag stays, but is held only while the release exists.
		s.git.SetTagLocked(repo.fullName(), rel.tag, false)
	}
	for _, a := range append([]*assetState(nil), rel.assets...) {
		s.removeAsset(a)
	}
	delete(repo.releases, rel.id)
	if repo.latestID == rel.id {
		repo.recomputeLatest()
	}
	w.WriteHeader(http.StatusNoContent)
}

// generateNotes serves POST /repos/{o}/{r}/releases/generate-notes; it saves nothing.
// https://docs.github.com/en/rest/releases/releases#generate-release-notes-content-for-a-release
func (s *Server) generateNotes(w http.ResponseWriter, r *http.Request, rt route) {
	doc := routeDocs[rt.name]
	o, apiErr := readObject(r, doc, "Release")
	var tag, prev, target string
	if apiErr == nil {
		tag, apiErr = o.required("tag_name")
	}
	if apiErr == nil {
		prev, _, apiErr = o.str("previous_tag_name")
	}
	if apiErr == nil {
		target, _, apiErr = o.str("target_commitish")
	}
	if apiErr == nil {
		_, _, apiErr = o.str("configuration_file_path")
	}
	if apiErr == nil && strings.TrimSpace(tag) == "" {
		apiErr = errInvalidTag(doc)
	}
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	s.mu.Lock()
	repo, apiErr := s.findRepo(rt)
	var body string
	if apiErr == nil {
		body = s.notes(r.Host, repo, tag, prev, target)
	}
	s.mu.Unlock()
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"name": tag, "body": body})
}

// notes builds deterministic release notes for tag; prev defaults to the tag of the
// newest other published release. The seeded pull requests (pulls.go) are
// those merged up to the tag, or when it does not exist yet, up to target
// (else the default branch). It must hold s.mu.
func (s *Server) notes(host string, repo *repoState, tag, prev, target string) string {
	if prev == "" {
		for _, rel := range repo.sorted() {
			if !rel.draft && rel.tag != tag {
				prev = rel.tag
				break
			}
		}
	}
	web := s.urlsFor(host).web + "/" + repo.owner + "/" + repo.name
	full := web + "/commits/" + tag
	if prev != "" {
		full = web + "/compare/" + prev + "..." + tag
	}
	if s.git.hasPulls(repo.fullName()) { // pulls.go
		head := tag
		if _, ok := s.git.TagCommit(repo.fullName(), tag); !ok {
			head = target
			if head == "" {
				head = s.git.DefaultBranch(repo.fullName())
			}
		}
		if n := s.git.pullNotes(web, repo.fullName(), prev, head, full); n != "" {
			return n
		}
	}
	return "## What's Changed\n* Example change by @octocat in " + web + "/pull/1\n\n**Full Changelog**: " + full
}
