package app

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/inputs"
	"github.com/releasekit/release-action/internal/publish"
)

// notInJob names the inputs of action.yml that do not belong in publish.Job, and
// where each goes instead.
var notInJob = map[string]string{
	"token":                   "goes to the API client (internal/ghclient), never into the job",
	"fail_on_unmatched_files": "decides in newJob whether a pattern matching nothing is an error; the job holds only what matched",
	"follow_symlinks":         "decides in newJob whether a link out of the working directory may be matched; the job holds only what matched",
	"sigstore":                "goes to the signer newSigner builds (internal/attest), the publisher's, not the job's",
	"trusted_root":            "is loaded by trustedRoot into the publisher (Publisher.TrustedRoot), not the job",
}

// TestEveryInputReachesTheJob fails when an input declared in action.yml changes
// nothing in the job newJob builds and is not on notInJob: the input would be
// parsed, then silently dropped.
func TestEveryInputReachesTheJob(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	ins, err := ReadInputs(src)
	if err != nil {
		t.Fatal(err)
	}
	ws := t.TempDir()
	for _, f := range []string{"NOTES.md", "dist/a.txt", "other/dist/b.txt"} {
		write(t, filepath.Join(ws, f), "content of "+f)
	}
	write(t, filepath.Join(ws, "CHANGELOG.md"), "# Changelog\n\n## 1.0.0\n\n- First release.\n")
	// probe is a valid non-default value; with adds inputs it needs to matter.
	type probe struct {
		value string
		with  map[string]string
	}
	withFiles := map[string]string{"files": "dist/*"}
	withNotes := map[string]string{"generate_release_notes": "true"}
	probes := map[string]probe{
		"token":                   {value: "other-token"},
		"repository":              {value: "someone/else"},
		"tag":                     {value: "v2.0.0"},
		"target_commitish":        {value: "main"},
		"name":                    {value: "Release 2"},
		"body":                    {value: "notes"},
		"body_path":               {value: "NOTES.md"},
		"body_from_changelog":     {value: "CHANGELOG.md"},
		"body_from_tag":           {value: "true"},
		"move_tag":                {value: "true", with: map[string]string{"target_commitish": "main"}},
		"generate_release_notes":  {value: "true"},
		"previous_tag":            {value: "v0.9.0", with: withNotes},
		"notes_config":            {value: ".github/release.yml", with: withNotes},
		"notes_mode":              {value: "append", with: withNotes},
		"previous_tag_prefix":     {value: "auto", with: withNotes},
		"draft":                   {value: "true"},
		"prerelease":              {value: "true"},
		"make_latest":             {value: "false"},
		"discussion_category":     {value: "Announcements"},
		"prune_tags":              {value: "v*", with: map[string]string{"prune_tags": "v1.*", "keep_latest": "3"}},
		"keep_latest":             {value: "5", with: map[string]string{"prune_tags": "v1.*", "keep_latest": "3"}},
		"files":                   {value: "dist/*"},
		"working_directory":       {value: filepath.Join(ws, "other"), with: withFiles},
		"fail_on_unmatched_files": {value: "false", with: withFiles},
		"follow_symlinks":         {value: "true"},
		"overwrite":               {value: "false"},
		"delete_other_assets":     {value: "true", with: withFiles},
		"prune_assets":            {value: "app-*.zip"},
		"max_parallel":            {value: "8"},
		"hour_window":             {value: "stop"},
		"hour_window_max_wait":    {value: "30m"},
		"checksums":               {value: "SHA256SUMS"},
		"expected_assets":         {value: "app-*.tar.gz"},
		"verify":                  {value: "download"},
		"attest":                  {value: "true", with: map[string]string{"dry_run": "true"}},
		"sigstore":                {value: "github", with: map[string]string{"dry_run": "true", "attest": "true"}},
		"trusted_root":            {value: "trusted_root.json", with: map[string]string{"verify": "true"}},
		"dry_run":                 {value: "true"},
	}
	declared := map[string]bool{}
	for _, in := range ins {
		declared[in.Name] = true
		t.Run(in.Name, func(t *testing.T) {
			t.Parallel()
			p, ok := probes[in.Name]
			if !ok {
				t.Fatalf("no probe value for input %s; add one here", in.Name)
			}
			env := map[string]string{
				"INPUT_TOKEN": "token", "GITHUB_REPOSITORY": "octo/demo",
				"INPUT_TAG": "v1.0.0", "GITHUB_WORKSPACE": ws,
			}
			for k, v := range p.with {
				env["INPUT_"+strings.ToUpper(k)] = v
			}
			base := buildJob(t, env)
			env["INPUT_"+strings.ToUpper(in.Name)] = p.value
			probed := buildJob(t, env)
			changed := !reflect.DeepEqual(base, probed)
			why, excluded := notInJob[in.Name]
			switch {
			case !changed && !excluded:
				t.Errorf("setting %s=%q changes nothing in the job: parse it into inputs.Settings (or copy it in newJob), or list it in notInJob with where it goes", in.Name, p.value)
			case changed && excluded:
				t.Errorf("setting %s=%q changes the job, yet notInJob says it %s", in.Name, p.value, why)
			}
		})
	}
	for name := range notInJob {
		if !declared[name] {
			t.Errorf("notInJob names %s, which action.yml does not declare", name)
		}
	}
}

func buildJob(t *testing.T, env map[string]string) *publish.Job {
	t.Helper()
	cfg, err := inputs.Parse(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("parse %v: %v", env, err)
	}
	j, err := newJob(cfg)
	if err != nil {
		t.Fatalf("job from %v: %v", env, err)
	}
	return j
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
