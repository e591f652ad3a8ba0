package inputs

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	githubactions "github.com/sethvargo/go-githubactions"

	"github.com/releasekit/release-action/internal/core"
)

// Limits of the max_parallel input. More than a few concurrent uploads only
// invites GitHub's secondary rate limits.
const (
	defaultMaxParallel = 4
	maxMaxParallel     = 32
)

// ParseAll reads the action's inputs (INPUT_<NAME>, trimmed) and the runner's
// GITHUB_* variables through getenv and validates all of them. Every problem is
// reported at once, joined with errors.Join; each message names the input as the
// user writes it in a workflow, or the flag in a terminal (see core.Vocabulary).
// The token's value never appears in an error. The configuration is returned
// also when some inputs are invalid (those hold their defaults), so the caller
// can check the files and directories the valid inputs name and report those
// problems in the same run.
func ParseAll(getenv func(string) string) (*Config, error) {
	p := &parser{
		env:   getenv,
		act:   githubactions.New(githubactions.WithGetenv(getenv)),
		words: vocabularyFor(getenv),
	}
	c := &Config{Secrets: secrets(getenv), Words: p.words}

	c.Token, c.TokenSource = p.token()
	c.Owner, c.Repo = p.repository()
	c.Tag = p.tag()

	c.TargetCommitish = p.input("target_commitish")
	c.Name = p.input("name")
	p.notes(c)
	p.notesMode(c)         // notesmode.go
	p.previousTagPrefix(c) // prevtag.go
	p.notesCategories(c)   // categories.go
	p.notesPaths(c)        // notespaths.go
	p.pipeline(c)
	p.publishing(c)
	p.channel(c)
	p.complete(c) // complete.go
	p.hourWindow(c)
	p.pruneAssets(c)
	p.assets(c)
	c.DryRun = p.boolean("dry_run", false)
	p.attestation(c) // attest.go, after complete (verify)

	c.APIURL, c.UploadURL, c.ServerURL = p.location()
	p.runner(c)

	return c, errors.Join(p.errs...)
}

// notes reads the inputs that make the release notes.
func (p *parser) notes(c *Config) {
	c.Body = p.input("body")
	if n := utf8.RuneCountInString(c.Body); n > core.MaxBodyChars {
		p.fail("%s: %s; shorten it, or move the details to a file linked from the notes", p.words.Input("body"), core.BodyTooLong(n))
	}
	c.BodyPath = p.input("body_path")
	c.BodyFile = p.workspacePath(c.BodyPath)
	if c.Body != "" && c.BodyPath != "" {
		p.fail("%s are both set; use one of them", p.words.Inputs("body", "body_path"))
	}

	c.GenerateNotes = p.boolean("generate_release_notes", false)
	c.PreviousTag = p.input("previous_tag")
	if c.PreviousTag != "" {
		if msg := checkRefName(c.PreviousTag); msg != "" {
			p.fail("%s: %s is not a valid tag name: %s", p.words.Input("previous_tag"), quote(c.PreviousTag), msg)
		}
	}
	c.NotesConfig = p.input("notes_config")
	p.notesInput(c, "previous_tag")
	p.notesInput(c, "notes_config")
}

// notesInput reads an input that shapes the generated notes: its value, or
// "" when it is unset or when generate_release_notes is not true, which fails
// the run naming both (ignoring it silently would leave the user wondering
// why the notes look the way they do).
func (p *parser) notesInput(c *Config, name string) string {
	v := p.input(name)
	if v != "" && !c.GenerateNotes {
		p.fail("%s is only used with %s", p.words.Input(name), p.words.Set("generate_release_notes", "true"))
		return ""
	}
	return v
}

