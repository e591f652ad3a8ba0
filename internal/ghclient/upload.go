package ghclient

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/releasekit/release-action/internal/assets"
	"github.com/releasekit/release-action/internal/publish"
	"github.com/releasekit/release-action/internal/retry"
)

// ErrDigestMismatch means GitHub stored other bytes than the ones read from disk.
var ErrDigestMismatch = errors.New("digest mismatch")

// UploadAsset streams u.Path to the release. The file is reopened for every attempt
// (a request body cannot be replayed), and what a failed attempt left behind is
// cleaned up before the next one and when the upload fails for good: GitHub may
// keep an unfinished "starter" asset that blocks the name after a 502 or a
// dropped connection. Only what this call created is removed: an unfinished
// asset of the name created no earlier than its first attempt (see leftover),
// or one whose id an answer to it named (see verify); never an asset found by
// its name alone, which may be another run's upload in flight.
// https://docs.github.com/en/rest/releases/assets#upload-a-release-asset
func (c *Client) UploadAsset(ctx context.Context, rel *publish.Release, u publish.UploadRequest) (*publish.Asset, error) {
	target, err := c.uploadTarget(rel, u)
	if err != nil {
		return nil, err
	}
	var at attempts
	var since time.Time // when the first attempt started, on this machine's clock
	for {
		counted, err := c.hour.Take(ctx) // every attempt is a write GitHub counts
		if err == nil {
			err = c.gate.Wait(ctx)
		}
		if err != nil {
			if !since.IsZero() {
				c.removePartial(ctx, rel.ID, u.Name, since)
			}
			return nil, err
		}
		at.start()
		if since.IsZero() {
			since = at.began
		}
		res, err := c.uploadOnce(ctx, target, u)
		counted()
		if err != nil {
			if res != nil && res.started {
				c.removePartial(ctx, rel.ID, u.Name, since)
			}
			return nil, err
		}
		if res.err == nil {
			return c.verify(ctx, res, u)
		}
		if publish.IsAlreadyExists(res.err, "ReleaseAsset") {
			return nil, res.err
		}
		if !c.backOff(ctx, &at, res.err, res.answer) {
			c.removePartial(ctx, rel.ID, u.Name, since)
			if errors.Is(res.answer.Err, context.Canceled) {
				return nil, c.failure(res.err, res.answer) // keeps the stop in the chain
			}
			return nil, res.err
		}
		left, ours, err := c.leftover(ctx, rel.ID, u.Name, since)
		if err != nil {
			return nil, fmt.Errorf("look for what the failed upload of %s left: %w", u.Name, err)
		}
		switch {
		case left == nil:
		case left.State != "uploaded" && !ours:
			return nil, fmt.Errorf("upload %s: the release holds an unfinished asset of that name (id %d, state %q) created before this upload began, perhaps another run's upload in flight; it is not this run's to delete: %w", u.Name, left.ID, left.State, res.err)
		case left.State != "uploaded":
			c.logf("deleting broken asset %s (id %d, state %q) left by the failed upload", left.Name, left.ID, left.State)
			if err := c.DeleteAsset(ctx, left.ID); err != nil && !errors.Is(err, publish.ErrNotFound) {
				return nil, fmt.Errorf("delete broken asset %s: %w", left.Name, err)
			}
		case res.sent == u.Size && left.Size == u.Size:
			same, err := c.holds(ctx, left, res.sum)
			if err != nil {
				return nil, fmt.Errorf("upload %s: check the asset the failed attempt may have stored: %w", u.Name, err)
			}
			if same {
				// The upload went through; only the answer was lost.
				return left, nil
			}
			return nil, fmt.Errorf("upload %s: the release holds an asset of that name with other content than the file: %w", u.Name, res.err)
		default:
			return nil, fmt.Errorf("upload %s: the release holds an asset of that name with another size than the file: %w", u.Name, res.err)
		}
	}
}

type uploadResult struct {
	started bool // the request was sent: GitHub may hold an unfinished asset
	asset   *publish.Asset
	sum     string // sha256 of the bytes read from disk
	sent    int64
	err     *publish.APIError
	answer  retry.Answer
}

