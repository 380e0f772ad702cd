package engine

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/accredit/accredit/engine/content"
	"github.com/accredit/accredit/scoring"
)

// Status is where an attempt is in its life.
type Status string

const (
	StatusWaiting    Status = "waiting"     // joined; the sitting is not released
	StatusInProgress Status = "in_progress" // the clock is running
	StatusSubmitted  Status = "submitted"   // final; nothing may change
)

// Submission reasons.
const (
	ReasonCandidate   = "candidate"
	ReasonDeadline    = "deadline"
	ReasonInvigilator = "invigilator"
	ReasonVoided      = "voided" // ended by the invigilator; the attempt does not count
)

// Grace is how long after the deadline an answer is still accepted, for
// messages in flight when time ran out. The attempt is submitted by the
// server at deadline + Grace.
const Grace = 2 * time.Second

// event is one record of an attempt's stream. The stream is the attempt's
// only durable state: replaying it rebuilds the attempt.
type event struct {
	T  string    `json:"t"`
	At time.Time `json:"at"`

	// create
	Sitting   string `json:"sitting,omitempty"`
	Candidate string `json:"candidate,omitempty"`
	Form      string `json:"form,omitempty"`
	Seed      uint64 `json:"seed,omitempty"`
	LimitMS   int64  `json:"limit_ms,omitempty"`

	// answer, flag, navigate, submit (the client's sequence number)
	Seq     uint64   `json:"seq,omitempty"`
	Item    string   `json:"item,omitempty"`
	Options []string `json:"options,omitempty"`
	Flagged bool     `json:"flagged,omitempty"`
	Pos     int      `json:"pos,omitempty"`

	// extra time (ms), submit reason and score
	ExtraMS int64           `json:"extra_ms,omitempty"`
	Reason  string          `json:"reason,omitempty"`
	By      string          `json:"by,omitempty"`
	Score   *scoring.Result `json:"score,omitempty"`
}

// Event types.
const (
	evCreate   = "create"
	evStart    = "start"
	evAnswer   = "answer"
	evFlag     = "flag"
	evNavigate = "navigate"
	evExtra    = "extra_time"
	evSubmit   = "submit"
	evPause    = "pause"
	evResume   = "resume"
)

// Attempt is one candidate's attempt at a form, rebuilt from its stream.
type Attempt struct {
	ID        string
	Sitting   string
	Candidate string
	Form      string
	Seed      uint64
	Limit     time.Duration // the form's limit times the candidate's accommodation
	Status    Status
	Started   time.Time
	Deadline  time.Time
	Submitted time.Time
	Reason    string
	Answers   map[string][]string
	Flags     map[string]bool
	Position  int
	Paused    bool      // the invigilator paused the clock
	PausedAt  time.Time // when, if Paused
	LastSeq   uint64
	Score     *scoring.Result

	n int64 // records applied; the expected length for the next append
}

// apply folds one event into the attempt.
func (a *Attempt) apply(e *event) {
	a.n++
	if e.Seq > a.LastSeq {
		a.LastSeq = e.Seq
	}
	switch e.T {
	case evCreate:
		a.Sitting, a.Candidate, a.Form, a.Seed = e.Sitting, e.Candidate, e.Form, e.Seed
		a.Limit = time.Duration(e.LimitMS) * time.Millisecond
		a.Status = StatusWaiting
		a.Answers, a.Flags = map[string][]string{}, map[string]bool{}
	case evStart:
		a.Status, a.Started, a.Deadline = StatusInProgress, e.At, e.At.Add(a.Limit)
	case evAnswer:
		if len(e.Options) == 0 {
			delete(a.Answers, e.Item)
		} else {
			a.Answers[e.Item] = e.Options
		}
	case evFlag:
		if e.Flagged {
			a.Flags[e.Item] = true
		} else {
			delete(a.Flags, e.Item)
		}
	case evNavigate:
		a.Position = e.Pos
	case evExtra:
		a.Deadline = a.Deadline.Add(time.Duration(e.ExtraMS) * time.Millisecond)
	case evPause:
		a.Paused, a.PausedAt = true, e.At
	case evResume:
		if a.Paused {
			a.Deadline = a.Deadline.Add(e.At.Sub(a.PausedAt))
		}
		a.Paused = false
	case evSubmit:
		a.Status, a.Submitted, a.Reason, a.Score = StatusSubmitted, e.At, e.Reason, e.Score
		a.Paused = false
	}
}

func decodeAttempt(id string, recs [][]byte) (*Attempt, error) {
	a := &Attempt{ID: id}
	if err := a.replay(recs); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *Attempt) replay(recs [][]byte) error {
	for i, r := range recs {
		var e event
		if err := json.Unmarshal(r, &e); err != nil {
			return fmt.Errorf("attempt %s record %d: %w", a.ID, a.n, err)
		}
		if a.n == 0 && e.T != evCreate {
			return fmt.Errorf("attempt %s record %d: stream does not begin with create", a.ID, i)
		}
		a.apply(&e)
	}
	return nil
}

