package actions

import "io"

// LogStream is where the log goes in mode m. A workflow step has one stream the
// runner reads workflow commands from, so everything stays on stdout there. From
// a terminal, stdout is for results (the outputs) and stderr for everything else:
// errors, warnings, the log and progress, so that `release-action ... >out.txt`
// still shows what went wrong, and a pipe reads only the outputs.
func LogStream(m Mode, stdout, stderr io.Writer) io.Writer {
	if m.Workflow || stderr == nil {
		return stdout
	}
	return stderr
}
