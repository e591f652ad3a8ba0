package actions

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"unicode"

	githubactions "github.com/sethvargo/go-githubactions"
)

// Logger writes log lines and workflow commands. In a workflow (Mode.Workflow)
// it emits commands such as ::warning:: through go-githubactions; elsewhere it
// prints plain lines ("warning: ...") and masks nothing. It is safe for concurrent
// use: each call writes whole lines under a lock. Write errors are dropped, since
// there is nowhere left to report them (go-githubactions would panic instead).
//
// Every line it prints, in a workflow or in a terminal, has the masked secrets
// and any credentials written into a URL (https://user:pass@host) replaced by
// "***", whatever a server echoed back; the runner's own masking covers only a
// workflow, and only once ::add-mask:: has been read. In a workflow, a message that
// the runner could read as a command is defused (see defuse).
type Logger struct {
	mu      sync.Mutex
	w       io.Writer
	act     *githubactions.Action
	actions bool // emit workflow commands
	debug   bool // print debug lines outside a workflow
	secrets []string
}

// minSecret is the shortest secret redacted by the logger itself. Every GitHub
// token is far longer; replacing a two-letter test token would garble every line.
// The runner, told by ::add-mask::, masks secrets of any length.
const minSecret = 8

// Mode is where the log goes, as internal/inputs read it from the runner's
// variables: the logger itself reads no environment.
type Mode struct {
	Workflow bool // GITHUB_ACTIONS=true: emit workflow commands
	Debug    bool // RUNNER_DEBUG=1: show Debugf lines outside a workflow too
}

// New returns a Logger writing to w in mode m.
func New(w io.Writer, m Mode) *Logger {
	w = quietWriter{w}
	noEnv := func(string) string { return "" } // commands only; no file commands, no inputs
	return &Logger{
		w:       w,
		act:     githubactions.New(githubactions.WithWriter(w), githubactions.WithGetenv(noEnv)),
		actions: m.Workflow,
		debug:   m.Debug,
	}
}

// Mask asks the runner to redact secret from the rest of the log. Each line is
// registered on its own, because the runner matches masks line by line.
func (l *Logger) Mask(secret string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for line := range strings.SplitSeq(secret, "\n") {
		if line = strings.TrimSuffix(line, "\r"); line != "" {
			if len(line) >= minSecret {
				l.secrets = append(l.secrets, line)
			}
			if l.actions {
				l.act.AddMask(line)
			}
		}
	}
}

// Group starts a collapsible group of log lines, ended by EndGroup.
func (l *Logger) Group(title string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	title = l.clean(title)
	if l.actions {
		l.act.Group(title)
		return
	}
	fmt.Fprintf(l.w, "== %s\n", title)
}

// EndGroup ends the group started by Group.
func (l *Logger) EndGroup() {
	if !l.actions {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.act.EndGroup()
}

// Infof prints a plain log line, redacted and, in a workflow, defused, so a file
// or release name cannot issue commands.
func (l *Logger) Infof(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.w, l.clean(msg)+"\n")
}

// Noticef writes a notice annotation.
func (l *Logger) Noticef(format string, args ...any) {
	l.annotate("notice", l.act.Noticef, format, args)
}

// Warningf writes a warning annotation.
func (l *Logger) Warningf(format string, args ...any) {
	l.annotate("warning", l.act.Warningf, format, args)
}

// Errorf writes an error annotation. In a workflow the message is escaped
// (% \r \n as %25 %0D %0A), so a multi-line message stays one annotation.
func (l *Logger) Errorf(format string, args ...any) {
	l.annotate("error", l.act.Errorf, format, args)
}

// Debugf writes a debug line: ::debug:: in a workflow (the runner shows it when
// step debug logging is on), or a plain line outside one when RUNNER_DEBUG=1.
func (l *Logger) Debugf(format string, args ...any) {
	if !l.actions && !l.debug {
		return
	}
	l.annotate("debug", l.act.Debugf, format, args)
}

func (l *Logger) annotate(level string, cmd func(string, ...any), format string, args []any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	msg := l.clean(fmt.Sprintf(format, args...))
	if l.actions {
		// The message is already formatted: pass it through "%s" so a "%" in a
		// file name is not read as a verb a second time.
		cmd("%s", msg)
		return
	}
	fmt.Fprintf(l.w, "%s: %s\n", level, msg)
}

// clean redacts msg and, in a workflow, defuses it. The caller holds l.mu.
func (l *Logger) clean(msg string) string {
	msg = redact(msg, l.secrets)
	if l.actions {
		msg = defuse(msg)
	}
	return msg
}

// userinfo matches the credentials of a URL: "scheme://user:pass@" or "scheme://token@".
var userinfo = regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.-]*://)[^\s/?#@]+@`)

// redact replaces every secret, and the credentials of any URL, with "***".
func redact(msg string, secrets []string) string {
	for _, s := range secrets {
		msg = strings.ReplaceAll(msg, s, "***")
	}
	if strings.Contains(msg, "@") {
		msg = userinfo.ReplaceAllString(msg, "${1}***@")
	}
	return msg
}

// defuse breaks what the runner would parse as a command. A line that starts
// with "::" once leading white space is trimmed gets a leading U+200B, and the
// legacy "##[" prefix, which the runner looks for anywhere in a line, becomes
// "##\u200b[". The runner breaks lines at "\r" as well as "\n", and U+200B is not
// white space to it. Our own commands are written by go-githubactions, after this.
func defuse(msg string) string {
	msg = strings.ReplaceAll(msg, "##[", "##\u200b[")
	if !strings.Contains(msg, "::") {
		return msg
	}
	var b strings.Builder
	for len(msg) > 0 {
		end := strings.IndexAny(msg, "\r\n") + 1
		if end == 0 {
			end = len(msg)
		}
		line := msg[:end]
		if strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") {
			b.WriteString("\u200b")
		}
		b.WriteString(line)
		msg = msg[end:]
	}
	return b.String()
}

// quietWriter drops write errors, so a closed stdout cannot make
// go-githubactions panic in the middle of an upload.
type quietWriter struct{ w io.Writer }

func (q quietWriter) Write(p []byte) (int, error) {
	q.w.Write(p)
	return len(p), nil
}
