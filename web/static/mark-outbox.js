// Outbox keeps every change the assessor made that the server has not yet
// acknowledged, in order, in localStorage under the assessor's id, so a
// dropped connection, a closed tab or a flat battery loses nothing that was
// on screen.
//
// Sequence numbers are per sheet (docs/marking-protocol.md, "Sequence
// numbers"): each change gets the sheet's next number once, and keeps it
// through every re-send, so the server stores it exactly once.

const PREFIX = 'accredit:marking:';

export function sheetId(m) {
  return `${m.circuit}/${m.station}/${m.candidate}`;
}

export class Outbox {
  constructor(owner, storage = globalThis.localStorage) {
    this.owner = owner; // the assessor's id (never the sign-in code)
    this.key = PREFIX + owner;
    this.storage = storage;
    this.seqs = {}; // sheet id -> highest sequence number given out
    this.msgs = []; // unacknowledged changes, in the order made
    this.storageFailed = false;
    try {
      const v = JSON.parse(this.storage.getItem(this.key));
      if (v && Array.isArray(v.msgs) && v.seqs && typeof v.seqs === 'object') {
        this.seqs = v.seqs;
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

  // add numbers msg with its sheet's next sequence number and stores it.
  add(msg) {
    const id = sheetId(msg);
    msg.seq = (this.seqs[id] || 0) + 1;
    this.seqs[id] = msg.seq;
    this.msgs.push(msg);
    this.save();
    return msg;
  }

  // remove takes out the change of sheet id with seq (acknowledged or
  // refused) and returns it, or null.
  remove(id, seq) {
    const i = this.msgs.findIndex((m) => m.seq === seq && sheetId(m) === id);
    if (i < 0) return null;
    const [m] = this.msgs.splice(i, 1);
    this.save();
    return m;
  }

  // resume applies a sheet's last stored sequence number from the welcome:
  // changes numbered up to it are stored already; new ones follow it.
  resume(id, lastSeq) {
    this.msgs = this.msgs.filter((m) => sheetId(m) !== id || m.seq > lastSeq);
    this.seqs[id] = Math.max(this.seqs[id] || 0, lastSeq);
    this.save();
  }

  pending(id) {
    return this.msgs.filter((m) => sheetId(m) === id);
  }
}
