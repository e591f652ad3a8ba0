package retry

import (
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
)

type permanent struct{}

func (permanent) Error() string   { return "refused locally" }
func (permanent) Permanent() bool { return true }

// An API that cannot be reached is not retried: retrying only delayed the error.
func TestDecideUnreachableIsNotRetried(t *testing.T) {
	t.Parallel()
	p := Default()
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	cases := []struct {
		name  string
		err   error
		retry bool
	}{
		{"connection refused", fmt.Errorf("get: %w", refused), false},
		{"host not found", &net.DNSError{Err: "no such host", Name: "api.example.invalid", IsNotFound: true}, false},
		{"dns timeout is transient", &net.DNSError{Err: "i/o timeout", Name: "api.github.com", IsTimeout: true}, true},
		{"permanent", fmt.Errorf("redirect: %w", permanent{}), false},
		{"reset is transient", &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, true},
	}
	for _, c := range cases {
		d := p.Decide(1, Answer{Err: c.err})
		if d.Retry != c.retry || d.Reason == "" {
			t.Errorf("%s: Decide = %+v, want retry=%v with a reason", c.name, d, c.retry)
		}
	}
}
