package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/engine/programme"
	"github.com/accredit/accredit/internal/httpjson"
	"github.com/accredit/accredit/scoring/respmatrix"
)

// The groups the psychometrician's DIF and adverse-impact analyses
// compare: a sitting's candidates by employer, or by one of their
// monitoring answers. The server joins the candidates (person ids) to
// the programme's monitoring records itself, on the psychometrician's
// routes only (docs/psychometrics.md): no monitoring answer is sent to
// any other role, nor with a candidate's name or id.

// groupFields are the fields a sitting's candidates may be grouped by,
// ?by= on the DIF, impact and groups routes: the employer, then the
// monitoring fields of engine/programme.
var groupFields = []string{"employer", "age_band", "sex", "ethnic_group", "disability"}

// MinGroup is the fewest candidates a group may have to be compared or
// shown: a DIF comparison with a smaller reference or focal group is
// refused, and a smaller group's pass rate in the adverse-impact table is
// suppressed. It is the workforce-impact report's smallest published
// count (scoring/impact, DefaultMinCount): below it a group's figures
// could single people out, and a Mantel-Haenszel statistic on so few is
// noise.
const MinGroup = 10

// errNoMonitoring: a monitoring field was asked for on a server without
// the programme's records.
var errNoMonitoring = errors.New("grouping by a monitoring field needs the programme's records, which this server does not hold")

// groupBy returns the ?by= field, "employer" when none is given.
func groupBy(r *http.Request) (string, error) {
	by := r.URL.Query().Get("by")
	if by == "" {
		return "employer", nil
	}
	for _, f := range groupFields {
		if f == by {
			return by, nil
		}
	}
	return "", fmt.Errorf("by %q: want one of %v", by, groupFields)
}

// monitoringValue is one field of a monitoring record.
func monitoringValue(m programme.Monitoring, field string) string {
	switch field {
	case "age_band":
		return m.AgeBand
	case "sex":
		return m.Sex
	case "ethnic_group":
		return m.Ethnicity
	case "disability":
		return m.Disability
	}
	return ""
}

// groupLabels returns each person's label in field: employer from the
// sitting's roster, a monitoring field from the programme's records ("" for
// not stated, and for a candidate who is not a programme person).
func (srv *Server) groupLabels(ctx context.Context, sitting, field string, persons []string) ([]string, error) {
	byPerson := map[string]string{}
	if field == "employer" {
		s, err := srv.cfg.Engine.Roster().Sitting(ctx, sitting)
		if err != nil {
			return nil, err
		}
		for _, c := range s.Candidates {
			byPerson[c.ID] = c.Employer
		}
	} else {
		if srv.cfg.Programme == nil {
			return nil, errNoMonitoring
		}
		recs, err := srv.cfg.Programme.Monitoring(ctx)
		if err != nil {
			return nil, err
		}
		for _, rec := range recs {
			byPerson[rec.Person] = monitoringValue(rec.Monitoring, field)
		}
	}
	out := make([]string, len(persons))
	for i, p := range persons {
		out[i] = byPerson[p]
	}
	return out, nil
}

// groupCount is one group of a sitting's submitted candidates: its label
// and size, or Small (and no size) under MinGroup.
type groupCount struct {
	Group string `json:"group"`
	N     int    `json:"n,omitempty"`
	Small bool   `json:"small,omitempty"`
}

// countGroups counts labels by group, not stated ("") left out, sorted.
func countGroups(labels []string) []groupCount {
	n := map[string]int{}
	for _, l := range labels {
		if l != "" {
			n[l]++
		}
	}
	out := make([]groupCount, 0, len(n))
	for g, c := range n {
		if c < MinGroup {
			out = append(out, groupCount{Group: g, Small: true})
		} else {
			out = append(out, groupCount{Group: g, N: c})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Group < out[j].Group })
	return out
}

// groups lists the groups of a sitting's submitted candidates in ?by=,
// for the page's choice of reference and focal group.
func (srv *Server) groups(w http.ResponseWriter, r *http.Request) {
	m, by, ok := srv.sittingMatrix(w, r)
	if !ok {
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"by": by, "min_group": MinGroup, "groups": countGroups(m.Groups[by])})
}

// groupsOf sets m's group column for field, answering the error itself.
// Only a psychometrician may group by a monitoring field: the
// administrator, who may use every staff route, is refused it here.
func (srv *Server) groupsOf(w http.ResponseWriter, r *http.Request, id, field string, m *respmatrix.Matrix) bool {
	if st, _ := srv.staffFrom(r); field != "employer" && (st == nil || st.Role != content.RolePsychometrician) {
		httpjson.Error(w, http.StatusForbidden, "only a psychometrician may group candidates by their monitoring answers")
		return false
	}
	labels, err := srv.groupLabels(r.Context(), id, field, m.Persons)
	switch {
	case errors.Is(err, errNoMonitoring):
		httpjson.Error(w, http.StatusConflict, err.Error())
		return false
	case err != nil:
		srv.internal(w, err)
		return false
	}
	m.Groups = map[string][]string{field: labels}
	return true
}

// suppressSmall returns labels with every group under MinGroup blanked,
// and those groups' names, sorted.
func suppressSmall(labels []string) ([]string, []string) {
	var small []string
	hide := map[string]bool{}
	for _, g := range countGroups(labels) {
		if g.Small {
			hide[g.Group] = true
			small = append(small, g.Group)
		}
	}
	out := make([]string, len(labels))
	for i, l := range labels {
		if !hide[l] {
			out[i] = l
		}
	}
	return out, small
}
