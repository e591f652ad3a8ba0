package app_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/actiontest"
	"github.com/releasekit/release-action/internal/app"
	"github.com/releasekit/release-action/internal/emulator"
)

func actionYAML(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// terminal runs Main as a person would in a shell: flags, GITHUB_TOKEN, no runner.
func terminal(h *actiontest.Harness, args ...string) (int, string) {
	h.T.Helper()
	env := map[string]string{"GITHUB_TOKEN": actiontest.Token, "GITHUB_API_URL": h.APIURL}
	var out bytes.Buffer
	p := actiontest.FastPolicy()
	code := app.Main(h.T.Context(), args, actionYAML(h.T), app.Env{Getenv: func(k string) string { return env[k] }, Stdout: &out, Policy: &p, Progress: -1})
	if strings.Contains(out.String(), actiontest.Token) {
		h.T.Fatal("the token appears in the terminal output")
	}
	return code, out.String()
}

func TestTerminalDryRunThenPublish(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	h.Write("dist/app.zip", "zip")
	h.Write("dist/app.tar.gz", "tgz")
	code, out := terminal(h, "--repository", actiontest.Repo, "--tag", "v1.2.3", "--working-directory", h.WS, "--files", "dist/*.zip", "--files", "dist/*.tar.gz", "--dry-run")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if strings.Contains(out, "::") {
		t.Fatalf("workflow commands printed in a terminal:\n%s", out)
	}
	if !strings.Contains(out, "upload   app.zip") || !strings.Contains(out, "upload   app.tar.gz") || len(h.Emu.Releases(actiontest.Repo)) != 0 {
		t.Fatalf("dry run from a terminal:\n%s", out)
	}
	code, out = terminal(h, "--repository", actiontest.Repo, "--tag", "v1.2.3", "--working-directory", h.WS, "--files", "dist/*", "--prerelease")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	rel := h.Only("v1.2.3")
	if !rel.Prerelease || len(h.Emu.Assets(actiontest.Repo, rel.ID)) != 2 {
		t.Fatalf("release %+v", rel)
	}
	if !strings.Contains(out, "created=true") {
		t.Fatalf("outputs not printed:\n%s", out)
	}
}

func TestTerminalHelpListsEveryInput(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	code, out := terminal(h, "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	ins, err := app.ReadInputs(actionYAML(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		if in.Name == "token" {
			if strings.Contains(out, "--token") {
				t.Fatal("--token offered as a flag")
			}
			continue
		}
		if !strings.Contains(out, "--"+strings.ReplaceAll(in.Name, "_", "-")) {
			t.Errorf("--help lacks %s", in.Name)
		}
	}
	if len(h.Emu.Requests()) != 0 {
		t.Fatal("--help sent requests")
	}
}

func TestTerminalRejectsUnknownFlagsAndArguments(t *testing.T) {
	t.Parallel()
	h := actiontest.New(t, actiontest.Config{Emulator: emulator.Options{}})
	for _, args := range [][]string{{"--nope"}, {"--tag", "v1", "stray"}, {"--token", "x"}} {
		if code, out := terminal(h, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, out)
		}
	}
}
