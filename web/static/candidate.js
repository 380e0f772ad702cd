// The candidate's test page: wires the Session (protocol) to the View (DOM)
// and to the candidate's keyboard and mouse. See docs/protocol.md.

import { setupPrefs } from './prefs.js';
import { Session } from './session.js';
import { View, formatClock, formatMinutes } from './candidate-view.js';
import { $ } from './dom.js';

// Warnings announced as the clock runs down, by the server's "time"
// messages or, if one is missed, by the local countdown.
const THRESHOLDS = [
  { kind: '5m0s', ms: 5 * 60000, text: '5 minutes left.' },
  { kind: '1m0s', ms: 60000, text: '1 minute left.' },
];

function wsURL() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return scheme + '//' + location.host + '/ws/candidate';
}

class Page {
  constructor() {
    this.announced = new Set();
    this.sectionAnnounced = new Set(); // "section:threshold" already announced
    this.lastWarning = null;
    this.session = new Session(wsURL(), () => this.update());
    this.view = new View(this.session);
  }

  update() {
    this.view.render();
    this.checkWarnings();
    this.checkSection();
    this.checkSectionWarnings();
  }

  // checkSectionWarnings announces a timed section's time running down,
  // once per threshold and section, from the server's "time" messages or
  // the local countdown.
  checkSectionWarnings() {
    const s = this.session;
    if (s.phase !== 'test' || s.paused || s.section === null) return;
    const ms = s.sectionRemainingNow();
    if (ms === null || ms <= 0) return;
    const crossed = THRESHOLDS.filter((t) => ms <= t.ms && !this.sectionAnnounced.has(s.section + ':' + t.kind));
    if (crossed.length === 0) return;
    for (const t of crossed) this.sectionAnnounced.add(s.section + ':' + t.kind);
    const t = crossed[crossed.length - 1];
    const left = t.ms - ms < 5000 ? t.text.replace(' left.', '') : formatClock(ms);
    this.announce(left + ' left in section ' + (s.section + 1) + '. It closes when its time runs out.', true);
  }

  // checkSection says, politely, that a section has closed and why, once
  // the page has moved to the next; the focus is then on the next
  // section's first question (View.renderTest), where the candidate works.
  checkSection() {
    const s = this.session;
    if (s.phase !== 'test') $('section-note').hidden = true;
    const c = s.sectionChange;
    if (!c || c === this.sectionSaid) return;
    this.sectionSaid = c;
    const closed = s.sections[c.from] || {};
    const open = s.sections[s.section] || {};
    const name = (i, sec) => 'Section ' + (i + 1) + (sec.title ? ' (' + sec.title + ')' : '');
    const why = c.reason === 'deadline'
      ? 'The time for ' + name(c.from, closed) + ' ran out, so it has closed with every answer saved up to then.'
      : name(c.from, closed) + ' is finished and closed.';
    const time = open.time_limit_ms ? ' You have ' + formatMinutes(open.time_limit_ms) + ' for it.' : '';
    $('section-note-text').textContent = why + ' ' + name(s.section, open) + ' has begun.' + time;
    $('section-note').hidden = false;
  }

