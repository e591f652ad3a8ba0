package packaging

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The rules below are checked on the Dockerfile's text, read by a small reader
// that follows the Dockerfile reference: parser directives, line continuations
// (with the escape directive), comment lines (also inside a continuation), case-
// insensitive instructions, leading --flags and exec (JSON) form. Anything it
// does not understand, such as a heredoc, is an error, so a rule cannot pass by
// misreading.
//
// BuildKit's own parser (github.com/moby/buildkit/frontend/dockerfile/parser)
// would be the reference, but the module does not require BuildKit, and its
// parser needs further modules (github.com/pkg/errors, ...); see
// docs/packaging.md.

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	line  int      // line of the keyword, from 1
	cmd   string   // lower case: "from", "run", "copy", ...
	flags []string // leading "--name=value" words, as written
	rest  string   // what follows the flags
	exec  []string // rest as a JSON array of strings (exec form); nil otherwise
}

func (in instruction) String() string {
	return fmt.Sprintf("line %d: %s", in.line, strings.ToUpper(in.cmd))
}

// flag returns the value of --name, and whether it was given.
func (in instruction) flag(name string) (string, bool) {
	for _, f := range in.flags {
		if v, ok := strings.CutPrefix(f, "--"+name+"="); ok {
			return v, true
		}
		if f == "--"+name {
			return "", true
		}
	}
	return "", false
}

// args returns the arguments: the exec form's elements, or the shell form's words.
func (in instruction) args() []string {
	if in.exec != nil {
		return in.exec
	}
	return strings.Fields(in.rest)
}

type dockerfile struct {
	directives map[string]string // "syntax", "escape", "check"; lower-case keys
	insts      []instruction
}

var directiveRE = regexp.MustCompile(`^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$`)

func parseDockerfile(src string) (*dockerfile, error) {
	df := &dockerfile{directives: map[string]string{}}
	lines := strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n")

	// Parser directives come first; a blank line, a comment of another shape or
	// an instruction ends them.
	i := 0
	for ; i < len(lines); i++ {
		m := directiveRE.FindStringSubmatch(strings.TrimSpace(lines[i]))
		if m == nil {
			break
		}
		key := strings.ToLower(m[1])
		if key != "syntax" && key != "escape" && key != "check" {
			break // an ordinary comment
		}
		if _, dup := df.directives[key]; dup {
			return nil, fmt.Errorf("line %d: directive %q given twice", i+1, key)
		}
		df.directives[key] = m[2]
	}
	escape := byte('\\')
	if e, ok := df.directives["escape"]; ok {
		if e != `\` && e != "`" {
			return nil, fmt.Errorf("escape directive %q: only \\ or ` are allowed", e)
		}
		escape = e[0]
	}

	var cur strings.Builder
	start := 0
	for ; i < len(lines); i++ {
		trimmed := strings.TrimSpace(lines[i])
		// Empty and comment lines are dropped, also between continued lines.
		if trimmed == "" || trimmed[0] == '#' {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		line := strings.TrimRight(lines[i], " \t")
		if line[len(line)-1] == escape {
			cur.WriteString(line[:len(line)-1])
			continue
		}
		cur.WriteString(line)
		in, err := parseInstruction(start, cur.String())
		if err != nil {
			return nil, err
		}
		df.insts = append(df.insts, in)
		cur.Reset()
	}
	if cur.Len() > 0 {
		return nil, fmt.Errorf("line %d: the file ends inside a continued instruction", start)
	}
	return df, nil
}

func parseInstruction(line int, s string) (instruction, error) {
	s = strings.TrimSpace(s)
	kw, rest, _ := strings.Cut(s, " ")
	if k, r, ok := strings.Cut(s, "\t"); ok && len(k) < len(kw) {
		kw, rest = k, r
	}
	in := instruction{line: line, cmd: strings.ToLower(kw)}
	rest = strings.TrimSpace(rest)
	for strings.HasPrefix(rest, "--") {
		f, r, _ := strings.Cut(rest, " ")
		in.flags = append(in.flags, f)
		rest = strings.TrimSpace(r)
	}
	in.rest = rest
	switch in.cmd {
	case "run", "copy", "add":
		if strings.Contains(rest, "<<") {
			return in, fmt.Errorf("line %d: %s with a heredoc: this reader does not support heredocs", line, strings.ToUpper(in.cmd))
		}
	}
	if strings.HasPrefix(rest, "[") {
		var exec []string
		if json.Unmarshal([]byte(rest), &exec) == nil && exec != nil {
			in.exec = exec
		}
	}
	return in, nil
}

