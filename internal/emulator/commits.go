package emulator

import (
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Route names of the commits endpoints that notes limited to paths read.
const (
	RouteGetCommit   = "get_commit"
	RouteCommitPulls = "commit_pulls"
)

// compareAtOnce is how many commits the compare endpoint lists when the
// request asks for no page; beyond it, pages must be asked for.
// https://docs.github.com/rest/commits/commits#compare-two-commits
const compareAtOnce = 250

// commitFilesPerPage is how many files of a commit one answer lists by
// default (GitHub: 300 per page, 3,000 in all).
const commitFilesPerPage = 300

// pageOf reads per_page (default def, at most limit) and page, and returns
// the bounds of that page in a list of total items.
func pageOf(q url.Values, total, def, limit int) (lo, hi int) {
	per, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || per <= 0 {
		per = def
	}
	per = min(per, limit)
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page <= 0 {
		page = 1
	}
	lo = min((page-1)*per, total)
	return lo, min(lo+per, total)
}

// comparePage is the page of a comparison's commits the request asks for:
// up to compareAtOnce without page parameters, else per_page (30 by default,
// 100 at most) from page.
func comparePage(q url.Values, total int) (lo, hi int) {
	if q.Get("per_page") == "" && q.Get("page") == "" {
		return 0, min(total, compareAtOnce)
	}
	return pageOf(q, total, 30, 100)
}

// DiffEntry is one file of a commit or a comparison (schema "diff-entry").
type DiffEntry struct {
	SHA      string `json:"sha"`
	Filename string `json:"filename"`
	Status   string `json:"status"`
	// PreviousFilename is the file's path before a rename.
	PreviousFilename string `json:"previous_filename,omitempty"`
	Additions        int    `json:"additions"`
	Deletions        int    `json:"deletions"`
	Changes          int    `json:"changes"`
	BlobURL          string `json:"blob_url"`
	RawURL           string `json:"raw_url"`
	ContentsURL      string `json:"contents_url"`
}

// CommitWithFiles is the single-commit answer: a Commit with its files and
// their totals.
type CommitWithFiles struct {
	Commit
	Stats struct {
		Additions int `json:"additions"`
		Deletions int `json:"deletions"`
		Total     int `json:"total"`
	} `json:"stats"`
	Files []DiffEntry `json:"files"`
}

// diffEntries renders paths as files a commit modified, one line changed each.
func (g *Git) diffEntries(host string, gr *gitRepo, ref string, paths []string) []DiffEntry {
	api, web := g.bases(host, gr)
	out := make([]DiffEntry, 0, len(paths))
	for _, p := range paths {
		blob := sha1.Sum([]byte("blob " + ref + " " + p))
		esc := (&url.URL{Path: p}).EscapedPath()
		e := DiffEntry{
			SHA: hex.EncodeToString(blob[:]), Filename: p, Status: "modified",
			Additions: 1, Deletions: 0, Changes: 1,
			BlobURL:     web + "/blob/" + ref + "/" + esc,
			RawURL:      web + "/raw/" + ref + "/" + esc,
			ContentsURL: api + "/contents/" + esc + "?ref=" + ref,
		}
		if from, ok := gr.renamed[ref][p]; ok {
			e.Status, e.PreviousFilename = "renamed", from
		}
		out = append(out, e)
	}
	return out
}

// getCommit serves GET /repos/{o}/{r}/commits/{ref}: the commit with the
// files it changed (SeedCommitFiles), a page of them (300 by default).
// https://docs.github.com/rest/commits/commits#get-a-commit
func (g *Git) getCommit(w http.ResponseWriter, r *http.Request, owner, repo, ref string) {
	doc := docsCommits + "#get-a-commit"
	g.withRepo(w, owner, repo, doc, func(gr *gitRepo) (int, any, *apiError) {
		sha, ok := gr.resolveSide(ref)
		if !ok {
			return 0, nil, &apiError{status: http.StatusUnprocessableEntity, message: "No commit found for SHA: " + ref, docURL: doc}
		}
		files := gr.files[sha]
		lo, hi := pageOf(r.URL.Query(), len(files), commitFilesPerPage, commitFilesPerPage)
		out := CommitWithFiles{Commit: g.renderCommit(r.Host, gr, sha), Files: g.diffEntries(r.Host, gr, sha, files[lo:hi])}
		out.Stats.Additions, out.Stats.Total = len(files), len(files)
		return http.StatusOK, out, nil
	})
}

// commitPulls serves GET /repos/{o}/{r}/commits/{sha}/pulls: the merged pull
// requests that brought the commit (those whose commits include it).
// https://docs.github.com/rest/commits/commits#list-pull-requests-associated-with-a-commit
func (g *Git) commitPulls(w http.ResponseWriter, r *http.Request, owner, repo, ref string) {
	doc := docsCommits + "#list-pull-requests-associated-with-a-commit"
	g.withRepo(w, owner, repo, doc, func(gr *gitRepo) (int, any, *apiError) {
		sha, ok := gr.commitByPrefix(ref)
		if !ok {
			return 0, nil, &apiError{status: http.StatusUnprocessableEntity, message: "No commit found for SHA: " + ref, docURL: doc}
		}
		var found []*gitPull
		for _, p := range gr.pulls {
			if slices.Contains(p.commits, sha) {
				found = append(found, p)
			}
		}
		lo, hi := pageOf(r.URL.Query(), len(found), 30, 100)
		out := make([]map[string]any, 0, hi-lo)
		for _, p := range found[lo:hi] {
			out = append(out, g.renderPull(r.Host, gr, p))
		}
		return http.StatusOK, out, nil
	})
}

// renderPull renders a merged pull request (schema "pull-request-simple").
func (g *Git) renderPull(host string, gr *gitRepo, p *gitPull) map[string]any {
	api, web := g.bases(host, gr)
	n := strconv.Itoa(p.number)
	merge := p.commits[len(p.commits)-1]
	date := gr.commits[merge].date.UTC().Format(time.RFC3339)
	self := api + "/pulls/" + n
	link := func(href string) map[string]string { return map[string]string{"href": href} }
	side := func(ref, sha string) map[string]any {
		return map[string]any{"label": gr.owner + ":" + ref, "ref": ref, "sha": sha, "user": g.user(host, gr.owner), "repo": g.renderRepo(host, gr)}
	}
	return map[string]any{
		"url": self, "id": int64(p.number) * 1000, "node_id": gitNodeID("PullRequest", gr.owner+"/"+gr.name+"#"+n),
		"html_url": web + "/pull/" + n, "diff_url": web + "/pull/" + n + ".diff", "patch_url": web + "/pull/" + n + ".patch",
		"issue_url": api + "/issues/" + n, "commits_url": self + "/commits", "review_comments_url": self + "/comments",
		"review_comment_url": api + "/pulls/comments{/number}", "comments_url": api + "/issues/" + n + "/comments",
		"statuses_url": api + "/statuses/" + merge,
		"number":       p.number, "state": "closed", "locked": false, "title": p.title, "user": g.user(host, p.author),
		"body": nil, "labels": []any{}, "milestone": nil, "active_lock_reason": nil,
		"created_at": date, "updated_at": date, "closed_at": date, "merged_at": date, "merge_commit_sha": merge,
		"assignee": nil, "assignees": []any{}, "requested_reviewers": []any{}, "requested_teams": []any{},
		"head": side("pull-"+n, p.commits[0]), "base": side(gr.defaultBranch, merge),
		"_links": map[string]any{
			"self": link(self), "html": link(web + "/pull/" + n), "issue": link(api + "/issues/" + n),
			"comments": link(api + "/issues/" + n + "/comments"), "review_comments": link(self + "/comments"),
			"review_comment": link(api + "/pulls/comments{/number}"), "commits": link(self + "/commits"),
			"statuses": link(api + "/statuses/" + merge),
		},
		"author_association": "CONTRIBUTOR", "auto_merge": nil, "draft": false,
	}
}

// user renders a user by login (schema "simple-user").
func (g *Git) user(host, login string) User {
	if host == "" {
		host = "localhost"
	}
	web := "http://" + host
	api := web + g.layout.APIPrefix() + "/users/" + login
	id := int64(0)
	for _, c := range login {
		id = id*31 + int64(c)
	}
	id = id&0xffffff + 1
	return User{
		Login: login, ID: id, NodeID: gitNodeID("User", login),
		AvatarURL: web + "/avatars/u/" + strconv.FormatInt(id, 10) + "?v=4", URL: api, HTMLURL: web + "/" + login,
		FollowersURL: api + "/followers", FollowingURL: api + "/following{/other_user}", GistsURL: api + "/gists{/gist_id}",
		StarredURL: api + "/starred{/owner}{/repo}", SubscriptionsURL: api + "/subscriptions", OrganizationsURL: api + "/orgs",
		ReposURL: api + "/repos", EventsURL: api + "/events{/privacy}", ReceivedEventsURL: api + "/received_events", Type: "User",
	}
}

// renderRepo renders the repository (schema "repository").
func (g *Git) renderRepo(host string, gr *gitRepo) map[string]any {
	api, web := g.bases(host, gr)
	full := gr.owner + "/" + gr.name
	out := map[string]any{
		"id": 1, "node_id": gitNodeID("Repository", full), "name": gr.name, "full_name": full,
		"owner": g.user(host, gr.owner), "private": false, "html_url": web, "description": nil, "fork": false,
		"url": api, "homepage": nil, "language": nil, "mirror_url": nil, "license": nil,
		"clone_url": web + ".git", "git_url": strings.Replace(web, "http://", "git://", 1) + ".git",
		"ssh_url": "git@" + strings.SplitN(web, "/", 4)[2] + ":" + full + ".git", "svn_url": web,
		"default_branch": gr.defaultBranch, "archived": false, "disabled": false,
		"has_downloads": true, "has_issues": true, "has_projects": true, "has_wiki": true, "has_pages": false,
		"forks": 0, "forks_count": 0, "open_issues": 0, "open_issues_count": 0, "size": 0,
		"stargazers_count": 0, "watchers": 0, "watchers_count": 0,
		"pushed_at": nil, "created_at": nil, "updated_at": nil,
	}
	for k, suffix := range map[string]string{
		"archive_url": "/{archive_format}{/ref}", "assignees_url": "/assignees{/user}", "blobs_url": "/git/blobs{/sha}",
		"branches_url": "/branches{/branch}", "collaborators_url": "/collaborators{/collaborator}", "comments_url": "/comments{/number}",
		"commits_url": "/commits{/sha}", "compare_url": "/compare/{base}...{head}", "contents_url": "/contents/{+path}",
		"contributors_url": "/contributors", "deployments_url": "/deployments", "downloads_url": "/downloads", "events_url": "/events",
		"forks_url": "/forks", "git_commits_url": "/git/commits{/sha}", "git_refs_url": "/git/refs{/sha}", "git_tags_url": "/git/tags{/sha}",
		"hooks_url": "/hooks", "issue_comment_url": "/issues/comments{/number}", "issue_events_url": "/issues/events{/number}",
		"issues_url": "/issues{/number}", "keys_url": "/keys{/key_id}", "labels_url": "/labels{/name}", "languages_url": "/languages",
		"merges_url": "/merges", "milestones_url": "/milestones{/number}", "notifications_url": "/notifications{?since,all,participating}",
		"pulls_url": "/pulls{/number}", "releases_url": "/releases{/id}", "stargazers_url": "/stargazers", "statuses_url": "/statuses/{sha}",
		"subscribers_url": "/subscribers", "subscription_url": "/subscription", "tags_url": "/tags", "teams_url": "/teams",
		"trees_url": "/git/trees{/sha}",
	} {
		out[k] = api + suffix
	}
	return out
}
