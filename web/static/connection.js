// Connection is a page's WebSocket to the server, for candidates
// (docs/protocol.md) and assessors (docs/marking-protocol.md) alike: it
// reconnects by itself with exponential backoff, and paces outgoing frames
// well under the servers' limit (20 frames per second, bursts of 60), so no
// frame is ever dropped for rate. The marking pages import it from here.

// Close codes after which the page must not reconnect by itself.
export const CLOSE_TAKEN_OVER = 4001;
const FINAL = new Set([CLOSE_TAKEN_OVER, 4003, 4004, 1009]);

const RATE = 8; // frames per second
const BURST = 30;
const BACKOFF_MIN = 500; // ms
const BACKOFF_MAX = 8000;
const SLOW_CLOSE = 4008; // too many messages: wait longer

export class Connection {
  // handlers: open(), message(msg), lost(code, retryInMs), ended(code)
  constructor(url, handlers) {
    this.url = url;
    this.h = handlers;
    this.ws = null;
    this.stopped = false;
    this.failures = 0;
    this.timer = 0;
    this.queue = [];
    this.tokens = BURST;
    this.last = performance.now();
    this.pumpTimer = 0;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  get isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  open() {
    clearTimeout(this.timer);
    this.timer = 0;
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.retry(1006);
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws === ws) this.h.open();
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        return;
      }
      this.h.message(msg);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.queue = [];
      if (this.stopped) return;
      if (FINAL.has(ev.code)) {
        this.stopped = true;
        this.h.ended(ev.code);
        return;
      }
      this.retry(ev.code);
    };
  }

  retry(code) {
    const base = Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** this.failures);
    const delay = Math.round((code === SLOW_CLOSE ? BACKOFF_MAX : base) * (0.8 + 0.4 * Math.random()));
    this.failures++;
    this.timer = setTimeout(() => this.open(), delay);
    this.h.lost(code, delay);
  }

  // joined resets the backoff once the server has accepted the person.
  joined() {
    this.failures = 0;
  }

  // retryNow reconnects at once if a retry is pending (the network is back).
  retryNow() {
    if (this.stopped || this.ws !== null || !this.timer) return;
    this.open();
  }

  // drop abandons a connection believed dead (offline, or silent too
  // long) at once, without waiting for a closing handshake that may never
  // complete, and reconnects as after any loss.
  drop() {
    if (!this.ws) return;
    const ws = this.ws;
    this.ws = null;
    this.queue = [];
    ws.close();
    if (!this.stopped) this.retry(1006);
  }

  // stop closes the connection for good.
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.pumpTimer);
    this.queue = [];
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close(1000);
    }
  }

  // send queues one frame for this connection; frames queued when it drops
  // are discarded (the outbox sends them again after rejoining).
  send(msg) {
    if (!this.isOpen) return false;
    this.queue.push(JSON.stringify(msg));
    this.pump();
    return true;
  }

  pump() {
    const now = performance.now();
    this.tokens = Math.min(BURST, this.tokens + ((now - this.last) / 1000) * RATE);
    this.last = now;
    while (this.queue.length > 0 && this.tokens >= 1 && this.isOpen) {
      this.ws.send(this.queue.shift());
      this.tokens--;
    }
    if (this.queue.length > 0 && !this.pumpTimer) {
      this.pumpTimer = setTimeout(() => {
        this.pumpTimer = 0;
        this.pump();
      }, 1000 / RATE);
    }
  }
}
