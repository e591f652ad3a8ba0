//go:build unix

package bench

import (
	"syscall"
	"time"
)

// selfCPU is the CPU time this process (the emulator's side) has used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