// publishing reads the inputs that decide how the release is published.
func (p *parser) publishing(c *Config) {
	c.Draft = p.boolean("draft", false)
	c.Prerelease = p.prerelease(c.Tag)
	c.PrereleaseAuto = strings.EqualFold(p.input("prerelease"), "auto")
	c.MakeLatest = p.makeLatest()
	if c.MakeLatest == "true" {
		// GitHub never makes a draft or a prerelease the latest release.
		if c.Draft {
			p.fail("%s conflicts with %s; a draft can never be the latest release", p.words.InputSet("make_latest", "true"), p.words.Set("draft", "true"))
		}
		if c.Prerelease != nil && *c.Prerelease {
			if c.PrereleaseAuto {
				p.fail("%s conflicts with %s: tag %s has the pre-release part %s, so it is a prerelease, and a prerelease can never be the latest release", p.words.InputSet("make_latest", "true"), p.words.InputSet("prerelease", "auto"), quote(c.Tag), quote(core.PreReleasePart(c.Tag)))
			} else {
				p.fail("%s conflicts with %s; a prerelease can never be the latest release", p.words.InputSet("make_latest", "true"), p.words.Set("prerelease", "true"))
			}
		}
	}
	c.DiscussionCategory = p.input("discussion_category")
}

// assets reads the inputs about the files and the release's assets.
func (p *parser) assets(c *Config) {
	files, err := splitPatterns(p.input("files"), p.words.Input("files"))
	if err != nil {
		p.errs = append(p.errs, err)
	}
	c.Files = files
	c.WorkingDirectory = p.workingDirectory()
	c.FailOnUnmatched = p.boolean("fail_on_unmatched_files", true)
	c.FollowSymlinks = p.boolean("follow_symlinks", false)
	c.Overwrite = p.boolean("overwrite", true)
	c.DeleteOther = p.boolean("delete_other_assets", false)
	if c.DeleteOther && err == nil && !hasInclude(files) {
		p.fail("%s with no %s patterns would delete every asset of the release; list the files to keep in %s, or set %s",
			p.words.InputSet("delete_other_assets", "true"), p.words.Ref("files"), p.words.Ref("files"), p.words.Set("delete_other_assets", "false"))
	}
	c.MaxParallel = p.maxParallel()
	c.Checksums = p.checksums()
}

// runner reads where the step's outputs and log go.
func (p *parser) runner(c *Config) {
	c.InActions = p.env("GITHUB_ACTIONS") == "true"
	c.Debug = p.env("RUNNER_DEBUG") == "1"
	c.NoColor = p.env("NO_COLOR") != ""
	c.DumbTerminal = p.env("TERM") == "dumb"
	c.OutputPath = p.env("GITHUB_OUTPUT")
	c.SummaryPath = p.env("GITHUB_STEP_SUMMARY")
	c.Runner = core.RunIdentity{
		ID:      p.runNumber("GITHUB_RUN_ID"),
		Attempt: int(p.runNumber("GITHUB_RUN_ATTEMPT")),
		Job:     strings.TrimSpace(p.env("GITHUB_JOB")),
	}
	if c.InActions && c.OutputPath == "" {
		p.fail("GITHUB_OUTPUT is not set: the runner sets it for every step when GITHUB_ACTIONS is true, so the outputs would be lost")
	}
}

// runNumber reads one of the runner's numeric variables; "" is 0 (unknown).
func (p *parser) runNumber(name string) int64 {
	v := strings.TrimSpace(p.env(name))
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 || (name == "GITHUB_RUN_ATTEMPT" && n > 1<<20) {
		p.fail("%s %s is not a positive whole number; the runner sets it for every run", name, quote(v))
		return 0
	}
	return n
}

