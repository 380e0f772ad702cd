// Session is the candidate's side of the protocol in docs/protocol.md: it
// joins, keeps the attempt's state as the server acknowledged it, overlays
// the changes still in the outbox, and sends them in order whenever the
// connection is up, following the re-sending algorithm of the protocol
// ("Re-sending: the one algorithm"). It knows nothing of the page; the page
// renders it on every change.

import { Connection, CLOSE_TAKEN_OVER } from './connection.js';
import { Outbox } from './outbox.js';

export const PROTOCOL_VERSION = 1;

// target names what a change sets: an item's answer, an item's flag (apart
// from its answer), the position, the submission.
function target(m) {
  switch (m.type) {
    case 'answer': return 'answer:' + m.item;
    case 'flag': return 'flag:' + m.item;
    case 'finish_section': return 'finish_section:' + m.section;
    default: return m.type;
  }
}

// The candidate's outbox is kept under the access code.
const OUTBOX_PREFIX = 'accredit:outbox:';

const CODE_RATE = 103; // dropped for rate, not stored: sent again with its seq
const CODE_BAD_SEQ = 306; // a re-sent seq that was never stored
const CODE_PAUSED = 309; // kept, and sent again when the clock runs again
const CODE_NOT_CHECKED_IN = 310; // the invigilator has not checked the candidate in
const CODE_LATE = 311; // past the late cut-off: the invigilator must admit them
const CODE_REJOIN = 312; // left during the test: the invigilator must approve the rejoin
const CODE_SECTION_CLOSED = 313; // the section's time ran out, or it was closed: not stored
const REJOIN_RETRY_MS = 3000; // hello is sent again while a rejoin waits for approval
const CODE_STORE = 501; // may have been stored: sent again with its seq
const RATE_PAUSE_MS = 250; // before a change dropped for rate is sent again
const STORE_PAUSE_MS = 1000; // before a change the store failed is sent again,
const STORE_PAUSE_MAX_MS = 8000; // doubling while the store keeps failing
const HEARTBEAT_MS = 25000;
const HEARTBEAT_WAIT_MS = 10000;

export class Session {
  constructor(url, onChange) {
    this.url = url;
    this.onChange = onChange;
    this.phase = 'start'; // start, joining, waiting, test, submitted, stopped
    this.link = 'idle'; // idle, connecting, open (connected, not joined), online, lost, stopped
    this.code = '';
    this.candidate = null;
    this.items = []; // in delivery order, each with .section (title), .sectionIndex and .index
    this.sections = [];
    // A form delivered section by section: the current section (0 is the
    // first), or null for a form delivered whole; sectionRemaining is the
    // server's latest section time left, {ms, at}, or null if untimed;
    // sectionChange says how the last section closed ({from, reason}),
    // for the page to announce.
    this.section = null;
    this.sectionRemaining = null;
    this.sectionChange = null;
    this.cases = {};
    this.saved = {}; // answers as stored on the server
    this.savedFlags = new Set();
    this.answers = {}; // what the candidate sees: saved plus the outbox
    this.flags = new Set();
    this.position = 0;
    this.remaining = null; // {ms, at}: the server's latest remaining time
    this.warning = null; // {kind, at}: the latest time warning from the server
    this.submitted = null; // {reason, at}
    this.paused = false; // the invigilator has stopped the clock
    this.pauseNote = ''; // why, if they said
    this.announcement = null; // {text, at}: the invigilator's latest announcement
    this.error = '';
    this.notice = '';
    this.noticeSeq = 0; // the change the notice is about, cleared when it is stored
    this.stopCode = 0;
    this.retryIn = 0;
    this.ready = false; // the attempt has arrived on this connection
    this.inflight = new Set(); // seqs sent on this connection and not yet answered
    this.held = new Map(); // seq -> timer: sent again when the pause ends
    this.storeFailures = 0; // 501s in a row, for the backoff
    this.submitAcked = false; // the submit is stored; submitted follows
    this.outbox = null;
    this.conn = null;
    this.joinedOnce = false;
    this.lastHeard = 0;
    this.heartbeat = 0;
    this.rejoinTimer = 0; // a hello to send again while a rejoin waits for approval
  }

