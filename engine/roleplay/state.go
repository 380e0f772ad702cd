package roleplay

import "time"

// State is a copy of a sheet's content, safe to keep and share.
type State struct {
	Key         SheetKey          `json:"key"`
	Marker      Marker            `json:"marker"`
	Slot        int               `json:"slot"`
	Marks       map[string]int    `json:"marks"`               // current marks, moderated if moderated
	Judgement   *int              `json:"judgement,omitempty"` // current global judgement
	Notes       map[string]string `json:"notes,omitempty"`     // by criterion id; "" is the general note
	Submitted   bool              `json:"submitted"`
	SubmittedAt time.Time         `json:"submitted_at,omitzero"`
	// Original holds the marks and judgement as submitted, before any
	// moderation; nil until submitted.
	Original          map[string]int `json:"original_marks,omitempty"`
	OriginalJudgement *int           `json:"original_judgement,omitempty"`
	Moderations       []Moderation   `json:"moderations,omitempty"`
}

// State returns a copy of the sheet's content.
func (s *Sheet) State() State {
	st := State{
		Key: s.key, Marker: s.marker, Slot: s.slot,
		Marks:     s.cur.clone().marks,
		Notes:     make(map[string]string, len(s.notes)),
		Submitted: s.submitted, SubmittedAt: s.submittedAt,
	}
	for k, v := range s.notes {
		st.Notes[k] = v
	}
	if s.cur.judged {
		j := s.cur.judgement
		st.Judgement = &j
	}
	if s.submitted {
		st.Original = s.original.clone().marks
		j := s.original.judgement
		st.OriginalJudgement = &j
		st.Moderations = append([]Moderation(nil), s.moderations...)
	}
	return st
}
