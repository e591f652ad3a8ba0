package actiontest

import (
	"os"
	"path/filepath"
)

// Attesting returns the inputs and runner variables of a run that attests
// against this harness's emulator: the emulated job's variables (its OIDC
// token service included), attest: true, and sigstore naming a signing config
// file for the emulator's Fulcio and timestamp authority. A trusted root is
// the test's choice (TrustedRootFile).
func (h *Harness) Attesting() map[string]string {
	h.T.Helper()
	out := map[string]string{"attest": "true", "sigstore": h.writeTmp("signing_config.json", h.Emu.SigningConfigJSON(h.Srv.URL))}
	for k, v := range h.Emu.Workflow().Env(h.Srv.URL) {
		out[k] = v
	}
	return out
}

// TrustedRootFile writes the emulator's trusted root and returns its path.
func (h *Harness) TrustedRootFile() string {
	h.T.Helper()
	return h.writeTmp("trusted_root.json", h.Emu.TrustedRootJSON())
}

func (h *Harness) writeTmp(name string, content []byte) string {
	h.T.Helper()
	p := filepath.Join(h.tmp, name)
	if err := os.WriteFile(p, content, 0o644); err != nil {
		h.T.Fatal(err)
	}
	return p
}
