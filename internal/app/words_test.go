package app_test

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/app"
	"github.com/releasekit/release-action/internal/core"
	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/hostile"
	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/retry"
)

// wordsCase is one message that names inputs, driven from a workflow and from
// a terminal. in holds action.yml's input names (flags in the terminal) and
// upper-case variables (the same in both).
type wordsCase struct {
	name   string
	in     map[string]string
	config func(t *testing.T) actiontest.Config // nil: a plain emulator
	setup  func(h *actiontest.Harness)
	names  []string // the inputs the message must name, in the run's words
	want   string   // a phrase of the message itself
}

// wordsChecker tells the words of a workflow from a terminal's, for every
// input action.yml declares.
type wordsChecker struct {
	inputs   []string
	terminal []*regexp.Regexp // a workflow's spellings: wrong in a terminal
	workflow []*regexp.Regexp // flags: wrong in a workflow
}

func newWordsChecker(t *testing.T) *wordsChecker {
	c := &wordsChecker{}
	ins, err := app.ReadInputs(actionYAML(t))
	if err != nil {
		t.Fatal(err)
	}
	q := "[\"'`]"
	for _, in := range ins {
		n := regexp.QuoteMeta(in.Name)
		c.inputs = append(c.inputs, in.Name)
		c.terminal = append(c.terminal,
			regexp.MustCompile(`(?i)\binputs? +`+q+`?`+n+`\b`),
			regexp.MustCompile(q+n+q),
			regexp.MustCompile(`(?:^|[;,(] ?|\bset |:: ?)`+n+`: `))
		if strings.Contains(in.Name, "_") {
			c.terminal = append(c.terminal, regexp.MustCompile(`\b`+n+`\b`))
		}
		c.workflow = append(c.workflow, regexp.MustCompile(`(?:^|[^\w-])`+regexp.QuoteMeta(core.Flag(in.Name))+`\b`))
	}
	c.terminal = append(c.terminal, regexp.MustCompile(`\$\{\{`), regexp.MustCompile(`(?m)^::`))
	return c
}

// check fails when text, what one run printed, speaks of inputs the way the
// other audience would, or does not name tc's inputs in its own words.
func (c *wordsChecker) check(t *testing.T, tc wordsCase, flags bool, text string) {
	t.Helper()
	where, bad := "a workflow", c.workflow
	if flags {
		where, bad = "a terminal", c.terminal
	}
	for _, line := range strings.Split(text, "\n") {
		for _, re := range bad {
			if m := re.FindString(line); m != "" {
				t.Errorf("%s: %q in %s: %s", tc.name, m, where, line)
			}
		}
	}
	if !strings.Contains(text, tc.want) {
		t.Errorf("%s in %s: the message %q is missing:\n%s", tc.name, where, tc.want, text)
	}
	for _, n := range tc.names {
		named := strings.Contains(text, `"`+n+`"`) || strings.Contains(text, n+": ")
		if flags {
			named = strings.Contains(text, core.Flag(n))
		}
		if !named {
			t.Errorf("%s in %s: %s is not named:\n%s", tc.name, where, n, text)
		}
	}
}

// harness starts tc's emulator and puts its setup in place.
func (tc wordsCase) harness(t *testing.T) (*actiontest.Harness, actiontest.Config) {
	cfg := actiontest.Config{}
	if tc.config != nil {
		cfg = tc.config(t)
	}
	h := actiontest.New(t, cfg)
	if tc.setup != nil {
		tc.setup(h)
	}
	return h, cfg
}

// workflowWords runs tc as a workflow step and returns its log.
func workflowWords(t *testing.T, tc wordsCase) string {
	h, _ := tc.harness(t)
	r := h.Run(tc.in)
	return strings.ReplaceAll(r.Stdout, h.WS, "WORKSPACE")
}

// terminalWords runs tc from a terminal, each input a flag, and returns what
// the person reads on stderr (stdout holds only the results).
func terminalWords(t *testing.T, tc wordsCase) string {
	h, cfg := tc.harness(t)
	env := map[string]string{"GITHUB_TOKEN": actiontest.Token, "GITHUB_API_URL": h.APIURL, "GITHUB_REPOSITORY": actiontest.Repo}
	args := []string{"--working-directory", h.WS}
	for _, k := range slices.Sorted(maps.Keys(tc.in)) {
		v := tc.in[k]
		if k == strings.ToUpper(k) {
			env[k] = v
			continue
		}
		for _, line := range strings.Split(v, "\n") {
			args = append(args, core.Flag(k)+"="+line)
		}
	}
	var out, errw bytes.Buffer
	p := actiontest.FastPolicy()
	var hour *retry.HourWindow // as the harness tells a workflow run
	if cfg.Emulator.HourWindow > 0 {
		hour = &retry.HourWindow{Allow: cfg.Emulator.HourAllow, Span: cfg.Emulator.HourWindow}
	}
	app.Main(t.Context(), args, actionYAML(t), app.Env{
		Getenv: func(k string) string { return env[k] }, Stdout: &out, Stderr: &errw, Policy: &p, Progress: -1, Hour: hour,
	})
	return strings.ReplaceAll(errw.String(), h.WS, "WORKSPACE")
}

