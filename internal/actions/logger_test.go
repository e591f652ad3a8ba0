package actions

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

var inActions = Mode{Workflow: true}

func TestLoggerInActions(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	l := New(&b, inActions)
	l.Mask("s3cret")
	l.Mask("line1\r\nline2\n")
	l.Mask("")
	l.Group("Upload")
	l.Infof("uploading %s (%d bytes)", "a.tgz", 10)
	l.EndGroup()
	l.Noticef("created %s", "v1")
	l.Warningf("100%% sure: %s", "50% off")
	l.Errorf("bad\r\nthing: %s", "100%")
	l.Debugf("plan: %d steps", 3)
	want := strings.Join([]string{
		"::add-mask::s3cret",
		"::add-mask::line1",
		"::add-mask::line2",
		"::group::Upload",
		"uploading a.tgz (10 bytes)",
		"::endgroup::",
		"::notice::created v1",
		"::warning::100%25 sure: 50%25 off",
		"::error::bad%0D%0Athing: 100%25",
		"::debug::plan: 3 steps",
		"",
	}, "\n")
	if got := lf(b.String()); got != want {
		t.Errorf("log:\n%s\nwant:\n%s", got, want)
	}
}

func TestLoggerPlain(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	l := New(&b, Mode{})
	l.Mask("s3cret")
	l.Group("Upload")
	l.Infof("uploading %s", "a.tgz")
	l.EndGroup()
	l.Noticef("created %s", "v1")
	l.Warningf("careful")
	l.Errorf("bad: %s", "100%")
	l.Debugf("hidden")
	want := "== Upload\nuploading a.tgz\nnotice: created v1\nwarning: careful\nerror: bad: 100%\n"
	if got := lf(b.String()); got != want {
		t.Errorf("log:\n%q\nwant:\n%q", got, want)
	}

	b.Reset()
	New(&b, Mode{Debug: true}).Debugf("shown %d", 1)
	if got := b.String(); got != "debug: shown 1\n" {
		t.Errorf("debug in debug mode: %q", got)
	}
}

func TestLoggerDefusesCommands(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	l := New(&b, inActions)
	l.Infof("file %s", "x\n::error::pwned\r  ::add-mask::y\nok :: fine")
	for line := range strings.FieldsFuncSeq(b.String(), func(r rune) bool { return r == '\n' || r == '\r' }) {
		if strings.HasPrefix(strings.TrimSpace(line), "::") {
			t.Errorf("line %q would be read as a command", line)
		}
	}
	if !strings.Contains(b.String(), "ok :: fine") {
		t.Errorf("an innocent line was changed: %q", b.String())
	}
}

func TestLoggerConcurrent(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"actions", "plain"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			mode := Mode{Workflow: name == "actions"}
			var b bytes.Buffer
			l := New(&b, mode)
			var wg sync.WaitGroup
			for g := range 8 {
				wg.Go(func() {
					for i := range 50 {
						l.Infof("g%d line %d", g, i)
						l.Warningf("g%d warning %d", g, i)
						l.Mask(fmt.Sprintf("secret-%d-%d", g, i))
					}
				})
			}
			wg.Wait()
			lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
			want := 8 * 50 * 2
			if name == "actions" {
				want += 8 * 50
			}
			if len(lines) != want {
				t.Fatalf("%d lines, want %d", len(lines), want)
			}
			for _, line := range lines {
				if !strings.HasPrefix(line, "g") && !strings.HasPrefix(line, "::") && !strings.HasPrefix(line, "warning: g") {
					t.Errorf("interleaved line %q", line)
				}
			}
		})
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }

func TestLoggerSurvivesWriteErrors(t *testing.T) {
	t.Parallel()
	l := New(brokenWriter{}, inActions)
	l.Mask("x")
	l.Group("g")
	l.Infof("i")
	l.EndGroup()
	l.Errorf("e")
}

func TestLogStreamSplitsOnlyOutsideAWorkflow(t *testing.T) {
	t.Parallel()
	var out, errs bytes.Buffer
	if got := LogStream(Mode{Workflow: true}, &out, &errs); got != &out {
		t.Error("a workflow's log left stdout, where the runner reads commands")
	}
	if got := LogStream(Mode{}, &out, &errs); got != &errs {
		t.Error("a terminal's log is not on stderr")
	}
	if got := LogStream(Mode{}, &out, nil); got != &out {
		t.Error("with no stderr the log was dropped instead of kept on stdout")
	}
}