// stage is a FROM instruction and the instructions up to the next one.
type stage struct {
	from  instruction
	image string // as written
	name  string // after AS, lower case; "" when none
	body  []instruction
}

// buildStep is the RUN that compiles the binary.
type buildStep struct {
	stage  int    // index in dockerfileFacts.stages
	output string // the go build -o path
	run    instruction
}

// dockerfileFacts is what checkDockerfile learned; the chroot test lays out its
// root from it.
type dockerfileFacts struct {
	stages     []stage
	build      buildStep
	entrypoint string
}

func (f *dockerfileFacts) final() stage { return f.stages[len(f.stages)-1] }

var (
	pinnedRE   = regexp.MustCompile(`^[^@\s$]+@sha256:[0-9a-f]{64}$`)
	goBuildRE  = regexp.MustCompile(`(^|[\s;&|(])go\s+build(\s|$)`)
	cgoOffRE   = regexp.MustCompile(`(^|\s)CGO_ENABLED=0(\s|$)`)
	outputRE   = regexp.MustCompile(`\s-o(\s+|=)(\S+)`)
	trimpathRE = regexp.MustCompile(`\s-trimpath(\s|$)`)
)

const caBundle = "/etc/ssl/certs/ca-certificates.crt"

// staticBase reports whether image is a distroless static base, the one
// alternative to scratch for the final stage (it carries CA certificates).
func staticBase(image string) bool {
	repo, _, _ := strings.Cut(image, "@")
	repo, _, _ = strings.Cut(repo, ":")
	return repo == "gcr.io/distroless/static" || strings.HasPrefix(repo, "gcr.io/distroless/static-")
}

// platformVarRE finds the variables a FROM --platform value uses.
var platformVarRE = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)`)

// checkLegacyBuilder rejects what only BuildKit understands. act builds a
// uses: ./ action through Docker's legacy builder, and so do older self-hosted
// runners: RUN flags such as --mount are unknown there, and FROM --platform
// with a variable only BuildKit sets expands to "" and fails to parse. A
// variable in --platform must therefore be a global ARG with a default.
func checkLegacyBuilder(df *dockerfile) []error {
	var errs []error
	defaults := map[string]string{}
	for _, in := range df.insts {
		if in.cmd == "from" {
			break
		}
		if name, def, ok := strings.Cut(strings.TrimSpace(in.rest), "="); ok && in.cmd == "arg" {
			defaults[name] = strings.Trim(def, `"'`)
		}
	}
	for _, in := range df.insts {
		if in.cmd == "run" && len(in.flags) > 0 {
			errs = append(errs, fmt.Errorf("%s %q: RUN flags are BuildKit-only; the legacy builder (act, older runners) rejects them", in, in.flags))
		}
		platform, ok := in.flag("platform")
		if in.cmd != "from" || !ok {
			continue
		}
		for _, m := range platformVarRE.FindAllStringSubmatch(platform, -1) {
			if defaults[m[1]] == "" {
				errs = append(errs, fmt.Errorf("%s --platform=%s: $%s has no default in a global ARG, so the legacy builder (act, older runners) sees an empty platform", in, platform, m[1]))
			}
		}
	}
	return errs
}

