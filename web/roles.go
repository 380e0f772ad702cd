package web

import (
	"net/http"

	"github.com/accredit/accredit/engine/content"
)

// SignedInRole returns the role of the staff member signed in on r.
func (srv *Server) SignedInRole(r *http.Request) (content.Role, bool) {
	st, ok := srv.staffFrom(r)
	if !ok {
		return "", false
	}
	return st.Role, true
}
