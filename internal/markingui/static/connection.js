// Connection is the assessor's WebSocket to the server: it reconnects by
// itself with exponential backoff and paces outgoing frames well under the
// server's limit (docs/marking-protocol.md: 20 frames per second, bursts of
// 60), so no frame is dropped for rate.

export const CLOSE_TAKEN_OVER = 4001;
const FINAL = new Set([CLOSE_TAKEN_OVER, 4003, 4004, 1009]);

const RATE = 8; // frames per second
const BURST = 30;
const BACKOFF_MIN = 300; // ms
const BACKOFF_MAX = 8000;

export class Connection {
  // handlers: open(), message(msg), lost(code), ended(code)
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

  get isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  start() {
    this.stopped = false;
    this.open();
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
    this.failures++;
    this.timer = setTimeout(() => this.open(), Math.round(base * (0.8 + 0.4 * Math.random())));
    this.h.lost(code);
  }

  // joined resets the backoff once the server has accepted the assessor.
  joined() {
    this.failures = 0;
  }

  // retryNow reconnects at once if a retry is pending (the network is back).
  retryNow() {
    if (this.stopped || this.ws !== null) return;
    this.open();
  }

  // drop closes a connection believed dead; it reconnects as after any loss.
  drop() {
    if (!this.ws) return;
    const ws = this.ws;
    this.ws = null;
    this.queue = [];
    ws.close();
    this.retry(1006);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.pumpTimer);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close(1000);
    }
  }

  // send queues a frame on this connection; frames queued when it drops
  // are discarded (the outbox sends them again after the next welcome).
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
