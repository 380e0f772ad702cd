package qti

import "fmt"

// Kinds of file in a report.
const (
	KindItem     = "item"
	KindStimulus = "stimulus"
	KindTest     = "test"
	KindManifest = "manifest"
)

// Reason classes: why a file was not imported. docs/qti.md lists them.
const (
	ReasonUnsupportedInteraction = "unsupported_interaction"
	ReasonNoKey                  = "no_key"
	ReasonCustomOperator         = "custom_operator"
	ReasonUnsupportedProcessing  = "unsupported_processing"
	ReasonConditionalSection     = "conditional_section"
	ReasonUnknownTemplate        = "unknown_template"
	ReasonUnrepresentable        = "unrepresentable"
	ReasonMalformedXML           = "malformed_xml"
	ReasonMissingFile            = "missing_file"
	ReasonDuplicateIdentifier    = "duplicate_identifier"
	ReasonInvalidIdentifier      = "invalid_identifier"
	ReasonUnsupportedVersion     = "unsupported_version"
	ReasonRefusedItems           = "refused_items"
	ReasonUnsafePackage          = "unsafe_package"
)

// Report says what an import did with every file it read. Its JSON shape is
// fixed (docs/qti.md) so that other tools can read it.
type Report struct {
	Files   []FileReport `json:"files"`
	Summary string       `json:"summary"`
}

// FileReport is one file read.
type FileReport struct {
	Path        string      `json:"path"` // relative to the argument it was found under
	Kind        string      `json:"kind"` // item, stimulus, test or manifest
	Identifier  string      `json:"identifier"`
	Imported    bool        `json:"imported"`
	ReasonClass string      `json:"reason_class,omitempty"`
	Reason      string      `json:"reason,omitempty"`
	Warnings    []string    `json:"warnings"`
	Item        *ItemReport `json:"item,omitempty"` // for an imported item
}

// ItemReport describes an imported item as the source gave it.
type ItemReport struct {
	Cardinality string   `json:"cardinality"` // single or multiple
	Choices     []string `json:"choices"`     // in document order
	Correct     []string `json:"correct"`     // as in the source's correct response, trimmed
	MinChoices  int      `json:"min_choices"`
	MaxChoices  int      `json:"max_choices"` // 0: no limit
	Mapping     *Mapping `json:"mapping"`     // nil without a mapping
	MaxScore    float64  `json:"max_score"`
	Fixed       []string `json:"fixed"` // choices that keep their place when shuffled
	Shuffle     bool     `json:"shuffle"`
}

// Mapping is a response declaration's mapping: each chosen choice adds its
// value, an unlisted one adds Default, and the sum is clamped to the bounds.
type Mapping struct {
	Default    float64    `json:"default"`
	LowerBound *float64   `json:"lower_bound"`
	UpperBound *float64   `json:"upper_bound"`
	Entries    []MapEntry `json:"entries"`
}

// MapEntry is one choice's value in a mapping.
type MapEntry struct {
	Key   string  `json:"key"`
	Value float64 `json:"value"`
}

// refusal is why a file is not imported.
type refusal struct {
	class, reason string
}

func (r *refusal) Error() string { return r.class + ": " + r.reason }

func refuse(class, format string, args ...any) *refusal {
	return &refusal{class: class, reason: fmt.Sprintf(format, args...)}
}

func (r *FileReport) warn(format string, args ...any) {
	w := fmt.Sprintf(format, args...)
	for _, x := range r.Warnings {
		if x == w {
			return
		}
	}
	r.Warnings = append(r.Warnings, w)
}

func (r *FileReport) refused(rf *refusal) {
	r.Imported = false
	r.ReasonClass, r.Reason = rf.class, rf.reason
}
