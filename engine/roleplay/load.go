package roleplay

import (
	"io/fs"
	"os"

	"github.com/accredit/accredit/internal/jsonfile"
)

// Files of a model tree.
const (
	domainsFile   = "domains.json"
	judgementFile = "judgement.json"
	assessorsFile = "assessors.json"
	scenariosGlob = "scenarios/*.json"
	rubricsGlob   = "rubrics/*.json"
	circuitsGlob  = "circuits/*.json"
)

// Model is a loaded, validated role-play tree, indexed by id. It is never
// modified after Load and is safe for concurrent use.
type Model struct {
	Domains   map[string]*Domain
	Scenarios map[string]*Scenario
	Rubrics   map[string]*Rubric
	Judgement JudgementScale
	Assessors map[string]*Assessor // by code
	Circuits  map[string]*Circuit
}

// LoadDir loads the tree rooted at the directory path.
func LoadDir(path string) (*Model, error) { return Load(os.DirFS(path)) }

// Load reads and validates the tree in fsys: domains.json, assessors.json,
// optional judgement.json, and scenarios/, rubrics/ and circuits/ holding one
// JSON object per file. Decoding is strict. If any file is malformed Load
// reports the decoding errors; otherwise it checks every rule across files.
// Errors are *FieldError values joined with errors.Join.
func Load(fsys fs.FS) (*Model, error) {
	l := &loader{errs: newErrors(), m: &Model{
		Domains:   map[string]*Domain{},
		Scenarios: map[string]*Scenario{},
		Rubrics:   map[string]*Rubric{},
		Assessors: map[string]*Assessor{},
		Circuits:  map[string]*Circuit{},
		Judgement: DefaultJudgementScale(),
	}}
	read := func() { l.read(fsys) }
	err := l.errs.Check(read, l.checkDomains, l.checkJudgement, l.checkAssessors,
		l.checkScenarios, l.checkRubrics, l.checkCircuits)
	if err != nil {
		return nil, err
	}
	return l.m, nil
}

type loader struct {
	m         *Model
	errs      *jsonfile.Errors
	domains   jsonfile.File[domainList]
	judgement *jsonfile.File[JudgementScale] // nil without judgement.json
	assessors jsonfile.File[assessorList]
	scenarios []jsonfile.File[Scenario]
	rubrics   []jsonfile.File[Rubric]
	circuits  []jsonfile.File[Circuit]
}

// domainList and assessorList are the contents of domains.json and
// assessors.json.
type (
	domainList struct {
		Domains []Domain `json:"domains"`
	}
	assessorList struct {
		Assessors []Assessor `json:"assessors"`
	}
)

func (l *loader) read(fsys fs.FS) {
	r := &jsonfile.Reader{FS: fsys, Errs: l.errs, Kind: ErrSyntax, MaxSize: maxFileSize, Mismatch: mismatch} // a pipe or device is refused, never read
	l.domains, _ = jsonfile.Read[domainList](r, domainsFile)
	l.assessors, _ = jsonfile.Read[assessorList](r, assessorsFile)
	l.judgement = jsonfile.ReadOptional[JudgementScale](r, judgementFile)
	l.scenarios = jsonfile.ReadGlob[Scenario](r, scenariosGlob)
	l.rubrics = jsonfile.ReadGlob[Rubric](r, rubricsGlob)
	l.circuits = jsonfile.ReadGlob[Circuit](r, circuitsGlob)
}
