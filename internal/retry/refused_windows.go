package retry

import "syscall"

// refusedErrnos are the error numbers of a connection refused: no one listens.
// Windows has its own: Winsock's WSAECONNREFUSED, and ERROR_CONNECTION_REFUSED,
// which ConnectEx (what Go dials with) may answer instead. Go's
// syscall.ECONNREFUSED there is an invented number no call returns.
var refusedErrnos = []syscall.Errno{
	10061, // WSAECONNREFUSED
	1225,  // ERROR_CONNECTION_REFUSED
	syscall.ECONNREFUSED,
}
