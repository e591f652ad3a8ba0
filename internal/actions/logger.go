package actions

import (
	"fmt"
	"io"
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
type Logger struct {
	mu      sync.Mutex
	w       io.Writer
	act     *githubactions.Action
	actions bool // emit workflow commands
	debug   bool // print debug lines outside a workflow
}

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
	if !l.actions {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for line := range strings.SplitSeq(secret, "\n") {
		if line = strings.TrimSuffix(line, "\r"); line != "" {
			l.act.AddMask(line)
		}
	}
}

// Group starts a collapsible group of log lines, ended by EndGroup.
func (l *Logger) Group(title string) {
	l.mu.Lock()
	defer l.mu.Unlock()
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

// Infof prints a plain log line. In a workflow, a line of the message that would
// read as a workflow command (it starts with "::") is defused with a leading
// zero-width space, so a file or release name cannot issue commands.
func (l *Logger) Infof(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if l.actions {
		msg = defuse(msg)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	io.WriteString(l.w, msg+"\n")
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
	msg := fmt.Sprintf(format, args...)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.actions {
		// The message is already formatted: pass it through "%s" so a "%" in a
		// file name is not read as a verb a second time.
		cmd("%s", msg)
		return
	}
	fmt.Fprintf(l.w, "%s: %s\n", level, msg)
}

// defuse prefixes with U+200B every line that the runner would parse as a command:
// one that starts with "::" once leading white space is trimmed. The runner breaks
// lines at "\r" as well as "\n", and U+200B is not white space to it.
func defuse(msg string) string {
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
