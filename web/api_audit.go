package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/internal/httpjson"
)

// The audit log's API: administrators and auditors (read-only) filter the
// log and download it with its newest signed checkpoint; anyone may fetch
// the verifier key that checks it (docs/audit.md).

func (srv *Server) auditRoutes() {
	m := srv.mux
	m.HandleFunc("GET /api/audit/key", srv.auditKey)
	if srv.cfg.Audit == nil {
		return
	}
	aud := content.RoleAuditor // administrators pass every role check
	m.Handle("GET /api/audit/entries", srv.requireRole(srv.auditEntries, aud))
	m.Handle("GET /api/audit/log.jsonl", srv.requireRole(srv.auditJSONL, aud))
	m.Handle("GET /api/audit/log.csv", srv.requireRole(srv.auditCSV, aud))
	m.Handle("GET /api/audit/checkpoint", srv.requireRole(srv.auditCheckpoint, aud))
}

func (srv *Server) auditKey(w http.ResponseWriter, r *http.Request) {
	if srv.cfg.AuditKey == "" {
		httpjson.Error(w, http.StatusNotFound, "this server signs no checkpoints: it was started without --audit-key")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, srv.cfg.AuditKey+"\n")
}

// auditFilter selects entries: by person (the actor, or the person or
// attempt acted on), sitting (the sitting, or an attempt in it), actor,
// action (exactly, or a kind such as "attempt."), and time [from, to).
type auditFilter struct {
	person, sitting, actor, action string
	from, to                       time.Time
}

func parseAuditFilter(r *http.Request) (auditFilter, error) {
	q := r.URL.Query()
	f := auditFilter{person: q.Get("person"), sitting: q.Get("sitting"), actor: q.Get("actor"), action: q.Get("action")}
	for _, t := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.from}, {"to", &f.to}} {
		if v := q.Get(t.name); v != "" {
			var err error
			if *t.dst, err = time.Parse(time.RFC3339, v); err != nil {
				return f, fmt.Errorf("%s=%q: give a time such as 2026-12-01T09:00:00Z", t.name, v)
			}
		}
	}
	return f, nil
}

func (f auditFilter) match(e *audit.Entry) bool {
	t := e.Target
	switch {
	case f.actor != "" && e.Actor.ID != f.actor:
	case f.action != "" && string(e.Action) != f.action && !strings.HasPrefix(string(e.Action), f.action):
	case f.sitting != "" && !(t.Kind == audit.TargetSitting && t.ID == f.sitting) &&
		!(t.Kind == audit.TargetAttempt && strings.HasPrefix(t.ID, "attempt/"+f.sitting+"/")):
	case f.person != "" && e.Actor.ID != f.person && !(t.Kind == audit.TargetPerson && t.ID == f.person) &&
		!(t.Kind == audit.TargetAttempt && strings.HasSuffix(t.ID, "/"+f.person)):
	case !f.from.IsZero() && e.Time.Before(f.from):
	case !f.to.IsZero() && !e.Time.Before(f.to):
	default:
		return true
	}
	return false
}

// filtered returns the entries f selects, oldest first, and the newest
// signed checkpoint ("" when none yet). On failure it has answered.
func (srv *Server) filtered(w http.ResponseWriter, r *http.Request) ([]audit.Stored, string, bool) {
	f, err := parseAuditFilter(r)
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, err.Error())
		return nil, "", false
	}
	all, err := audit.Read(r.Context(), srv.cfg.Store, 0)
	if err != nil {
		srv.internal(w, err)
		return nil, "", false
	}
	cp, err := audit.Latest(r.Context(), srv.cfg.Store)
	if err != nil {
		srv.internal(w, err)
		return nil, "", false
	}
	out := all[:0]
	for _, s := range all {
		if f.match(&s.Entry) {
			out = append(out, s)
		}
	}
	return out, cp, true
}

func (srv *Server) auditEntries(w http.ResponseWriter, r *http.Request) {
	es, cp, ok := srv.filtered(w, r)
	if !ok {
		return
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	total := len(es)
	if len(es) > limit {
		es = es[len(es)-limit:] // the newest
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"total": total, "entries": es, "checkpoint": cp})
}

// auditJSONL writes the entries as stored, one a line (what the Merkle
// tree hashes, so each can be checked against a proof), then the newest
// checkpoint as {"checkpoint": "..."}.
func (srv *Server) auditJSONL(w http.ResponseWriter, r *http.Request) {
	es, cp, ok := srv.filtered(w, r)
	if !ok {
		return
	}
	var b bytes.Buffer
	for _, s := range es {
		b.Write(s.Raw)
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "{\"checkpoint\":%q}\n", cp)
	download(w, "application/x-ndjson", "audit.jsonl", b.Bytes())
}

func (srv *Server) auditCSV(w http.ResponseWriter, r *http.Request) {
	es, _, ok := srv.filtered(w, r)
	if !ok {
		return
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write([]string{"index", "time", "actor_kind", "actor", "role", "action", "target_kind", "target", "reason", "before", "after", "aborts"})
	for _, s := range es {
		e := s.Entry
		aborts := ""
		if e.Aborts != nil {
			aborts = strconv.FormatInt(*e.Aborts, 10)
		}
		cw.Write([]string{strconv.FormatInt(s.Index, 10), e.Time.UTC().Format(time.RFC3339Nano), e.Actor.Kind, e.Actor.ID,
			e.Actor.Role, string(e.Action), e.Target.Kind, e.Target.ID, e.Reason, string(e.Before), string(e.After), aborts})
	}
	cw.Flush()
	download(w, "text/csv; charset=utf-8", "audit.csv", b.Bytes())
}

func (srv *Server) auditCheckpoint(w http.ResponseWriter, r *http.Request) {
	cp, err := audit.Latest(r.Context(), srv.cfg.Store)
	switch {
	case err != nil:
		srv.internal(w, err)
	case cp == "":
		httpjson.Error(w, http.StatusNotFound, "no checkpoint has been signed yet")
	default:
		download(w, "text/plain; charset=utf-8", "audit-checkpoint.txt", []byte(cp))
	}
}

// download sends b as a file to save.
func download(w http.ResponseWriter, contentType, name string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}
