// Rendering of the candidate page from a Session. Everything here reads the
// session and writes the DOM; user actions are wired in candidate.js.

import { $, el } from './dom.js';
import { preferOption } from './prefs.js';
import { assetLoader, showRich } from './richtext.js';
import { clock, zoneName } from './times.js';

export function formatClock(ms) {
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return (h > 0 ? h + ':' : '') + mm + ':' + String(s).padStart(2, '0');
}

export function formatMinutes(ms) {
  const min = Math.round(ms / 60000);
  return min === 1 ? '1 minute' : min + ' minutes';
}

function listOfNumbers(items) {
  const nums = items.map((it) => it.index + 1);
  if (nums.length === 1) return 'question ' + nums[0];
  return 'questions ' + nums.slice(0, -1).join(', ') + ' and ' + nums[nums.length - 1];
}

// OUTCOME is what happens after a test that counts.
const OUTCOME = 'Your result is not shown today. It is held until the programme releases the results of this sitting; '
  + 'then you will see it in your candidate portal, and your employer will be told it.';

// ENDINGS are the end screen's heading and texts for each way a test ends.
const ENDINGS = {
  stored: { title: 'Your test has ended', text: '', next: OUTCOME, at: 'Ended at' },
  candidate: { title: 'Your test has been submitted', text: 'Thank you. Your answers are stored.', next: OUTCOME, at: 'Submitted at' },
  deadline: {
    title: 'Time is up: your test has been submitted',
    text: 'Time ran out, so your test was submitted automatically with every answer saved up to then.',
    next: OUTCOME, at: 'Submitted at',
  },
  invigilator: {
    title: 'Your invigilator has submitted your test',
    text: 'Every answer saved up to then is stored.', next: OUTCOME, at: 'Submitted at',
  },
  voided: {
    title: 'Your invigilator has ended your test',
    text: 'This test will not count towards your accreditation. Your invigilator has recorded why.',
    next: 'Please speak to your invigilator before you leave. The programme will contact you and your employer about what happens next.',
    at: 'Ended at',
  },
  withdrawn: {
    title: 'You have withdrawn from this test',
    text: 'This test will not count towards your accreditation. Your invigilator has recorded your withdrawal.',
    next: 'Your employer will be told. Ask your employer or the programme about sitting the test again.',
    at: 'Ended at',
  },
};

const SCREENS = ['screen-start', 'screen-waiting', 'screen-item', 'screen-paused', 'screen-submitting', 'screen-done', 'screen-stopped'];

export class View {
  constructor(session) {
    this.s = session;
    this.images = assetLoader(() => this.s.code);
    this.rendered = ''; // the item or screen now in the DOM, to rebuild only on a move
    this.shown = '';
  }

  screenFor() {
    const s = this.s;
    switch (s.phase) {
      case 'start':
      case 'joining': return 'screen-start';
      case 'waiting': return 'screen-waiting';
      case 'test':
        if (s.paused) return 'screen-paused';
        return s.submitting ? 'screen-submitting' : 'screen-item';
      case 'submitted': return 'screen-done';
      default: return 'screen-stopped';
    }
  }

  render() {
    const screen = this.screenFor();
    for (const id of SCREENS) $(id).hidden = id !== screen;
    this.renderBar();
    this.renderOffline(screen);
    this.renderRoom();
    switch (screen) {
      case 'screen-start': this.renderStart(); break;
      case 'screen-waiting': this.renderWaiting(); break;
      case 'screen-item': this.renderTest(); break;
      case 'screen-submitting': this.renderSubmitting(); break;
      case 'screen-done': this.renderSubmitted(); break;
      case 'screen-stopped': this.renderStopped(); break;
    }
    if (screen !== this.shown) {
      const prev = this.shown;
      this.shown = screen;
      if (prev !== '' && screen !== 'screen-item') this.focusHeading(screen);
    }
  }

  focusHeading(screen) {
    const h = $(screen).querySelector('h1, h2');
    if (h) h.focus();
  }

