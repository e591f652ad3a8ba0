package actions

import (
	"runtime"
	"strings"
)

// lf gives output in the line endings the tests spell: on Windows the workflow
// commands end in \r\n (the runner reads both); a \r\n inside a message is
// escaped as %0D%0A, so no message line is joined by this.
func lf(s string) string {
	if runtime.GOOS == "windows" {
		return strings.ReplaceAll(s, "\r\n", "\n")
	}
	return s
}
