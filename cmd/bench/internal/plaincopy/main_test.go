package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/releasekit/release-action/internal/emulator"
)

func TestUpload(t *testing.T) {
	emu := emulator.New(emulator.Options{Token: "t"})
	emu.AddRepo("o/r", false)
	srv := httptest.NewServer(emu)
	defer srv.Close()
	rel := emu.SeedRelease("o/r", emulator.SeedRelease{TagName: "v1", Draft: true})

	content := []byte("plain copy of a file\n")
	p := filepath.Join(t.TempDir(), "f.bin")
	if err := os.WriteFile(p, content, 0o644); err != nil {
		t.Fatal(err)
	}
	url := srv.URL + "/uploads/repos/o/r/releases/" + strconv.FormatInt(rel.ID, 10) + "/assets?name=f.bin"
	if err := upload(context.Background(), http.DefaultClient, url, "t", p); err != nil {
		t.Fatal(err)
	}
	as := emu.Assets("o/r", rel.ID)
	sum := sha256.Sum256(content)
	if len(as) != 1 || as[0].State != "uploaded" || as[0].Digest != "sha256:"+hex.EncodeToString(sum[:]) {
		t.Fatalf("assets after upload: %+v", as)
	}
	if err := upload(context.Background(), http.DefaultClient, url, "t", p); err == nil {
		t.Fatal("a second upload of the same name succeeded; want the emulator's 422")
	}
}
