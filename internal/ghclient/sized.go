package ghclient

import (
	"fmt"
	"io"
	"net/http"
)

// SizeError is a download whose answer is longer or shorter than the asset's size.
type SizeError struct {
	AssetID int64
	Size    int64  // the asset's size, as listed
	Got     int64  // bytes read, or announced by Content-Length
	Longer  bool   // the answer went on past Size
	How     string // "announces" (Content-Length), "sent"; "" when it went on past Size
}

func (e *SizeError) Error() string {
	if e.How == "" {
		return fmt.Sprintf("download asset %d: the answer is longer than the asset's %d bytes; stopped reading it", e.AssetID, e.Size)
	}
	return fmt.Sprintf("download asset %d: the answer %s %d bytes, the asset has %d", e.AssetID, e.How, e.Got, e.Size)
}

// sizedBody reads exactly size bytes of an answer: a Read fails once the answer
// goes past size (one byte is read beyond it to find out) or ends before it. It
// never reads more than size+1 bytes, whatever the server sends.
type sizedBody struct {
	rc    io.ReadCloser
	id    int64
	size  int64
	left  int64
	err   error
	probe [1]byte
}

func newSizedBody(resp *http.Response, id, size int64) (io.ReadCloser, error) {
	if resp.ContentLength >= 0 && resp.ContentLength != size {
		resp.Body.Close()
		return nil, &SizeError{AssetID: id, Size: size, Got: resp.ContentLength, Longer: resp.ContentLength > size, How: "announces"}
	}
	return &sizedBody{rc: resp.Body, id: id, size: size, left: size}, nil
}

func (b *sizedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.left == 0 {
		n, err := b.rc.Read(b.probe[:])
		switch {
		case n > 0:
			b.err = &SizeError{AssetID: b.id, Size: b.size, Got: b.size + 1, Longer: true}
		case err == nil:
			return 0, nil
		default:
			b.err = err
		}
		return 0, b.err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if err == io.EOF && b.left > 0 {
		err = &SizeError{AssetID: b.id, Size: b.size, Got: b.size - b.left, How: "sent"}
	}
	if err == io.EOF && b.left == 0 {
		err = nil // the probe on the next Read confirms the end
	}
	if err != nil {
		b.err = err
	}
	return n, err
}

func (b *sizedBody) Close() error { return b.rc.Close() }
