//go:build unix

package retry

import "syscall"

// refusedErrnos are the error numbers of a connection refused: no one listens.
var refusedErrnos = []syscall.Errno{syscall.ECONNREFUSED}
