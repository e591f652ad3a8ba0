//go:build unix

package assets

import (
	"errors"
	"os"
	"syscall"
)

// fileID is the device and inode of f, from fstat on its descriptor.
func fileID(f *os.File) (dev, ino uint64, err error) {
	st, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, errors.New("no device and inode on this system")
	}
	return uint64(sys.Dev), uint64(sys.Ino), nil //nolint:unconvert // the field types differ between systems
}
