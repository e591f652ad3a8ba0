package inputs

import (
	"maps"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/core"
)

const testToken = "ghs_TESTtoken0123456789abcdef"

// env is a map-backed getenv, so tests never touch the process environment.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// minimal is the smallest environment Parse accepts, as a workflow run on a tag
// push would provide it.
func minimal() map[string]string {
	return map[string]string{
		"INPUT_TOKEN":       testToken,
		"GITHUB_REPOSITORY": "octo-org/hello.world",
		"GITHUB_REF":        "refs/tags/v1.2.3",
		"GITHUB_ACTIONS":    "true",
		"GITHUB_OUTPUT":     "/runner/output",
	}
}

// with returns a copy of base with kv applied; an empty value deletes the key.
func with(base map[string]string, kv ...string) map[string]string {
	m := maps.Clone(base)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(m, kv[i])
			continue
		}
		m[kv[i]] = kv[i+1]
	}
	return m
}

func ptr[T any](v T) *T { return &v }

func TestParseDefaults(t *testing.T) {
	t.Parallel()
	got, err := ParseAll(env(minimal()))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := &Config{
		Token:            testToken,
		TokenSource:      `input "token"`,
		Secrets:          []string{testToken},
		Owner:            "octo-org",
		Repo:             "hello.world",
		WorkingDirectory: ".",
		FailOnUnmatched:  true,
		APIURL:           "https://api.github.com",
		UploadURL:        "https://uploads.github.com",
		ServerURL:        "https://github.com",
		InActions:        true,
		OutputPath:       "/runner/output",
		Settings: core.Settings{
			Tag:         "v1.2.3",
			NotesMode:   core.NotesReplace,
			Overwrite:   true,
			MaxParallel: 4,
			HourMaxWait: 2 * time.Hour,
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse:\n got %+v\nwant %+v", got, want)
	}
}

func TestParseEverything(t *testing.T) {
	t.Parallel()
	m := map[string]string{
		"INPUT_TOKEN":                   "  " + testToken + "\n",
		"INPUT_REPOSITORY":              "Octo/Repo_1",
		"GITHUB_REPOSITORY":             "ignored/because-input-wins",
		"INPUT_TAG":                     "release/2024.1",
		"GITHUB_REF":                    "refs/tags/ignored",
		"INPUT_TARGET_COMMITISH":        "main",
		"INPUT_NAME":                    "Release 2024.1",
		"INPUT_BODY_PATH":               "CHANGES.md",
		"INPUT_GENERATE_RELEASE_NOTES":  "TRUE",
		"INPUT_PREVIOUS_TAG":            "release/2023.4",
		"INPUT_NOTES_CONFIG":            ".github/notes.yml",
		"INPUT_DRAFT":                   "True",
		"INPUT_PRERELEASE":              "false",
		"INPUT_MAKE_LATEST":             "Legacy",
		"INPUT_DISCUSSION_CATEGORY":     "Announcements",
		"INPUT_FILES":                   "dist/*.{tar.gz,zip}#Archives\n!dist/*.sig, bin/tool\n\n",
		"INPUT_WORKING_DIRECTORY":       "build",
		"GITHUB_WORKSPACE":              "/github/workspace",
		"INPUT_FAIL_ON_UNMATCHED_FILES": "false",
		"INPUT_OVERWRITE":               "false",
		"INPUT_DELETE_OTHER_ASSETS":     "true",
		"INPUT_MAX_PARALLEL":            "32",
		"INPUT_CHECKSUMS":               "SHA256SUMS.txt",
		"INPUT_DRY_RUN":                 "true",
		"INPUT_NOTES_MODE":              "Prepend",
		"GITHUB_API_URL":                "https://ghes.example.com/api/v3/",
		"GITHUB_SERVER_URL":             "https://ghes.example.com/",
		"GITHUB_ACTIONS":                "true",
		"GITHUB_OUTPUT":                 "/runner/output",
		"GITHUB_STEP_SUMMARY":           "/runner/summary",
		"RUNNER_DEBUG":                  "1",
	}
	got, err := ParseAll(env(m))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := &Config{
		Token:       testToken,
		TokenSource: `input "token"`,
		Secrets:     []string{testToken},
		Owner:       "Octo",
		Repo:        "Repo_1",
		BodyPath:    "CHANGES.md",
		BodyFile:    filepath.Join("/github/workspace", "CHANGES.md"),
		Files: []assets.Pattern{
			{Glob: "dist/*.{tar.gz,zip}", Label: "Archives"},
			{Glob: "dist/*.sig", Exclude: true},
			{Glob: "bin/tool"},
		},
		WorkingDirectory: "build",
		FailOnUnmatched:  false,
		APIURL:           "https://ghes.example.com/api/v3",
		UploadURL:        "https://ghes.example.com/api/uploads",
		ServerURL:        "https://ghes.example.com",
		InActions:        true,
		Debug:            true,
		OutputPath:       "/runner/output",
		SummaryPath:      "/runner/summary",
		Settings: core.Settings{
			Tag:                "release/2024.1",
			TargetCommitish:    "main",
			Name:               "Release 2024.1",
			GenerateNotes:      true,
			PreviousTag:        "release/2023.4",
			NotesConfig:        ".github/notes.yml",
			NotesMode:          core.NotesPrepend,
			Draft:              true,
			Prerelease:         ptr(false),
			MakeLatest:         "legacy",
			DiscussionCategory: "Announcements",
			Overwrite:          false,
			DeleteOther:        true,
			MaxParallel:        32,
			HourMaxWait:        2 * time.Hour,
			Checksums:          "SHA256SUMS.txt",
			DryRun:             true,
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse:\n got %+v\nwant %+v", got, want)
	}
}

func TestParseFallbacks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		env   map[string]string
		check func(t *testing.T, c *Config)
	}{
		{
			name: "GITHUB_TOKEN when the input is empty",
			env:  with(minimal(), "INPUT_TOKEN", "", "GITHUB_TOKEN", "from-github-token", "GH_TOKEN", "from-gh-token"),
			check: func(t *testing.T, c *Config) {
				if c.Token != "from-github-token" {
					t.Errorf("Token = %q", c.Token)
				}
			},
		},
		{
			name: "GH_TOKEN last",
			env:  with(minimal(), "INPUT_TOKEN", "", "GH_TOKEN", "from-gh-token"),
			check: func(t *testing.T, c *Config) {
				if c.Token != "from-gh-token" {
					t.Errorf("Token = %q", c.Token)
				}
			},
		},
		{
			name: "working directory from GITHUB_WORKSPACE",
			env:  with(minimal(), "GITHUB_WORKSPACE", "/github/workspace"),
			check: func(t *testing.T, c *Config) {
				if c.WorkingDirectory != "/github/workspace" {
					t.Errorf("WorkingDirectory = %q", c.WorkingDirectory)
				}
			},
		},
		{
			name: "outside Actions the output file may be missing",
			env:  with(minimal(), "GITHUB_ACTIONS", "", "GITHUB_OUTPUT", ""),
			check: func(t *testing.T, c *Config) {
				if c.InActions || c.OutputPath != "" {
					t.Errorf("InActions = %v, OutputPath = %q", c.InActions, c.OutputPath)
				}
			},
		},
		{
			name: "prerelease true",
			env:  with(minimal(), "INPUT_PRERELEASE", "TRUE"),
			check: func(t *testing.T, c *Config) {
				if c.Prerelease == nil || !*c.Prerelease {
					t.Errorf("Prerelease = %v", c.Prerelease)
				}
			},
		},
		{
			name: "delete_other_assets with files",
			env:  with(minimal(), "INPUT_DELETE_OTHER_ASSETS", "true", "INPUT_FILES", "dist/*"),
			check: func(t *testing.T, c *Config) {
				if !c.DeleteOther || len(c.Files) != 1 {
					t.Errorf("DeleteOther = %v, Files = %v", c.DeleteOther, c.Files)
				}
			},
		},
		{
			name: "file name with # escaped by a trailing #",
			env:  with(minimal(), "INPUT_FILES", "notes#1.txt#"),
			check: func(t *testing.T, c *Config) {
				want := []assets.Pattern{{Glob: "notes#1.txt"}}
				if !reflect.DeepEqual(c.Files, want) {
					t.Errorf("Files = %+v, want %+v", c.Files, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := ParseAll(env(tt.env))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestParseBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want []string // substrings of the error; the first names the input
	}{
		{"token missing", with(minimal(), "INPUT_TOKEN", ""), []string{`input "token"`, "GITHUB_TOKEN"}},
		{"token with a space", with(minimal(), "INPUT_TOKEN", "abc def"), []string{`input "token"`, "spaces"}},
		{"token with a newline", with(minimal(), "INPUT_TOKEN", "abc\ndef"), []string{`input "token"`}},
		{"repository missing", with(minimal(), "GITHUB_REPOSITORY", ""), []string{`input "repository"`, "owner/name"}},
		{"repository without slash", with(minimal(), "INPUT_REPOSITORY", "octo"), []string{`input "repository"`, "owner/name"}},
		{"repository with two slashes", with(minimal(), "INPUT_REPOSITORY", "a/b/c"), []string{`input "repository"`, "owner/name"}},
		{"repository from env is bad", with(minimal(), "GITHUB_REPOSITORY", "a/"), []string{`input "repository" (from GITHUB_REPOSITORY)`, "empty"}},
		{"owner with underscore", with(minimal(), "INPUT_REPOSITORY", "oc_to/repo"), []string{`input "repository"`, "letters, digits and -"}},
		{"owner ending with dash", with(minimal(), "INPUT_REPOSITORY", "octo-/repo"), []string{`input "repository"`, "starts or ends with -"}},
		{"owner too long", with(minimal(), "INPUT_REPOSITORY", strings.Repeat("a", 40)+"/repo"), []string{`input "repository"`, "39"}},
		{"repo named dotdot", with(minimal(), "INPUT_REPOSITORY", "octo/.."), []string{`input "repository"`, "not a repository name"}},
		{"repo with space", with(minimal(), "INPUT_REPOSITORY", "octo/my repo"), []string{`input "repository"`, "letters, digits"}},
		{"repo too long", with(minimal(), "INPUT_REPOSITORY", "octo/"+strings.Repeat("r", 101)), []string{`input "repository"`, "100"}},
		{"tag missing on a branch push", with(minimal(), "GITHUB_REF", "refs/heads/main"), []string{`input "tag"`, "refs/heads/main"}},
		{"tag missing without ref", with(minimal(), "GITHUB_REF", ""), []string{`input "tag"`, "tag push"}},
		{"tag with space", with(minimal(), "INPUT_TAG", "v1 2"), []string{`input "tag"`, "space"}},
		{"tag with dotdot", with(minimal(), "INPUT_TAG", "v1..2"), []string{`input "tag"`, ".."}},
		{"tag with colon", with(minimal(), "INPUT_TAG", "v1:2"), []string{`input "tag"`, "':'"}},
		{"tag with reflog syntax", with(minimal(), "INPUT_TAG", "v1@{2}"), []string{`input "tag"`, "@{"}},
		{"tag starting with dash", with(minimal(), "INPUT_TAG", "-v1"), []string{`input "tag"`, "starts with -"}},
		{"tag ending with .lock", with(minimal(), "INPUT_TAG", "v1.lock"), []string{`input "tag"`, ".lock"}},
		{"tag ending with slash", with(minimal(), "INPUT_TAG", "v1/"), []string{`input "tag"`, "ends with /"}},
		{"tag ending with dot", with(minimal(), "INPUT_TAG", "v1."), []string{`input "tag"`, "ends with ."}},
		{"tag with double slash", with(minimal(), "INPUT_TAG", "a//b"), []string{`input "tag"`, "//"}},
		{"tag from GITHUB_REF is bad", with(minimal(), "GITHUB_REF", "refs/tags/v1^"), []string{`input "tag" (from GITHUB_REF)`}},
		{"body and body_path", with(minimal(), "INPUT_BODY", "hi", "INPUT_BODY_PATH", "x.md"), []string{`"body" and "body_path"`}},
		{"generate_release_notes not a bool", with(minimal(), "INPUT_GENERATE_RELEASE_NOTES", "1"), []string{`input "generate_release_notes": "1" is not a boolean; use true or false`}},
		{"previous_tag without notes", with(minimal(), "INPUT_PREVIOUS_TAG", "v1.0.0"), []string{`input "previous_tag"`, "generate_release_notes"}},
		{"notes_config without notes", with(minimal(), "INPUT_NOTES_CONFIG", "x.yml"), []string{`input "notes_config"`, "generate_release_notes"}},
		{"previous_tag invalid", with(minimal(), "INPUT_GENERATE_RELEASE_NOTES", "true", "INPUT_PREVIOUS_TAG", "v1~1"), []string{`input "previous_tag"`, "not a valid tag name"}},
		{"draft yes", with(minimal(), "INPUT_DRAFT", "yes"), []string{`input "draft": "yes" is not a boolean; use true or false`}},
		{"prerelease 0", with(minimal(), "INPUT_PRERELEASE", "0"), []string{`input "prerelease": "0" is not true, false or auto`}},
		{"make_latest maybe", with(minimal(), "INPUT_MAKE_LATEST", "maybe"), []string{`input "make_latest"`, "true, false, legacy or semver"}},
		{"make_latest with draft", with(minimal(), "INPUT_MAKE_LATEST", "true", "INPUT_DRAFT", "true"), []string{`input "make_latest"`, "draft"}},
		{"make_latest with prerelease", with(minimal(), "INPUT_MAKE_LATEST", "true", "INPUT_PRERELEASE", "true"), []string{`input "make_latest"`, "prerelease"}},
		{"make_latest true with prerelease auto on an rc tag", with(minimal(), "INPUT_TAG", "v2.0.0-rc.1", "INPUT_MAKE_LATEST", "true", "INPUT_PRERELEASE", "auto"), []string{`input "make_latest": true conflicts with input "prerelease": auto`, `pre-release part "rc.1"`}},
		{"prerelease sometimes", with(minimal(), "INPUT_PRERELEASE", "sometimes"), []string{`input "prerelease": "sometimes" is not true, false or auto`}},
		{"files bad glob", with(minimal(), "INPUT_FILES", "dist/[a-"), []string{`input "files"`, "not a valid glob"}},
		{"files exclude with label", with(minimal(), "INPUT_FILES", "!*.sig#Signature"), []string{`input "files"`, "cannot have a label"}},
		{"files label without path", with(minimal(), "INPUT_FILES", "#Label"), []string{`input "files"`, "no path pattern"}},
		{"fail_on_unmatched_files not a bool", with(minimal(), "INPUT_FAIL_ON_UNMATCHED_FILES", "no"), []string{`input "fail_on_unmatched_files": "no" is not a boolean`}},
		{"overwrite not a bool", with(minimal(), "INPUT_OVERWRITE", "on"), []string{`input "overwrite": "on" is not a boolean`}},
		{"delete_other_assets not a bool", with(minimal(), "INPUT_DELETE_OTHER_ASSETS", "y"), []string{`input "delete_other_assets": "y" is not a boolean`}},
		{"delete_other_assets without files", with(minimal(), "INPUT_DELETE_OTHER_ASSETS", "true"), []string{`input "delete_other_assets"`, "delete every asset"}},
		{"delete_other_assets with only exclusions", with(minimal(), "INPUT_DELETE_OTHER_ASSETS", "true", "INPUT_FILES", "!*.sig"), []string{`input "delete_other_assets"`, "delete every asset"}},
		{"max_parallel zero", with(minimal(), "INPUT_MAX_PARALLEL", "0"), []string{`input "max_parallel": "0"`, "1 to 32"}},
		{"max_parallel too big", with(minimal(), "INPUT_MAX_PARALLEL", "33"), []string{`input "max_parallel"`, "1 to 32"}},
		{"max_parallel not a number", with(minimal(), "INPUT_MAX_PARALLEL", "four"), []string{`input "max_parallel"`, "whole number"}},
		{"checksums with slash", with(minimal(), "INPUT_CHECKSUMS", "dist/SUMS"), []string{`input "checksums"`, "path separator"}},
		{"checksums with backslash", with(minimal(), "INPUT_CHECKSUMS", `dist\SUMS`), []string{`input "checksums"`, "path separator"}},
		{"checksums dotdot", with(minimal(), "INPUT_CHECKSUMS", ".."), []string{`input "checksums"`, "not a file name"}},
		{"dry_run not a bool", with(minimal(), "INPUT_DRY_RUN", "sure"), []string{`input "dry_run": "sure" is not a boolean`}},
		{"working_directory with NUL", with(minimal(), "INPUT_WORKING_DIRECTORY", "a\x00b"), []string{`input "working_directory"`, "NUL"}},
		{"API URL without scheme", with(minimal(), "GITHUB_API_URL", "api.github.com"), []string{"GITHUB_API_URL", "absolute http(s) URL"}},
		{"API URL ftp", with(minimal(), "GITHUB_API_URL", "ftp://example.com"), []string{"GITHUB_API_URL", "absolute http(s) URL"}},
		{"API URL with query", with(minimal(), "GITHUB_API_URL", "https://example.com/?a=b"), []string{"GITHUB_API_URL", "query"}},
		{"server URL without host", with(minimal(), "GITHUB_SERVER_URL", "https://"), []string{"GITHUB_SERVER_URL", "with a host"}},
		{"output file missing in Actions", with(minimal(), "GITHUB_OUTPUT", ""), []string{"GITHUB_OUTPUT is not set: "}},
	}
	if len(tests) < 30 {
		t.Fatalf("only %d cases", len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := ParseAll(env(tt.env))
			if err == nil {
				t.Fatalf("Parse = %+v, want an error", c)
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			if strings.Contains(msg, testToken) {
				t.Errorf("error %q contains the token", msg)
			}
			if strings.Contains(msg, "failed to") || msg != strings.TrimSpace(msg) {
				t.Errorf("error %q is not in the project's style", msg)
			}
		})
	}
}

// TestParseReportsEverything checks that one run lists every problem, not only the first.
func TestParseReportsEverything(t *testing.T) {
	t.Parallel()
	m := with(minimal(),
		"INPUT_TOKEN", "",
		"INPUT_DRAFT", "yes",
		"INPUT_MAX_PARALLEL", "100",
		"INPUT_FILES", "!a#b, [",
		"GITHUB_API_URL", "nope",
	)
	_, err := ParseAll(env(m))
	if err == nil {
		t.Fatal("Parse succeeded")
	}
	lines := strings.Split(err.Error(), "\n")
	for _, want := range []string{`input "token"`, `input "draft"`, `input "max_parallel"`, `input "files": "!a#b"`, `input "files": "["`, "GITHUB_API_URL"} {
		n := 0
		for _, l := range lines {
			if strings.HasPrefix(l, want) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d lines start with %q in:\n%s", n, want, err)
		}
	}
	if len(lines) != 6 {
		t.Errorf("got %d problems, want 6:\n%s", len(lines), err)
	}
}

func TestCheckRefNameAccepts(t *testing.T) {
	t.Parallel()
	for _, tag := range []string{"v1.2.3", "release/2024-01", "v1.0.0-rc.1+build.5", "nightly", "a@b", "ü-tag"} {
		if msg := checkRefName(tag); msg != "" {
			t.Errorf("checkRefName(%q) = %q, want it accepted", tag, msg)
		}
	}
}

// TestSecretsHoldEveryTokenVariable: the caller masks these before printing, so
// a token that fails validation must be among them too.
func TestSecretsHoldEveryTokenVariable(t *testing.T) {
	t.Parallel()
	got, _ := ParseAll(env(map[string]string{
		"INPUT_TOKEN": " bad token\n", "GITHUB_TOKEN": "ghs_two", "GH_TOKEN": "",
	}))
	if want := []string{"bad token", "ghs_two"}; !reflect.DeepEqual(got.Secrets, want) {
		t.Errorf("Secrets = %q, want %q", got.Secrets, want)
	}
}
