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
	err := refusedDial(t)
	if !Unreachable(err) {
		t.Fatalf("Unreachable(%#v) = false for a refused dial", err)
	}
	if d := Default().Decide(1, Answer{Err: err}); d.Retry {
		t.Fatalf("Decide retries a refused dial: %+v", d)
	}
}

// refusedDial dials a loopback port just freed, and returns the refusal. A
// port another process takes between the close and the dial is tried again
// with another; a refusal within a few tries is certain on a working machine.
func refusedDial(t *testing.T) error {
	t.Helper()
	for try := 0; try < 5; try++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close() // the port is free now: a dial is refused
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		cancel()
		if err != nil {
			return err
		}
		c.Close() // something took the port meanwhile
	}
	t.Fatal("five freed loopback ports in a row accepted a connection")
	return nil
}
