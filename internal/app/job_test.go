package app

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/inputs"
	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/testutil"
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
// parsed, then silently dropped. The inputs are action.yml's, the probe values
// the shared table (internal/testutil/inputs.go) the parser's test uses too.
func TestEveryInputReachesTheJob(t *testing.T) {
	t.Parallel()
	ws := probeWorkspace(t)
	for _, p := range jobProblems(testutil.ActionInputs(t), testutil.Probes, notInJob, parseAndBuild, ws) {
		t.Error(p)
	}
}

// TestAnInputTheJobForgetsIsNamed forgets each real input in turn: one the job
// uses is dropped on its way there (newJob never sees it), one that goes
// elsewhere is left out of notInJob. jobProblems must name the input.
func TestAnInputTheJobForgetsIsNamed(t *testing.T) {
	t.Parallel()
	ws := probeWorkspace(t)
	ins := testutil.ActionInputs(t)
	for _, in := range ins {
		_, excluded := notInJob[in.Name]
		var build func(map[string]string) (*publish.Job, error)
		exempt := notInJob
		if !excluded {
			// The job never sees the input: newJob or Settings forgot it.
			build = func(env map[string]string) (*publish.Job, error) {
				env = maps.Clone(env)
				delete(env, testutil.InputVar(in.Name))
				return parseAndBuild(env)
			}
		} else {
			// The input goes elsewhere, and notInJob forgot to say so.
			build = parseAndBuild
			exempt = maps.Clone(notInJob)
			delete(exempt, in.Name)
		}
		problems := jobProblems(ins, testutil.Probes, exempt, build, ws)
		if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, " "+in.Name+"=") }) {
			t.Errorf("%s dropped on its way to the job: no problem names it; got %q", in.Name, problems)
		}
	}
}

// jobProblems sets each input to its probe value and requires the job build
// makes from the environment to change, unless exempt says where the input goes
// instead (then it must not change).
func jobProblems(ins []testutil.Input, probes map[string]testutil.Probe, exempt map[string]string, build func(map[string]string) (*publish.Job, error), ws string) []string {
	var out []string
	declared := map[string]bool{}
	base := map[string]string{
		"INPUT_TOKEN": "token", "GITHUB_REPOSITORY": "octo/demo",
		"INPUT_TAG": "v1.0.0", "GITHUB_WORKSPACE": ws,
	}
	for _, in := range ins {
		declared[in.Name] = true
		p, ok := probes[in.Name]
		if !ok {
			out = append(out, fmt.Sprintf("internal/testutil/inputs.go: no probe value for input %s", in.Name))
			continue
		}
		before, err := build(p.ProbeEnv(base, in.Name, false))
		if err != nil {
			out = append(out, fmt.Sprintf("internal/app: the job without %s=: %v", in.Name, err))
			continue
		}
		env := p.ProbeEnv(base, in.Name, true)
		after, err := build(env)
		if err != nil {
			out = append(out, fmt.Sprintf("internal/app: the job with %s=%q: %v", in.Name, env[testutil.InputVar(in.Name)], err))
			continue
		}
		changed := !reflect.DeepEqual(before, after)
		why, excluded := exempt[in.Name]
		switch {
		case !changed && !excluded:
			out = append(out, fmt.Sprintf("internal/app: setting %s=%q changes nothing in the job: parse it into core.Settings (or copy it in newJob), or list it in notInJob with where it goes", in.Name, p.Value))
		case changed && excluded:
			out = append(out, fmt.Sprintf("internal/app: setting %s=%q changes the job, yet notInJob says it %s", in.Name, p.Value, why))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(exempt)) {
		if !declared[name] {
			out = append(out, fmt.Sprintf("internal/app: notInJob names %s, which action.yml does not declare", name))
		}
	}
	return out
}

// probeWorkspace is a workspace holding the files the probes name.
func probeWorkspace(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	for f, content := range testutil.ProbeFiles {
		write(t, filepath.Join(ws, f), content)
	}
	return ws
}

func parseAndBuild(env map[string]string) (*publish.Job, error) {
	cfg, err := inputs.ParseAll(func(k string) string { return env[k] })
	if err != nil {
		return nil, err
	}
	return newJob(cfg)
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
