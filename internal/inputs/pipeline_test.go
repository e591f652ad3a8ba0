package inputs

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/core"
)

const testSHA = "0123456789abcdef0123456789abcdef01234567"

func TestParsePipelineInputs(t *testing.T) {
	t.Parallel()
	c, err := ParseAll(env(with(minimal(), "GITHUB_SHA", testSHA, "INPUT_MOVE_TAG", "Force",
		"INPUT_BODY_FROM_CHANGELOG", "docs/CHANGES.md", "GITHUB_WORKSPACE", "/ws")))
	if err != nil {
		t.Fatal(err)
	}
	if c.SHA != testSHA || c.MoveTag != core.MoveTagForce || c.ChangelogPath != "docs/CHANGES.md" || c.ChangelogFile != filepath.Join("/ws", "docs", "CHANGES.md") {
		t.Errorf("parsed %q %q %q %q", c.SHA, c.MoveTag, c.ChangelogPath, c.ChangelogFile)
	}
	if c.TargetCommitish != "" {
		t.Errorf("target_commitish %q: GITHUB_SHA is the publisher's default, not the input's value", c.TargetCommitish)
	}
	c, err = ParseAll(env(with(minimal(), "INPUT_MOVE_TAG", "true", "INPUT_TARGET_COMMITISH", "main", "INPUT_BODY_FROM_TAG", "false")))
	if err != nil || c.MoveTag != core.MoveTagOn || c.BodyFromTag {
		t.Errorf("move_tag true with a target: %+v %v", c, err)
	}
}

func TestParsePipelineBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kv   []string
		want string
	}{
		{[]string{"INPUT_MOVE_TAG", "yes", "GITHUB_SHA", testSHA}, `input "move_tag": "yes" is not one of false, true or force`},
		{[]string{"INPUT_MOVE_TAG", "true"}, `input "move_tag" needs the commit`},
		{[]string{"GITHUB_SHA", "main"}, `GITHUB_SHA "main" is not a commit SHA`},
		{[]string{"INPUT_MOVE_TAG", "true", "GITHUB_SHA", testSHA, "INPUT_BODY_FROM_TAG", "true"}, `inputs "body_from_tag" and "move_tag" are both set`},
		{[]string{"INPUT_BODY_FROM_TAG", "sure"}, `input "body_from_tag": "sure" is not a boolean`},
	} {
		_, err := ParseAll(env(with(minimal(), tc.kv...)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.kv, err, tc.want)
		}
	}
}
