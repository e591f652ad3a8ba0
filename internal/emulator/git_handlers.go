package emulator

import (
	"net/http"
	"strings"
)

// Route names for the git endpoints, in the style of server.go's.
const (
	RouteGetRef    = "get_ref"
	RouteCreateRef = "create_ref"
	RouteUpdateRef = "update_ref"
	RouteGetTag    = "get_tag"
	RouteCompare   = "compare"
)

const (
	docsRefs    = "https://docs.github.com/rest/git/refs"
	docsTags    = "https://docs.github.com/rest/git/tags"
	docsCommits = "https://docs.github.com/rest/commits/commits"
)

// gitRouteDocs holds each git route's documentation link, for error answers.
var gitRouteDocs = map[string]string{
	RouteGetRef:    docsRefs + "#get-a-reference",
	RouteCreateRef: docsRefs + "#create-a-reference",
	RouteUpdateRef: docsRefs + "#update-a-reference",
	RouteGetTag:    docsTags + "#get-a-tag",
	RouteCompare:   docsCommits + "#compare-two-commits",
}

// errLockedTag is the answer to moving a tag an immutable release holds. The
// docs say such a tag "cannot be moved"; the wording of GitHub's message is ours.
func errLockedTag(doc, tag string) *apiError {
	return errUnprocessable(doc, "Cannot update tag "+tag+": it belongs to an immutable release")
}

// withRepo runs fn under the lock with the request's repository, or answers 404.
func (g *Git) withRepo(w http.ResponseWriter, owner, repo, doc string, fn func(*gitRepo) (int, any, *apiError)) {
	g.mu.Lock()
	gr := g.repos[strings.ToLower(owner+"/"+repo)]
	var (
		status int
		out    any
		apiErr *apiError
	)
	if gr == nil {
		apiErr = errNotFound(doc)
	} else {
		status, out, apiErr = fn(gr)
	}
	g.mu.Unlock()
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	writeJSON(w, status, out)
}

// getRef serves GET /repos/{o}/{r}/git/ref/{ref}; ref is "heads/NAME" or
// "tags/NAME" (its slashes unescaped), matched exactly.
// https://docs.github.com/rest/git/refs#get-a-reference
func (g *Git) getRef(w http.ResponseWriter, r *http.Request, owner, repo, ref string) {
	doc := gitRouteDocs[RouteGetRef]
	g.withRepo(w, owner, repo, doc, func(gr *gitRepo) (int, any, *apiError) {
		full := "refs/" + ref
		sha, ok := gr.refs[full]
		if !ok || strings.HasPrefix(ref, "refs/") {
			return 0, nil, errNotFound(doc)
		}
		return http.StatusOK, g.renderRef(r.Host, gr, full, sha), nil
	})
}

// createRef serves POST /repos/{o}/{r}/git/refs with {"ref": "refs/...", "sha"}.
// https://docs.github.com/rest/git/refs#create-a-reference
func (g *Git) createRef(w http.ResponseWriter, r *http.Request, owner, repo string) {
	doc := gitRouteDocs[RouteCreateRef]
	o, apiErr := readObject(r, doc, "Reference")
	var ref, sha string
	if apiErr == nil {
		ref, apiErr = o.required("ref")
	}
	if apiErr == nil {
		sha, apiErr = o.required("sha")
	}
	if apiErr == nil && (!strings.HasPrefix(ref, "refs/") || strings.Count(ref, "/") < 2) {
		apiErr = errUnprocessable(doc, "Reference name must contain at least three slash-separated components.")
	}
	if apiErr == nil && !validRefName(ref) {
		apiErr = errUnprocessable(doc, ref+" is not a valid ref name.")
	}
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	g.withRepo(w, owner, repo, doc, func(gr *gitRepo) (int, any, *apiError) {
		if _, exists := gr.refs[ref]; exists {
			return 0, nil, errUnprocessable(doc, "Reference already exists")
		}
		if gr.commits[sha] == nil && gr.tagObjects[sha] == nil {
			return 0, nil, errUnprocessable(doc, "Object does not exist")
		}
		gr.refs[ref] = sha
		out := g.renderRef(r.Host, gr, ref, sha)
		w.Header().Set("Location", out.URL)
		return http.StatusCreated, out, nil
	})
}

