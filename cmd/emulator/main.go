// Command emulator runs the project's GitHub releases API emulator by hand, so that
// release-action can be tried from a terminal without touching GitHub:
//
//	go run ./cmd/emulator                         # http://127.0.0.1:8484, repository octo/demo
//	go run ./cmd/emulator --addr 127.0.0.1:0      # any free loopback port
//
// It seeds the repositories (and a git tag), then prints on stdout the export lines
// that point the tool at it, the runner's variables of an emulated release job
// among them (its OIDC token service included), so stdout alone can be sourced by
// a script; how to use them, the request log and errors go to stderr. It writes
// its Sigstore trusted root and signing config (--trusted-root, --signing-config;
// by default into a temporary directory removed at the stop) and prints their
// paths, an attested example and how to verify a bundle offline. Ctrl-C stops it. Exit codes: 0
// stopped cleanly, 1 could not serve (the port is taken), 2 bad flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/releasekit/release-action/internal/emulator"
)

// DefaultAddr is where the emulator listens without --addr: a fixed loopback port,
// so that exports pasted once keep working across restarts.
const DefaultAddr = "127.0.0.1:8484"

// DefaultToken is the token the emulator accepts and prints. It is a fixed, public
// value: the emulator holds nothing worth protecting, and a fixed token lets the
// printed exports survive a restart.
const DefaultToken = "emulator-token"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal, a second one kills the process the usual way, in case
	// a slow upload holds up the graceful shutdown.
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is what the flags ask for.
type config struct {
	addr         string
	allowRemote  bool
	repos        []string
	tag          string
	immutable    bool
	token        string
	readOnly     string
	layout       emulator.Layout
	redirect     bool
	rate         int64
	quiet        bool
	hourWindow   time.Duration // 0 = no hour window enforced
	hourAllow    int
	printedToken string // the GITHUB_TOKEN to export
	// trustedRoot and signingConfig are where the Sigstore files go; "" = a
	// fresh temporary directory, removed when the emulator stops.
	trustedRoot    string
	signingConfig  string
	immutableAfter time.Duration
}

// usageError is a bad command line: exit 2 with one line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// run serves until ctx ends and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parse(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "emulator: %v (see --help)\n", err)
		return 2
	}
	if err := serve(ctx, cfg, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "emulator: %v\n", err)
		return 1
	}
	return 0
}

func parse(args []string, stdout io.Writer) (*config, error) {
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors become one line in run, --help goes to stdout
	cfg := &config{}
	fs.StringVar(&cfg.addr, "addr", DefaultAddr, "listen address; port 0 picks a free port")
	fs.BoolVar(&cfg.allowRemote, "allow-non-loopback", false, "listen on a non-loopback address (the emulator has no TLS and fake tokens)")
	repos := fs.String("repo", "octo/demo", "comma-separated owner/name repositories to create; the first is exported")
	fs.StringVar(&cfg.tag, "tag", "v1.0.0", `git tag to create in each repository ("" for none)`)
	fs.BoolVar(&cfg.immutable, "immutable", false, "turn on immutable releases for the repositories")
	fs.StringVar(&cfg.token, "token", DefaultToken, `the token accepted (and exported); "" accepts any`)
	fs.StringVar(&cfg.readOnly, "read-only-token", "", "a token that may only read")
	layout := fs.String("layout", "dotcom", "URL layout: dotcom (API at /) or ghes (API at /api/v3)")
	fs.BoolVar(&cfg.redirect, "redirect-downloads", false, "answer API downloads with 302 to the browser download URL")
	fs.Int64Var(&cfg.rate, "upload-rate", 0, "upload bytes per second per request (0 = unlimited), to watch progress")
	fs.BoolVar(&cfg.quiet, "quiet", false, "do not log each request on stderr")
	fs.DurationVar(&cfg.hourWindow, "hour-window", 0, "refuse writes beyond --hour-allow in any sliding window of this length, as GitHub does in an hour (0 = none)")
	fs.IntVar(&cfg.hourAllow, "hour-allow", 500, "with --hour-window, the writes it lets through (GitHub: 500)")
	fs.StringVar(&cfg.trustedRoot, "trusted-root", "", "write the Sigstore trusted root (trusted_root.json, for verifiers) to this file (default: a fresh temporary directory)")
	fs.StringVar(&cfg.signingConfig, "signing-config", "", "write the Sigstore signing config (the action's sigstore input) to this file (default: beside the trusted root)")
	fs.DurationVar(&cfg.immutableAfter, "immutable-after", 0, "with --immutable, how long after a publish the release reads immutable and its release attestation appears")
	fs.Usage = func() {} // the flag package calls it on every error; run prints one line instead
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout, fs)
			return nil, err
		}
		if name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: "); ok {
			return nil, fmt.Errorf("unknown flag --%s", strings.TrimLeft(name, "-"))
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q; every setting is a flag", fs.Arg(0))
	}
	switch strings.ToLower(*layout) {
	case "dotcom":
		cfg.layout = emulator.DotCom
	case "ghes":
		cfg.layout = emulator.GHES
	default:
		return nil, fmt.Errorf("--layout must be dotcom or ghes, not %q", *layout)
	}
	for _, r := range strings.Split(*repos, ",") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if o, n, ok := strings.Cut(r, "/"); !ok || o == "" || n == "" || strings.Contains(n, "/") {
			return nil, fmt.Errorf("--repo %q is not owner/name", r)
		}
		cfg.repos = append(cfg.repos, r)
	}
	if len(cfg.repos) == 0 {
		return nil, errors.New("--repo is empty; give at least one owner/name")
	}
	if cfg.hourWindow < 0 || cfg.hourWindow > 0 && cfg.hourAllow < 1 {
		return nil, fmt.Errorf("--hour-window %s with --hour-allow %d: want a positive window and at least 1 write", cfg.hourWindow, cfg.hourAllow)
	}
	if cfg.rate < 0 {
		return nil, fmt.Errorf("--upload-rate %d is negative; use 0 for unlimited", cfg.rate)
	}
	if cfg.immutableAfter < 0 {
		return nil, fmt.Errorf("--immutable-after %s is negative", cfg.immutableAfter)
	}
	if err := checkAddr(cfg.addr, cfg.allowRemote); err != nil {
		return nil, err
	}
	cfg.printedToken = cfg.token
	if cfg.printedToken == "" {
		cfg.printedToken = DefaultToken // any token is accepted; export one anyway
	}
	return cfg, nil
}