func (c *Client) uploadOnce(ctx context.Context, target string, u publish.UploadRequest) (*uploadResult, error) {
	f, err := openMatched(u)
	if err != nil {
		return nil, fmt.Errorf("upload %s: %w", u.Name, err)
	}
	defer f.Close()
	body := newMeter(f, u.Size, u.Progress)
	var rd io.Reader = body
	if u.Size == 0 {
		// A zero Content-Length with a non-nil body would be sent chunked, which
		// GitHub refuses.
		rd = http.NoBody
	}
	req, err := c.gh.NewUploadRequest(target, rd, u.Size, u.ContentType)
	if err != nil {
		return nil, err
	}
	resp, apiErr, ans := c.send(req.WithContext(ctx), body, c.timeouts.transfer(u.Size))
	if body.err != nil {
		// The file changed under the upload; GitHub got an incomplete body, which
		// it does not store (it may keep a starter), and trying again would send
		// the changed file.
		if resp != nil {
			resp.Body.Close()
		}
		return &uploadResult{started: true}, fmt.Errorf("upload %s: %w", u.Name, body.err)
	}
	res := &uploadResult{started: true, sum: hex.EncodeToString(body.h.Sum(nil)), sent: body.n, err: apiErr, answer: ans}
	if apiErr != nil {
		return res, nil
	}
	var a publish.Asset
	if err := c.readJSON(resp, &a); err != nil {
		// GitHub said yes, but the asset it describes is lost with the body: the
		// caller looks for it on the release before sending anything again.
		req := resp.Request
		res.err = &publish.APIError{Method: req.Method, URL: redact(req.URL), Message: "answer lost: " + err.Error()}
		res.answer = retry.Answer{Err: err}
		return res, nil
	}
	res.asset = &a
	return res, nil
}

// holds reports whether asset a has the content whose sha256 is sum. An asset
// GitHub reports no digest for (older GitHub Enterprise Server) is downloaded
// and hashed.
func (c *Client) holds(ctx context.Context, a *publish.Asset, sum string) (bool, error) {
	if d := a.SHA256(); d != "" {
		return d == sum, nil
	}
	rc, err := c.DownloadAsset(ctx, a.ID, a.Size)
	if err != nil {
		return false, err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return false, fmt.Errorf("download asset %s: %w", a.Name, err)
	}
	return hex.EncodeToString(h.Sum(nil)) == sum, nil
}