  renderBar() {
    const s = this.s;
    if (s.candidate) $('form-title').textContent = s.candidate.form_title;
    if (s.candidate && s.candidate.larger_text) preferOption('large');
    const conn = $('conn');
    conn.dataset.state = s.phase === 'submitted' ? 'done' : s.link;
    let text = 'Not connected';
    if (s.link === 'connecting') text = 'Connecting…';
    if (s.link === 'open') text = 'Connected · not started';
    if (s.link === 'online') text = s.waitingCount > 0 ? 'Connected · saving…' : 'Connected · all answers saved';
    if (s.link === 'lost') text = 'Connection lost · ' + (s.waitingCount > 0 ? s.waitingCount + ' change(s) waiting' : 'reconnecting');
    if (s.link === 'stopped') text = s.phase === 'submitted' ? 'Finished' : 'Disconnected';
    $('conn-text').textContent = text;
    this.renderTimer();
  }

  // renderRoom shows the invigilator's latest announcement and the reason
  // for a pause.
  renderRoom() {
    const s = this.s;
    const a = s.announcement;
    $('room-note').hidden = !a;
    if (a && $('room-note-text').textContent !== a.text) $('room-note-text').textContent = a.text;
    $('paused-note').textContent = s.paused && s.pauseNote ? 'Reason: ' + s.pauseNote : '';
  }

  renderTimer() {
    const s = this.s;
    const ms = s.remainingNow();
    const show = ms !== null && (s.phase === 'test' || s.phase === 'waiting');
    $('timer').hidden = !show;
    this.renderSectionTimer();
    if (!show) return;
    $('timer-value').textContent = formatClock(ms);
    $('timer').classList.toggle('warn', s.phase === 'test' && ms <= 5 * 60000 && ms > 60000);
    $('timer').classList.toggle('urgent', s.phase === 'test' && ms <= 60000);
  }

  // renderSectionTimer shows the open section's own countdown beside the
  // test's, when the section has a limit.
  renderSectionTimer() {
    const s = this.s;
    const ms = s.phase === 'test' ? s.sectionRemainingNow() : null;
    $('section-timer').hidden = ms === null;
    if (ms === null) return;
    const sec = s.sections[s.section] || {};
    $('section-timer').querySelector('.label').textContent = 'Section ' + (s.section + 1) + ' left';
    $('section-timer').setAttribute('aria-label', 'Time left in section ' + (s.section + 1) + (sec.title ? ', ' + sec.title : ''));
    $('section-timer-value').textContent = formatClock(ms);
    $('section-timer').classList.toggle('warn', ms <= 5 * 60000 && ms > 60000);
    $('section-timer').classList.toggle('urgent', ms <= 60000);
  }

  renderOffline(screen) {
    const s = this.s;
    const show = s.link === 'lost' && (screen === 'screen-item' || screen === 'screen-submitting');
    $('offline').hidden = !show;
    if (!show) return;
    const answered = s.items.filter((it) => s.answers[it.id]);
    const saved = answered.filter((it) => !s.pending(it.id));
    const waiting = s.items.filter((it) => s.pending(it.id));
    $('offline-saved').textContent = saved.length > 0
      ? 'Saved on the server: ' + listOfNumbers(saved) + '.'
      : 'No answer has been saved on the server yet.';
    $('offline-waiting').textContent = waiting.length > 0
      ? 'Waiting to be sent: ' + listOfNumbers(waiting) + '. These are kept on this computer and will be sent as soon as the connection returns. You can carry on working.'
      : 'Nothing is waiting to be sent. You can carry on working; changes will be sent when the connection returns.';
    $('offline-retry').textContent = 'Reconnecting automatically…';
    if (s.outbox && s.outbox.storageFailed) {
      $('offline-waiting').textContent += ' This browser could not keep them in its storage: do not close or reload this window.';
    }
  }

  renderStart() {
    const s = this.s;
    $('code-error').textContent = s.error;
    $('start').disabled = s.phase === 'joining';
    $('start').textContent = s.phase === 'joining' ? 'Starting…' : 'Start';
  }

