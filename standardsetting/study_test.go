package standardsetting

import (
	"errors"
	"testing"
)

// Expected values: testdata/05_results.txt ("[Two panels]", "[SEM]",
// "[Impact]"), computed in base R 4.2.2.
func TestAngoffStudy(t *testing.T) {
	x := readResponses(t)
	items := readRatings(t, "angoff_panelA.csv").Items
	panels := []*Panel{
		{Name: "panelA", Rounds: []*Ratings{readRatings(t, "angoff_panelA.csv")}},
		{Name: "panelB", Rounds: []*Ratings{readRatings(t, "angoff_panelB.csv")}},
	}
	st, err := AngoffStudy(panels, StudyOptions{Scores: readScores(t), Responses: x, ResponseItems: items, K: -1})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "reconciled", st.Reconciled.Cut, 11.4188596355)
	near(t, "z", st.Agreement.Z, 1.2767653835)
	if st.Measurement.Source != "kr20" {
		t.Errorf("source %q", st.Measurement.Source)
	}
	near(t, "alpha", st.Measurement.Alpha, 0.8416779565)
	near(t, "csem", st.Measurement.CSEM, 2.7048834106)
	near(t, "se/sem", st.Measurement.SECutOverSEM, 0.0687652177)
	near(t, "operational", st.Operational.Cut, 10)
	near(t, "operational pass", *st.Operational.PassRate, 0.75)
	near(t, "panel A pass", *st.Panels[0].PassRate, 0.65)
	if st.Panels[0].Facility == nil || st.Panels[0].Facility.PanelMean == nil || *st.Panels[0].Facility.PanelMean < 0.5 {
		t.Errorf("panel A's ratings should follow facility: %+v", st.Panels[0].Facility)
	}
	if len(st.Impact.Curve) != 31 || len(st.Impact.Cuts) != 4 {
		t.Errorf("impact: %d points, %d cuts", len(st.Impact.Curve), len(st.Impact.Cuts))
	}

	// k without any reliability is a configuration error, not a silent zero.
	if _, err := AngoffStudy(panels, StudyOptions{K: -1}); !errors.Is(err, ErrConfig) {
		t.Errorf("k without SEM: err = %v", err)
	}
	// Responses over other items are rejected.
	if _, err := AngoffStudy(panels, StudyOptions{Responses: x, ResponseItems: append([]string{"X"}, items[1:]...)}); !errors.Is(err, ErrMismatch) {
		t.Errorf("mismatched responses: err = %v", err)
	}
}
