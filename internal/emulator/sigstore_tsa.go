package emulator

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"io"
	"net/http"
	"time"

	"github.com/digitorus/timestamp"
)

// tsaPolicy is the policy OID the emulator's timestamps name (Sigstore's arc).
var tsaPolicy = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 57264, 2}

// stamp answers an RFC 3161 timestamp request (DER) with a response signed by
// the timestamp authority's leaf at now.
func (k *sigstoreKeys) stamp(query []byte, now time.Time) ([]byte, error) {
	req, err := timestamp.ParseRequest(query)
	if err != nil {
		return nil, err
	}
	ts := timestamp.Timestamp{
		HashAlgorithm:     req.HashAlgorithm,
		HashedMessage:     req.HashedMessage,
		Time:              now,
		Nonce:             req.Nonce,
		Policy:            tsaPolicy,
		AddTSACertificate: req.Certificates,
	}
	return ts.CreateResponseWithOpts(k.tsa, k.tsaKey, crypto.SHA256)
}

// timestampHandler serves POST /_sigstore/tsa/api/v1/timestamp: the body is a
// DER timestamp query (Content-Type application/timestamp-query), as
// sigstore-go's sign.TimestampAuthority sends; the answer is 201 with the DER
// response, as Sigstore's timestamp authority gives.
func (s *Server) timestampHandler(w http.ResponseWriter, r *http.Request, _ route) {
	query, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := s.sigstore().stamp(query, time.Now())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": 400, "message": "error parsing timestamp request: " + err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/timestamp-reply")
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write(resp)
}

// localTSA is a RoundTripper that takes timestamp requests straight to the
// authority, without the HTTP server: the emulator's own signatures (release
// attestations, made while the server's lock is held) use it.
type localTSA struct{ k *sigstoreKeys }

func (l localTSA) RoundTrip(r *http.Request) (*http.Response, error) {
	query, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		return nil, err
	}
	resp, err := l.k.stamp(query, time.Now())
	if err != nil {
		return nil, err
	}
	return &http.Response{
		StatusCode: http.StatusCreated, Status: "201 Created", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/timestamp-reply"}},
		Body:          io.NopCloser(bytes.NewReader(resp)),
		ContentLength: int64(len(resp)),
		Request:       r,
	}, nil
}
