package engine

import (
	"math/rand/v2"
	"slices"

	"github.com/accredit/accredit/engine/content"
)

// formIndex is what every attempt at one form shares: its items by id.
type formIndex struct {
	form      *content.Form
	items     map[string]*content.Item
	section   map[string]int       // the index of each item's section
	frags     map[string]*itemFrag // each item's JSON, for attempt messages
	cases     map[string]CaseVM    // the form's case scenarios
	images    []map[string]bool    // per section, the images and stylesheets its items and their cases show
	casesJSON []byte               // the form's case scenarios as JSON, or nil
}

func newFormIndex(lib *content.Library, f *content.Form) *formIndex {
	fi := &formIndex{form: f, items: map[string]*content.Item{}, section: map[string]int{}, frags: map[string]*itemFrag{}}
	for si, s := range f.Sections {
		for _, id := range s.Items {
			fi.items[id] = lib.Items[id]
			fi.section[id] = si
			fi.frags[id] = newItemFrag(lib.Items[id])
		}
	}
	fi.cases = caseViews(lib, f)
	fi.images = sectionImages(lib, f)
	fi.casesJSON = casesJSON(fi.cases)
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
				shuffleFree(rng, it, perm)
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
		LastSeq: a.LastSeq, Status: string(a.Status), Paused: a.Paused, Linear: a.Linear,
	}
	v.Flags = sortedFlags(a)
	if a.BySection() {
		v.Section = &a.Section
	}
	start := 0
	for si, end := range l.ends {
		sv := a.sectionHead(si, l.fi.form.Sections[si].Title, end-start)
		if sv.State == SectionLater {
			sv.Items = []ItemView{}
			v.Sections = append(v.Sections, sv)
			start = end
			continue
		}
		for pos := start; pos < end; pos++ {
			it := l.order[pos]
			iv := itemView(it)
			for _, k := range l.optOrder[pos] {
				o := it.Options[k]
				iv.Options = append(iv.Options, OptionView{ID: o.ID, Text: o.Text, HTML: o.HTML})
			}
			if it.Case != "" {
				if v.Cases == nil {
					v.Cases = map[string]CaseVM{}
				}
				v.Cases[it.Case] = caseView(lib.Cases[it.Case])
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

// shuffleFree shuffles the options of an item that are not fixed among
// their places; a fixed option keeps its own (QTI's shuffle with fixed
// choices). An item with no fixed option is shuffled as a whole, drawing
// from rng exactly as before fixed options existed, so existing attempts
// keep their order.
func shuffleFree(rng *rand.Rand, it *content.Item, perm []uint8) {
	var free []int
	for k, o := range it.Options {
		if !o.Fixed {
			free = append(free, k)
		}
	}
	if len(free) == len(perm) {
		rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		return
	}
	rng.Shuffle(len(free), func(i, j int) {
		a, b := free[i], free[j]
		perm[a], perm[b] = perm[b], perm[a]
	})
}

// itemView is an item as the candidate sees it, without its options.
func itemView(it *content.Item) ItemView {
	lo, hi := it.Range()
	iv := ItemView{ID: it.ID, Type: string(it.Type), Case: it.Case, Stem: it.Stem, Select: max(hi, 1), StemHTML: it.StemHTML,
		Stylesheets: it.Stylesheets}
	if it.Type == content.MultipleResponse && it.MaxSelect > 0 {
		iv.MinSelect = &lo
	}
	return iv
}

func caseView(c *content.Case) CaseVM {
	return CaseVM{Title: c.Title, Text: c.Text, HTML: c.HTML, Stylesheets: c.Stylesheets}
}

// sectionHead is section si's view without its items: its title and, in an
// attempt delivered section by section, its state, why it closed, its
// limit and the number of its items.
func (a *Attempt) sectionHead(si int, title string, count int) SectionView {
	sv := SectionView{Title: title}
	if !a.BySection() {
		return sv
	}
	sv.Count = count
	if si < len(a.SectionLimits) {
		sv.TimeLimitMS = a.SectionLimits[si].Milliseconds()
	}
	switch {
	case si < a.Section:
		sv.State = SectionClosed
		if si < len(a.SectionsClosed) {
			sv.ClosedBy = a.SectionsClosed[si]
		}
	case si == a.Section:
		sv.State = SectionOpen
	default:
		sv.State = SectionLater
	}
	return sv
}

// sectionImages returns, per section of the form, the image paths its
// items, their options and their cases show, and the stylesheets of its
// items and their cases.
func sectionImages(lib *content.Library, f *content.Form) []map[string]bool {
	out := make([]map[string]bool, len(f.Sections))
	for si, s := range f.Sections {
		out[si] = map[string]bool{}
		for _, id := range s.Items {
			it := lib.Items[id]
			htmls := []string{it.StemHTML}
			for _, o := range it.Options {
				htmls = append(htmls, o.HTML)
			}
			styles := it.Stylesheets
			if c := lib.Cases[it.Case]; c != nil {
				htmls = append(htmls, c.HTML)
				styles = slices.Concat(styles, c.Stylesheets)
			}
			for _, h := range htmls {
				imgs, _ := content.CheckRichText(h) // checked when loaded
				for _, p := range imgs {
					out[si][p] = true
				}
			}
			for _, p := range styles {
				out[si][p] = true
			}
		}
	}
	return out
}

// ShowsAsset reports whether the attempt shows the image or stylesheet at
// path by now: in an attempt delivered section by section, only those of
// the open and closed sections (their items' and their cases'), none of a
// later one's. Any asset of the form otherwise (the caller checks the path
// is one of the form's).
func (a *Attempt) ShowsAsset(path string) bool {
	if !a.BySection() || a.lay == nil {
		return true
	}
	for si, set := range a.lay.fi.images {
		if si > a.Section {
			break
		}
		if set[path] {
			return true
		}
	}
	return false
}
