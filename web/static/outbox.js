// Outbox keeps every change a person made that the server has not yet
// acknowledged, in the order made, in localStorage under a key of the page's
// choosing (the candidate's access code, the assessor's id), so a dropped
// connection, a closed tab or a flat battery loses nothing that was on
// screen.
//
// Changes are numbered per stream: the page's stream function names the
// stream of a change (a marking sheet; the candidate's attempt is the one
// stream ''). The outbox follows the re-sending algorithm of
// docs/protocol.md ("Re-sending: the one algorithm"), which
// docs/marking-protocol.md shares per sheet:
//
//  1. add gives a new change its stream's next seq, one more than the
//     highest used or seen (seen: the server's last stored seq), and keeps
//     it before it is sent;
//  2. ack takes an acknowledged change out, duplicate or not, and records
//     its seq as the latest acknowledged of its target;
//  3. a change keeps its seq however often it is sent again (after a
//     reconnect, after error 103 or 501);
//  4. stale handles a 306 for a change sent again with its old seq (never
//     stored, because later changes were): dropped when a later change of
//     the same target was acknowledged or is still waiting (superseded),
//     otherwise numbered again after the highest seq;
//  5. remove drops a change refused for good.
//
// The page's target function names what a change sets (an item's answer,
// an item's flag, the position, the submission; a sheet's criterion mark,
// note, judgement or submission), so that an older change never overwrites
// a newer one of the same target.

export class Outbox {
  // options: stream(msg) -> stream id, target(msg) -> target within the
  // stream, storage (localStorage by default).
  constructor(key, { stream = () => '', target = (m) => m.type, storage = globalThis.localStorage } = {}) {
    this.key = key;
    this.stream = stream;
    this.target = target;
    this.storage = storage;
    this.seqs = {}; // stream -> highest sequence number used or seen
    this.acked = {}; // stream -> target -> highest acknowledged seq
    this.msgs = []; // unacknowledged changes, in seq order within a stream
    this.storageFailed = false;
    try {
      const v = JSON.parse(this.storage.getItem(key));
      if (v && Array.isArray(v.msgs)) {
        // An outbox stored before streams has one number, seq.
        this.seqs = v.seqs && typeof v.seqs === 'object' ? v.seqs : { '': Number(v.seq) || 0 };
        this.acked = v.acked && typeof v.acked === 'object' ? v.acked : {};
        this.msgs = v.msgs.filter((m) => m && Number.isInteger(m.seq) && m.seq > 0);
      }
    } catch {
      this.msgs = [];
    }
  }

  save() {
    try {
      this.storage.setItem(this.key, JSON.stringify({ seqs: this.seqs, acked: this.acked, msgs: this.msgs }));
      this.storageFailed = false;
    } catch {
      this.storageFailed = true;
    }
  }

  // add numbers msg with its stream's next sequence number and stores it.
  add(msg) {
    const id = this.stream(msg);
    msg.seq = (this.seqs[id] || 0) + 1;
    this.seqs[id] = msg.seq;
    this.msgs.push(msg);
    this.save();
    return msg;
  }

  // seen notes the server's highest stored seq of stream id (from
  // attempt.last_seq, or a sheet's last_seq): new changes are numbered
  // after it. Nothing waiting is dropped or renumbered: every change is sent
  // again with its own seq, and one already stored is acknowledged as a
  // duplicate.
  seen(lastSeq, id = '') {
    const n = Number(lastSeq) || 0;
    if (n > (this.seqs[id] || 0)) {
      this.seqs[id] = n;
      this.save();
    }
  }

  find(seq, id = '') {
    return this.msgs.find((m) => m.seq === seq && this.stream(m) === id) || null;
  }

  // ack takes out the change of stream id with seq, which the server has
  // stored. It returns {msg, latest} (latest: no later change of the same
  // target was acknowledged before, so the stored state now holds msg), or
  // null if the change is not here.
  ack(seq, id = '') {
    const i = this.msgs.findIndex((m) => m.seq === seq && this.stream(m) === id);
    if (i < 0) return null;
    const [msg] = this.msgs.splice(i, 1);
    const t = this.target(msg);
    const byTarget = this.acked[id] || (this.acked[id] = {});
    const latest = !(byTarget[t] > seq);
    if (latest) byTarget[t] = seq;
    this.save();
    return { msg, latest };
  }

  // stale handles error 306 for the change of stream id with seq: a change
  // re-sent with its old seq that was never stored. It returns 'superseded'
  // (dropped: a later change of the same target was acknowledged, or is
  // waiting to be sent), 'renumbered' (moved to the end with the stream's
  // next seq, to be sent again) or '' if the change is not here.
  stale(seq, id = '') {
    const i = this.msgs.findIndex((m) => m.seq === seq && this.stream(m) === id);
    if (i < 0) return '';
    const msg = this.msgs[i];
    const t = this.target(msg);
    const acked = (this.acked[id] || {})[t] || 0;
    const later = this.msgs.some((m) => m !== msg && m.seq > seq && this.stream(m) === id && this.target(m) === t);
    this.msgs.splice(i, 1);
    if (acked > seq || later) {
      this.save();
      return 'superseded';
    }
    msg.seq = (this.seqs[id] || 0) + 1;
    this.seqs[id] = msg.seq;
    this.msgs.push(msg);
    this.save();
    return 'renumbered';
  }

  // remove drops the change of stream id with seq, refused for good, and
  // returns it, or null if it is not here.
  remove(seq, id = '') {
    const i = this.msgs.findIndex((m) => m.seq === seq && this.stream(m) === id);
    if (i < 0) return null;
    const [m] = this.msgs.splice(i, 1);
    this.save();
    return m;
  }

  // pending lists the unacknowledged changes of stream id, in order.
  pending(id = '') {
    return this.msgs.filter((m) => this.stream(m) === id);
  }

  has(type) {
    return this.msgs.some((m) => m.type === type);
  }

  // clear forgets the outbox (the candidate's attempt is submitted).
  clear() {
    this.msgs = [];
    this.acked = {};
    try {
      this.storage.removeItem(this.key);
    } catch {
      // nothing to do
    }
  }
}