// secrets returns the non-empty values a token may arrive under, trimmed the way
// the parser trims them, so the caller can mask each before printing anything.
func secrets(getenv func(string) string) []string {
	var out []string
	for _, k := range []string{"INPUT_TOKEN", "GITHUB_TOKEN", "GH_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"} {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// workspacePath resolves a path the user gave against GITHUB_WORKSPACE, where
// a workflow's files are; "" stays "".
func (p *parser) workspacePath(path string) string {
	if ws := p.env("GITHUB_WORKSPACE"); path != "" && !filepath.IsAbs(path) && ws != "" {
		return filepath.Join(ws, path)
	}
	return path
}

// parser collects the problems found while reading the environment.
type parser struct {
	env   func(string) string
	act   *githubactions.Action
	words core.Vocabulary // how messages name the inputs
	errs  []error
}

func (p *parser) fail(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf(format, args...))
}

// input returns INPUT_<NAME>, trimmed.
func (p *parser) input(name string) string { return p.act.GetInput(name) }

func (p *parser) token() (token, source string) {
	// INPUT_TOKEN defaults to ${{ github.token }} in action.yml; the variables let
	// the binary run from a terminal too.
	t, from := p.input("token"), p.words.TokenInput()
	for _, v := range []string{"GITHUB_TOKEN", "GH_TOKEN"} {
		if t != "" {
			break
		}
		t, from = strings.TrimSpace(p.env(v)), v
	}
	if t == "" {
		p.fail("%s is empty; %s", p.words.Token(), p.words.TokenSources())
		return "", ""
	}
	// Never echo the value: only say what is wrong with it.
	if strings.IndexFunc(t, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		p.fail("%s contains spaces or control characters; a token is a single word", p.words.Token())
		return "", ""
	}
	return t, from
}

func (p *parser) repository() (owner, repo string) {
	v, from := p.input("repository"), ""
	if v == "" {
		v, from = strings.TrimSpace(p.env("GITHUB_REPOSITORY")), " (from GITHUB_REPOSITORY)"
	}
	if v == "" {
		p.fail("%s is empty; set it to owner/name, or set GITHUB_REPOSITORY", p.words.Input("repository"))
		return "", ""
	}
	owner, repo, ok := strings.Cut(v, "/")
	if !ok || strings.Contains(repo, "/") {
		p.fail("%s%s: %s is not of the form owner/name", p.words.Input("repository"), from, quote(v))
		return "", ""
	}
	bad := false
	if msg := checkOwner(owner); msg != "" {
		p.fail("%s%s: owner %s %s", p.words.Input("repository"), from, quote(owner), msg)
		bad = true
	}
	if msg := checkRepo(repo); msg != "" {
		p.fail("%s%s: name %s %s", p.words.Input("repository"), from, quote(repo), msg)
		bad = true
	}
	if bad {
		return "", ""
	}
	return owner, repo
}

// checkOwner returns what is wrong with a user or organisation name, or "".
func checkOwner(s string) string {
	switch {
	case s == "":
		return "is empty"
	case len(s) > 39:
		return "is longer than 39 characters"
	case s[0] == '-' || s[len(s)-1] == '-':
		return "starts or ends with -"
	}
	for _, r := range s {
		if !isAlnum(r) && r != '-' {
			return "may only hold letters, digits and -"
		}
	}
	return ""
}

// checkRepo returns what is wrong with a repository name, or "".
func checkRepo(s string) string {
	switch {
	case s == "":
		return "is empty"
	case len(s) > 100:
		return "is longer than 100 characters"
	case s == "." || s == "..":
		return "is not a repository name"
	}
	for _, r := range s {
		if !isAlnum(r) && r != '-' && r != '_' && r != '.' {
			return "may only hold letters, digits, ., _ and -"
		}
	}
	return ""
}

func isAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

func (p *parser) tag() string {
	v, from := p.input("tag"), ""
	if t, ok := strings.CutPrefix(v, "refs/tags/"); ok {
		v = t // the full ref of a tag names the tag
	} else if strings.HasPrefix(v, "refs/") {
		p.fail("%s: %s is a ref that is not a tag; give a tag name such as v1.2.3 (or refs/tags/v1.2.3)", p.words.Input("tag"), quote(v))
		return ""
	}
	if v == "" {
		ref := p.env("GITHUB_REF")
		t, ok := strings.CutPrefix(ref, "refs/tags/")
		if !ok {
			if ref == "" {
				p.fail("%s is empty; %s", p.words.Input("tag"), p.words.TagHint())
			} else {
				p.fail("%s is empty and GITHUB_REF %s is not a tag; set %s, or run the workflow on a tag push", p.words.Input("tag"), quote(ref), p.words.Ref("tag"))
			}
			return ""
		}
		v, from = t, " (from GITHUB_REF)"
	}
	if msg := checkRefName(v); msg != "" {
		p.fail("%s%s: %s is not a valid tag name: %s", p.words.Input("tag"), from, quote(v), msg)
		return ""
	}
	return v
}

// checkRefName returns why s cannot be a git tag name, or "". It follows
// git-check-ref-format(1), applied to the part after refs/tags/.
func checkRefName(s string) string {
	switch {
	case s == "":
		return "it is empty"
	case s == "@":
		return `"@" alone is not allowed`
	case strings.HasPrefix(s, "-"):
		return "it starts with -"
	case strings.HasPrefix(s, "/"):
		return "it starts with /"
	case strings.HasSuffix(s, "/"):
		return "it ends with /"
	case strings.HasSuffix(s, "."):
		return "it ends with ."
	case strings.Contains(s, ".."):
		return "it contains .."
	case strings.Contains(s, "@{"):
		return "it contains @{"
	case strings.Contains(s, "//"):
		return "it contains //"
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return "it contains a space or a control character"
		}
		if strings.ContainsRune(`~^:?*[\`, r) {
			return fmt.Sprintf("it contains %q; none of ~ ^ : ? * [ \\ is allowed", r)
		}
	}
	for _, part := range strings.Split(s, "/") {
		if strings.HasPrefix(part, ".") {
			return "a path component starts with ."
		}
		if strings.HasSuffix(part, ".lock") {
			return "a path component ends with .lock"
		}
	}
	return ""
}

// boolean reads a true/false input; case does not matter.
func (p *parser) boolean(name string, def bool) bool {
	v := p.input(name)
	if v == "" {
		return def
	}
	b, ok := parseBool(v)
	if !ok {
		p.fail("%s: %s is not a boolean; use true or false", p.words.Input(name), quote(v))
		return def
	}
	return b
}

func parseBool(v string) (value, ok bool) {
	switch {
	case strings.EqualFold(v, "true"):
		return true, true
	case strings.EqualFold(v, "false"):
		return false, true
	}
	return false, false
}

// prerelease reads the prerelease input: true or false, auto (a prerelease
// exactly when tag has a SemVer pre-release part), or nil when it is empty.
func (p *parser) prerelease(tag string) *bool {
	v := p.input("prerelease")
	if strings.EqualFold(v, "auto") {
		b := core.PreReleasePart(tag) != ""
		return &b
	}
	if v == "" {
		return nil
	}
	b, ok := parseBool(v)
	if !ok {
		p.fail("%s: %s is not true, false or auto; leave it empty to keep the release's setting", p.words.Input("prerelease"), quote(v))
		return nil
	}
	return &b
}

func (p *parser) makeLatest() string {
	v := p.input("make_latest")
	switch l := strings.ToLower(v); l {
	case "", "true", "false", "legacy", "semver":
		return l
	}
	p.fail("%s: %s is not one of true, false, legacy or semver (or empty to let GitHub decide)", p.words.Input("make_latest"), quote(v))
	return ""
}

func (p *parser) workingDirectory() string {
	v := p.input("working_directory")
	if v == "" {
		v = strings.TrimSpace(p.env("GITHUB_WORKSPACE"))
	}
	if v == "" {
		return "."
	}
	if strings.ContainsRune(v, 0) {
		p.fail("%s: %s contains a NUL byte; use a directory path", p.words.Input("working_directory"), quote(v))
		return "."
	}
	return v
}

func (p *parser) maxParallel() int {
	v := p.input("max_parallel")
	if v == "" {
		return defaultMaxParallel
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxMaxParallel {
		p.fail("%s: %s is not a whole number from 1 to %d", p.words.Input("max_parallel"), quote(v), maxMaxParallel)
		return defaultMaxParallel
	}
	return n
}

func (p *parser) checksums() string {
	v := p.input("checksums")
	switch {
	case v == "":
		return ""
	case v == "." || v == "..":
		p.fail("%s: %s is not a file name; use a plain name such as SHA256SUMS", p.words.Input("checksums"), quote(v))
	case strings.ContainsAny(v, `/\`):
		p.fail("%s: %s contains a path separator; use a plain asset name such as SHA256SUMS", p.words.Input("checksums"), quote(v))
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		p.fail("%s: %s contains control characters; use a plain asset name such as SHA256SUMS", p.words.Input("checksums"), quote(v))
	default:
		return v
	}
	return ""
}

// quote returns v quoted for an error message, shortened when it is long so that
// one bad input cannot drown the others.
func quote(v string) string {
	const max = 80
	if len(v) <= max {
		return strconv.Quote(v)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(v[cut]) {
		cut--
	}
	return strconv.Quote(v[:cut]) + "..."
}