// openMatched opens the file of an upload and checks, on the descriptor that
// will be read, that it is the file matched: a regular file, the same one (device
// and inode, u.Identity) as when the files were matched, of the planned size.
//
// The last component is opened without following a symbolic link unless the
// matched path was itself a link (which the matcher vetted under the user's
// follow_symlinks), so a file replaced by a link since the match is refused
// before anything is read. A directory on the path swapped for a link is not
// refused by the open (the user may have named a linked directory), but it
// leads to another file, which the identity check refuses. O_NONBLOCK keeps a
// FIFO swapped in since the plan from blocking the open; it changes nothing for
// a regular file.
func openMatched(u publish.UploadRequest) (*os.File, error) {
	path := u.Path
	flags := os.O_RDONLY | syscall.O_NONBLOCK
	if !u.Identity.Link {
		flags |= noFollow
	}
	f, err := os.OpenFile(path, flags, 0)
	if err != nil {
		if st, lerr := os.Lstat(path); lerr == nil && st.Mode()&os.ModeSymlink != 0 && !u.Identity.Link {
			return nil, fmt.Errorf("%s was a regular file when the files were matched and is now a symbolic link; refusing to follow it", path)
		}
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is no longer a regular file (%s); refusing to read it", path, st.Mode().Type())
	}
	if u.Identity.Known() {
		id, err := assets.IdentityOf(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if !id.Same(u.Identity) {
			f.Close()
			return nil, fmt.Errorf("%s is no longer the file that was matched (%s then, %s now): it, or a directory on its path, was replaced; refusing to upload it", path, u.Identity, id)
		}
	}
	if st.Size() != u.Size {
		f.Close()
		return nil, fmt.Errorf("%s changed size while the action ran (%d bytes, planned %d); nothing was sent", path, st.Size(), u.Size)
	}
	return f, nil
}

// verify checks that GitHub stored what was read from disk.
func (c *Client) verify(ctx context.Context, res *uploadResult, u publish.UploadRequest) (*publish.Asset, error) {
	if err := c.checkUploaded(res, u); err != nil {
		return nil, err
	}
	a := res.asset
	bad := ""
	switch {
	case res.sent != u.Size:
		bad = fmt.Sprintf("sent %d bytes of %d", res.sent, u.Size)
	case a.Size != u.Size:
		bad = fmt.Sprintf("GitHub stored %d bytes of %d", a.Size, u.Size)
	case a.SHA256() != "" && a.SHA256() != res.sum:
		bad = fmt.Sprintf("GitHub reports sha256:%s, the file has sha256:%s", a.SHA256(), res.sum)
	case u.SHA256 != "" && u.SHA256 != res.sum:
		bad = fmt.Sprintf("the file changed after it was planned (and attested): it had sha256:%s, it sent sha256:%s", u.SHA256, res.sum)
	}
	if bad == "" {
		return a, nil
	}
	// Leave nothing wrong on the release; the caller will report the failure.
	if err := c.DeleteAsset(ctx, a.ID); err != nil {
		c.logf("could not delete mismatched asset %s: %v", a.Name, err)
	}
	return nil, fmt.Errorf("upload %s: %w: %s", u.Name, ErrDigestMismatch, bad)
}

// stampedAsset is an asset with the time GitHub created it, which tells what an
// upload left from what was there before it.
type stampedAsset struct {
	publish.Asset
	CreatedAt time.Time `json:"created_at"`
}

// leftover finds the asset that an upload of name would have created, and
// whether it was created no earlier than since, the local time the upload's
// first attempt started. GitHub's created_at is on GitHub's clock, to the second;
// since is moved to that clock with the Date header of the listing's first page
// (the listing's Date, less the time elapsed here since since), so a runner
// whose clock is off does not take another run's asset for its own. Without a
// Date header the local clock is used.
func (c *Client) leftover(ctx context.Context, releaseID int64, name string, since time.Time) (*publish.Asset, bool, error) {
	var date time.Time
	var received time.Time
	list, err := listPages[*stampedAsset](ctx, c, c.repoPath("releases/%d/assets", releaseID), func(resp *http.Response) {
		if received.IsZero() {
			received = time.Now()
			date, _ = http.ParseTime(resp.Header.Get("Date"))
		}
	})
	if err != nil {
		return nil, false, err
	}
	start := since
	if !date.IsZero() {
		start = date.Add(-received.Sub(since))
	}
	start = start.Truncate(time.Second)
	stored := assets.GitHubName(name)
	for _, a := range list {
		if a.Name == stored {
			asset := a.Asset
			return &asset, !a.CreatedAt.Before(start), nil
		}
	}
	return nil, false, nil
}

// partialBound bounds the cleanup of a failed upload (a listing and a delete),
// which runs even when the run is being cancelled: short, so that the run's
// own cleanup still fits before the runner's kill.
const partialBound = 5 * time.Second

// removePartial removes what a failed upload left on the release: an unfinished
// asset of its name created no earlier than since. Failing to remove it is
// logged; the upload's own error is what the caller reports.
func (c *Client) removePartial(ctx context.Context, releaseID int64, name string, since time.Time) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), partialBound)
	defer cancel()
	left, ours, err := c.leftover(ctx, releaseID, name, since)
	switch {
	case err != nil:
		c.logf("could not look for what the failed upload of %s left: %v", name, err)
	case left == nil || left.State == "uploaded":
	case !ours:
		c.logf("leaving the unfinished asset %s (id %d, state %q): it was created before this upload began", left.Name, left.ID, left.State)
	default:
		c.logf("deleting the unfinished asset %s (id %d, state %q) left by the failed upload", left.Name, left.ID, left.State)
		if err := c.DeleteAsset(ctx, left.ID); err != nil && !errors.Is(err, publish.ErrNotFound) {
			c.logf("could not delete the unfinished asset %s: %v", left.Name, err)
		}
	}
}