// checkDockerfile applies the packaging rules to a Dockerfile's text and returns
// every violation, joined, each naming its line.
func checkDockerfile(src string) (*dockerfileFacts, error) {
	df, err := parseDockerfile(src)
	if err != nil {
		return nil, err
	}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	// A syntax directive makes BuildKit pull a frontend image: pin it too.
	if s, ok := df.directives["syntax"]; ok && !pinnedRE.MatchString(s) {
		fail("syntax directive %q: the frontend image is not pinned by @sha256:<64 hex>", s)
	}

	errs = append(errs, checkLegacyBuilder(df)...)

	f := &dockerfileFacts{}
	for _, in := range df.insts {
		if in.cmd == "from" {
			f.stages = append(f.stages, stage{from: in})
			continue
		}
		if len(f.stages) == 0 {
			if in.cmd != "arg" {
				fail("%s: only ARG may come before the first FROM", in)
			}
			continue
		}
		s := &f.stages[len(f.stages)-1]
		s.body = append(s.body, in)
	}
	if len(f.stages) < 2 {
		fail("%d stage(s): build in one stage and copy the binary into an empty one (at least two stages)", len(f.stages))
		return nil, errors.Join(errs...)
	}

	// Every base image is pinned by digest, so a rebuild cannot change silently.
	var names []string
	for i := range f.stages {
		s := &f.stages[i]
		words := strings.Fields(s.from.rest)
		switch {
		case len(words) == 1:
		case len(words) == 3 && strings.EqualFold(words[1], "as"):
			s.name = strings.ToLower(words[2])
		default:
			fail("%s %q: expected IMAGE or IMAGE AS NAME", s.from, s.from.rest)
			continue
		}
		s.image = words[0]
		img := strings.ToLower(s.image)
		switch {
		case img == "scratch":
		case slices.Contains(names, img):
			if i == len(f.stages)-1 {
				fail("%s: the final stage starts from stage %q, so it carries everything that stage has", s.from, s.image)
			}
		case strings.Contains(s.image, "$"):
			fail("%s %s: the image uses a variable; write the pinned reference literally so it can be checked and updated", s.from, s.image)
		case !pinnedRE.MatchString(s.image):
			fail("%s %s: not pinned by @sha256:<64 hex>", s.from, s.image)
		}
		if s.name != "" {
			names = append(names, s.name)
		}
	}

	// No USER anywhere: the runner starts a container action as root, which it
	// needs to write the workspace it mounts.
	for _, in := range df.insts {
		if in.cmd == "user" {
			fail("%s %s: a container action must run as root, the runner's default; remove USER", in, in.rest)
		}
	}

	// The binary is built static.
	found := false
	for si, s := range f.stages[:len(f.stages)-1] {
		cgoEnv := false
		for _, in := range s.body {
			if in.cmd == "env" && cgoOffRE.MatchString(" "+in.rest) {
				cgoEnv = true
			}
			if in.cmd != "run" || !goBuildRE.MatchString(in.rest) {
				continue
			}
			found = true
			if !cgoEnv && !cgoOffRE.MatchString(in.rest) {
				fail("%s: go build without CGO_ENABLED=0; the final image has no libc", in)
			}
			if !trimpathRE.MatchString(in.rest) {
				fail("%s: go build without -trimpath; the binary would carry the builder's paths", in)
			}
			m := outputRE.FindStringSubmatch(in.rest)
			if m == nil {
				fail("%s: go build without -o PATH; name the binary the final stage copies", in)
				continue
			}
			f.build = buildStep{stage: si, output: strings.Trim(m[2], `"'`), run: in}
		}
	}
	if !found {
		fail("no RUN ... go build in a build stage")
	}

	final := f.final()
	if !strings.EqualFold(final.image, "scratch") && !staticBase(final.image) {
		fail("%s %s: the final stage must be FROM scratch (or a pinned distroless static base)", final.from, final.image)
	}

	// ENTRYPOINT in exec form with an absolute path: the runner appends the
	// step's args to it and sets the working directory itself.
	var ep *instruction
	for i := range final.body {
		if final.body[i].cmd == "entrypoint" {
			ep = &final.body[i]
		}
	}
	switch {
	case ep == nil:
		fail("the final stage has no ENTRYPOINT")
	case ep.exec == nil:
		fail("%s %s: use the exec form, a JSON array such as [\"/release-action\"]; the shell form needs a shell the image does not have", ep, ep.rest)
	case len(ep.exec) == 0 || !path.IsAbs(ep.exec[0]):
		fail("%s %s: the program must be an absolute path", ep, ep.rest)
	default:
		f.entrypoint = ep.exec[0]
	}

	// The final stage gets the binary from the build stage, and CA certificates.
	copied, certs := false, staticBase(final.image)
	for _, in := range final.body {
		if in.cmd != "copy" && in.cmd != "add" {
			continue
		}
		args := in.args()
		if len(args) < 2 {
			fail("%s: expected sources and a destination", in)
			continue
		}
		srcs, dest := args[:len(args)-1], args[len(args)-1]
		for _, src := range srcs {
			target := dest
			if strings.HasSuffix(dest, "/") {
				target = path.Join(dest, path.Base(src))
			}
			if target == caBundle && path.Base(src) == path.Base(caBundle) {
				certs = true
			}
			from, _ := in.flag("from")
			if f.entrypoint != "" && target == f.entrypoint && src == f.build.output && f.stageIs(from, f.build.stage) {
				copied = true
			}
		}
	}
	if f.entrypoint != "" && f.build.output != "" && !copied {
		fail("the final stage does not COPY --from=%s %s to the ENTRYPOINT %s", f.stageRef(f.build.stage), f.build.output, f.entrypoint)
	}
	if !certs {
		fail("the final stage does not copy CA certificates to %s; HTTPS to GitHub would fail", caBundle)
	}
	return f, errors.Join(errs...)
}

