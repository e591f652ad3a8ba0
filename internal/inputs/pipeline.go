package inputs

import (
	"encoding/hex"
	"path/filepath"
	"strings"

	"github.com/releasekit/release-action/internal/core"
)

// pipeline reads the inputs of release pipelines: the commit the workflow
// built (GITHUB_SHA), move_tag, and the notes taken from the changelog or the
// tag.
func (p *parser) pipeline(c *Config) {
	c.SHA = strings.TrimSpace(p.env("GITHUB_SHA"))
	if c.SHA != "" && !isCommitSHA(c.SHA) {
		p.fail("GITHUB_SHA %s is not a commit SHA (40 or 64 hex digits); the runner sets it to the workflow's commit", quote(c.SHA))
		c.SHA = ""
	}
	switch v := p.input("move_tag"); strings.ToLower(v) {
	case "", "false":
		c.MoveTag = core.MoveTagOff
	case "true":
		c.MoveTag = core.MoveTagOn
	case "force":
		c.MoveTag = core.MoveTagForce
	default:
		p.fail("%s: %s is not one of false, true or force", p.words.Input("move_tag"), quote(v))
	}
	if c.MoveTag != core.MoveTagOff && c.TargetCommitish == "" && c.SHA == "" {
		p.fail("%s needs the commit to move the tag to: set %s, or run in a workflow, where GITHUB_SHA is set", p.words.Input("move_tag"), p.words.Ref("target_commitish"))
	}
	c.BodyFromTag = p.boolean("body_from_tag", false)
	if c.BodyFromTag && c.MoveTag != core.MoveTagOff {
		// Moving a tag points its ref at a commit: an annotated tag's message
		// would be gone after the first move.
		p.fail("%s are both set; a moved tag points at the new commit, not at a tag message, so use one of them", p.words.Inputs("body_from_tag", "move_tag"))
	}
	c.ChangelogPath = p.input("body_from_changelog")
	c.ChangelogFile = c.ChangelogPath
	if ws := p.env("GITHUB_WORKSPACE"); c.ChangelogPath != "" && !filepath.IsAbs(c.ChangelogPath) && ws != "" {
		c.ChangelogFile = filepath.Join(ws, c.ChangelogPath)
	}
}

func isCommitSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
