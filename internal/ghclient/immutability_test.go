package ghclient

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/releasekit/release-action/internal/emulator"
	"github.com/releasekit/release-action/internal/publish"
)

// TestImmutabilitySetting: the setting's answer maps to on and off; a server
// without the endpoint (404), a token without admin read (403) and GitHub
// Enterprise Server (not asked) are unknown, not errors; a server error is one.
func TestImmutabilitySetting(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		layout  emulator.Layout
		on      bool
		status  int // a fault on the route; 0 = none
		want    publish.Immutability
		wantErr bool
		asked   int
	}{
		{"on", emulator.DotCom, true, 0, publish.ImmutabilityOn, false, 1},
		{"off", emulator.DotCom, false, 0, publish.ImmutabilityOff, false, 1},
		{"404", emulator.DotCom, true, 404, publish.ImmutabilityUnknown, false, 1},
		{"403", emulator.DotCom, true, 403, publish.ImmutabilityUnknown, false, 1},
		{"400", emulator.DotCom, true, 400, publish.ImmutabilityUnknown, true, 1},
		{"enterprise server", emulator.GHES, true, 0, publish.ImmutabilityUnknown, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			emu := emulator.New(emulator.Options{Token: "t", Layout: tc.layout})
			emu.AddRepo("o/r", tc.on)
			if tc.status != 0 {
				emu.Inject(emulator.Fault{Route: emulator.RouteImmutableReleases, Kind: emulator.FaultStatus, Status: tc.status})
			}
			srv := httptest.NewServer(emu)
			t.Cleanup(srv.Close)
			c := clientAt(t, srv.URL+tc.layout.APIPrefix())
			got, err := c.Immutability(context.Background())
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("got %v, %v; want %v (error %v)", got, err, tc.want, tc.wantErr)
			}
			if n := emu.Counts()[emulator.RouteImmutableReleases]; n != tc.asked {
				t.Errorf("asked %d times, want %d", n, tc.asked)
			}
		})
	}
}