// stageIs reports whether a --from value names stage i, by name or index.
func (f *dockerfileFacts) stageIs(from string, i int) bool {
	if n, err := strconv.Atoi(from); err == nil {
		return n == i
	}
	return from != "" && strings.ToLower(from) == f.stages[i].name
}

func (f *dockerfileFacts) stageRef(i int) string {
	if f.stages[i].name != "" {
		return f.stages[i].name
	}
	return strconv.Itoa(i)
}

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../../" + name)
	if err != nil {
		t.Fatalf("read %s from the module root: %v", name, err)
	}
	return string(b)
}

func TestDockerfile(t *testing.T) {
	t.Parallel()
	f, err := checkDockerfile(readRepoFile(t, "Dockerfile"))
	if err != nil {
		t.Fatalf("Dockerfile breaks the packaging rules:\n%v", err)
	}
	if f.entrypoint != "/release-action" {
		t.Errorf("ENTRYPOINT runs %s, want /release-action", f.entrypoint)
	}
	// The build embeds the version the release workflow passes as a build arg.
	if !strings.Contains(f.build.run.rest, "-X github.com/releasekit/release-action/internal/app.Version=${VERSION}") {
		t.Errorf("%s: go build does not set internal/app.Version from the VERSION build arg", f.build.run)
	}
}

// goodDockerfile passes every rule; each case of TestDockerfileRejects breaks one.
const goodDockerfile = `# A valid file for the checker's own tests.
ARG BUILDPLATFORM=linux
FROM --platform=$BUILDPLATFORM golang:1.26.9-bookworm@sha256:d9c68c2c51161e12fd77e4c6320687c9cd86e1af1e3ad6e6cd63ff970641453c AS build
WORKDIR /src
COPY . .
RUN \
    CGO_ENABLED=0 \
    go build -trimpath -o /release-action .

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /release-action /release-action
ENTRYPOINT ["/release-action"]
`

const goodDigest = "d9c68c2c51161e12fd77e4c6320687c9cd86e1af1e3ad6e6cd63ff970641453c"

func TestDockerfileAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
	}{
		{"reference", goodDockerfile},
		{"USER inside a continued RUN is not an instruction", strings.Replace(goodDockerfile,
			"WORKDIR /src", "RUN echo \\\n  USER nobody", 1)},
		{"comment and blank line inside a continuation", strings.Replace(goodDockerfile,
			"    CGO_ENABLED=0 \\\n", "    CGO_ENABLED=0 \\\n# a comment\n\n", 1)},
		{"backtick escape directive", "# escape=`\n" + strings.ReplaceAll(goodDockerfile, "\\\n", "`\n")},
		{"lower-case instructions", strings.NewReplacer("FROM", "from", "COPY", "copy", "ENTRYPOINT", "entrypoint").Replace(goodDockerfile)},
		{"CGO_ENABLED=0 from ENV", strings.Replace(strings.Replace(goodDockerfile,
			"    CGO_ENABLED=0 \\\n", "", 1), "WORKDIR /src", "ENV CGO_ENABLED=0", 1)},
		{"copy by stage index", strings.Replace(goodDockerfile, "--from=build /release-action", "--from=0 /release-action", 1)},
		{"pinned distroless static base", strings.Replace(strings.Replace(goodDockerfile,
			"FROM scratch", "FROM gcr.io/distroless/static-debian12@sha256:"+goodDigest, 1),
			"COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n", "", 1)},
		{"pinned syntax directive", "# syntax=docker/dockerfile:1@sha256:" + goodDigest + "\n" + goodDockerfile},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := checkDockerfile(tt.src); err != nil {
				t.Errorf("rejected:\n%v\n--- file:\n%s", err, tt.src)
			}
		})
	}
}

