package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/accredit/accredit/engine/audit"
	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/engine/results"
	"github.com/accredit/accredit/internal/httpjson"
	"github.com/accredit/accredit/scoring/impact"
)

// The results API (docs/staff-api.md, "Results"): adopted standards for
// psychometricians; decisions, releases, appeals and the workforce impact
// for the programme team (administrators and psychometricians); each
// candidate's own outcome on their portal and an employer's people's
// outcomes to its staff, once released. Scores reach the programme team
// only; monitoring answers reach the impact report only. Every route
// checks the role here; engine/results checks the viewer again.

// impactMaxAge is how old the workforce-impact report served may be: a
// request after that gets it as it is while it is built again in the
// background (results.ImpactCache).
const impactMaxAge = time.Minute

// heldMessage is what a candidate or employer is told before release.
const heldMessage = "held until released"

func (srv *Server) resultsRoutes() {
	if srv.cfg.Results == nil {
		return
	}
	m := srv.mux
	team := func(h http.HandlerFunc) http.Handler {
		return srv.requireRole(h, content.RolePsychometrician) // administrators always pass
	}
	m.Handle("GET /api/results/standards", team(srv.resultsStandards))
	m.Handle("POST /api/results/standards/{status}", srv.requireRole(srv.resultsAdopt, content.RolePsychometrician))
	m.Handle("GET /api/results/standards/{status}/preview", srv.requireRole(srv.resultsPreview, content.RolePsychometrician))
	m.Handle("GET /api/results/windows", team(srv.resultsWindows))
	m.Handle("GET /api/results/windows/{window}/decisions", team(srv.resultsDecisions))
	m.Handle("POST /api/results/windows/{window}/release", srv.requireRole(srv.resultsRelease))
	m.Handle("GET /api/results/releases", team(srv.resultsReleases))
	m.Handle("GET /api/results/people/{person}/decision", team(srv.resultsDecisionOf))
	m.Handle("GET /api/results/people/{person}/appeals", team(srv.resultsAppeals))
	m.Handle("POST /api/results/people/{person}/appeals/{appeal}/decide", srv.requireRole(srv.resultsDecideAppeal))
	if srv.cfg.Programme == nil {
		return
	}
	srv.impact = &results.ImpactCache{R: srv.cfg.Results, Dir: srv.cfg.Programme, MaxAge: impactMaxAge}
	m.Handle("GET /api/results/appeals", team(srv.resultsOpenAppeals))
	m.Handle("GET /api/results/impact", team(srv.resultsImpact))
	m.Handle("GET /api/results/impact.csv", team(srv.resultsImpactCSV))
	m.Handle("GET /api/portal/outcome", srv.requirePortal(srv.portalOutcome))
	m.Handle("POST /api/portal/appeals", srv.requirePortal(srv.portalLodge))
	m.Handle("GET /api/employer/outcomes", srv.requireRole(srv.employerStaff(srv.teamOutcomes),
		content.RoleSupervisor, content.RoleEmployerAdmin))
}

// viewerOf is the results viewer of a signed-in member of the programme
// team; any other staff role is a viewer with no right to any outcome.
func viewerOf(st *content.Staff) results.Viewer {
	switch st.Role {
	case content.RoleAdministrator:
		return results.Viewer{Role: results.RoleAdministrator, ID: st.ID}
	case content.RolePsychometrician:
		return results.Viewer{Role: results.RolePsychometrician, ID: st.ID}
	}
	return results.Viewer{Role: results.Role(st.Role), ID: st.ID}
}

// resultsError answers a results error: a refusal with every reason (403
// when the viewer may not, else 409), 404 for what is not known, 503 when
// busy.
func (srv *Server) resultsError(w http.ResponseWriter, err error) {
	var re *results.RefusedError
	switch {
	case errors.As(err, &re):
		code := http.StatusConflict
		if re.Has(results.CodeNotPermitted) {
			code = http.StatusForbidden
		}
		httpjson.Write(w, code, map[string]any{"error": re.Error(), "reasons": re.Reasons})
	case errors.Is(err, results.ErrNotFound), errors.Is(err, programme.ErrNotFound):
		httpjson.Error(w, http.StatusNotFound, strings.TrimPrefix(err.Error(), "results: "))
	case errors.Is(err, results.ErrEmbargoed):
		httpjson.Error(w, http.StatusNotFound, heldMessage)
	case errors.Is(err, results.ErrBusy), errors.Is(err, programme.ErrBusy):
		w.Header().Set("Retry-After", "1")
		httpjson.Error(w, http.StatusServiceUnavailable, "busy just now: nothing was changed; try again")
	default:
		srv.internal(w, err)
	}
}

