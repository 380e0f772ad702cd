// Outbox keeps every change a person made that the server has not yet
// acknowledged, in the order made, in localStorage under a key of the page's
// choosing (the candidate's access code, the assessor's id), so a dropped
// connection, a closed tab or a flat battery loses nothing that was on
// screen.
//
// Changes are numbered per stream: the page's stream function names the
// stream of a change (a marking sheet; the candidate's attempt is the one
// stream ''). Each change gets its stream's next sequence number
// (docs/protocol.md and docs/marking-protocol.md, "Sequence numbers") and
// the server stores it exactly once, however often it is sent.

export class Outbox {
  constructor(key, stream = () => '', storage = globalThis.localStorage) {
    this.key = key;
    this.stream = stream;
    this.storage = storage;
    this.seqs = {}; // stream -> highest sequence number given out
    this.msgs = []; // unacknowledged changes, in the order made
    this.storageFailed = false;
    try {
      const v = JSON.parse(this.storage.getItem(key));
      if (v && Array.isArray(v.msgs)) {
        // An outbox stored before streams has one number, seq.
        this.seqs = v.seqs && typeof v.seqs === 'object' ? v.seqs : { '': Number(v.seq) || 0 };
        this.msgs = v.msgs.filter((m) => m && Number.isInteger(m.seq) && m.seq > 0);
      }
    } catch {
      this.msgs = [];
    }
  }

  save() {
    try {
      this.storage.setItem(this.key, JSON.stringify({ seqs: this.seqs, msgs: this.msgs }));
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

  // remove takes out the change of stream id with seq (acknowledged or
  // refused) and returns it, or null if it is not here.
  remove(seq, id = '') {
    const i = this.msgs.findIndex((m) => m.seq === seq && this.stream(m) === id);
    if (i < 0) return null;
    const [m] = this.msgs.splice(i, 1);
    this.save();
    return m;
  }

  // resume applies the server's last stored sequence number of stream id
  // after (re)joining: changes numbered up to it are stored already; the
  // rest are numbered again from lastSeq+1 in their order, so the server
  // stores each exactly once, and new ones follow them.
  resume(lastSeq, id = '') {
    this.msgs = this.msgs.filter((m) => this.stream(m) !== id || m.seq > lastSeq);
    let s = lastSeq;
    for (const m of this.pending(id)) m.seq = ++s;
    this.seqs[id] = s;
    this.save();
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
    try {
      this.storage.removeItem(this.key);
    } catch {
      // nothing to do
    }
  }
}