// TestDockerfileRejects proves each rule can fail: every case breaks one rule of
// goodDockerfile and names the message it must produce.
func TestDockerfileRejects(t *testing.T) {
	t.Parallel()
	replace := func(old, new string) string {
		if !strings.Contains(goodDockerfile, old) {
			t.Fatalf("goodDockerfile has no %q", old)
		}
		return strings.Replace(goodDockerfile, old, new, 1)
	}
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"shell-form ENTRYPOINT", replace(`ENTRYPOINT ["/release-action"]`, "ENTRYPOINT /release-action"), "use the exec form"},
		{"relative ENTRYPOINT", replace(`ENTRYPOINT ["/release-action"]`, `ENTRYPOINT ["release-action"]`), "absolute path"},
		{"no ENTRYPOINT", replace(`ENTRYPOINT ["/release-action"]`, ""), "no ENTRYPOINT"},
		{"unpinned FROM", replace("golang:1.26.9-bookworm@sha256:"+goodDigest, "golang:1.26.9-bookworm"), "not pinned"},
		{"short digest", replace(goodDigest, goodDigest[:12]), "not pinned"},
		{"variable in FROM", replace("golang:1.26.9-bookworm@", "golang:${GO_VERSION}@"), "uses a variable"},
		{"USER in the final stage", replace("ENTRYPOINT", "USER 65532\nENTRYPOINT"), "must run as root"},
		{"USER in the build stage", replace("WORKDIR /src", "user nobody"), "must run as root"},
		{"single stage", "FROM golang:1.26.9-bookworm@sha256:" + goodDigest + "\nRUN CGO_ENABLED=0 go build -trimpath -o /release-action .\nENTRYPOINT [\"/release-action\"]\n", "at least two stages"},
		{"cgo left on", replace("    CGO_ENABLED=0 \\\n", ""), "without CGO_ENABLED=0"},
		{"CGO_ENABLED=1", replace("CGO_ENABLED=0", "CGO_ENABLED=1"), "without CGO_ENABLED=0"},
		{"no -trimpath", replace("-trimpath ", ""), "without -trimpath"},
		{"no go build", replace("go build -trimpath -o /release-action .", "true"), "no RUN ... go build"},
		{"final stage from golang", replace("FROM scratch", "FROM golang:1.26.9-bookworm@sha256:"+goodDigest), "must be FROM scratch"},
		{"final stage from the build stage", replace("FROM scratch", "FROM build"), "carries everything"},
		{"no CA certificates", replace("COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n", ""), "CA certificates"},
		{"binary copied elsewhere", replace("COPY --from=build /release-action /release-action", "COPY --from=build /release-action /bin/release-action"), "does not COPY --from=build /release-action"},
		{"binary from the build context", replace("COPY --from=build /release-action /release-action", "COPY release-action /release-action"), "does not COPY --from=build"},
		{"unpinned syntax directive", "# syntax=docker/dockerfile:1\n" + goodDockerfile, "syntax directive"},
		{"instruction before FROM", "LABEL a=b\n" + goodDockerfile, "only ARG may come before"},
		{"heredoc", replace("WORKDIR /src", "RUN <<EOF\nUSER nobody\nEOF"), "heredoc"},
		{"cache mount", replace("RUN \\\n", "RUN --mount=type=cache,target=/root/.cache/go-build \\\n"), "RUN flags are BuildKit-only"},
		{"BUILDPLATFORM without a default", replace("ARG BUILDPLATFORM=linux\n", "ARG BUILDPLATFORM\n"), "$BUILDPLATFORM has no default"},
		{"BUILDPLATFORM not declared", replace("ARG BUILDPLATFORM=linux\n", ""), "$BUILDPLATFORM has no default"},
		{"unfinished continuation", goodDockerfile + "RUN true \\\n", "ends inside a continued instruction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := checkDockerfile(tt.src)
			if err == nil {
				t.Fatalf("accepted; want an error containing %q\n--- file:\n%s", tt.want, tt.src)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestParseDockerfile(t *testing.T) {
	t.Parallel()
	df, err := parseDockerfile("# syntax=x\n# check=skip=all\n\n# escape=`\nfrom a AS b\nRUN --mount=type=cache,target=/c \\\n  echo \\\n  two\nENTRYPOINT [\"/x\", \"y\"]\nCMD [not json\n")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := df.directives, map[string]string{"syntax": "x", "check": "skip=all"}; !maps.Equal(got, want) {
		t.Errorf("directives %v, want %v (a directive after a blank line is a comment)", got, want)
	}
	var got []string
	for _, in := range df.insts {
		got = append(got, fmt.Sprintf("%d %s %q %q %q", in.line, in.cmd, in.flags, in.rest, in.exec))
	}
	want := []string{
		`5 from [] "a AS b" []`,
		`6 run ["--mount=type=cache,target=/c"] "echo   two" []`,
		`9 entrypoint [] "[\"/x\", \"y\"]" ["/x" "y"]`,
		`10 cmd [] "[not json" []`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("instructions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