// publishFirst publishes v1.0.0 with dist/app.zip holding content.
func publishFirst(content string) func(h *actiontest.Harness) {
	return func(h *actiontest.Harness) {
		h.Write("dist/app.zip", content)
		if r := h.Run(map[string]string{"tag": "v1.0.0", "files": "dist/app.zip"}); r.Code != 0 {
			h.T.Fatalf("setup: exit %d\n%s", r.Code, r.Stdout)
		}
	}
}

// fullRelease seeds v1.0.0 holding MaxAssets assets named old-NNNN.zip, and
// the file dist/new.zip to add.
func fullRelease(h *actiontest.Harness) {
	rel := h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: "v1.0.0"})
	for i := range publish.MaxAssets {
		name := fmt.Sprintf("old-%04d.zip", i)
		h.Emu.SeedAsset(actiontest.Repo, rel.ID, name, "", "", []byte(name))
	}
	h.Write("dist/new.zip", "new")
}

// hourWindow is an emulator whose hour window lets hourAllow writes through
// in hourSpan (hour_test.go), and 30 files: more than one window holds.
func hourWindow(*testing.T) actiontest.Config {
	return actiontest.Config{Emulator: emulator.Options{HourWindow: hourSpan, HourAllow: hourAllow}}
}

func thirtyFiles(h *actiontest.Harness) {
	for i := range 30 {
		h.Write(fmt.Sprintf("dist/part-%02d.bin", i), fmt.Sprintf("part %d", i))
	}
}

