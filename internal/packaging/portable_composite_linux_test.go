//go:build linux

package packaging

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestPortableCompositeRunsTheBinary runs portable/action.yml the way the
// runner runs a composite action, on Linux: each step's expressions evaluated,
// its env set, its run script given to bash with a GITHUB_OUTPUT of its own,
// and the action's outputs read through their value expressions. The binary
// is built here, pinned with scripts/pin-binaries and served as a release on
// loopback; the publish goes to the emulator on the same server. The files
// input has Windows line endings, as a list a Windows tool wrote to a step
// output would.
func TestPortableCompositeRunsTheBinary(t *testing.T) {
	t.Parallel()
	bin := buildStatic(t)
	asset := "release-action-linux-" + runtime.GOARCH
	arch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	if arch == "" {
		t.Fatalf("no runner architecture for GOARCH %s: the portable action has binaries for amd64 and arm64 only", runtime.GOARCH)
	}
	body, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}

	// The action folder of a released commit: action.yml, install.sh and the
	// checksum list. Only this platform's binary is real; pin-binaries wants
	// all six.
	actionDir, dist := t.TempDir(), t.TempDir()
	for _, p := range platforms {
		content := []byte("placeholder for " + p.asset)
		if p.asset == asset {
			content = body
		}
		if err := os.WriteFile(filepath.Join(dist, p.asset), content, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("bash", "../../scripts/pin-binaries", dist, testTag, filepath.Join(actionDir, "checksums.txt")).CombinedOutput(); err != nil {
		t.Fatalf("scripts/pin-binaries: %v\n%s", err, out)
	}
	install(t, "../../portable/install.sh", filepath.Join(actionDir, "install.sh"), 0o755)

	release := &fakeRelease{assets: map[string][]byte{asset: body}}
	emu := demoEmulator()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/"+testRepo+"/releases/download/") || strings.HasPrefix(r.URL.Path, "/storage/") {
			release.ServeHTTP(w, r)
			return
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	ws := t.TempDir()
	for name, content := range workspaceFiles {
		install(t, writeTemp(t, content), filepath.Join(ws, "dist", name), 0o644)
	}
	c := &compositeRun{
		t: t, dir: t.TempDir(),
		inputs: map[string]string{"tag": "v1.0.0", "files": "dist/a.txt\r\ndist/b.txt\r\n", "checksums": "SHA256SUMS"},
		github: map[string]string{
			"token": "test-token", "repository": "octo/demo",
			"action_repository": testRepo, "action_ref": "v1",
		},
		env: map[string]string{
			"PATH": os.Getenv("PATH"), "HOME": t.TempDir(),
			"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": ws, "GITHUB_REPOSITORY": "octo/demo",
			"GITHUB_API_URL": srv.URL, "GITHUB_SERVER_URL": srv.URL,
			"GITHUB_ACTION_PATH": actionDir, "GITHUB_STEP_SUMMARY": filepath.Join(t.TempDir(), "summary"),
			"RUNNER_OS": "Linux", "RUNNER_ARCH": arch, "RUNNER_TOOL_CACHE": t.TempDir(),
		},
	}
	outs := c.run(loadPortable(t))

	if outs["created"] != "true" || outs["tag"] != "v1.0.0" || outs["id"] == "" || outs["html_url"] == "" {
		t.Errorf("outputs %v: want created=true, tag=v1.0.0, an id and an html_url", outs)
	}
	var assets []struct{ Name, Action string }
	if err := json.Unmarshal([]byte(outs["assets"]), &assets); err != nil {
		t.Fatalf("assets output %q: %v", outs["assets"], err)
	}
	if got := fmt.Sprint(assets); got != "[{SHA256SUMS uploaded} {a.txt uploaded} {b.txt uploaded}]" {
		t.Errorf("assets output %s, want a.txt, b.txt and SHA256SUMS uploaded", got)
	}
	if rels := emu.Releases("octo/demo"); len(rels) != 1 || len(emu.Assets("octo/demo", rels[0].ID)) != 3 {
		t.Errorf("the emulator holds %d releases, want 1 with 3 assets", len(rels))
	}
	assertNoToken(t, release.seen(), "test-token")
	if n := len(release.seen()); n != 2 {
		t.Errorf("%d requests for the binary, want 2 (the download and its redirect)", n)
	}
}

func writeTemp(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// compositeRun is a small runner for composite actions: enough of the
// runner's behaviour for portable/action.yml, and a failure for anything else
// (an expression it does not know, a step that is not a bash run step).
type compositeRun struct {
	t      *testing.T
	dir    string
	inputs map[string]string // as a workflow's with: gives them
	github map[string]string // the github context
	env    map[string]string // the runner's environment for every step
	steps  map[string]map[string]string
}

var exprRE = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// eval replaces each ${{ ... }} in s; in an input's default, inputs are not
// in scope.
func (c *compositeRun) eval(s string, port *portableAction) string {
	return exprRE.ReplaceAllStringFunc(s, func(m string) string {
		ref := exprRE.FindStringSubmatch(m)[1]
		parts := strings.Split(ref, ".")
		switch {
		case len(parts) == 2 && parts[0] == "github":
			if v, ok := c.github[parts[1]]; ok {
				return v
			}
		case len(parts) == 2 && parts[0] == "inputs" && port != nil:
			if v, ok := c.inputs[parts[1]]; ok {
				return v
			}
			if in := port.inputs.get(parts[1]); in != nil {
				return c.eval(in.get("default").text(), nil)
			}
		case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
			return c.steps[parts[1]][parts[3]]
		}
		c.t.Fatalf("expression %s: this test's runner does not know it", m)
		return ""
	})
}

func (c *compositeRun) run(port *portableAction) map[string]string {
	t := c.t
	t.Helper()
	c.steps = map[string]map[string]string{}
	for i, s := range port.steps {
		if s.Shell != "bash" || s.Run == "" {
			t.Fatalf("step %d: shell %q run %q; this runner only runs bash run steps", i, s.Shell, s.Run)
		}
		script := filepath.Join(c.dir, fmt.Sprintf("step%d.sh", i))
		if err := os.WriteFile(script, []byte(s.Run), 0o644); err != nil {
			t.Fatal(err)
		}
		output := filepath.Join(c.dir, fmt.Sprintf("output%d", i))
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
		// The runner's command line for shell: bash.
		cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = c.env["GITHUB_WORKSPACE"]
		for k, v := range c.env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		for k, v := range s.Env {
			cmd.Env = append(cmd.Env, k+"="+c.eval(v, port))
		}
		cmd.Env = append(cmd.Env, "GITHUB_OUTPUT="+output)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		cancel()
		if err != nil {
			t.Fatalf("step %d (%s): %v\n%s", i, s.ID, err, out.String())
		}
		t.Logf("step %s:\n%s", s.ID, out.String())
		if _, err := os.Stat(output); err == nil {
			c.steps[s.ID] = readOutputs(t, output)
		}
	}
	outs := map[string]string{}
	for _, name := range port.outputs.keys {
		outs[name] = c.eval(port.outputs.get(name).get("value").text(), port)
	}
	return outs
}
