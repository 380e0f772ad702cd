package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/internal/httpjson"
)

// The candidate's API is the WebSocket protocol of docs/protocol.md; the
// candidate signs in on it with their access code, which the sign-in
// throttle guards. The images of rich text and the items' stylesheets
// come over HTTP, each asked for with the same access code.

func (srv *Server) candidateRoutes() {
	srv.mux.Handle("GET /ws/candidate", srv.cfg.Engine.WebSocketHandler(srv.cfg.WS))
	srv.mux.HandleFunc("GET /api/candidate/assets/{path...}", srv.candidateAsset)
}

// AccessCodeHeader carries the candidate's access code on a request for an
// image or a stylesheet: the page fetches them itself, showing images from
// blob URLs and adopting stylesheets.
const AccessCodeHeader = "X-Access-Code"

// candidateAsset serves an image that the candidate's own form shows, or
// the stylesheet of one of its items (text/css, scoped to that item's rich
// text by the content library), only while their attempt is in progress:
// a wrong code counts against the sign-in throttle, another form's image,
// a later section's (of a form delivered section by section) or any other
// file is not found.
// The answer is never cached and may not be run as a document.
func (srv *Server) candidateAsset(w http.ResponseWriter, r *http.Request) {
	ip, ok := srv.mayTryCode(w, r)
	if !ok {
		return
	}
	s, c, ok := srv.cfg.Library.CandidateByCode(r.Header.Get(AccessCodeHeader))
	if !ok {
		srv.guard.Fail(ip)
		httpjson.Error(w, http.StatusUnauthorized, "unknown access code")
		return
	}
	srv.guard.Succeed(ip, c.AccessCode)
	a, _, err := srv.cfg.Engine.Attempt(r.Context(), engine.AttemptID(s.ID, c.ID))
	switch {
	case err != nil && !errors.Is(err, engine.ErrUnknownAttempt):
		srv.log.Error("candidate asset: attempt", "err", err)
		httpjson.Error(w, http.StatusServiceUnavailable, "cannot check your test just now; try again in a moment")
		return
	case err != nil || a.Status != engine.StatusInProgress:
		httpjson.Error(w, http.StatusForbidden, "images and styles are sent while your test is in progress")
		return
	}
	asset, ok := srv.cfg.Library.FormAsset(s.Form, r.PathValue("path"))
	if !ok || !a.ShowsAsset(r.PathValue("path")) { // a later section's is not shown yet
		httpjson.Error(w, http.StatusNotFound, "no such image or stylesheet on your test")
		return
	}
	h := w.Header()
	h.Set("Content-Type", asset.Type)
	h.Set("Content-Length", strconv.Itoa(len(asset.Data)))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	w.Write(asset.Data)
}