// checkAddr refuses anything but a loopback listen address unless allowed: the
// emulator speaks plain HTTP and accepts a public token, so other machines should
// reach it only when someone means them to (act's containers, for instance).
func checkAddr(addr string, allowRemote bool) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q is not HOST:PORT, such as %s or 127.0.0.1:0", addr, DefaultAddr)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("--addr %q has no valid port, such as %s or 127.0.0.1:0", addr, DefaultAddr)
	}
	if allowRemote || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--addr %q is not a loopback address; use 127.0.0.1 or [::1], or add --allow-non-loopback", addr)
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `Usage: go run ./cmd/emulator [flags]

Runs an in-memory GitHub releases API on loopback, seeds the repositories, and
prints the export lines that point release-action at it. Paste them into another
terminal, then run the tool from the repository's root, for example:

  go run . --tag v1.0.0 --files README.md

Ctrl-C stops the emulator (and forgets everything). Exit codes: 0 stopped,
1 could not serve, 2 bad flags.

Flags:
`)
	fs.VisitAll(func(f *flag.Flag) {
		kind, help := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if kind != "" {
			name += " " + strings.ToUpper(kind)
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			help += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  %s\n        %s\n", name, help)
	})
}

// serve listens, prints the setup and serves until ctx ends.
func serve(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	emu := emulator.New(emulator.Options{
		Layout:               cfg.layout,
		Token:                cfg.token,
		ReadOnlyToken:        cfg.readOnly,
		RedirectDownloads:    cfg.redirect,
		UploadBytesPerSecond: cfg.rate,
		HourWindow:           cfg.hourWindow,
		HourAllow:            cfg.hourAllow,
		ImmutableAfter:       cfg.immutableAfter,
		Workflow:             workflow(cfg),
	})
	// Run by hand or under act, the emulator has none of the user's history,
	// yet the action sends GITHUB_SHA (a real local commit) as the new tag's
	// target: take such a commit as pushed.
	emu.Git().AdoptUnknownCommits(true)
	for _, r := range cfg.repos {
		emu.AddRepo(r, cfg.immutable)
		if cfg.tag != "" {
			emu.AddTag(r, cfg.tag)
		}
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w; is another emulator running? Pick a free port with --addr 127.0.0.1:0", cfg.addr, unwrapOp(err))
	}
	defer ln.Close()
	origin := "http://" + reachable(ln.Addr())
	files, cleanup, err := writeSigstore(cfg, emu, origin)
	if err != nil {
		return err
	}
	defer cleanup()
	fmt.Fprint(stdout, exports(cfg, origin, emu.Workflow().Env(origin)))
	fmt.Fprint(stderr, instructions(cfg, origin, files))

	logged := make(chan struct{})
	logCtx, stopLog := context.WithCancel(context.Background())
	defer stopLog()
	go func() {
		defer close(logged)
		if !cfg.quiet {
			logRequests(logCtx, emu, stderr)
		}
	}()
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		_ = srv.Close() // uploads still running after the grace period are cut off
	}
	stopLog()
	<-logged
	fmt.Fprintln(stderr, "emulator: stopped")
	return nil
}

// unwrapOp drops net.OpError's repetition of the address ("listen tcp ...: bind:").
func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

// reachable is the listener's address as a client on this machine dials it: an
// unspecified address (0.0.0.0, ::) is reached through loopback.
func reachable(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	ip := tcp.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port))
}

// workflow is the job the emulator's runner token service speaks for: the
// first repository's release workflow, run on the seeded tag.
func workflow(cfg *config) emulator.Workflow {
	w := emulator.Workflow{Repository: cfg.repos[0]}
	if cfg.tag != "" {
		w.Ref = "refs/tags/" + cfg.tag
	}
	return w
}