// Remaining returns the time left at now, never negative.
func (a *Attempt) Remaining(now time.Time) time.Duration {
	switch a.Status {
	case StatusWaiting:
		return a.Limit
	case StatusSubmitted:
		return 0
	}
	if a.Paused {
		now = a.PausedAt // the clock stands still while paused
	}
	return max(a.Deadline.Sub(now), 0)
}

// formIndex is what every attempt at one form shares: its items by id.
type formIndex struct {
	form      *content.Form
	items     map[string]*content.Item
	frags     map[string]*itemFrag // each item's JSON, for attempt messages
	casesJSON []byte               // the form's case scenarios as JSON, or nil
}

func newFormIndex(lib *content.Library, f *content.Form) *formIndex {
	fi := &formIndex{form: f, items: map[string]*content.Item{}, frags: map[string]*itemFrag{}}
	for _, s := range f.Sections {
		for _, id := range s.Items {
			fi.items[id] = lib.Items[id]
			fi.frags[id] = newItemFrag(lib.Items[id])
		}
	}
	fi.casesJSON = casesJSON(lib, f)
	return fi
}

// layout is an attempt's delivery order, fixed by the form and the seed. It
// holds only the order (a few hundred bytes); the items are the form's.
type layout struct {
	fi       *formIndex
	order    []*content.Item // items in delivery order
	ends     []int           // end of each section in order
	optOrder [][]uint8       // per position, the item's options in delivery order (indices)
	count    int
}

// newLayout orders a form's items (within each section) and each item's
// options with a generator seeded from the attempt's recorded seed, so the
// same attempt always gets the same order.
func newLayout(fi *formIndex, seed uint64) *layout {
	f := fi.form
	rng := rand.New(rand.NewPCG(seed, 0x61636372656469)) // second word: "accredi"
	l := &layout{fi: fi}
	for _, s := range f.Sections {
		start := len(l.order)
		for _, id := range s.Items {
			l.order = append(l.order, fi.items[id])
		}
		sec := l.order[start:]
		if f.ShuffleItems {
			rng.Shuffle(len(sec), func(i, j int) { sec[i], sec[j] = sec[j], sec[i] })
		}
		for _, it := range sec {
			perm := make([]uint8, len(it.Options))
			for k := range perm {
				perm[k] = uint8(k)
			}
			if f.ShuffleOptions {
				rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
			}
			l.optOrder = append(l.optOrder, perm)
		}
		l.ends = append(l.ends, len(l.order))
	}
	l.count = len(l.order)
	return l
}

// item returns the attempt's item with the id, if it is in the attempt.
func (l *layout) item(id string) (*content.Item, bool) {
	it, ok := l.fi.items[id]
	return it, ok
}

func (l *layout) items() []*content.Item { return l.order }

// view returns what the candidate sees: no keys.
func (l *layout) view(lib *content.Library, a *Attempt) *AttemptView {
	v := &AttemptView{
		Answers: a.Answers, Position: a.Position,
		LastSeq: a.LastSeq, Status: string(a.Status), Paused: a.Paused,
	}
	v.Flags = sortedFlags(a)
	start := 0
	for si, end := range l.ends {
		sv := SectionView{Title: l.fi.form.Sections[si].Title}
		for pos := start; pos < end; pos++ {
			it := l.order[pos]
			iv := ItemView{ID: it.ID, Type: string(it.Type), Case: it.Case, Stem: it.Stem, Select: max(it.Select, 1)}
			for _, k := range l.optOrder[pos] {
				o := it.Options[k]
				iv.Options = append(iv.Options, OptionView{ID: o.ID, Text: o.Text})
			}
			if it.Case != "" {
				if v.Cases == nil {
					v.Cases = map[string]CaseVM{}
				}
				c := lib.Cases[it.Case]
				v.Cases[it.Case] = CaseVM{Title: c.Title, Text: c.Text}
			}
			sv.Items = append(sv.Items, iv)
		}
		v.Sections = append(v.Sections, sv)
		start = end
	}
	return v
}

func sortedFlags(a *Attempt) []string {
	flags := make([]string, 0, len(a.Flags))
	for id := range a.Flags {
		flags = append(flags, id)
	}
	slices.Sort(flags)
	return flags
}

// checkOptions validates a candidate's choice for an item.
func checkOptions(it *content.Item, chosen []string) *ProtocolError {
	limit := max(it.Select, 1)
	if len(chosen) > limit {
		return perr(CodeBadOptions, "item %s takes at most %d option(s), got %d", it.ID, limit, len(chosen))
	}
	seen := map[string]bool{}
	for _, c := range chosen {
		if seen[c] {
			return perr(CodeBadOptions, "option %q chosen twice", c)
		}
		seen[c] = true
		if !slices.ContainsFunc(it.Options, func(o content.Option) bool { return o.ID == c }) {
			return perr(CodeBadOptions, "option %q is not an option of item %s", c, it.ID)
		}
	}
	return nil
}
