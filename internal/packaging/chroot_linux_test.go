//go:build linux

package packaging

import (
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
)

// TestStaticBinaryRunsInEmptyRoot builds the binary the way the Dockerfile does
// and runs it chrooted in a directory holding nothing else: no libc, no shell,
// no /tmp, no /proc. Then it runs a real publish, against the emulator on
// loopback, in a root laid out like the image's final stage.
func TestStaticBinaryRunsInEmptyRoot(t *testing.T) {
	t.Parallel()
	bin := buildStatic(t)

	t.Run("no dynamic linking", func(t *testing.T) {
		t.Parallel()
		f, err := elf.Open(bin)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("the binary has a PT_INTERP program header: it needs a dynamic loader the image does not have")
			}
		}
		libs, err := f.ImportedLibraries()
		if err != nil {
			t.Fatal(err)
		}
		if len(libs) > 0 {
			t.Errorf("the binary needs shared libraries (DT_NEEDED): %v", libs)
		}
	})

	t.Run("starts and validates", func(t *testing.T) {
		t.Parallel()
		root := t.TempDir()
		install(t, bin, filepath.Join(root, "release-action"), 0o755)
		install(t, hostCABundle(t), filepath.Join(root, caBundle), 0o644)
		assertOnly(t, root, "etc/ssl/certs/ca-certificates.crt", "release-action")

		run := runChrooted(t, root, "/", "/release-action", map[string]string{
			"GITHUB_ACTIONS":    "true",
			"GITHUB_REPOSITORY": "o/r",
			"GITHUB_OUTPUT":     "/out",
			"INPUT_TOKEN":       "x",
			"INPUT_TAG":         "bad tag",
		})
		if run.code != 2 { // bad inputs: the usage exit code
			t.Fatalf("exit code %d, want 2\nstdout:\n%s\nstderr:\n%s", run.code, run.stdout, run.stderr)
		}
		if !regexp.MustCompile(`(?m)^::error::input "tag": "bad tag" is not a valid tag name`).MatchString(run.stdout) {
			t.Errorf("stdout has no ::error:: naming input \"tag\":\n%s", run.stdout)
		}
		if _, err := os.Stat(filepath.Join(root, "out")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a run that failed validation wrote GITHUB_OUTPUT (stat: %v)", err)
		}
	})

	f, err := checkDockerfile(readRepoFile(t, "Dockerfile"))
	if err != nil {
		t.Fatalf("Dockerfile: %v", err)
	}

	t.Run("publishes in the image layout", func(t *testing.T) {
		t.Parallel()
		root := imageRoot(t, f, bin)
		emu, apiURL := startEmulator(t)
		run := publishChrooted(t, root, f.entrypoint, apiURL)
		if run.code != 0 {
			t.Fatalf("exit code %d, want 0\nstdout:\n%s\nstderr:\n%s", run.code, run.stdout, run.stderr)
		}
		outs := readOutputs(t, filepath.Join(root, "github/file_commands/set_output"))
		if outs["created"] != "true" || outs["tag"] != "v1.0.0" {
			t.Errorf("outputs created=%q tag=%q, want true and v1.0.0", outs["created"], outs["tag"])
		}
		var assets []struct{ Name, Action string }
		if err := json.Unmarshal([]byte(outs["assets"]), &assets); err != nil {
			t.Fatalf("assets output %q: %v", outs["assets"], err)
		}
		got := map[string]string{}
		for _, a := range assets {
			got[a.Name] = a.Action
		}
		want := map[string]string{"a.txt": "uploaded", "b.txt": "uploaded", "SHA256SUMS": "uploaded"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("assets %v, want %v", got, want)
		}

		// The checksum list, written under /tmp inside the root, reached GitHub.
		rels := emu.Releases("octo/demo")
		if len(rels) != 1 {
			t.Fatalf("%d releases, want 1", len(rels))
		}
		for _, a := range emu.Assets("octo/demo", rels[0].ID) {
			if a.Name != "SHA256SUMS" {
				continue
			}
			content, _ := emu.AssetContent("octo/demo", a.ID)
			for name, body := range workspaceFiles {
				sum := sha256.Sum256([]byte(body))
				if line := hex.EncodeToString(sum[:]) + "  " + name; !strings.Contains(string(content), line) {
					t.Errorf("SHA256SUMS has no line %q:\n%s", line, content)
				}
			}
		}
	})

	// The same publish without the image's /tmp fails: this is why the
	// Dockerfile ships an empty /tmp, and what the previous subtest relies on.
	t.Run("fails without /tmp", func(t *testing.T) {
		t.Parallel()
		root := imageRoot(t, f, bin)
		if err := os.Remove(filepath.Join(root, "tmp")); err != nil {
			t.Fatalf("the image layout has no /tmp to remove: %v", err)
		}
		_, apiURL := startEmulator(t)
		run := publishChrooted(t, root, f.entrypoint, apiURL)
		if run.code != 1 || !strings.Contains(run.stdout, "checksums") {
			t.Errorf("exit code %d, want 1 with an error about checksums\nstdout:\n%s", run.code, run.stdout)
		}
	})
}