// sigstoreFiles are the files written for Sigstore clients and verifiers.
type sigstoreFiles struct{ trustedRoot, signingConfig string }

// writeSigstore writes the trusted root and the signing config where the flags
// say, else into a fresh temporary directory that cleanup removes.
func writeSigstore(cfg *config, emu *emulator.Server, origin string) (sigstoreFiles, func(), error) {
	files := sigstoreFiles{cfg.trustedRoot, cfg.signingConfig}
	cleanup := func() {}
	if files.trustedRoot == "" || files.signingConfig == "" {
		dir, err := os.MkdirTemp("", "emulator-sigstore-")
		if err != nil {
			return files, cleanup, err
		}
		cleanup = func() { _ = os.RemoveAll(dir) }
		if files.trustedRoot == "" {
			files.trustedRoot = filepath.Join(dir, "trusted_root.json")
		}
		if files.signingConfig == "" {
			files.signingConfig = filepath.Join(dir, "signing_config.json")
		}
	}
	for path, content := range map[string][]byte{
		files.trustedRoot:   emu.TrustedRootJSON(),
		files.signingConfig: emu.SigningConfigJSON(origin),
	} {
		if err := os.WriteFile(path, append(content, '\n'), 0o644); err != nil {
			cleanup()
			return files, func() {}, fmt.Errorf("writing the Sigstore files: %w", err)
		}
	}
	return files, cleanup, nil
}

// exports is the shell setup that points release-action at the emulator: every
// variable internal/inputs reads from the environment that a terminal lacks,
// then the runner's variables for the emulated job (its OIDC token service
// among them), sorted.
func exports(cfg *config, origin string, runner map[string]string) string {
	vars := [][2]string{
		{"GITHUB_API_URL", origin + cfg.layout.APIPrefix()},
		{"GITHUB_SERVER_URL", origin},
		{"GITHUB_REPOSITORY", cfg.repos[0]},
		{"GITHUB_TOKEN", cfg.printedToken},
	}
	seen := map[string]bool{}
	for _, v := range vars {
		seen[v[0]] = true
	}
	names := make([]string, 0, len(runner))
	for k := range runner {
		if !seen[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		vars = append(vars, [2]string{k, runner[k]})
	}
	var b strings.Builder
	for _, v := range vars {
		fmt.Fprintf(&b, "export %s=%s\n", v[0], shellQuote(v[1]))
	}
	return b.String()
}

// exampleCommand is one release-action command line that works against a fresh
// emulator from the repository's root.
func exampleCommand(cfg *config) string {
	return "go run . --tag " + shellQuote(exampleTag(cfg)) + " --files README.md"
}

// exampleTag is the tag of the printed examples.
func exampleTag(cfg *config) string {
	if cfg.tag == "" {
		return "v1.0.0"
	}
	return cfg.tag
}

func instructions(cfg *config, origin string, files sigstoreFiles) string {
	owner, _, _ := strings.Cut(cfg.repos[0], "/")
	return fmt.Sprintf(`emulator: GitHub's releases API at %s, repositories %s, token %s
emulator: paste the export lines above into another terminal, then run from the repository's root:
  %s
emulator: Sigstore as GitHub runs it for private repositories (Fulcio, a timestamp authority, no public log), keys made at start:
emulator:   trusted root   %s
emulator:   signing config %s
emulator: an attested release (each asset gets NAME.sigstore.json beside it, verified first with the trusted root):
  %s --attest --sigstore %s --trusted-root %s
emulator: fetch the bundle and check the file offline with it and the trusted root:
  curl -fsSLO %s
  gh attestation verify README.md --bundle README.md.sigstore.json --custom-trusted-root %s --owner %s
emulator: Ctrl-C stops it
`, origin+cfg.layout.APIPrefix()+"/", strings.Join(cfg.repos, ", "), tokenNote(cfg), exampleCommand(cfg),
		files.trustedRoot, files.signingConfig,
		exampleCommand(cfg), shellQuote(files.signingConfig), shellQuote(files.trustedRoot),
		shellQuote(origin+"/"+cfg.repos[0]+"/releases/download/"+exampleTag(cfg)+"/README.md.sigstore.json"),
		shellQuote(files.trustedRoot), shellQuote(owner))
}

func tokenNote(cfg *config) string {
	if cfg.token == "" {
		return "(any accepted)"
	}
	return cfg.token
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe characters.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+=:,./_-", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// logRequests prints the emulator's request log on w as it grows, one line per
// request, so a person sees what the tool did; it returns once ctx ends and the
// last entries are printed.
func logRequests(ctx context.Context, emu *emulator.Server, w io.Writer) {
	printed := 0
	flush := func() {
		log := emu.Requests()
		for _, r := range log[printed:] {
			status := fmt.Sprint(r.Status)
			if r.Status == 0 {
				status = "dropped"
			}
			uri := r.Path
			if r.Query != "" {
				uri += "?" + r.Query
			}
			fmt.Fprintf(w, "emulator: %s %s %s\n", r.Method, uri, status)
		}
		printed = len(log)
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			flush()
		case <-ctx.Done():
			flush()
			return
		}
	}
}
