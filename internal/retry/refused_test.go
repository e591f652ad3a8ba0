package retry

import (
	"context"
	"net"
	"testing"
	"time"
)

// A port where nothing listens is unreachable on every system, whatever error
// number the system gives the refusal.
func TestRefusedConnectionIsUnreachable(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // the port is free now: a dial is refused
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err == nil {
		c.Close()
		t.Skipf("something took %s between the listener's close and the dial", addr)
	}
	if !Unreachable(err) {
		t.Fatalf("Unreachable(%#v) = false for a refused dial", err)
	}
	if d := Default().Decide(1, Answer{Err: err}); d.Retry {
		t.Fatalf("Decide retries a refused dial: %+v", d)
	}
}
