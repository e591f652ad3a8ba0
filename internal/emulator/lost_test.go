package emulator_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/releasekit/release-action/internal/emulator"
)

// TestFaultLostAnswer: the create is carried out, then the connection closes
// without an answer.
func TestFaultLostAnswer(t *testing.T) {
	t.Parallel()
	e := newEnv(t, emulator.Options{Token: token})
	e.emu.Inject(emulator.Fault{Route: emulator.RouteCreateRelease, Kind: emulator.FaultLostAnswer})
	req, err := http.NewRequest("POST", e.api("/repos/"+repo+"/releases"), strings.NewReader(`{"tag_name":"v1","draft":true}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("the lost answer arrived: %d", res.StatusCode)
	}
	if rs := e.emu.Releases(repo); len(rs) != 1 || rs[0].TagName != "v1" || !rs[0].Draft {
		t.Errorf("releases %+v, want the draft the create made", rs)
	}
	if got := e.emu.Requests(); len(got) != 1 || got[0].Status != 0 {
		t.Errorf("log %+v, want one request without an answer", got)
	}
}