// resultsActed answers v with status once the results have taken an act
// they record with its audit entry (err nil); otherwise the audit log's
// refusal to record it, or the results' own error.
func (srv *Server) resultsActed(w http.ResponseWriter, action audit.Action, err error, status int, v any) {
	if srv.refused(w, action, err) {
		return
	}
	if err != nil {
		srv.resultsError(w, err)
		return
	}
	httpjson.Write(w, status, v)
}

// statusVersions is one status's adopted versions, oldest first, with
// the knowledge forms and role-play circuits of its blueprint (when the
// server has the programme) that a standard gives cuts for.
type statusVersions struct {
	Status   programme.Status   `json:"status"`
	Forms    []string           `json:"forms"`
	Circuits []string           `json:"circuits"`
	Versions []results.Standard `json:"versions"`
}

func (srv *Server) resultsStandards(w http.ResponseWriter, r *http.Request) {
	var out []statusVersions
	for _, s := range []programme.Status{programme.Practitioner, programme.Supervisor, programme.Leader} {
		vs, err := srv.cfg.Results.Standards(r.Context(), s)
		if errors.Is(err, results.ErrNotFound) {
			continue // no blueprint for the status
		}
		if err != nil {
			srv.resultsError(w, err)
			return
		}
		sv := statusVersions{Status: s, Forms: []string{}, Circuits: []string{}, Versions: nonNil(vs)}
		if srv.cfg.Programme != nil {
			for _, bp := range srv.cfg.Programme.Rules().Blueprints {
				if bp.Status == s {
					sv.Forms, sv.Circuits = nonNil(bp.Forms), nonNil(bp.Circuits)
				}
			}
		}
		out = append(out, sv)
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"statuses": nonNil(out)})
}

func (srv *Server) resultsAdopt(w http.ResponseWriter, r *http.Request) {
	var s results.Standard
	if !httpjson.Read(w, r, &s, 64<<10) {
		return
	}
	s.Status = programme.Status(r.PathValue("status"))
	stored, err := srv.cfg.Results.Adopt(r.Context(), viewerOf(srv.signedIn(r)), s) // recorded with the standard
	srv.resultsActed(w, audit.StandardAdopt, err, http.StatusCreated, stored)
}

// resultsPreview shows who would change outcome under the standard given
// as JSON in ?standard=; it changes nothing.
func (srv *Server) resultsPreview(w http.ResponseWriter, r *http.Request) {
	var s results.Standard
	if err := json.Unmarshal([]byte(r.URL.Query().Get("standard")), &s); err != nil {
		httpjson.Error(w, http.StatusBadRequest, "give the standard to preview as JSON in ?standard=")
		return
	}
	changes, err := srv.cfg.Results.Preview(r.Context(), programme.Status(r.PathValue("status")), s)
	if err != nil {
		srv.resultsError(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"changes": nonNil(changes)})
}

// windowView is a sitting window with its release, if any.
type windowView struct {
	results.Window
	Release *results.Release `json:"release"`
}

func (srv *Server) resultsWindows(w http.ResponseWriter, r *http.Request) {
	var out []windowView
	for _, win := range srv.cfg.Results.Windows() {
		rel, err := srv.cfg.Results.Released(r.Context(), win.ID)
		if err != nil {
			srv.resultsError(w, err)
			return
		}
		out = append(out, windowView{Window: win, Release: rel})
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"windows": nonNil(out)})
}

func (srv *Server) resultsDecisions(w http.ResponseWriter, r *http.Request) {
	ds, err := srv.cfg.Results.DecideWindow(r.Context(), r.PathValue("window"))
	if err != nil {
		srv.resultsError(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"window": r.PathValue("window"), "decisions": nonNil(ds)})
}

func (srv *Server) resultsRelease(w http.ResponseWriter, r *http.Request) {
	win := r.PathValue("window")
	rel, err := srv.cfg.Results.Release(r.Context(), viewerOf(srv.signedIn(r)), win) // recorded with the release
	srv.resultsActed(w, audit.ResultsRelease, err, http.StatusCreated, rel)
}