// TestEveryMessageNamesInputsInTheRunsWords drives each message that names an
// input (but the checksum list's, which needs a failing hash) through the real program, once as a workflow step and once from a
// terminal: in a terminal it names --flags and never `input "x"`, x: value or
// a bare x_y; in a workflow it names inputs and never --flags. The switches
// and the inputs with named values are generated from action.yml.
func TestEveryMessageNamesInputsInTheRunsWords(t *testing.T) {
	t.Parallel()
	c := newWordsChecker(t)
	cases := []wordsCase{
		{name: "empty file", in: map[string]string{"tag": "v1.0.0", "files": "dist/empty.bin"},
			setup: func(h *actiontest.Harness) { h.Write("dist/empty.bin", "") },
			names: []string{"files"}, want: "is empty (0 bytes)"},
		{name: "2 GiB file", in: map[string]string{"tag": "v1.0.0", "files": "dist/big.bin"},
			setup: func(h *actiontest.Harness) {
				// Sparse: the size is what GitHub's limit is about, not the bytes.
				if err := os.Truncate(h.Write("dist/big.bin", ""), 2<<30); err != nil {
					h.T.Fatal(err)
				}
			},
			names: []string{"files"}, want: "GitHub takes assets under 2 GiB"},
		{name: "message from the tag, tag moved", in: map[string]string{"tag": "v1.0.0", "body_from_tag": "true", "move_tag": "true", "target_commitish": "main"},
			names: []string{"body_from_tag", "move_tag"}, want: "are both set"},
		{name: "delete others, nothing matched", in: map[string]string{"tag": "v1.0.0", "files": "dist/none-*.zip", "fail_on_unmatched_files": "false", "delete_other_assets": "true"},
			names: []string{"delete_other_assets", "files"}, want: "the patterns matched no file"},
		{name: "delete others in the plan", in: map[string]string{"tag": "v1.0.0", "files": "dist/new.zip", "delete_other_assets": "true", "dry_run": "true"},
			setup: func(h *actiontest.Harness) { publishFirst("old")(h); h.Write("dist/new.zip", "new") },
			names: []string{"delete_other_assets"}, want: "matched by no pattern"},
		{name: "draft of a published release", in: map[string]string{"tag": "v1.0.0", "files": "dist/app.zip", "draft": "true"},
			setup: publishFirst("zip"), names: []string{"draft"}, want: "does not turn it back into a draft"},
		{name: "overwrite refused", in: map[string]string{"tag": "v1.0.0", "files": "dist/app.zip", "overwrite": "false"},
			setup: func(h *actiontest.Harness) { publishFirst("one")(h); h.Write("dist/app.zip", "two") },
			names: []string{"overwrite"}, want: "the release holds other content"},
		{name: "message from a lightweight tag", in: map[string]string{"tag": "v1.0.0", "body_from_tag": "true"},
			setup: func(h *actiontest.Harness) {
				h.Emu.Git().SeedTag(actiontest.Repo, "v1.0.0", emulator.InitialCommit(actiontest.Repo))
			},
			names: []string{"body_from_tag"}, want: "lightweight tag"},
		{name: "tag moved sideways", in: map[string]string{"tag": "v1.0.0", "move_tag": "true", "target_commitish": emulator.CommitSHA("elsewhere")},
			setup: func(h *actiontest.Harness) {
				g := h.Emu.Git()
				g.SeedCommit(actiontest.Repo, emulator.CommitSHA("elsewhere"))
				g.SeedTag(actiontest.Repo, "v1.0.0", emulator.InitialCommit(actiontest.Repo))
			},
			names: []string{"move_tag"}, want: "does not descend from it"},
		{name: "expected assets still missing", in: map[string]string{"tag": "v1.0.0", "files": "dist/app.zip", "expected_assets": "app.zip\nlater.zip"},
			setup: func(h *actiontest.Harness) { h.Write("dist/app.zip", "zip") },
			names: []string{"expected_assets"}, want: "stays a draft"},
		{name: "latest by semver", in: map[string]string{"tag": "v1.0.0", "make_latest": "semver", "dry_run": "true"},
			names: []string{"make_latest"}, want: "semver chose"},
		{name: "notes over the limit once combined", in: map[string]string{"tag": "v1.0.0", "body": strings.Repeat("r", 200), "notes_mode": "append"},
			setup: func(h *actiontest.Harness) {
				h.Emu.SeedRelease(actiontest.Repo, emulator.SeedRelease{TagName: "v1.0.0", Body: strings.Repeat("n", emulator.MaxBodyChars-100)})
			},
			names: []string{"notes_mode"}, want: "GitHub takes in a release body"},
		{name: "published notes kept", in: map[string]string{"tag": "v1.0.0", "body": "new", "notes_mode": "keep", "dry_run": "true"},
			setup: publishFirst("zip"), names: []string{"notes_mode"}, want: "stay as they are"},
		{name: "previous tag prefix of a tag without a version", in: map[string]string{"tag": "nightly", "generate_release_notes": "true", "previous_tag_prefix": "auto"},
			names: []string{"previous_tag_prefix"}, want: "no prefix can be derived"},
		{name: "no earlier tag of the prefix", in: map[string]string{"tag": "mobile/v1.0.0", "generate_release_notes": "true", "previous_tag_prefix": "mobile/", "dry_run": "true"},
			names: []string{"previous_tag_prefix"}, want: "GitHub chooses where the generated notes start"},
		{name: "repository not there", in: map[string]string{"tag": "v1.0.0", "repository": "octo/nowhere"},
			names: []string{"repository"}, want: "does not exist, or the token cannot see it"},
		{name: "over the asset cap", in: map[string]string{"tag": "v1.0.0", "files": "dist/new.zip"},
			setup: fullRelease, names: []string{"files", "prune_assets"}, want: "GitHub keeps at most"},
		{name: "room made by pruning", in: map[string]string{"tag": "v1.0.0", "files": "dist/new.zip", "prune_assets": "old-*.zip", "dry_run": "true"},
			setup: fullRelease, names: []string{"prune_assets"}, want: "oldest matching"},
		{name: "hour window: stop", in: map[string]string{"tag": "v1.0.0", "files": "dist/*", "hour_window": "stop"},
			config: hourWindow, setup: thirtyFiles, names: []string{"hour_window"}, want: "then stops"},
		{name: "hour window: wait too short", in: map[string]string{"tag": "v1.0.0", "files": "dist/*", "hour_window_max_wait": "1s"},
			config: hourWindow, setup: thirtyFiles, names: []string{"hour_window_max_wait"}, want: "allows"},
		{name: "verify finds other bytes", in: map[string]string{"tag": "v1.0.0", "files": "dist/*", "verify": "download"},
			config: func(t *testing.T) actiontest.Config {
				// Downloads go to a storage host that serves other bytes.
				rec := hostile.StartRecorder(t)
				return actiontest.Config{Wrap: func(next http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						if strings.Contains(r.URL.Path, "/releases/download/") {
							http.Redirect(w, r, rec.URL+"/download/"+r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], http.StatusFound)
							return
						}
						next.ServeHTTP(w, r)
					})
				}}
			},
			setup: func(h *actiontest.Harness) { h.Write("dist/app.bin", strings.Repeat("x", 40)) },
			names: []string{"verify"}, want: "does not serve what was uploaded"},
		{name: "token refused", in: map[string]string{"tag": "v1.0.0", "INPUT_TOKEN": "", "GITHUB_TOKEN": "ghs_wrong", "GH_TOKEN": ""},
			want: "refused the token"},
	}
	ins, err := app.ReadInputs(actionYAML(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		switch {
		case in.Name == "token":
			continue // no flag: a terminal sets it in GITHUB_TOKEN
		case in.Bool():
			cases = append(cases, wordsCase{name: "switch " + in.Name, in: map[string]string{"tag": "v1.0.0", in.Name: "maybe"},
				names: []string{in.Name}, want: `"maybe"`})
		case len(in.Choices()) > 0:
			cases = append(cases, wordsCase{name: "choice " + in.Name, in: map[string]string{"tag": "v1.0.0", in.Name: "bogus"},
				names: []string{in.Name}, want: `"bogus"`})
		}
	}
	if len(cases) < 20 {
		t.Fatalf("only %d cases", len(cases))
	}
	for i, tc := range cases {
		// The case's number names the subtest: its temporary directories
		// then hold no input's name.
		t.Run(fmt.Sprintf("case%02d", i), func(t *testing.T) {
			t.Parallel()
			c.check(t, tc, false, workflowWords(t, tc))
			c.check(t, tc, true, terminalWords(t, tc))
		})
	}
}