  renderWaiting() {
    const s = this.s;
    const c = s.candidate || {};
    $('cand-name').textContent = c.name || '';
    $('fact-form').textContent = c.form_title || '';
    $('fact-centre').textContent = c.centre || '';
    $('waiting-limit').textContent = c.time_limit_ms ? formatMinutes(c.time_limit_ms) : '';
  }

  renderTest() {
    const s = this.s;
    const title = (s.candidate && s.candidate.form_title) || 'Knowledge test';
    if ($('test-title').textContent !== title) $('test-title').textContent = title;
    const onReview = s.position >= s.items.length;
    $('item-view').hidden = onReview;
    $('screen-review').hidden = !onReview;
    const key = onReview ? 'review' : 'item:' + s.items[s.position].id;
    const moved = key !== this.rendered;
    if (onReview) this.renderReview();
    else this.renderItem(s.items[s.position], moved);
    this.renderMap();
    if (moved) {
      this.rendered = key;
      $(onReview ? 'review-heading' : 'item-heading').focus();
    }
  }

  renderItem(it, rebuild) {
    const s = this.s;
    const n = s.items.length;
    $('item-count').textContent = 'Question ' + (it.index + 1) + ' of ' + n;
    const label = s.section === null ? it.section || ''
      : 'Section ' + (it.sectionIndex + 1) + ' of ' + s.sections.length + (it.section ? ': ' + it.section : '');
    $('section-title').textContent = label;
    const c = it.case ? s.cases[it.case] : null;
    $('case').hidden = !c;
    if (c) {
      $('case-title').textContent = 'Case: ' + c.title;
      showRich($('case-text'), c.html, c.text, this.images, c.stylesheets || []);
    }
    const multiple = it.type === 'multiple';
    if (rebuild) {
      showRich($('item-stem'), it.stem_html, it.stem, this.images, it.stylesheets || []);
      $('select-hint').textContent = selectHint(it);
      $('select-msg').textContent = '';
      const box = $('options');
      box.replaceChildren();
      it.options.forEach((o, i) => {
        const input = el('input', {
          type: multiple ? 'checkbox' : 'radio', name: 'opt', value: o.id, id: 'opt-' + i,
        });
        input.dataset.item = it.id;
        const text = el('span');
        showRich(text, o.html, o.text, this.images, it.stylesheets || []);
        box.append(el('label', { class: 'option', for: 'opt-' + i }, input, text));
      });
    }
    const chosen = new Set(s.answers[it.id] || []);
    for (const input of $('options').querySelectorAll('input')) {
      input.checked = chosen.has(input.value);
      input.parentElement.classList.toggle('chosen', input.checked);
    }
    const flagged = s.flags.has(it.id);
    $('flag').setAttribute('aria-pressed', String(flagged));
    $('clear').disabled = chosen.size === 0;
    $('prev').disabled = !s.canGo(it.index - 1);
    $('prev').hidden = s.linear;
    $('flag').hidden = s.linear;
    $('linear-note').hidden = !s.linear;
    const lastHere = !s.canGo(it.index + 1) && !s.lastSection;
    $('next').textContent = lastHere ? 'Finish section…' : it.index === n - 1 ? 'Review answers' : 'Next';
    this.renderSave(it);
  }

  renderSave(it) {
    const s = this.s;
    const status = $('item-saved');
    let state = '';
    let text = '';
    if (s.pending(it.id)) {
      state = s.link === 'online' ? 'saving' : 'waiting';
      text = state === 'saving' ? 'Saving your answer…' : 'Answer waiting to be saved…';
    } else if (s.answers[it.id]) {
      state = 'saved';
      text = 'Answer saved.';
    }
    if (s.notice) text = s.notice + ' ' + text;
    status.dataset.state = state;
    if (status.textContent !== text) status.textContent = text;
  }

