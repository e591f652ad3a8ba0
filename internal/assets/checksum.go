package assets

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"slices"
	"strings"
)

// hashBufferSize is the read size for HashFile: memory stays flat however large the
// release asset is.
const hashBufferSize = 64 << 10

// HashFile returns the lower-case hex SHA-256 of the file at path and the number of
// bytes hashed. It compares with an asset's "sha256:<hex>" digest.
func HashFile(path string) (hexSum string, size int64, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	// A plain loop rather than io.Copy: *os.File has WriteTo, which would pick its
	// own buffer.
	buf := make([]byte, hashBufferSize)
	for {
		n, rerr := f.Read(buf)
		h.Write(buf[:n])
		size += int64(n)
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			return "", 0, rerr
		}
	}
	return hex.EncodeToString(h.Sum(nil)), size, nil
}

// Checksum is one line of a checksum list.
type Checksum struct {
	Name   string // asset name
	SHA256 string // hex
}

// ChecksumList renders entries in the format of sha256sum, so that
// "sha256sum --check" verifies downloaded assets: one "<hex>  <name>" line per entry,
// sorted by name (then hash), so the same assets always give the same bytes. Hex is
// lower-cased. As sha256sum does, a name containing a backslash or a line break is
// escaped and its line starts with a backslash.
func ChecksumList(entries []Checksum) []byte {
	sorted := slices.Clone(entries)
	slices.SortFunc(sorted, func(a, b Checksum) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.SHA256, b.SHA256))
	})
	var b strings.Builder
	for _, e := range sorted {
		name := e.Name
		if strings.ContainsAny(name, "\\\n\r") {
			b.WriteByte('\\')
			name = nameEscaper.Replace(name)
		}
		b.WriteString(strings.ToLower(e.SHA256))
		b.WriteString("  ")
		b.WriteString(name)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

var nameEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`)
