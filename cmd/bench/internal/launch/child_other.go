//go:build !linux

package main

import (
	"os"
	"syscall"
)

// childAttr: only Linux can tie the child's life to this process's; the
// benchmark is measured on Linux, and this keeps the command building elsewhere.
func childAttr() *syscall.SysProcAttr { return nil }

// maxRSSKiB is 0 where the peak RSS is not reported in KiB (macOS reports
// bytes, Windows nothing through SysUsage): the benchmark is measured on Linux.
func maxRSSKiB(st *os.ProcessState) int64 { return 0 }