// buildStatic compiles the module's main package as the Dockerfile does.
func buildStatic(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		t.Fatalf("go env GOMOD: not inside the module")
	}
	bin := filepath.Join(t.TempDir(), "release-action")
	// -buildvcs=false: the image build has no .git either (.dockerignore).
	cmd := exec.Command("go", "build", "-trimpath", "-buildvcs=false",
		"-ldflags", "-s -w -X github.com/releasekit/release-action/internal/app.Version=chroot-test",
		"-o", bin, ".")
	cmd.Dir = filepath.Dir(gomod)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func hostCABundle(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(caBundle); err != nil {
		t.Fatalf("the host has no CA bundle to copy into the root: %v", err)
	}
	return caBundle
}

// install copies src to dst, creating dst's directories.
func install(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// assertOnly fails unless the regular files under root are exactly files.
func assertOnly(t *testing.T, root string, files ...string) {
	t.Helper()
	var got []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(files) {
		t.Fatalf("root holds %v, want only %v", got, files)
	}
}

// imageRoot lays out a root like the Dockerfile's final stage: it follows each
// COPY --from of that stage, providing what the build stage would have made.
func imageRoot(t *testing.T, f *dockerfileFacts, bin string) string {
	t.Helper()
	root := t.TempDir()
	final := f.final()
	if !strings.EqualFold(final.image, "scratch") {
		t.Fatalf("the final stage starts from %s; this test only knows how to lay out scratch", final.image)
	}
	for _, in := range final.body {
		switch in.cmd {
		case "entrypoint", "label", "env", "expose", "stopsignal", "arg":
			continue
		case "copy":
		default:
			t.Fatalf("%s in the final stage: this test does not know how to reproduce it", in)
		}
		from, _ := in.flag("from")
		stageIdx := -1
		for i := range f.stages[:len(f.stages)-1] {
			if f.stageIs(from, i) {
				stageIdx = i
			}
		}
		args := in.args()
		if stageIdx < 0 || len(args) != 2 {
			t.Fatalf("%s %s: this test only reproduces COPY --from=STAGE SRC DEST", in, in.rest)
		}
		src, dest := args[0], args[1]
		if strings.HasSuffix(dest, "/") {
			dest = path.Join(dest, path.Base(src))
		}
		target := filepath.Join(root, filepath.FromSlash(dest))
		switch {
		case stageIdx == f.build.stage && src == f.build.output:
			install(t, bin, target, 0o755)
		case src == caBundle:
			install(t, hostCABundle(t), target, 0o644)
		case madeDir(f.stages[stageIdx], src) != 0:
			mode := madeDir(f.stages[stageIdx], src)
			if err := os.MkdirAll(target, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(target, mode); err != nil {
				t.Fatal(err)
			}
		default:
			t.Fatalf("%s: this test does not know what %s holds in stage %s", in, src, f.stageRef(stageIdx))
		}
	}
	return root
}

var mkdirRE = regexp.MustCompile(`(?:^|[;&|]\s*)mkdir\s+(?:-p\s+)?(?:-m\s+([0-7]+)\s+)?(?:-p\s+)?(\S+)\s*$`)

// madeDir returns the mode of an empty directory dir that a RUN mkdir of s
// creates, or 0 when none does.
func madeDir(s stage, dir string) os.FileMode {
	for _, in := range s.body {
		m := mkdirRE.FindStringSubmatch(in.rest)
		if in.cmd != "run" || m == nil || m[2] != dir {
			continue
		}
		if m[1] == "" {
			return os.ModeDir | 0o755
		}
		n, _ := strconv.ParseUint(m[1], 8, 32)
		mode := os.FileMode(n & 0o777)
		if n&0o1000 != 0 {
			mode |= os.ModeSticky
		}
		return mode | os.ModeDir
	}
	return 0
}

// workspaceFiles are the files the publish subtests upload.
var workspaceFiles = map[string]string{"a.txt": "alpha\n", "b.txt": "beta\n"}

func startEmulator(t *testing.T) (*emulator.Server, string) {
	t.Helper()
	emu := demoEmulator()
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return emu, srv.URL
}

// demoEmulator has the repository and tag the publish subtests use.
func demoEmulator() *emulator.Server {
	emu := emulator.New(emulator.Options{Token: "test-token"})
	emu.AddRepo("octo/demo", false)
	emu.AddTag("octo/demo", "v1.0.0")
	return emu
}

// publishChrooted runs the action in root the way the runner runs the
// container: the workspace and the file-command directory mounted under
// /github, the working directory set to the workspace, inputs as INPUT_*.
func publishChrooted(t *testing.T, root, entrypoint, apiURL string) chrootRun {
	t.Helper()
	for name, body := range workspaceFiles {
		p := filepath.Join(root, "github/workspace/dist", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "github/file_commands"), 0o755); err != nil {
		t.Fatal(err)
	}
	return runChrooted(t, root, "/github/workspace", entrypoint, map[string]string{
		"GITHUB_ACTIONS":      "true",
		"GITHUB_WORKSPACE":    "/github/workspace",
		"GITHUB_OUTPUT":       "/github/file_commands/set_output",
		"GITHUB_STEP_SUMMARY": "/github/file_commands/step_summary",
		"GITHUB_REPOSITORY":   "octo/demo",
		"GITHUB_REF":          "refs/tags/v1.0.0",
		"GITHUB_API_URL":      apiURL,
		"GITHUB_SERVER_URL":   apiURL,
		"INPUT_TOKEN":         "test-token",
		"INPUT_FILES":         "dist/*",
		"INPUT_CHECKSUMS":     "SHA256SUMS",
	})
}

type chrootRun struct {
	code           int
	stdout, stderr string
}

// runChrooted runs prog, a path inside root, chrooted in root with exactly env
// and dir as its working directory. As root it chroots directly; otherwise it
// first enters a new user namespace, in which the caller is root and may chroot.
func runChrooted(t *testing.T, root, dir, prog string, env map[string]string) chrootRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	how := "chroot as root"
	var err error
	// ETXTBSY: a parallel test forked while this binary was still open for
	// writing in install, and the child holds that descriptor until it execs
	// (golang/go#22315). It clears within moments; start again.
	for attempt := 0; ; attempt++ {
		stdout.Reset()
		stderr.Reset()
		// A path with a slash is not looked up on the host; the kernel resolves it
		// after the chroot.
		cmd := exec.CommandContext(ctx, prog)
		cmd.Dir = dir
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: root}
		if uid := os.Geteuid(); uid != 0 {
			how = fmt.Sprintf("chroot in a user namespace as uid %d", uid)
			cmd.SysProcAttr.Cloneflags = syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS
			cmd.SysProcAttr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: uid, Size: 1}}
			cmd.SysProcAttr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getegid(), Size: 1}}
		}
		err = cmd.Run()
		if !errors.Is(err, syscall.ETXTBSY) || attempt == 50 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return chrootRun{0, stdout.String(), stderr.String()}
	case errors.As(err, &exit) && exit.Exited():
		return chrootRun{exit.ExitCode(), stdout.String(), stderr.String()}
	case errors.As(err, &exit):
		t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", prog, err, stdout.String(), stderr.String())
	}
	if errors.Is(err, syscall.ENOENT) {
		t.Fatalf("cannot start %s (%s in %s): %v\n"+
			"The kernel found no %s, or not the ELF interpreter it names, inside the root: is the binary static?",
			prog, how, root, err, prog)
	}
	t.Fatalf("cannot start %s (%s in %s): %v\n"+
		"This test needs root, or unprivileged user namespaces: on Ubuntu 24.04 (GitHub's ubuntu-latest) run\n"+
		"  sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0\n"+
		"elsewhere check kernel.unprivileged_userns_clone=1 and user.max_user_namespaces > 0.",
		prog, how, root, err)
	return chrootRun{}
}

// readOutputs parses a GITHUB_OUTPUT file in both of its forms: the
// "name<<DELIMITER" blocks the program writes, and name=value lines.
func readOutputs(t *testing.T, file string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	outs := map[string]string{}
	lines := strings.Split(string(b), "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] == "" {
			continue
		}
		eq, heredoc := strings.IndexByte(lines[i], '='), strings.Index(lines[i], "<<")
		if eq >= 0 && (heredoc < 0 || eq < heredoc) {
			outs[lines[i][:eq]] = lines[i][eq+1:]
			continue
		}
		if heredoc < 0 {
			t.Fatalf("%s line %d: %q is neither name=value nor name<<DELIMITER", file, i+1, lines[i])
		}
		name, delim := lines[i][:heredoc], lines[i][heredoc+2:]
		var value []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			value = append(value, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("%s: output %s has no closing delimiter", file, name)
		}
		outs[name] = strings.Join(value, "\n")
	}
	return outs
}