  emit() {
    this.onChange(this);
  }

  // start joins with an access code.
  start(code) {
    code = code.trim();
    if (!code) {
      this.error = 'Type your access code first.';
      this.emit();
      return;
    }
    this.code = code;
    this.error = '';
    this.phase = 'joining';
    if (!this.conn) {
      this.conn = new Connection(this.url, {
        open: () => this.opened(),
        message: (m) => this.received(m),
        lost: (code, retryIn) => this.lost(retryIn),
        ended: (code) => this.ended(code),
      });
      this.link = 'connecting';
      this.conn.start();
    } else if (this.conn.isOpen) {
      this.hello();
    }
    this.emit();
  }

  hello() {
    this.conn.send({ type: 'hello', v: PROTOCOL_VERSION, code: this.code });
  }

  // retryRejoin sends hello again soon: the candidate is let back in as
  // soon as the invigilator approves, without typing the code again.
  retryRejoin() {
    clearTimeout(this.rejoinTimer);
    this.rejoinTimer = setTimeout(() => {
      if (this.phase === 'start' && this.code && this.conn && this.conn.isOpen) this.hello();
    }, REJOIN_RETRY_MS);
  }

  opened() {
    this.lastHeard = performance.now();
    if (this.code) this.hello();
  }

  lost(retryIn) {
    this.link = 'lost';
    this.ready = false;
    this.inflight.clear();
    this.release();
    this.retryIn = retryIn;
    clearInterval(this.heartbeat);
    this.heartbeat = 0;
    this.emit();
  }

  ended(code) {
    this.link = 'stopped';
    this.ready = false;
    clearInterval(this.heartbeat);
    if (code === 4003) {
      this.phase = 'start';
      this.error = 'Too many unknown access codes were tried. Ask your invigilator for help, then reload this page.';
    } else if (this.phase !== 'submitted') {
      this.phase = 'stopped';
      this.stopCode = code;
    }
    this.emit();
  }

  // networkChanged is called on the browser's online and offline events.
  networkChanged(online) {
    if (!this.conn) return;
    if (online) this.conn.retryNow();
    else this.conn.drop();
  }

  received(m) {
    this.lastHeard = performance.now();
    if (m.remaining_ms !== undefined) this.remaining = { ms: m.remaining_ms, at: performance.now() };
    if (m.section_remaining_ms !== undefined) this.sectionRemaining = { ms: m.section_remaining_ms, at: performance.now() };
    else if (m.type === 'attempt') this.sectionRemaining = null;
    const handler = this['on_' + m.type];
    if (typeof handler === 'function') handler.call(this, m);
    this.emit();
  }

  on_welcome(m) {
    this.candidate = m.candidate;
    this.link = 'online';
    this.error = '';
    this.conn.joined();
    if (!this.outbox) this.outbox = new Outbox(OUTBOX_PREFIX + this.code.trim().toUpperCase(), { target });
    try {
      sessionStorage.setItem('accredit:code', this.code);
    } catch {
      // not remembered across reloads; the candidate types it again
    }
    this.startHeartbeat();
  }

  on_waiting() {
    this.phase = 'waiting';
  }

