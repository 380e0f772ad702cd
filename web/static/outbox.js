// Outbox keeps every change the candidate made that the server has not yet
// acknowledged, in order, in localStorage under the access code, so a
// dropped connection or a crashed browser loses nothing that was on screen.
//
// Each change gets the next sequence number (docs/protocol.md, "Sequence
// numbers") and is kept as made: the stored attempt records every change,
// offline or not, exactly once.

const PREFIX = 'accredit:outbox:';

export class Outbox {
  constructor(code, storage = globalThis.localStorage) {
    this.key = PREFIX + code.trim().toUpperCase();
    this.storage = storage;
    this.seq = 0; // the highest sequence number given out
    this.msgs = []; // unacknowledged messages, in sequence order
    this.storageFailed = false;
    this.load();
  }

  load() {
    try {
      const v = JSON.parse(this.storage.getItem(this.key));
      if (v && Array.isArray(v.msgs)) {
        this.seq = Number(v.seq) || 0;
        this.msgs = v.msgs.filter((m) => m && Number.isInteger(m.seq) && m.seq > 0);
      }
    } catch {
      this.msgs = [];
    }
  }

  save() {
    try {
      this.storage.setItem(this.key, JSON.stringify({ seq: this.seq, msgs: this.msgs }));
      this.storageFailed = false;
    } catch {
      this.storageFailed = true;
    }
  }

  // add gives msg the next sequence number and stores the outbox.
  add(msg) {
    msg.seq = ++this.seq;
    this.msgs.push(msg);
    this.save();
    return msg;
  }

  // remove takes the message with seq out (acknowledged or refused) and
  // returns it, or null if it is not here.
  remove(seq) {
    const i = this.msgs.findIndex((m) => m.seq === seq);
    if (i < 0) return null;
    const [m] = this.msgs.splice(i, 1);
    this.save();
    return m;
  }

  // resume applies the server's last_seq after (re)joining: messages with
  // seq <= lastSeq are already stored; the rest are renumbered from
  // lastSeq+1 in their order, so the server stores each exactly once.
  resume(lastSeq) {
    this.msgs = this.msgs.filter((m) => m.seq > lastSeq);
    let s = lastSeq;
    for (const m of this.msgs) m.seq = ++s;
    this.seq = s;
    this.save();
  }

  has(type) {
    return this.msgs.some((m) => m.type === type);
  }

  // clear forgets the outbox once the attempt is submitted.
  clear() {
    this.msgs = [];
    try {
      this.storage.removeItem(this.key);
    } catch {
      // nothing to do
    }
  }
}
