package emulator

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// GitRef is a reference as GitHub renders it (schema "git-ref").
// https://docs.github.com/rest/git/refs#get-a-reference
type GitRef struct {
	Ref    string       `json:"ref"`
	NodeID string       `json:"node_id"`
	URL    string       `json:"url"`
	Object GitRefObject `json:"object"`
}

// GitRefObject is what a reference points at, with its API URL.
type GitRefObject struct {
	Type string `json:"type"`
	SHA  string `json:"sha"`
	URL  string `json:"url"`
}

// GitTag is an annotated tag object (schema "git-tag").
// https://docs.github.com/rest/git/tags#get-a-tag
type GitTag struct {
	NodeID       string       `json:"node_id"`
	Tag          string       `json:"tag"`
	SHA          string       `json:"sha"`
	URL          string       `json:"url"`
	Message      string       `json:"message"`
	Tagger       GitActor     `json:"tagger"`
	Object       GitRefObject `json:"object"`
	Verification Verification `json:"verification"`
}

// GitActor is a git author, committer or tagger.
type GitActor struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Date  string `json:"date"`
}

// Verification is GitHub's signature check result; the emulator signs nothing.
type Verification struct {
	Verified   bool    `json:"verified"`
	Reason     string  `json:"reason"`
	Signature  *string `json:"signature"`
	Payload    *string `json:"payload"`
	VerifiedAt *string `json:"verified_at"`
}

// Comparison is the answer of the compare endpoint (schema "commit-comparison").
// https://docs.github.com/rest/commits/commits#compare-two-commits
type Comparison struct {
	URL             string   `json:"url"`
	HTMLURL         string   `json:"html_url"`
	PermalinkURL    string   `json:"permalink_url"`
	DiffURL         string   `json:"diff_url"`
	PatchURL        string   `json:"patch_url"`
	BaseCommit      Commit   `json:"base_commit"`
	MergeBaseCommit Commit   `json:"merge_base_commit"`
	Status          string   `json:"status"`
	AheadBy         int      `json:"ahead_by"`
	BehindBy        int      `json:"behind_by"`
	TotalCommits    int      `json:"total_commits"`
	Commits         []Commit `json:"commits"`
	Files           []any    `json:"files"`
}

// Commit is a commit as the commits API renders it (schema "commit").
type Commit struct {
	URL         string       `json:"url"`
	SHA         string       `json:"sha"`
	NodeID      string       `json:"node_id"`
	HTMLURL     string       `json:"html_url"`
	CommentsURL string       `json:"comments_url"`
	Commit      CommitDetail `json:"commit"`
	Author      *User        `json:"author"`
	Committer   *User        `json:"committer"`
	Parents     []CommitLink `json:"parents"`
}

// CommitDetail is the git-level part of a Commit.
type CommitDetail struct {
	URL          string       `json:"url"`
	Author       GitActor     `json:"author"`
	Committer    GitActor     `json:"committer"`
	Message      string       `json:"message"`
	CommentCount int          `json:"comment_count"`
	Tree         CommitLink   `json:"tree"`
	Verification Verification `json:"verification"`
}

// CommitLink names a parent commit or a tree.
type CommitLink struct {
	SHA     string `json:"sha"`
	URL     string `json:"url"`
	HTMLURL string `json:"html_url,omitempty"`
}

// The emulator's commits and tags are made by the Actions bot.
const (
	botName  = "github-actions[bot]"
	botEmail = "41898282+github-actions[bot]@users.noreply.github.com"
)

func unsigned() Verification { return Verification{Reason: "unsigned"} }

func botActor(t time.Time) GitActor {
	return GitActor{Name: botName, Email: botEmail, Date: t.UTC().Format(time.RFC3339)}
}

// gitNodeID builds a legacy node ID for an object named by a string
// ("03:Refrefs/heads/main", "06:Commit<sha>").
func gitNodeID(typ, name string) string {
	return base64.StdEncoding.EncodeToString([]byte("0" + strconv.Itoa(len(typ)) + ":" + typ + name))
}