// uploadTarget expands the release's upload_url template (RFC 6570, "{?name,label}").
func (c *Client) uploadTarget(rel *publish.Release, u publish.UploadRequest) (string, error) {
	if err := c.checkUploadTarget(rel, u); err != nil {
		return "", err
	}
	base, _, _ := strings.Cut(rel.UploadURL, "{")
	if base == "" {
		base = c.gh.UploadURL.String() + c.repoPath("releases/%d/assets", rel.ID)
	}
	t, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("release upload_url %q: %w", rel.UploadURL, err)
	}
	if !c.trusted[origin(t)] {
		return "", fmt.Errorf("upload %s: %w", u.Name, &OriginError{What: "the release's upload_url", URL: redact(t), Trusted: c.trustedList})
	}
	q := url.Values{"name": {u.Name}}
	if u.Label != "" {
		q.Set("label", u.Label)
	}
	t.RawQuery = q.Encode()
	return t.String(), nil
}

// meter hashes and counts what the transport reads from the file, keeps the
// upload's watchdog fed, and fails the read when the file turns out shorter or
// longer than planned, so a changed file is never sent as a truncated asset.
type meter struct {
	r        io.Reader
	h        hash.Hash
	n        int64
	size     int64
	progress func(int64)
	wd       *watchdog
	t        Timeouts
	err      error // the file changed size under the read

	closeOnce sync.Once
	closed    chan struct{} // closed by the transport's Close: no Read follows
}

func newMeter(r io.Reader, size int64, progress func(int64)) *meter {
	return &meter{r: r, h: sha256.New(), size: size, progress: progress, closed: make(chan struct{})}
}

// Close is called by the transport when it is done with the body, possibly after
// the answer came back (a server may answer before reading everything).
func (m *meter) Close() error {
	m.closeOnce.Do(func() { close(m.closed) })
	return nil
}

// settle waits until the transport is done reading, so the counts and the hash
// are final and read without a race. A transport still writing after wait is
// stopped with cancel, which makes it give the body back.
func (m *meter) settle(wait time.Duration, cancel func()) {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-m.closed:
		return
	case <-t.C:
	}
	cancel()
	<-m.closed
}

// watch makes wd end the upload when the transport stops taking bytes for
// t.Idle, and when the answer does not come within t.UploadHeader of the last byte.
func (m *meter) watch(wd *watchdog, t Timeouts) {
	m.wd, m.t = wd, t
	m.arm()
}

func (m *meter) arm() {
	if m.n >= m.size {
		m.wd.arm(m.t.UploadHeader, &StallError{What: "no answer after the upload's last byte", After: m.t.UploadHeader})
		return
	}
	m.wd.arm(m.t.Idle, &StallError{What: "the upload stopped moving", After: m.t.Idle})
}

func (m *meter) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	if n > 0 && m.n+int64(n) >= m.size {
		// The transport sends exactly size bytes; hold back the last of them until
		// the file is known to end there, so a grown file is never sent cut short.
		var probe [1]byte
		if k, _ := m.r.Read(probe[:]); k > 0 || m.n+int64(n) > m.size {
			m.err = fmt.Errorf("the file grew while it was sent (more than the planned %d bytes); nothing was stored", m.size)
			return 0, m.err
		}
	}
	if n > 0 {
		m.h.Write(p[:n])
		m.n += int64(n)
		if m.progress != nil {
			m.progress(int64(n))
		}
	}
	if err == io.EOF && m.n < m.size {
		m.err = fmt.Errorf("the file shrank while it was sent (%d of the planned %d bytes)", m.n, m.size)
		return n, m.err
	}
	if m.wd != nil {
		m.arm()
	}
	return n, err
}