func (srv *Server) resultsReleases(w http.ResponseWriter, r *http.Request) {
	rels, err := srv.cfg.Results.Releases(r.Context())
	if err != nil {
		srv.resultsError(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"releases": nonNil(rels)})
}

func (srv *Server) resultsDecisionOf(w http.ResponseWriter, r *http.Request) {
	d, err := srv.cfg.Results.DecisionOf(r.Context(), viewerOf(srv.signedIn(r)), r.PathValue("person"))
	if err != nil {
		srv.resultsError(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, d)
}

func (srv *Server) resultsAppeals(w http.ResponseWriter, r *http.Request) {
	as, err := srv.cfg.Results.Appeals(r.Context(), r.PathValue("person"))
	if err != nil {
		srv.resultsError(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"appeals": nonNil(as)})
}

// resultsOpenAppeals lists every appeal awaiting its decision, oldest
// first by person.
func (srv *Server) resultsOpenAppeals(w http.ResponseWriter, r *http.Request) {
	people, err := srv.cfg.Programme.People(r.Context(), "")
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	open := []results.Appeal{}
	for _, p := range people {
		as, err := srv.cfg.Results.Appeals(r.Context(), p.ID)
		if err != nil {
			srv.resultsError(w, err)
			return
		}
		for _, a := range as {
			if a.Open() {
				open = append(open, a)
			}
		}
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"appeals": open})
}

func (srv *Server) resultsDecideAppeal(w http.ResponseWriter, r *http.Request) {
	person, id := r.PathValue("person"), r.PathValue("appeal")
	var req struct {
		Upheld bool   `json:"upheld"`
		Note   string `json:"note"`
	}
	if !httpjson.Read(w, r, &req, 8<<10) {
		return
	}
	a, err := srv.cfg.Results.DecideAppeal(r.Context(), viewerOf(srv.signedIn(r)), person, id, req.Upheld, req.Note) // recorded with the decision
	srv.resultsActed(w, audit.AppealDecide, err, http.StatusOK, a)
}

// impactMin reads ?min=, the smallest count published: 10 when absent,
// never below 10.
func impactMin(r *http.Request) (int, bool) {
	v := r.URL.Query().Get("min")
	if v == "" {
		return impact.DefaultMinCount, true
	}
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= impact.DefaultMinCount
}

func (srv *Server) impactReport(w http.ResponseWriter, r *http.Request) (*impact.Report, time.Time, bool) {
	min, ok := impactMin(r)
	if !ok {
		httpjson.Error(w, http.StatusBadRequest, "min: give a whole number of at least 10")
		return nil, time.Time{}, false
	}
	rep, built, err := srv.impact.Report(r.Context(), min)
	if errors.Is(err, impact.ErrNoRows) {
		return nil, time.Time{}, true
	}
	if err != nil {
		srv.resultsError(w, err)
		return nil, time.Time{}, false
	}
	return rep, built, true
}

// noDecisions is said of an impact report with no decision in it.
const noDecisions = "no decisions yet: the report fills as people are decided"

func (srv *Server) resultsImpact(w http.ResponseWriter, r *http.Request) {
	rep, built, ok := srv.impactReport(w, r)
	switch {
	case !ok:
	case rep == nil:
		httpjson.Write(w, http.StatusOK, map[string]any{"empty": true, "message": noDecisions})
	default:
		httpjson.Write(w, http.StatusOK, struct {
			*impact.Report
			Built time.Time `json:"built"`
		}{rep, built})
	}
}