  // on_attempt takes the attempt as stored, and sends every change still in
  // the outbox again, in order, each with the seq it already has: one
  // stored before is acknowledged as a duplicate, one that was not is
  // stored now. A submitted attempt is shown to read only (submitted
  // follows) and nothing is sent.
  on_attempt(m) {
    const a = m.attempt;
    this.adopt(a);
    this.inflight.clear();
    this.release();
    this.outbox.seen(a.last_seq || 0);
    this.recompute();
    if (a.status === 'submitted') {
      this.phase = 'submitted';
      this.ready = false;
      this.paused = false;
      this.remaining = { ms: 0, at: performance.now() };
      return;
    }
    this.ready = true;
    if (!this.joinedOnce || this.sectionChange) {
      // A fresh page, or a section closed: the place is the server's, or
      // the last move still waiting in the outbox (made before a crash or
      // reload) if it is in the open section.
      // In a linear test the moves waiting replay in order, each one step
      // on from the last, so the last of them ahead of the server's place
      // is where the candidate will be.
      const moves = this.outbox.msgs.filter((x) => x.type === 'navigate');
      const last = moves.length > 0 ? moves[moves.length - 1].position : null;
      const here = a.position || 0;
      const ok = last !== null && (this.linear ? last > here : this.canGo(last));
      const pos = ok ? last : here;
      this.position = Math.min(pos, this.items.length);
    }
    this.joinedOnce = true;
    this.phase = 'test';
    this.paused = Boolean(a.paused);
    this.pump();
  }

  adopt(a) {
    const before = this.section;
    this.sections = a.sections || [];
    this.cases = a.cases || {};
    this.section = typeof a.section === 'number' ? a.section : null;
    this.linear = Boolean(a.linear);
    this.sectionChange = null;
    if (before !== null && this.section !== null && this.section > before) {
      const closed = this.sections[this.section - 1] || {};
      this.sectionChange = { from: this.section - 1, reason: closed.closed_by || '' };
    }
    this.items = [];
    this.sections.forEach((s, si) => {
      for (const it of s.items || []) {
        this.items.push({ ...it, section: s.title, sectionIndex: si, index: this.items.length });
      }
      // A later section's questions are not sent: places in the map.
      if (s.state === 'later') {
        for (let k = 0; k < (s.count || 0); k++) {
          this.items.push({ id: '', locked: true, stem: '', options: [], section: s.title, sectionIndex: si, index: this.items.length });
        }
      }
    });
    this.saved = {};
    for (const [id, opts] of Object.entries(a.answers || {})) {
      if (Array.isArray(opts) && opts.length > 0) this.saved[id] = opts.slice();
    }
    this.savedFlags = new Set(a.flags || []);
  }

  // on_ack takes the stored change out of the outbox, duplicate or not,
  // and into the stored state unless a later change of the same target was
  // stored before it.
  on_ack(m) {
    this.inflight.delete(m.seq);
    const got = this.outbox.ack(m.seq);
    if (!got) return;
    const { msg, latest } = got;
    this.storeFailures = 0;
    if (this.notice && this.noticeSeq === m.seq) this.notice = '';
    if (msg.type === 'submit') this.submitAcked = true;
    if (!latest) return;
    if (msg.type === 'answer') {
      if (msg.options.length > 0) this.saved[msg.item] = msg.options.slice();
      else delete this.saved[msg.item];
    } else if (msg.type === 'flag') {
      if (msg.flagged) this.savedFlags.add(msg.item);
      else this.savedFlags.delete(msg.item);
    }
    this.recompute();
  }

  // hold keeps the change of seq and sends it again, with the same seq,
  // after ms.
  hold(seq, ms) {
    this.inflight.delete(seq);
    clearTimeout(this.held.get(seq));
    this.held.set(seq, setTimeout(() => {
      this.held.delete(seq);
      this.pump();
    }, ms));
  }

  // release forgets the pauses: after a reconnect every change is sent again.
  release() {
    for (const t of this.held.values()) clearTimeout(t);
    this.held.clear();
  }

  on_time(m) {
    if (m.warning) this.warning = { kind: m.warning, note: m.note || '', at: performance.now() };
  }

  // on_paused stops the clock and the sending; the next attempt message
  // (on resume) starts both again.
  on_paused(m) {
    this.paused = true;
    this.pauseNote = m.note || '';
  }