  renderMap() {
    const s = this.s;
    const root = $('qmap-sections');
    if (root.childElementCount === 0 || root.dataset.count !== String(s.items.length)) {
      root.replaceChildren();
      root.dataset.count = String(s.items.length);
      s.sections.forEach((sec, si) => {
        const ol = el('ol');
        for (const it of s.items.filter((x) => x.sectionIndex === si)) {
          const b = el('button', { type: 'button', class: 'qbtn' });
          b.dataset.pos = String(it.index);
          ol.append(el('li', {}, b));
        }
        if (s.sections.length > 1) {
          const h = el('h3', { text: sec.title });
          h.dataset.section = String(si);
          h.append(el('span', { class: 'state' }));
          root.append(h);
        }
        root.append(ol);
      });
    }
    this.renderMapSections(root);
    for (const b of root.querySelectorAll('button.qbtn')) {
      const it = s.items[Number(b.dataset.pos)];
      const answered = Boolean(s.answers[it.id]);
      const waiting = s.pending(it.id);
      const flagged = s.flags.has(it.id);
      const shut = s.section === null ? '' : it.sectionIndex < s.section ? 'closed' : it.sectionIndex > s.section ? 'later' : '';
      b.className = 'qbtn' + (answered ? ' answered' : '') + (waiting ? ' waiting' : '') + (shut ? ' ' + shut : '');
      b.disabled = shut !== '' || (s.linear && !s.canGo(it.index));
      b.replaceChildren(String(it.index + 1));
      if (answered) b.append(el('span', { class: 'tick', 'aria-hidden': 'true', text: '✓' }));
      if (flagged) b.append(el('span', { class: 'mark', 'aria-hidden': 'true', text: '⚑' }));
      if (shut) b.append(el('span', { class: 'lock', 'aria-hidden': 'true', text: '—' }));
      const words = shut === 'later' ? ['section not yet open'] : [answered ? 'answered' : 'not answered'];
      if (shut === 'closed') words.push('section closed');
      if (!shut && s.linear && it.index < s.position) words.push('passed, cannot be revisited');
      if (waiting) words.push('not yet saved');
      if (flagged) words.push('flagged');
      b.setAttribute('aria-label', 'Question ' + (it.index + 1) + ', ' + words.join(', '));
      if (it.index === s.position) b.setAttribute('aria-current', 'step');
      else b.removeAttribute('aria-current');
    }
    const review = $('to-review');
    if (s.position === s.items.length) review.setAttribute('aria-current', 'step');
    else review.removeAttribute('aria-current');
    review.hidden = !s.lastSection;
    review.disabled = s.linear && !s.canGo(s.items.length);
    $('finish-section').hidden = s.lastSection;
    $('key-sections').hidden = s.section === null;
  }

  // renderMapSections says beside each section's heading whether it is
  // closed (and why), open, or not yet open.
  renderMapSections(root) {
    const s = this.s;
    for (const h of root.querySelectorAll('h3[data-section]')) {
      const si = Number(h.dataset.section);
      const sec = s.sections[si] || {};
      let text = '';
      if (sec.state === 'closed') text = sec.closed_by === 'deadline' ? ' (closed: time ran out)' : ' (closed)';
      if (sec.state === 'open') text = ' (open)';
      if (sec.state === 'later') text = ' (not yet open)';
      const span = h.querySelector('.state');
      if (span.textContent !== text) span.textContent = text;
    }
  }

  // sectionConfirmText says what finishing the open section leaves
  // unanswered and that it cannot be reopened.
  sectionConfirmText() {
    const s = this.s;
    const items = s.sectionItems;
    const unanswered = items.filter((it) => !s.answers[it.id]).length;
    const sec = s.sections[s.section] || {};
    const name = 'section ' + (s.section + 1) + (sec.title ? ', ' + sec.title : '');
    return (unanswered === 0 ? 'You have answered every question in ' + name + '.'
      : 'You have ' + unanswered + ' unanswered question' + (unanswered === 1 ? '' : 's') + ' in ' + name + '.')
      + ' Once you finish it, you cannot go back to its questions or change their answers; your saved answers are kept.';
  }

  // sectionNextText says what opens next.
  sectionNextText() {
    const s = this.s;
    const next = s.sections[s.section + 1] || {};
    const time = next.time_limit_ms ? ', with ' + formatMinutes(next.time_limit_ms) + ' of its own' : '';
    return 'Section ' + (s.section + 2) + (next.title ? ', ' + next.title : '') + ', opens next' + time + '.';
  }