func (srv *Server) resultsImpactCSV(w http.ResponseWriter, r *http.Request) {
	rep, _, ok := srv.impactReport(w, r)
	if !ok {
		return
	}
	if rep == nil {
		httpjson.Error(w, http.StatusNotFound, noDecisions)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="workforce-impact.csv"`)
	if err := rep.WriteCSV(w); err != nil {
		srv.log.Error("impact csv", "err", err)
	}
}

// outcomeView is an outcome as its candidate or their employer sees it:
// held before release; after it the outcome (no score, no cut), what
// may be re-sat and when, and until when an appeal may be lodged.
type outcomeView struct {
	Held    bool                      `json:"held"`
	Message string                    `json:"message,omitempty"`
	Outcome *results.CandidateOutcome `json:"outcome,omitempty"`
	// Resit lists the elements that may be re-sat, ResitFrom and ResitBy
	// the earliest and latest start of the re-sit (ResitBy zero: no
	// limit); AppealsClose is when the appeals window closes.
	Resit        []results.Element `json:"resit,omitempty"`
	ResitFrom    time.Time         `json:"resit_from,omitzero"`
	ResitBy      time.Time         `json:"resit_by,omitzero"`
	AppealsClose time.Time         `json:"appeals_close,omitzero"`
	Appeals      []results.Appeal  `json:"appeals,omitempty"`
	// Domains has the title of each feedback domain the content names.
	Domains map[string]string `json:"domains,omitempty"`
}

// viewOutcome asks for person's outcome as v; an embargoed outcome is
// held, with nothing of it shown.
func (srv *Server) viewOutcome(r *http.Request, v results.Viewer, person string) (outcomeView, error) {
	o, err := srv.cfg.Results.Outcome(r.Context(), v, person)
	if errors.Is(err, results.ErrEmbargoed) {
		return outcomeView{Held: true, Message: heldMessage}, nil
	}
	if err != nil {
		return outcomeView{}, err
	}
	out := outcomeView{Outcome: &o}
	if fb := o.Feedback; fb != nil && srv.cfg.Library != nil {
		out.Domains = map[string]string{}
		for _, id := range append(slices.Clone(fb.Strengths), fb.Develop...) {
			if d := srv.cfg.Library.Domains[id]; d != nil {
				out.Domains[id] = d.Title
			}
		}
	}
	if o.Released.IsZero() {
		return out, nil
	}
	rules := srv.cfg.Results.Resit()
	var rule results.ResitRule
	switch o.Outcome {
	case results.PartiallyMet:
		rule, out.Resit = rules.PartiallyMet, o.Resit
	case results.NotMet:
		rule, out.Resit = rules.NotMet, rules.NotMet.Elements
		if out.Resit == nil {
			out.Resit = o.NotPassed
		}
	}
	if !rule.Allowed {
		out.Resit = nil
	} else {
		out.ResitFrom = o.Released.Add(rule.MinInterval)
		if rule.Within > 0 {
			out.ResitBy = o.Released.Add(rule.Within)
		}
	}
	if rules.AppealsWindow > 0 {
		out.AppealsClose = o.Released.Add(rules.AppealsWindow)
	}
	return out, nil
}

func (srv *Server) portalOutcome(w http.ResponseWriter, r *http.Request) {
	me := portalSelf(r)
	v, err := srv.viewOutcome(r, results.Viewer{Role: results.RoleCandidate, ID: me}, me)
	if err == nil && !v.Held {
		v.Appeals, err = srv.cfg.Results.Appeals(r.Context(), me)
	}
	if err != nil {
		srv.resultsError(w, err)
		return
	}
	httpjson.Write(w, http.StatusOK, v)
}

func (srv *Server) portalLodge(w http.ResponseWriter, r *http.Request) {
	me := portalSelf(r)
	var req struct {
		Grounds string `json:"grounds"`
	}
	if !httpjson.Read(w, r, &req, 8<<10) {
		return
	}
	a, err := srv.cfg.Results.Lodge(r.Context(), results.Viewer{Role: results.RoleCandidate, ID: me}, me, req.Grounds) // recorded with the appeal
	srv.resultsActed(w, audit.AppealLodge, err, http.StatusCreated, a)
}

// teamOutcome is one of the employer's people with their outcome, held
// until their window is released.
type teamOutcome struct {
	Person string `json:"person"`
	Name   string `json:"name"`
	outcomeView
}

func (srv *Server) teamOutcomes(w http.ResponseWriter, r *http.Request, st *content.Staff, ps programme.Staff) {
	people, err := srv.cfg.Programme.People(r.Context(), ps.Employer)
	if err != nil {
		srv.programmeError(w, err)
		return
	}
	v := results.Viewer{Role: results.RoleEmployer, ID: st.ID, Employer: ps.Employer}
	out := make([]teamOutcome, 0, len(people))
	for _, p := range people {
		o, err := srv.viewOutcome(r, v, p.ID)
		if err != nil {
			srv.resultsError(w, err)
			return
		}
		out = append(out, teamOutcome{Person: p.ID, Name: p.Name, outcomeView: o})
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"employer": ps.Employer, "people": out})
}