  // on_announcement keeps the invigilator's latest announcement to show.
  on_announcement(m) {
    this.announcement = { text: m.message, at: m.at };
  }

  on_submitted(m) {
    this.phase = 'submitted';
    this.submitted = { reason: m.reason, at: m.at };
    this.remaining = { ms: 0, at: performance.now() };
    this.ready = false;
    this.release();
    if (this.outbox) this.outbox.clear();
    this.recompute();
    try {
      sessionStorage.removeItem('accredit:code');
    } catch {
      // nothing to forget
    }
    clearInterval(this.heartbeat);
    this.conn.stop();
    this.link = 'stopped';
  }

  on_error(m) {
    if (m.code === 201 || m.code === CODE_NOT_CHECKED_IN || m.code === CODE_LATE || m.code === CODE_REJOIN) {
      // Refused to join: the connection stays open for the next code.
      this.phase = 'start';
      this.link = 'open';
      this.error = m.code === 201 ? 'That access code was not recognised. Check it and type it again.' : m.message;
      if (m.code === CODE_REJOIN) this.retryRejoin();
      return;
    }
    if (m.code === 104) {
      this.phase = 'stopped';
      this.stopCode = 4004;
      return;
    }
    if (!m.seq || !this.outbox || !this.outbox.find(m.seq)) return; // nothing of ours to undo
    this.inflight.delete(m.seq);
    switch (m.code) {
      case CODE_PAUSED:
        // Kept, and sent again with the next attempt message (on resume).
        this.paused = true;
        return;
      case CODE_RATE:
        this.hold(m.seq, RATE_PAUSE_MS);
        return;
      case CODE_STORE: {
        this.storeFailures++;
        this.notice = 'The server could not save your last change. It is being sent again.';
        this.noticeSeq = m.seq;
        this.hold(m.seq, Math.min(STORE_PAUSE_MAX_MS, STORE_PAUSE_MS * 2 ** (this.storeFailures - 1)));
        return;
      }
      case CODE_BAD_SEQ: {
        // Sent again with its old seq, and never stored: later changes were.
        const wasNotice = this.noticeSeq === m.seq;
        if (this.outbox.stale(m.seq) === 'renumbered') {
          if (wasNotice) this.noticeSeq = this.outbox.msgs[this.outbox.msgs.length - 1].seq;
          this.pump();
        } else if (wasNotice) {
          this.notice = '';
        }
        this.recompute();
        return;
      }
    }
    // Refused for good: nothing was stored.
    const msg = this.outbox.remove(m.seq);
    if (msg.type === 'submit') this.submitAcked = false;
    if (m.code === 302 || m.code === 303) {
      this.notice = 'Time is up: your last change arrived too late and was not saved.';
      this.noticeSeq = 0;
    } else if (m.code === CODE_SECTION_CLOSED && (msg.type === 'answer' || msg.type === 'flag')) {
      const it = this.items.find((x) => x.id === msg.item);
      this.notice = it ? 'Section ' + (it.sectionIndex + 1) + ' is closed: your last change to question ' + (it.index + 1)
        + ' arrived too late and was not saved.' : 'That section is closed: your last change arrived too late and was not saved.';
      this.noticeSeq = 0;
    } else if (this.noticeSeq === m.seq) {
      this.notice = '';
    }
    this.recompute();
  }

  on_closing(m) {
    if (m.code === CLOSE_TAKEN_OVER) this.stopCode = CLOSE_TAKEN_OVER;
  }

  on_pong() {}

  // recompute derives what the candidate sees: the stored state with the
  // unacknowledged changes applied in order.
  recompute() {
    const answers = { ...this.saved };
    const flags = new Set(this.savedFlags);
    for (const m of this.outbox ? this.outbox.msgs : []) {
      if (m.type === 'answer') {
        if (m.options.length > 0) answers[m.item] = m.options.slice();
        else delete answers[m.item];
      } else if (m.type === 'flag') {
        if (m.flagged) flags.add(m.item);
        else flags.delete(m.item);
      }
    }
    this.answers = answers;
    this.flags = flags;
  }

