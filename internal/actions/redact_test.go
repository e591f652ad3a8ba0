package actions

import (
	"bytes"
	"strings"
	"testing"
)

const secret = "ghs_0123456789abcdefghijABCDEFGHIJ012345"

// lines splits output the way the runner does: at \n and at \r.
func lines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
}

func TestLoggerRedactsEverywhere(t *testing.T) {
	t.Parallel()
	for name, env := range map[string]Mode{"workflow": inActions, "terminal": {Debug: true}} {
		var b bytes.Buffer
		l := New(&b, env)
		l.Mask(secret)
		l.Mask("short") // too short to redact locally; the runner still masks it
		echo := "server says: bad token " + secret + " at https://x-access-token:" + "p4ss@ghe.example.com/o/r and https://" + "tok3n@example.com/"
		l.Infof("%s", echo)
		l.Warningf("%s", echo)
		l.Errorf("%s", echo)
		l.Noticef("%s", echo)
		l.Debugf("%s", echo)
		l.Group(echo)
		out := lf(b.String())
		if name == "workflow" {
			// The one place the secret must appear: the mask command itself.
			out = strings.Replace(out, "::add-mask::"+secret+"\n", "", 1)
		}
		for _, leak := range []string{secret, "p4ss", "tok3n", "x-access-token"} {
			if strings.Contains(out, leak) {
				t.Errorf("%s: %q printed:\n%s", name, leak, out)
			}
		}
		if !strings.Contains(out, "https://***@ghe.example.com/o/r") || strings.Count(out, "bad token ***") != 6 {
			t.Errorf("%s: redaction lost the rest of the line:\n%s", name, out)
		}
	}
}

func TestLoggerDefusesLegacyCommands(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	l := New(&b, inActions)
	l.Infof("name x ##[set-env name=PWNED;]1 and ::warning::not at the start")
	l.Warningf("asset ##[add-path]/tmp/evil")
	l.Group("release ##[endgroup]")
	for _, line := range lines(b.String()) {
		if strings.Contains(line, "##[") {
			t.Errorf("line %q holds a legacy command", line)
		}
	}
	if !strings.Contains(b.String(), "::warning::not at the start") {
		t.Errorf("a '::' inside a line was changed: %q", b.String())
	}
	// Our own commands still work.
	if !strings.HasPrefix(lines(b.String())[1], "::warning::") {
		t.Errorf("the warning annotation was defused: %q", b.String())
	}
}
