package bench

import (
	"syscall"
	"time"
)

// selfCPU is the CPU time this process (the emulator's side) has used so far.
// The benchmark is measured on Linux; this keeps the package building elsewhere.
func selfCPU() time.Duration {
	h, err := syscall.GetCurrentProcess()
	if err != nil {
		return 0
	}
	var created, exited, kernel, user syscall.Filetime
	if err := syscall.GetProcessTimes(h, &created, &exited, &kernel, &user); err != nil {
		return 0
	}
	ticks := func(f syscall.Filetime) int64 { return int64(f.HighDateTime)<<32 | int64(f.LowDateTime) }
	return time.Duration((ticks(kernel) + ticks(user)) * 100) // FILETIME counts 100 ns
}
