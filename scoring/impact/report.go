package impact

// Dim is a dimension a table breaks decisions down by.
type Dim string

// The dimensions. ByElement counts element decisions (passed or not)
// rather than outcomes (met or not); a person contributes one to each
// element decided for them.
const (
	ByEmployer Dim = "employer"
	ByEndorser Dim = "endorser" // the employer that endorsed the person
	ByPhase    Dim = "phase"
	ByCohort   Dim = "cohort"
	ByStatus   Dim = "status"
	ByElement  Dim = "element"
)

// dims lists the dimensions of the one-way tables, in report order.
var dims = []Dim{ByEmployer, ByEndorser, ByPhase, ByCohort, ByStatus, ByElement}

// defaultCrossings are the two-way tables a Report holds when
// Options.Crossings is nil: the trends by employer, phase and status across
// windows, employers by status, and each element by employer and by window.
var defaultCrossings = [][2]Dim{
	{ByEmployer, ByCohort},
	{ByPhase, ByCohort},
	{ByStatus, ByCohort},
	{ByEmployer, ByStatus},
	{ByElement, ByEmployer},
	{ByElement, ByCohort},
}

// DefaultMinCount is the smallest count published when Options.MinCount is 0.
const DefaultMinCount = 10

// Options configures Build. The zero value is usable.
type Options struct {
	// MinCount is the smallest number of decisions a published cell may
	// have; 0 means DefaultMinCount.
	MinCount int
	// Windows lists the cohort (sitting window) ids in time order; every
	// row's cohort must be listed. Nil orders cohorts by id.
	Windows []string
	// Crossings lists the two-way tables; nil means employer, phase and
	// status each by cohort, employer by status, and element by employer
	// and by cohort. An element crossing must put ByElement first.
	Crossings [][2]Dim
	// Reference names, per monitoring field, the group the others are
	// compared with; a field not listed is compared with its group of
	// highest met rate.
	Reference map[Field]string
}

// Measure says what a table's rate is the rate of.
type Measure string

// The measures.
const (
	MeasureMet    Measure = "met"            // outcome met, of all decisions
	MeasurePassed Measure = "element_passed" // element passed, of element decisions
)

// Cell is one cell of a table: N decisions of which Passed met the standard
// (or passed the element), their Rate and its Wilson 95% interval [Lo, Hi].
// A suppressed cell has every number zero.
type Cell struct {
	Keys       []string `json:"keys"` // one label per table dimension
	Suppressed bool     `json:"suppressed"`
	N          int      `json:"n"`
	Passed     int      `json:"passed"`
	Rate       float64  `json:"rate"`
	Lo         float64  `json:"ci_low"`
	Hi         float64  `json:"ci_high"`
}

// Table is a one- or two-way breakdown; Cells holds the combinations that
// have at least one decision, sorted by key.
type Table struct {
	Name    string  `json:"name"` // the dims joined by "_by_", or "overall"
	Dims    []Dim   `json:"dims"`
	Measure Measure `json:"measure"`
	Cells   []Cell  `json:"cells"`
}

// GroupImpact is one monitoring group's met rate and its comparison with the
// reference group. The comparison fields are nil for the reference itself,
// for suppressed groups and for the not-stated group (Group "").
type GroupImpact struct {
	Group string `json:"group"`
	Cell
	// ImpactRatio is Rate over the reference group's rate; nil when that
	// is 0.
	ImpactRatio *float64 `json:"impact_ratio"`
	// FourFifths is ImpactRatio < fairness.FourFifths (0.8).
	FourFifths bool `json:"four_fifths"`
	// FisherP is the two-sided p of Fisher's exact test of the group's
	// met/not met table against the reference group's.
	FisherP *float64 `json:"fisher_p"`
}

// FieldImpact is the adverse-impact analysis of met outcomes by one
// monitoring field.
type FieldImpact struct {
	Field Field `json:"field"`
	// Reference is the group compared with; "" when no comparison could be
	// made, and Note says why.
	Reference string        `json:"reference"`
	Note      string        `json:"note,omitempty"`
	Groups    []GroupImpact `json:"groups"` // by label, not stated first
}

// Series is one line of a trend: a cell per window in window order, with
// N == 0 and Suppressed false where the series had no decision in a window.
type Series struct {
	Key    string `json:"key"` // "" for the overall trend
	Points []Cell `json:"points"`
}

// Trend is the met rate across windows, overall (By "") or per value of a
// dimension crossed with ByCohort.
type Trend struct {
	By     Dim      `json:"by"`
	Series []Series `json:"series"`
}

// Report is the whole workforce-impact analysis.
type Report struct {
	MinCount int           `json:"min_count"`
	Windows  []string      `json:"windows"` // the cohorts with decisions, in window order
	Overall  Cell          `json:"overall"`
	Tables   []Table       `json:"tables"` // one-way tables by employer, endorser, phase, cohort, status and element, then the crossings
	Impact   []FieldImpact `json:"impact"` // in Fields order
	Trends   []Trend       `json:"trends"` // overall, then each crossing with ByCohort second
}

// Table returns the table of the given name, or nil.
func (r *Report) Table(name string) *Table {
	for i := range r.Tables {
		if r.Tables[i].Name == name {
			return &r.Tables[i]
		}
	}
	return nil
}
