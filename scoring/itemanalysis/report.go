package itemanalysis

// Review flags set on Item.Flags.
const (
	FlagNegativeDiscrimination = "negative_discrimination"  // corrected item-total correlation or D below zero
	FlagTooEasy                = "too_easy"                 // facility above 0.95
	FlagTooHard                = "too_hard"                 // facility below 0.2
	FlagDistractorOutscoresKey = "distractor_outscores_key" // a distractor's choosers have a higher mean total than the key's
)

// Review thresholds on facility.
const (
	EasyAbove = 0.95
	HardBelow = 0.2
)

// Report is the result of Analyse; its JSON field names are documented in
// docs/psychometrics.md.
type Report struct {
	Persons      int     `json:"persons"`       // persons analysed
	NumItems     int     `json:"num_items"`     // items analysed (k)
	MissingCells int     `json:"missing_cells"` // missing cells among analysed persons and items
	MeanTotal    float64 `json:"mean_total"`
	SDTotal      float64 `json:"sd_total"` // sample standard deviation (n-1)
	Alpha        float64 `json:"alpha"`    // Cronbach's alpha; equals KR-20 for complete 0/1 data
	KR20         float64 `json:"kr20"`
	KR21         float64 `json:"kr21"`
	SEM          float64 `json:"sem"`
	// CSEM is Lord's conditional SEM for each raw score 0..k.
	CSEM  []CSEMPoint `json:"csem"`
	Items []Item      `json:"items"`

	ExcludedItems   []ExcludedItem `json:"excluded_items"`
	ExcludedPersons []string       `json:"excluded_persons"`

	// Distractors is filled by AnalyseChoices: one entry per item, analysed
	// or excluded.
	Distractors []ItemDistractors `json:"distractors,omitempty"`
}

// Item holds the statistics of one analysed item.
type Item struct {
	ID                 string   `json:"id"`
	N                  int      `json:"n"` // persons presented with the item
	Facility           float64  `json:"facility"`
	PointBiserial      *float64 `json:"point_biserial"`
	CorrectedItemTotal *float64 `json:"corrected_item_total"`
	AlphaIfDeleted     *float64 `json:"alpha_if_deleted"`
	UpperLowerD        *float64 `json:"upper_lower_d"`
	Flags              []string `json:"flags"`
}

// Reasons an item is excluded.
const (
	ReasonAllCorrect   = "all_correct"
	ReasonAllIncorrect = "all_incorrect"
	ReasonNotPresented = "not_presented"
)

// ExcludedItem names an item left out of the analysis and why.
type ExcludedItem struct {
	ID     string `json:"id"`
	N      int    `json:"n"`
	Reason string `json:"reason"`
}

// CSEMPoint is the conditional SEM at one raw score.
type CSEMPoint struct {
	Raw  int     `json:"raw"`
	CSEM float64 `json:"csem"`
}