// validRefName applies the parts of git-check-ref-format that matter for tags
// and branches typed by people.
func validRefName(ref string) bool {
	if strings.ContainsAny(ref, " ~^:?*[\\\x7f") || strings.Contains(ref, "..") || strings.Contains(ref, "@{") ||
		strings.Contains(ref, "//") || strings.HasSuffix(ref, "/") || strings.HasSuffix(ref, ".lock") || strings.HasSuffix(ref, ".") {
		return false
	}
	for _, c := range ref {
		if c < 0x20 {
			return false
		}
	}
	for _, part := range strings.Split(ref, "/") {
		if strings.HasPrefix(part, ".") {
			return false
		}
	}
	return true
}

// updateRef serves PATCH /repos/{o}/{r}/git/refs/{ref} with {"sha", "force"}:
// without force, the new commit must descend from the old one.
// https://docs.github.com/rest/git/refs#update-a-reference
func (g *Git) updateRef(w http.ResponseWriter, r *http.Request, owner, repo, ref string) {
	doc := gitRouteDocs[RouteUpdateRef]
	o, apiErr := readObject(r, doc, "Reference")
	var sha string
	var force bool
	if apiErr == nil {
		sha, apiErr = o.required("sha")
	}
	if apiErr == nil {
		force, _, apiErr = o.boolean("force")
	}
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	g.withRepo(w, owner, repo, doc, func(gr *gitRepo) (int, any, *apiError) {
		full := "refs/" + ref
		old, exists := gr.refs[full]
		switch {
		case !exists || strings.HasPrefix(ref, "refs/"):
			return 0, nil, errUnprocessable(doc, "Reference does not exist")
		case gr.commits[sha] == nil && gr.tagObjects[sha] == nil:
			return 0, nil, errUnprocessable(doc, "Object does not exist")
		}
		if tag, isTag := strings.CutPrefix(ref, "tags/"); isTag && gr.locked[tag] && sha != old {
			return 0, nil, errLockedTag(doc, tag)
		}
		if !force && !gr.ancestors(gr.peel(sha))[gr.peel(old)] {
			return 0, nil, errUnprocessable(doc, "Update is not a fast forward")
		}
		gr.refs[full] = sha
		return http.StatusOK, g.renderRef(r.Host, gr, full, sha), nil
	})
}

// getTag serves GET /repos/{o}/{r}/git/tags/{tag_sha}: an annotated tag object.
// https://docs.github.com/rest/git/tags#get-a-tag
func (g *Git) getTag(w http.ResponseWriter, r *http.Request, owner, repo, sha string) {
	doc := gitRouteDocs[RouteGetTag]
	g.withRepo(w, owner, repo, doc, func(gr *gitRepo) (int, any, *apiError) {
		t := gr.tagObjects[sha]
		if t == nil {
			return 0, nil, errNotFound(doc)
		}
		return http.StatusOK, g.renderTag(r.Host, gr, t), nil
	})
}

// compareCommits serves GET /repos/{o}/{r}/compare/{base}...{head}. Each side is
// a branch, a tag or a commit SHA (full, or 7+ digits), optionally prefixed
// "OWNER:" with this repository's owner. Unknown sides are 404, and so are two
// sides with no common history ("No common ancestor between ...").
// https://docs.github.com/rest/commits/commits#compare-two-commits
func (g *Git) compareCommits(w http.ResponseWriter, r *http.Request, owner, repo, basehead string) {
	doc := gitRouteDocs[RouteCompare]
	g.withRepo(w, owner, repo, doc, func(gr *gitRepo) (int, any, *apiError) {
		baseName, headName, ok := strings.Cut(basehead, "...")
		if !ok {
			return 0, nil, errNotFound(doc)
		}
		base, okBase := gr.resolveSide(baseName)
		head, okHead := gr.resolveSide(headName)
		if !okBase || !okHead {
			return 0, nil, errNotFound(doc)
		}
		c, ok := gr.compare(base, head)
		if !ok {
			return 0, nil, &apiError{status: http.StatusNotFound, message: "No common ancestor between " + baseName + " and " + headName + ".", docURL: doc}
		}
		return http.StatusOK, g.renderComparison(r.Host, gr, basehead, base, c, r.URL.Query()), nil
	})
}

// resolveSide reads one side of a comparison: [OWNER:]branch, tag or commit.
func (gr *gitRepo) resolveSide(s string) (string, bool) {
	if owner, rest, ok := strings.Cut(s, ":"); ok {
		if !strings.EqualFold(owner, gr.owner) {
			return "", false // forks are not modelled
		}
		s = rest
	}
	if sha, ok := gr.refs["refs/heads/"+s]; ok {
		return sha, true
	}
	if sha, ok := gr.refs["refs/tags/"+s]; ok {
		return gr.peel(sha), true
	}
	return gr.commitByPrefix(s)
}
