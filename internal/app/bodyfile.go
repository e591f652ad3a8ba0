package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"unicode/utf8"

	"github.com/releasekit/release-action/internal/core"
)

// errTooLarge says a file holds more than its reader takes.
var errTooLarge = errors.New("too large")

// readRegular reads at most limit bytes of a regular file. The file is opened
// with O_NONBLOCK, so that a FIFO planted under the name cannot hold the run
// before any request, and checked on the descriptor that is read; a larger
// file costs at most the cap in memory and answers errTooLarge.
func readRegular(path string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, unwrapPath(err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("it is not a regular file (%s)", st.Mode().Type())
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, unwrapPath(err)
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, nil
}

// readBody reads the notes file of body_path: a regular file of text that
// GitHub takes as a release body.
func readBody(path string) (string, error) {
	// A character takes at most 4 bytes in UTF-8: more bytes than that are more
	// characters than GitHub takes, whatever they hold.
	b, err := readRegular(path, utf8.UTFMax*core.MaxBodyChars)
	switch {
	case errors.Is(err, errTooLarge):
		return "", errors.New(core.BodyTooLong(-1))
	case err != nil:
		return "", err
	case !utf8.Valid(b):
		return "", errors.New("it is not valid UTF-8 text")
	case bytes.IndexByte(b, 0) >= 0:
		return "", errors.New("it holds a NUL byte; the notes must be text")
	}
	if n := utf8.RuneCount(b); n > core.MaxBodyChars {
		return "", errors.New(core.BodyTooLong(n))
	}
	return string(b), nil
}
