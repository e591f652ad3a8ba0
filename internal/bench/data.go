package bench

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// WriteRandomFile writes size bytes from a PCG generator seeded with seed to path,
// creating its directory. The content does not compress, like a real release
// archive, and costs far less to make than crypto/rand's.
func WriteRandomFile(path string, size int64, seed uint64) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if _, err := io.CopyN(w, &prng{src: rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)}, size); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// prng is an endless io.Reader of pseudo-random bytes.
type prng struct {
	src  *rand.PCG
	tail [8]byte
	n    int // unread bytes at the end of tail
}

func (p *prng) Read(b []byte) (int, error) {
	done := 0
	for p.n > 0 && done < len(b) {
		b[done] = p.tail[8-p.n]
		p.n--
		done++
	}
	for ; done+8 <= len(b); done += 8 {
		binary.LittleEndian.PutUint64(b[done:], p.src.Uint64())
	}
	if done < len(b) {
		binary.LittleEndian.PutUint64(p.tail[:], p.src.Uint64())
		p.n = 8
		for done < len(b) {
			b[done] = p.tail[8-p.n]
			p.n--
			done++
		}
	}
	return done, nil
}

// hashFile returns the hex sha256 of the file at path.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
