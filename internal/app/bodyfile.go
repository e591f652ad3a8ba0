package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"unicode/utf8"

	"github.com/releasekit/release-action/internal/inputs"
)

// readBody reads the notes file of body_path. It is opened with O_NONBLOCK so
// that a FIFO cannot hold the run before any request, checked on the descriptor
// that is read, and read with a cap: a huge file costs at most the cap, never
// its size in memory.
func readBody(path string) (string, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return "", unwrapPath(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", unwrapPath(err)
	}
	if !st.Mode().IsRegular() {
		return "", fmt.Errorf("it is not a regular file (%s)", st.Mode().Type())
	}
	// A character takes at most 4 bytes in UTF-8: more bytes than that are more
	// characters than GitHub takes, whatever they hold.
	const maxBytes = utf8.UTFMax * inputs.MaxBodyChars
	b, err := io.ReadAll(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return "", unwrapPath(err)
	}
	switch {
	case len(b) > maxBytes:
		return "", errors.New(inputs.BodyTooLong(-1))
	case !utf8.Valid(b):
		return "", errors.New("it is not valid UTF-8 text")
	case bytes.IndexByte(b, 0) >= 0:
		return "", errors.New("it holds a NUL byte; the notes must be text")
	}
	if n := utf8.RuneCount(b); n > inputs.MaxBodyChars {
		return "", errors.New(inputs.BodyTooLong(n))
	}
	return string(b), nil
}
