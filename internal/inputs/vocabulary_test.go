package inputs

import (
	"regexp"
	"strings"
	"testing"
)

// terminal is an environment as a shell gives it: the flags became INPUT_*, the
// token comes from GITHUB_TOKEN, and there is no GITHUB_ACTIONS.
func terminal(kv ...string) map[string]string {
	m := map[string]string{"GITHUB_TOKEN": testToken, "INPUT_REPOSITORY": "octo/hello", "INPUT_TAG": "v1.2.3"}
	return with(m, kv...)
}

func TestTerminalMessagesNameFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"number", terminal("INPUT_MAX_PARALLEL", "0"), `--max-parallel: "0" is not a whole number from 1 to 32`},
		{"boolean", terminal("INPUT_OVERWRITE", "maybe"), `--overwrite: "maybe" is not a boolean`},
		{"pair", terminal("INPUT_BODY", "x", "INPUT_BODY_PATH", "n.md"), "--body and --body-path are both set"},
		{"needs another", terminal("INPUT_PREVIOUS_TAG", "v1"), "--previous-tag is only used with --generate-release-notes=true"},
		{"conflict", terminal("INPUT_MAKE_LATEST", "true", "INPUT_DRAFT", "true"), "--make-latest=true conflicts with --draft=true"},
		{"delete all", terminal("INPUT_DELETE_OTHER_ASSETS", "true"), "--delete-other-assets=true with no --files patterns would delete every asset of the release; list the files to keep in --files, or set --delete-other-assets=false"},
		{"files", terminal("INPUT_FILES", "dist/[a-"), `--files: "dist/[a-" is not a valid glob`},
		{"no tag", terminal("INPUT_TAG", ""), "--tag is empty; give one, such as --tag v1.2.3"},
		{"no token", terminal("GITHUB_TOKEN", ""), "the token is empty; set GITHUB_TOKEN or GH_TOKEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := ParseAll(env(tt.env))
			if err == nil {
				t.Fatal("no error")
			}
			if !c.Words.Flags {
				t.Error("a terminal run does not use flag words")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q lacks %q", msg, tt.want)
			}
			if strings.Contains(msg, `input "`) || strings.Contains(msg, "${{") || regexp.MustCompile(`\b[a-z]+(_[a-z]+)+\b`).MatchString(msg) {
				t.Errorf("a terminal error speaks of inputs: %q", msg)
			}
		})
	}
}

func TestWorkflowMessagesNameInputs(t *testing.T) {
	t.Parallel()
	c, err := ParseAll(env(with(minimal(), "INPUT_MAX_PARALLEL", "0", "INPUT_TOKEN", "")))
	if c.Words.Flags {
		t.Error("a workflow run uses flag words")
	}
	for _, want := range []string{`input "max_parallel": "0"`, `input "token" is empty; set it (the default is ${{ github.token }})`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "--") {
		t.Errorf("a workflow error names flags: %v", err)
	}
}
