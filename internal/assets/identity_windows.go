//go:build windows

package assets

import (
	"os"
	"syscall"
)

// fileID is the volume serial number and file index of f, read from its handle:
// what os.SameFile compares.
func fileID(f *os.File) (dev, ino uint64, err error) {
	var d syscall.ByHandleFileInformation
	if err := syscall.GetFileInformationByHandle(syscall.Handle(f.Fd()), &d); err != nil {
		return 0, 0, err
	}
	return uint64(d.VolumeSerialNumber), uint64(d.FileIndexHigh)<<32 | uint64(d.FileIndexLow), nil
}
