package load

import (
	"time"

	"github.com/accredit/accredit/engine/marking"
	"github.com/accredit/accredit/engine/roleplay"
)

// assessorMsg is the part of a marking server message the simulated
// assessors use (docs/marking-protocol.md). It leaves out scenario briefs,
// anchors and labels, which a tablet shows and a load generator does not
// need.
type assessorMsg struct {
	Type      string            `json:"type"`
	Seq       uint64            `json:"seq"`
	Sheet     *marking.SheetRef `json:"sheet"`
	Duplicate bool              `json:"duplicate"`
	Now       *time.Time        `json:"now"`
	Code      int               `json:"code"`
	Message   string            `json:"message"`
	Reason    string            `json:"reason"`
	Assessor  *struct {
		ID string `json:"id"`
	} `json:"assessor"`
	Circuits []circuitView `json:"circuits"`
	Sheets   []sheetView   `json:"sheets"`
}

type circuitView struct {
	ID        string        `json:"id"`
	Judgement []pointView   `json:"judgement"`
	Stations  []stationView `json:"stations"`
}

type pointView struct {
	Value int `json:"value"`
}

type stationView struct {
	ID     string          `json:"id"`
	Marker roleplay.Marker `json:"marker"`
	Rubric struct {
		Domains []struct {
			Criteria []criterionView `json:"criteria"`
		} `json:"domains"`
	} `json:"rubric"`
	Schedule []struct {
		Candidate string    `json:"candidate"`
		Start     time.Time `json:"start"`
		End       time.Time `json:"end"`
	} `json:"schedule"`
}

type criterionView struct {
	ID     string      `json:"id"`
	Points []pointView `json:"points"`
}

// sheetView is one of the assessor's sheets as the server holds it: what
// the loss check compares with the acknowledged changes.
type sheetView struct {
	Key       roleplay.SheetKey `json:"key"`
	Marks     map[string]int    `json:"marks"`
	Judgement *int              `json:"judgement"`
	Notes     map[string]string `json:"notes"`
	Submitted bool              `json:"submitted"`
	LastSeq   uint64            `json:"last_seq"`
}

// sheet returns the welcome's sheet for ref, nil if it has none.
func (m *assessorMsg) sheet(ref marking.SheetRef) *sheetView {
	for i := range m.Sheets {
		k := m.Sheets[i].Key
		if k.Circuit == ref.Circuit && k.Station == ref.Station && k.Candidate == ref.Candidate {
			return &m.Sheets[i]
		}
	}
	return nil
}