func (g *Git) bases(host string, gr *gitRepo) (api, web string) {
	if host == "" {
		host = "localhost"
	}
	path := "/repos/" + gr.owner + "/" + gr.name
	return "http://" + host + g.layout.APIPrefix() + path, "http://" + host + "/" + gr.owner + "/" + gr.name
}

func (g *Git) renderRef(host string, gr *gitRepo, ref, sha string) GitRef {
	api, _ := g.bases(host, gr)
	obj := gr.object(sha)
	kind := "commits"
	if obj.Type == "tag" {
		kind = "tags"
	}
	return GitRef{
		Ref:    ref,
		NodeID: gitNodeID("Ref", ref),
		URL:    api + "/git/" + ref,
		Object: GitRefObject{Type: obj.Type, SHA: sha, URL: api + "/git/" + kind + "/" + sha},
	}
}

func (g *Git) renderTag(host string, gr *gitRepo, t *gitTagObject) GitTag {
	api, _ := g.bases(host, gr)
	return GitTag{
		NodeID:       gitNodeID("Tag", t.sha),
		Tag:          t.tag,
		SHA:          t.sha,
		URL:          api + "/git/tags/" + t.sha,
		Message:      t.message,
		Tagger:       botActor(t.date),
		Object:       GitRefObject{Type: "commit", SHA: t.commit, URL: api + "/git/commits/" + t.commit},
		Verification: unsigned(),
	}
}

func (g *Git) renderCommit(host string, gr *gitRepo, sha string) Commit {
	api, web := g.bases(host, gr)
	c := gr.commits[sha]
	tree := sha1.Sum([]byte("tree " + sha))
	treeSHA := hex.EncodeToString(tree[:])
	out := Commit{
		URL:         api + "/commits/" + sha,
		SHA:         sha,
		NodeID:      gitNodeID("Commit", sha),
		HTMLURL:     web + "/commit/" + sha,
		CommentsURL: api + "/commits/" + sha + "/comments",
		Commit: CommitDetail{
			URL:          api + "/git/commits/" + sha,
			Author:       botActor(c.date),
			Committer:    botActor(c.date),
			Message:      c.message,
			Tree:         CommitLink{SHA: treeSHA, URL: api + "/git/trees/" + treeSHA},
			Verification: unsigned(),
		},
		Parents: []CommitLink{},
	}
	for _, p := range c.parents {
		out.Parents = append(out.Parents, CommitLink{SHA: p, URL: api + "/commits/" + p, HTMLURL: web + "/commit/" + p})
	}
	return out
}

// renderComparison renders a comparison: the page of its commits the query
// asks for (comparePage) and the files the commits changed (SeedCommitFiles).
func (g *Git) renderComparison(host string, gr *gitRepo, basehead, base string, c comparison, q url.Values) Comparison {
	api, web := g.bases(host, gr)
	out := Comparison{
		URL:             api + "/compare/" + basehead,
		HTMLURL:         web + "/compare/" + basehead,
		PermalinkURL:    web + "/compare/" + gr.owner + ":" + base + "..." + gr.owner + ":" + c.head,
		DiffURL:         web + "/compare/" + basehead + ".diff",
		PatchURL:        web + "/compare/" + basehead + ".patch",
		BaseCommit:      g.renderCommit(host, gr, base),
		MergeBaseCommit: g.renderCommit(host, gr, c.mergeBase),
		Status:          c.status,
		AheadBy:         c.aheadBy,
		BehindBy:        c.behindBy,
		TotalCommits:    c.aheadBy,
		Commits:         []Commit{},
		Files:           []any{},
	}
	lo, hi := comparePage(q, len(c.commits)) // commits.go
	for _, sha := range c.commits[lo:hi] {
		out.Commits = append(out.Commits, g.renderCommit(host, gr, sha))
	}
	var paths []string
	for _, sha := range c.commits {
		for _, p := range gr.files[sha] {
			if !slices.Contains(paths, p) {
				paths = append(paths, p)
			}
		}
	}
	for _, f := range g.diffEntries(host, gr, c.head, paths) {
		out.Files = append(out.Files, f)
	}
	return out
}
