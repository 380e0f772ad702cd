package engine

import (
	"encoding/json"
	"strconv"
	"sync"

	"github.com/accredit/accredit/engine/content"
)

// The attempt message is the largest the server sends (15-20 KB), and at a
// synchronised release every candidate needs one at once. Its JSON is
// assembled from fragments encoded once per form: each item's head and
// each option, joined in the candidate's order. The bytes are exactly what
// encoding/json would write for the same ServerMsg (a test holds them to it).

// itemFrag is an item's JSON in pieces.
type itemFrag struct {
	head []byte   // {"id":…,"type":…,"case":…,"stem":…,"select":N,"options":[
	opts [][]byte // each option's {"id":…,"text":…}, in the item's own order
}

// caseViews returns the case scenarios of a form's items.
func caseViews(lib *content.Library, f *content.Form) map[string]CaseVM {
	cases := map[string]CaseVM{}
	for _, s := range f.Sections {
		for _, id := range s.Items {
			if c := lib.Items[id].Case; c != "" {
				cases[c] = caseView(lib.Cases[c])
			}
		}
	}
	return cases
}

// casesJSON encodes the case scenarios, as every attempt at a form
// delivered whole shows them; nil when there are none.
func casesJSON(cases map[string]CaseVM) []byte {
	if len(cases) == 0 {
		return nil
	}
	b, _ := json.Marshal(cases)
	return b
}

func newItemFrag(it *content.Item) *itemFrag {
	iv := itemView(it)
	b, _ := json.Marshal(iv) // ends in "options":null}
	head := append(b[:len(b)-len(`null}`)], '[')
	f := &itemFrag{head: head}
	for _, o := range it.Options {
		ob, _ := json.Marshal(OptionView{ID: o.ID, Text: o.Text, HTML: o.HTML})
		f.opts = append(f.opts, ob)
	}
	return f
}

// attemptJSON returns the whole "attempt" message for the attempt at
// remaining milliseconds, and the current section's, if it is timed.
func (l *layout) attemptJSON(a *Attempt, remaining int64, section *int64) []byte {
	b := (*attemptBufs.Get().(*[]byte))[:0]
	b = append(b, `{"type":"attempt","remaining_ms":`...)
	b = strconv.AppendInt(b, remaining, 10)
	if section != nil {
		b = append(b, `,"section_remaining_ms":`...)
		b = strconv.AppendInt(b, *section, 10)
	}
	b = append(b, `,"attempt":{"sections":[`...)
	start := 0
	for si, end := range l.ends {
		if si > 0 {
			b = append(b, ',')
		}
		sv := a.sectionHead(si, l.fi.form.Sections[si].Title, end-start)
		b = appendSectionHead(b, &sv)
		if sv.State == SectionLater {
			b = append(b, "]}"...)
			start = end
			continue
		}
		for pos := start; pos < end; pos++ {
			if pos > start {
				b = append(b, ',')
			}
			it := l.order[pos]
			f := l.fi.frags[it.ID]
			b = append(b, f.head...)
			for k, oi := range l.optOrder[pos] {
				if k > 0 {
					b = append(b, ',')
				}
				b = append(b, f.opts[oi]...)
			}
			b = append(b, "]}"...)
		}
		b = append(b, "]}"...)
		start = end
	}
	b = append(b, ']')
	cases := l.fi.casesJSON
	if a.BySection() {
		cases = l.openCasesJSON(a)
	}
	if cases != nil {
		b = append(b, `,"cases":`...)
		b = append(b, cases...)
	}
	b = append(b, `,"answers":`...)
	b = appendJSON(b, a.Answers)
	b = append(b, `,"flags":`...)
	b = appendJSON(b, sortedFlags(a))
	b = append(b, `,"position":`...)
	b = strconv.AppendInt(b, int64(a.Position), 10)
	b = append(b, `,"last_seq":`...)
	b = strconv.AppendUint(b, a.LastSeq, 10)
	b = append(b, `,"status":`...)
	b = appendString(b, string(a.Status))
	b = append(b, `,"paused":`...)
	b = strconv.AppendBool(b, a.Paused)
	if a.BySection() {
		b = append(b, `,"section":`...)
		b = strconv.AppendInt(b, int64(a.Section), 10)
	}
	if a.Linear {
		b = append(b, `,"linear":true`...)
	}
	return append(b, "}}"...)
}

// appendSectionHead writes a section's fields up to its items' opening
// bracket, in SectionView's order.
func appendSectionHead(b []byte, sv *SectionView) []byte {
	b = append(b, `{"title":`...)
	b = appendString(b, sv.Title)
	if sv.State != "" {
		b = append(b, `,"state":`...)
		b = appendString(b, sv.State)
	}
	if sv.ClosedBy != "" {
		b = append(b, `,"closed_by":`...)
		b = appendString(b, sv.ClosedBy)
	}
	if sv.TimeLimitMS != 0 {
		b = append(b, `,"time_limit_ms":`...)
		b = strconv.AppendInt(b, sv.TimeLimitMS, 10)
	}
	if sv.Count != 0 {
		b = append(b, `,"count":`...)
		b = strconv.AppendInt(b, int64(sv.Count), 10)
	}
	return append(b, `,"items":[`...)
}

// openCasesJSON encodes the case scenarios of the items an attempt
// delivered by section shows (none of a later section's), or nil.
func (l *layout) openCasesJSON(a *Attempt) []byte {
	cases := map[string]CaseVM{}
	end := l.count
	if a.Section+1 < len(l.ends) {
		end = l.ends[a.Section]
	}
	for _, it := range l.order[:end] {
		if it.Case != "" {
			cases[it.Case] = l.fi.cases[it.Case]
		}
	}
	if len(cases) == 0 {
		return nil
	}
	return appendJSON(nil, cases)
}

func appendString(b []byte, s string) []byte { return appendJSON(b, s) }

func appendJSON(b []byte, v any) []byte {
	j, _ := json.Marshal(v)
	return append(b, j...)
}

// attemptBufs holds buffers of attempt messages once written to their
// connection, for the next message: at a release every candidate's
// message is built at once, and reusing the buffers keeps that burst from
// growing the heap by one message per candidate.
var attemptBufs = sync.Pool{New: func() any { b := make([]byte, 0, 24<<10); return &b }}

// releaseAttemptBuf returns an attempt message's buffer once nothing holds
// it.
func releaseAttemptBuf(b []byte) {
	if cap(b) > 0 {
		b = b[:0]
		attemptBufs.Put(&b)
	}
}
