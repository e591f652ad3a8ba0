package emulator

import (
	"net/http"
	"sort"
	"strings"
)

// RouteMatchingRefs lists the references whose names start with a prefix.
const RouteMatchingRefs = "matching_refs"

// matchingRefs serves GET /repos/{o}/{r}/git/matching-refs/{ref}: every
// reference whose full name starts with "refs/" + ref ("tags/api" matches
// refs/tags/api/v1.0.0 and refs/tags/api-v2.0.0), sorted by name, as one
// array; none is 200 with []. The endpoint takes no page parameters: GitHub
// answers every match at once.
// https://docs.github.com/rest/git/refs#list-matching-references
func (g *Git) matchingRefs(w http.ResponseWriter, r *http.Request, owner, repo, ref string) {
	doc := docsRefs + "#list-matching-references"
	g.withRepo(w, owner, repo, doc, func(gr *gitRepo) (int, any, *apiError) {
		prefix := "refs/" + ref
		var names []string
		for name := range gr.refs {
			if strings.HasPrefix(name, prefix) {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		out := make([]GitRef, 0, len(names))
		for _, name := range names {
			out = append(out, g.renderRef(r.Host, gr, name, gr.refs[name]))
		}
		return http.StatusOK, out, nil
	})
}
