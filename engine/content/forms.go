package content

import (
	"fmt"
	"time"
)

// maxTimeLimit catches a time limit written in the wrong unit ("30h").
const maxTimeLimit = 8 * time.Hour

func (l *loader) checkForms() {
	forms := map[string]where{}
	for fi := range l.forms {
		f := &l.forms[fi]
		form := &f.Value
		if l.define(forms, "form", form.ID, f.Name, "") {
			l.lib.Forms[form.ID] = form
		}
		l.require(form.Title, f.Name, "title")
		if !validStatus(form.Status) {
			l.errs.Add(ErrInvalid, f.Name, "status", "%q is not draft, live or retired", form.Status)
		}
		if tl := time.Duration(form.TimeLimit); tl <= 0 || tl > maxTimeLimit {
			l.errs.Add(ErrInvalid, f.Name, "time_limit", "want more than 0 and at most %v, got %v", maxTimeLimit, tl)
		}
		if n := form.Navigation; n != "" && n != NavigationFree && n != NavigationLinear {
			l.errs.Add(ErrInvalid, f.Name, "navigation", "%q is not %s or %s", n, NavigationFree, NavigationLinear)
		}
		l.checkSections(f.Name, form)
	}
}

func (l *loader) checkSections(file string, form *Form) {
	if len(form.Sections) == 0 {
		l.errs.Add(ErrInvalid, file, "sections", "want at least one section")
	}
	sections, onForm := map[string]where{}, map[string]where{}
	for si := range form.Sections {
		s, p := &form.Sections[si], fmt.Sprintf("sections[%d]", si)
		l.define(sections, "section", s.ID, file, p)
		l.require(s.Title, file, join(p, "title"))
		if tl := time.Duration(s.TimeLimit); tl < 0 || tl > time.Duration(form.TimeLimit) {
			l.errs.Add(ErrInvalid, file, join(p, "time_limit"), "want more than 0 and at most the form's %v, got %v", time.Duration(form.TimeLimit), tl)
		}
		if len(s.Items) == 0 {
			l.errs.Add(ErrInvalid, file, join(p, "items"), "want at least one item")
		}
		for ii, id := range s.Items {
			ip := fmt.Sprintf("%s.items[%d]", p, ii)
			it := l.lib.Items[id]
			switch w, dup := onForm[id]; {
			case it == nil:
				l.errs.Add(ErrReference, file, ip, "item %q is not in any item bank", id)
			case dup:
				l.errs.Add(ErrDuplicate, file, ip, "item %q is already on the form at %s", id, w.path)
			case form.Status == StatusLive && it.Status != StatusLive:
				l.errs.Add(ErrReference, file, ip, "item %q is %s; a live form holds live items only", id, it.Status)
			}
			if _, dup := onForm[id]; !dup {
				onForm[id] = where{file, ip}
			}
		}
	}
}
