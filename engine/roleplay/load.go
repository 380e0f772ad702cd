package roleplay

import (
	"errors"
	"io/fs"
	"os"
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
	l := &loader{m: &Model{
		Domains:   map[string]*Domain{},
		Scenarios: map[string]*Scenario{},
		Rubrics:   map[string]*Rubric{},
		Assessors: map[string]*Assessor{},
		Circuits:  map[string]*Circuit{},
		Judgement: DefaultJudgementScale(),
	}}
	l.read(fsys)
	if len(l.errs.errs) > 0 {
		return nil, l.errs.err()
	}
	l.checkDomains()
	l.checkJudgement()
	l.checkAssessors()
	l.checkScenarios()
	l.checkRubrics()
	l.checkCircuits()
	if len(l.errs.errs) > 0 {
		return nil, l.errs.err()
	}
	return l.m, nil
}

type named[T any] struct {
	file string
	v    T
}

type loader struct {
	m       *Model
	errs    errorList
	domains named[struct {
		Domains []Domain `json:"domains"`
	}]
	judgement *named[JudgementScale]
	assessors named[struct {
		Assessors []Assessor `json:"assessors"`
	}]
	scenarios []named[Scenario]
	rubrics   []named[Rubric]
	circuits  []named[Circuit]
}

func (l *loader) read(fsys fs.FS) {
	l.domains.file, l.assessors.file = domainsFile, assessorsFile
	l.domains.v, _ = readFile[struct {
		Domains []Domain `json:"domains"`
	}](l, fsys, domainsFile)
	l.assessors.v, _ = readFile[struct {
		Assessors []Assessor `json:"assessors"`
	}](l, fsys, assessorsFile)
	if _, err := fs.Stat(fsys, judgementFile); err == nil {
		if v, ok := readFile[JudgementScale](l, fsys, judgementFile); ok {
			l.judgement = &named[JudgementScale]{judgementFile, v}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		l.errs.add(ErrSyntax, judgementFile, "", "%v", err)
	}
	l.scenarios = readAll[Scenario](l, fsys, scenariosGlob)
	l.rubrics = readAll[Rubric](l, fsys, rubricsGlob)
	l.circuits = readAll[Circuit](l, fsys, circuitsGlob)
}

func readAll[T any](l *loader, fsys fs.FS, pattern string) []named[T] {
	names, err := fs.Glob(fsys, pattern)
	if err != nil {
		panic("roleplay: bad glob " + pattern) // patterns are constants
	}
	var out []named[T]
	for _, name := range names {
		if v, ok := readFile[T](l, fsys, name); ok {
			out = append(out, named[T]{name, v})
		}
	}
	return out
}