  // pump sends, in order, every outbox message not yet sent on this
  // connection and not waiting out a pause.
  pump() {
    if (!this.ready || this.paused || !this.conn || !this.conn.isOpen) return;
    for (const m of this.outbox.msgs) {
      if (this.inflight.has(m.seq) || this.held.has(m.seq)) continue;
      if (this.conn.send(m)) this.inflight.add(m.seq);
    }
  }

  change(msg) {
    if (this.phase !== 'test' || this.paused || this.submitAcked || this.outbox.has('submit') || this.finishing) return;
    this.outbox.add(msg);
    this.recompute();
    this.pump();
    this.emit();
  }

  choose(item, options) {
    this.change({ type: 'answer', item, options });
  }

  toggleFlag(item) {
    this.change({ type: 'flag', item, flagged: !this.flags.has(item) });
  }

  go(position) {
    if (!this.canGo(position) || position === this.position) return;
    this.position = position;
    this.change({ type: 'navigate', position });
  }

  submit() {
    this.change({ type: 'submit', confirm: true });
  }

  // canGo reports whether the candidate may move to position: anywhere in
  // the test, or, in a form delivered section by section, within the open
  // section (the review screen, position n, belongs to the last); in a
  // linear test only the current position and the next.
  canGo(position) {
    if (position < 0 || position > this.items.length) return false;
    if (this.linear && position !== this.position && position !== this.position + 1) return false;
    if (this.section === null) return true;
    if (position === this.items.length) return this.lastSection;
    return this.items[position].sectionIndex === this.section;
  }

  get lastSection() {
    return this.section === null || this.section >= this.sections.length - 1;
  }

  // sectionItems are the open section's questions.
  get sectionItems() {
    return this.items.filter((it) => it.sectionIndex === this.section);
  }

  // finishSection closes the open section; the server then sends the next.
  finishSection() {
    if (this.section === null || this.lastSection) return;
    this.change({ type: 'finish_section', section: this.section, confirm: true });
  }

  get finishing() {
    return this.outbox !== null && this.outbox.msgs.some((m) => m.type === 'finish_section');
  }

  // sectionRemainingNow counts the open section's time down locally, or is
  // null if it is untimed.
  sectionRemainingNow() {
    if (!this.sectionRemaining || this.section === null) return null;
    if (this.phase !== 'test' || this.paused) return this.sectionRemaining.ms;
    return Math.max(0, this.sectionRemaining.ms - (performance.now() - this.sectionRemaining.at));
  }

  get submitting() {
    return this.phase === 'test' && (this.submitAcked || (this.outbox !== null && this.outbox.has('submit')));
  }

  // pending reports whether the item's answer is waiting to be stored.
  pending(item) {
    return this.outbox !== null && this.outbox.msgs.some((m) => m.type === 'answer' && m.item === item);
  }

  get waitingCount() {
    return this.outbox ? this.outbox.msgs.length : 0;
  }

  // remainingNow counts down locally from the server's latest remaining time.
  remainingNow() {
    if (!this.remaining) return null;
    if (this.phase !== 'test' || this.paused) return this.remaining.ms;
    return Math.max(0, this.remaining.ms - (performance.now() - this.remaining.at));
  }

  // startHeartbeat asks for the time now and then; a connection that stays
  // silent after a ping is taken for dead and replaced.
  startHeartbeat() {
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => {
      if (!this.conn || !this.conn.isOpen) return;
      const sent = performance.now();
      this.conn.send({ type: 'ping' });
      setTimeout(() => {
        if (this.lastHeard < sent) this.conn.drop();
      }, HEARTBEAT_WAIT_MS);
    }, HEARTBEAT_MS);
  }
}

