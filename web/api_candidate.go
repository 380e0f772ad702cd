package web

// The candidate's API is the WebSocket protocol of docs/protocol.md; the
// candidate signs in on it with their access code, which the sign-in
// throttle guards.

func (srv *Server) candidateRoutes() {
	srv.mux.Handle("GET /ws/candidate", srv.cfg.Engine.WebSocketHandler(srv.cfg.WS))
}
