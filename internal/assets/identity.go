package assets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Identity names the file a match found, so that the file opened later for the
// upload can be checked to be the same one, whatever was renamed, replaced or
// linked on its path since: the device and inode on Unix, the volume serial
// number and file index on Windows (what os.SameFile compares). The zero value
// is unknown and matches nothing.
type Identity struct {
	dev, ino uint64
	known    bool
	// Link says the matched path was itself a symbolic link, which the matcher
	// vetted (see MatchAll): opening the path again follows that one link.
	Link bool
}

// Known reports whether the identity was recorded.
func (i Identity) Known() bool { return i.known }

// Same reports whether i and o are known and name the same file.
func (i Identity) Same(o Identity) bool {
	return i.known && o.known && i.dev == o.dev && i.ino == o.ino
}

func (i Identity) String() string {
	if !i.known {
		return "unknown file"
	}
	return fmt.Sprintf("device %d inode %d", i.dev, i.ino)
}

// errNoIdentity is fileID's answer on a system without file identities.
var errNoIdentity = errors.New("file identity is not supported on this system")

// IdentityOf returns the identity of the open file f, read from its descriptor.
func IdentityOf(f *os.File) (Identity, error) {
	dev, ino, err := fileID(f)
	if errors.Is(err, errNoIdentity) {
		return Identity{}, nil // unknown: only the size and kind are checked
	}
	if err != nil {
		return Identity{}, fmt.Errorf("identify %s: %w", f.Name(), err)
	}
	return Identity{dev: dev, ino: ino, known: true}, nil
}

// identify is the identity of the matched file at path, opened as f (following
// a link at path, as the match did).
func identify(path string, f *os.File) (Identity, error) {
	id, err := IdentityOf(f)
	if err != nil {
		return Identity{}, err
	}
	st, err := os.Lstat(path)
	if err != nil {
		return Identity{}, err
	}
	id.Link = st.Mode()&fs.ModeSymlink != 0
	return id, nil
}