  announce(text, visible) {
    const region = $('announce');
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 50);
    if (visible) {
      $('time-note-text').textContent = text;
      $('time-note').hidden = false;
    }
  }

  checkWarnings() {
    const s = this.session;
    if (s.phase !== 'test' || s.paused) {
      $('time-note').hidden = true;
      return;
    }
    const ms = s.remainingNow();
    if (ms === null) return;
    if (s.warning && s.warning !== this.lastWarning) {
      this.lastWarning = s.warning;
      if (s.warning.kind === 'extra_time' || s.warning.kind === 'time_reduced') {
        this.announced = new Set(THRESHOLDS.filter((t) => t.ms >= ms).map((t) => t.kind));
        const what = s.warning.kind === 'extra_time' ? 'added time' : 'changed your time';
        const why = s.warning.note ? ' (' + s.warning.note + ')' : '';
        this.announce('Your invigilator has ' + what + why + '. Time left: ' + formatClock(ms) + '.', true);
        return;
      }
    }
    // The smallest threshold passed and not yet announced, whether the
    // server's warning or the local countdown got there first.
    const crossed = THRESHOLDS.filter((t) => ms <= t.ms && ms > 0 && !this.announced.has(t.kind));
    if (crossed.length > 0) {
      const t = crossed[crossed.length - 1];
      for (const u of THRESHOLDS) if (u.ms >= t.ms) this.announced.add(u.kind);
      this.announce(t.ms - ms < 5000 ? t.text : 'Time left: ' + formatClock(ms) + '.', true);
    }
    if (ms === 0 && !this.announced.has('up')) {
      this.announced.add('up');
      this.announce('Time is up. Your test is being submitted with the answers saved.', true);
    }
  }

  wire() {
    setupPrefs();
    const s = this.session;
    $('start-form').addEventListener('submit', (e) => {
      e.preventDefault();
      s.start($('code').value);
    });
    $('options').addEventListener('change', (e) => this.optionChanged(e.target));
    $('prev').addEventListener('click', () => s.go(s.position - 1));
    $('next').addEventListener('click', () => {
      if (!s.canGo(s.position + 1) && !s.lastSection) this.confirmSection();
      else s.go(s.position + 1);
    });
    $('flag').addEventListener('click', () => s.toggleFlag(this.item().id));
    $('clear').addEventListener('click', () => {
      s.choose(this.item().id, []);
      $('item-heading').focus();
    });
    $('qmap').addEventListener('click', (e) => {
      const b = e.target.closest('button');
      if (!b) return;
      if (b.id === 'finish-section') this.confirmSection();
      else s.go(b.id === 'to-review' ? s.items.length : Number(b.dataset.pos));
    });
    $('screen-review').addEventListener('click', (e) => {
      const a = e.target.closest('a[data-pos]');
      if (!a) return;
      e.preventDefault();
      s.go(Number(a.dataset.pos));
    });
    $('review-back').addEventListener('click', () => s.go(s.items.length - 1));
    this.wireConfirm();
    $('section-note-close').addEventListener('click', () => {
      $('section-note').hidden = true;
      $('main').focus();
    });
    $('time-note-close').addEventListener('click', () => {
      $('time-note').hidden = true;
      $('main').focus();
    });
    window.addEventListener('online', () => s.networkChanged(true));
    window.addEventListener('offline', () => s.networkChanged(false));
    setInterval(() => {
      this.view.renderTimer();
      this.checkWarnings();
      this.checkSectionWarnings();
    }, 250);
    this.resumeCode();
    this.update();
  }

  wireConfirm() {
    const dialog = $('confirm');
    $('submit').addEventListener('click', () => {
      $('confirm-text').textContent = this.view.confirmText();
      dialog.showModal();
    });
    $('confirm-cancel').addEventListener('click', () => dialog.close());
    const sectionDialog = $('confirm-section');
    $('confirm-section-cancel').addEventListener('click', () => sectionDialog.close());
    $('confirm-section-finish').addEventListener('click', () => {
      sectionDialog.close();
      this.session.finishSection();
    });
    $('confirm-submit').addEventListener('click', () => {
      dialog.close();
      this.session.submit();
    });
  }

  // confirmSection asks before the open section is closed for good.
  confirmSection() {
    $('confirm-section-text').textContent = this.view.sectionConfirmText();
    $('confirm-section-then').textContent = this.view.sectionNextText();
    $('confirm-section').showModal();
  }

  item() {
    return this.session.items[this.session.position];
  }

  optionChanged(input) {
    const it = this.item();
    if (!it || input.dataset.item !== it.id) return;
    const inputs = [...$('options').querySelectorAll('input')];
    const chosen = inputs.filter((i) => i.checked).map((i) => i.value);
    if (it.type === 'multiple' && chosen.length > it.select) {
      input.checked = false;
      $('select-msg').textContent = 'You can choose only ' + it.select + ' answers. Untick one to choose another.';
      return;
    }
    $('select-msg').textContent = '';
    this.session.choose(it.id, chosen);
  }

  // resumeCode rejoins after a reload in the same tab, so an accidental
  // refresh costs the candidate nothing.
  resumeCode() {
    let code = '';
    try {
      code = sessionStorage.getItem('accredit:code') || '';
    } catch {
      return;
    }
    if (code) {
      $('code').value = code;
      this.session.start(code);
    }
  }
}

new Page().wire();