  renderReview() {
    const s = this.s;
    const open = s.items.filter((it) => s.canGo(it.index)); // a closed section's cannot change
    const unanswered = open.filter((it) => !s.answers[it.id]);
    const flagged = open.filter((it) => s.flags.has(it.id));
    const answered = s.items.filter((it) => s.answers[it.id]).length;
    $('review-summary').textContent = answered + ' of ' + s.items.length + ' questions answered, '
      + flagged.length + ' flagged for review.';
    const past = 'This test goes one question after another: earlier questions cannot be revisited.';
    this.fillLinks($('unanswered-list'), unanswered, s.linear ? past : 'Every question has an answer.');
    this.fillLinks($('flagged-list'), flagged, s.linear ? past : 'No question is flagged.');
    $('unanswered-title').textContent = 'Unanswered (' + unanswered.length + ')';
    $('flagged-title').textContent = 'Flagged for review (' + flagged.length + ')';
  }

  fillLinks(list, items, none) {
    const key = items.map((it) => it.id).join(',');
    if (list.dataset.key === key && list.childElementCount > 0) return;
    list.dataset.key = key;
    list.replaceChildren();
    if (items.length === 0) {
      list.append(el('li', { class: 'muted', text: none }));
      return;
    }
    for (const it of items) {
      const a = el('a', { href: '#question-' + (it.index + 1), text: 'Question ' + (it.index + 1) });
      a.dataset.pos = String(it.index);
      const stem = it.stem.length > 80 ? it.stem.slice(0, 77) + '…' : it.stem;
      list.append(el('li', {}, a, ': ' + stem));
    }
  }

  confirmText() {
    const s = this.s;
    const unanswered = s.items.filter((it) => !s.answers[it.id]).length;
    const flagged = s.items.filter((it) => s.canGo(it.index) && s.flags.has(it.id)).length;
    const parts = [];
    parts.push(unanswered === 0 ? 'You have answered every question.'
      : 'You have ' + unanswered + ' unanswered question' + (unanswered === 1 ? '.' : 's.'));
    if (flagged > 0) parts.push(flagged + ' question' + (flagged === 1 ? ' is' : 's are') + ' still flagged for review.');
    return parts.join(' ');
  }

  renderSubmitting() {
    const s = this.s;
    $('submitting-text').textContent = s.link === 'online'
      ? 'Please wait while your test is submitted. Do not close this window.'
      : 'Your submission is waiting for the connection and will be sent when it returns. Do not close this window.';
  }

  renderSubmitted() {
    const s = this.s;
    // Until submitted names the reason (a candidate back at a submitted
    // attempt is sent what was stored first), the screen says only that.
    const sub = s.submitted || {};
    const end = s.submitted ? ENDINGS[sub.reason] || ENDINGS.candidate : ENDINGS.stored;
    $('submitted-title').textContent = end.title;
    $('done-text').textContent = end.text;
    $('done-text').dataset.reason = sub.reason || '';
    $('done-next').textContent = end.next;
    const at = sub.at ? new Date(sub.at) : null;
    $('submitted-at').textContent = at && !isNaN(at) ? `${end.at} ${clock(at)} (${zoneName()}).` : '';
  }

  renderStopped() {
    const s = this.s;
    const texts = {
      4001: 'Your test was opened in another window or on another computer, so this window has stopped. Carry on there. If you did not do this, tell your invigilator now.',
      4004: 'This page is out of date for the server. Reload the page.',
    };
    $('stopped-text').textContent = texts[s.stopCode] || 'The connection was closed by the server. Reload the page to continue.';
  }
}

// selectHint says how many options to choose: one, exactly select, or a
// range (min_select to select) for an item that gives one.
function selectHint(it) {
  if (it.type !== 'multiple') return 'Choose one answer.';
  if (it.min_select === undefined) return 'Choose ' + it.select + ' answers.';
  if (it.min_select <= 1) return 'Choose up to ' + it.select + ' answers.';
  if (it.min_select === it.select) return 'Choose ' + it.select + ' answers.';
  return 'Choose from ' + it.min_select + ' to ' + it.select + ' answers.';
}
