'use strict';
// The candidate's test page. It speaks the protocol of docs/protocol.md: the
// server keeps the clock and stores every change before acknowledging it;
// this page keeps every unacknowledged change in localStorage and sends it
// again after a reconnect, so nothing the candidate did is lost.
(function () {
  const $ = (id) => document.getElementById(id);
  const S = {
    code: '', ws: null, items: [], cases: {}, sections: [],
    saved: {}, answers: {}, flags: new Set(), position: 0,
    lastSeq: 0, seq: 0, queue: [], started: false,
    remainingMs: null, remainingAt: 0, paused: false,
    status: 'idle', stopped: false, retries: 0, retryTimer: null,
  };
  const key = () => 'accredit.pending.' + S.code;

  // ---------- persistence of unacknowledged changes ----------
  function persist() {
    try { localStorage.setItem(key(), JSON.stringify({ seq: S.seq, queue: S.queue })); } catch (e) { /* private mode: memory only */ }
  }
  function restore() {
    try {
      const v = JSON.parse(localStorage.getItem(key()) || 'null');
      if (v && Array.isArray(v.queue)) { S.queue = v.queue; S.seq = v.seq || 0; }
    } catch (e) { S.queue = []; }
  }

  // ---------- connection ----------
  function connect() {
    clearTimeout(S.retryTimer);
    const proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const ws = new WebSocket(proto + location.host + '/ws/candidate');
    S.ws = ws;
    ws.onopen = () => { S.retries = 0; ws.send(JSON.stringify({ type: 'hello', v: 1, code: S.code })); };
    ws.onmessage = (ev) => { let m; try { m = JSON.parse(ev.data); } catch (e) { return; } handle(m); };
    ws.onclose = (ev) => {
      if (S.ws !== ws) return;
      S.ws = null;
      if (ev.code === 4001) { S.stopped = true; show('closed'); updateConn(); return; }
      if (ev.code === 4003) { S.stopped = true; show('start'); $('start-error').textContent = 'That access code was not recognised. Check it with the invigilator.'; return; }
      updateConn();
      if (!S.stopped && S.status !== 'submitted') {
        const delay = Math.min(10000, 500 * 2 ** S.retries++);
        S.retryTimer = setTimeout(connect, delay);
      }
    };
    updateConn();
  }
  const open = () => S.ws && S.ws.readyState === WebSocket.OPEN;
  function send(m) { if (open()) S.ws.send(JSON.stringify(m)); }

  // ---------- messages from the server ----------
  function handle(m) {
    switch (m.type) {
      case 'welcome': {
        const c = m.candidate;
        $('who').textContent = '· ' + c.name;
        $('form-title').textContent = c.form_title;
        $('waiting-name').textContent = c.name;
        $('waiting-form').textContent = c.form_title;
        $('waiting-centre').textContent = c.centre;
        $('waiting-limit').textContent = duration(c.time_limit_ms);
        $('start-error').textContent = '';
        break;
      }
      case 'waiting':
        S.status = 'waiting'; setRemaining(m.remaining_ms, true); show('waiting'); break;
      case 'attempt': onAttempt(m); break;
      case 'ack': onAck(m); break;
      case 'error': onError(m); break;
      case 'time':
        setRemaining(m.remaining_ms);
        if (m.warning === 'extra_time') warn('The invigilator has given you extra time.');
        else if (m.warning) warn(duration(m.remaining_ms) + ' left.');
        break;
      case 'paused':
        S.paused = true; setRemaining(m.remaining_ms);
        warn('The invigilator has paused your test. The clock has stopped; please wait.');
        render(); break;
      case 'pong': setRemaining(m.remaining_ms); break;
      case 'submitted': onSubmitted(m); break;
      case 'closing': if (m.code === 4001) S.stopped = true; break;
    }
  }

  function onAttempt(m) {
    const a = m.attempt;
    S.sections = a.sections; S.cases = a.cases || {};
    S.items = a.sections.flatMap((s) => s.items.map((it) => Object.assign({ section: s.title }, it)));
    S.saved = Object.assign({}, a.answers);
    S.answers = Object.assign({}, a.answers);
    S.flags = new Set(a.flags);
    S.lastSeq = a.last_seq;
    S.paused = !!a.paused;
    if (!S.started) { S.position = a.position; S.started = true; }
    // Changes the server already holds are done; the rest go again, renumbered.
    S.queue = S.queue.filter((q) => q.seq > S.lastSeq);
    S.seq = S.lastSeq;
    for (const q of S.queue) { q.seq = ++S.seq; apply(q); }
    persist();
    S.status = 'test';
    setRemaining(m.remaining_ms);
    if (S.paused) warn('The invigilator has paused your test. The clock has stopped; please wait.');
    else clearWarn();
    for (const q of S.queue) send(q);
    show(S.position >= S.items.length ? 'review' : 'item');
    render();
  }

  function apply(q) {
    if (q.type === 'answer') S.answers[q.item] = q.options;
    if (q.type === 'flag') { if (q.flagged) S.flags.add(q.item); else S.flags.delete(q.item); }
  }

  function onAck(m) {
    const done = S.queue.filter((q) => q.seq <= m.seq);
    S.queue = S.queue.filter((q) => q.seq > m.seq);
    for (const q of done) if (q.type === 'answer') S.saved[q.item] = q.options;
    S.lastSeq = Math.max(S.lastSeq, m.seq);
    setRemaining(m.remaining_ms);
    persist(); render();
  }

  function onError(m) {
    if (m.code === 201) { $('start-error').textContent = 'That access code was not recognised. Check it with the invigilator.'; show('start'); return; }
    if (m.code === 501 || m.code === 309 || m.code === 103) {
      // Not stored, but may be later: keep it and send again soon (after resume when paused).
      if (m.code === 501) warn('The server could not save your last change yet. It will keep trying; carry on.');
      if (m.code !== 309) setTimeout(() => { if (open() && S.status === 'test') S.queue.forEach(send); }, 2000);
      return;
    }
    if (m.seq) {
      const q = S.queue.find((x) => x.seq === m.seq);
      S.queue = S.queue.filter((x) => x.seq !== m.seq);
      if (q && q.type === 'answer') S.answers[q.item] = S.saved[q.item];
      persist();
    }
    warn(m.message);
    render();
  }

  function onSubmitted(m) {
    S.status = 'submitted'; S.stopped = true; S.queue = []; persist();
    try { localStorage.removeItem(key()); } catch (e) { /* ignore */ }
    setRemaining(0);
    const why = { candidate: 'You submitted your test.', deadline: 'Time ran out, so your test was submitted with every answer you had saved.', voided: 'The invigilator has ended your test.' };
    $('done-text').textContent = (why[m.reason] || 'Your test was submitted.') + ' Your answers are saved.';
    show('done'); updateConn();
    if (S.ws) S.ws.close(1000);
  }

  // ---------- changes the candidate makes ----------
  function enqueue(q) {
    q.seq = ++S.seq;
    S.queue.push(q); apply(q); persist();
    if (S.status === 'test') send(q);
    render();
  }
  const canChange = () => S.status === 'test' && !S.paused;

  function choose(item, optionId, checked) {
    if (!canChange()) return;
    let opts = (S.answers[item.id] || []).slice();
    if (item.type === 'single') opts = [optionId];
    else if (checked) {
      if (opts.length >= item.select) { render(); warn('Choose at most ' + item.select + ' options. Untick one first.'); return; }
      opts.push(optionId);
    } else opts = opts.filter((o) => o !== optionId);
    enqueue({ type: 'answer', item: item.id, options: opts });
  }

  function go(pos) {
    if (S.status !== 'test') return;
    S.position = Math.max(0, Math.min(pos, S.items.length));
    enqueue({ type: 'navigate', position: S.position });
    show(S.position >= S.items.length ? 'review' : 'item');
    render();
    const focus = S.position >= S.items.length ? $('screen-review').querySelector('h1') : $('stem');
    focus.setAttribute('tabindex', '-1'); focus.focus();
  }

  // ---------- rendering ----------
  function show(name) {
    for (const s of ['start', 'waiting', 'item', 'review', 'done', 'closed']) $('screen-' + s).hidden = s !== name;
  }

  const waiting = (id) => S.queue.some((q) => q.type === 'answer' && q.item === id);
  const answered = (id) => (S.answers[id] || []).length > 0;

  function render() {
    updateConn();
    if (S.status !== 'test' || !S.items.length) return;
    const n = S.items.length;
    if (S.position < n) renderItem(S.items[S.position], S.position, n);
    renderMap(n); renderReview(n);
  }

  function renderItem(it, i, n) {
    $('item-count').textContent = `Question ${i + 1} of ${n} · ${it.section}`;
    const c = it.case && S.cases[it.case];
    $('case').hidden = !c;
    if (c) { $('case-title').textContent = c.title; $('case-text').textContent = c.text; }
    $('stem').textContent = it.stem;
    $('select-hint').textContent = it.type === 'multiple' ? `Choose ${it.select} options.` : 'Choose one option.';
    const box = $('options');
    if (box.dataset.item !== it.id) {
      box.replaceChildren(...it.options.map((o) => {
        const label = document.createElement('label');
        const input = document.createElement('input');
        input.type = it.type === 'single' ? 'radio' : 'checkbox';
        input.name = 'opt'; input.value = o.id;
        input.addEventListener('change', () => choose(it, o.id, input.checked));
        const span = document.createElement('span'); span.textContent = o.text;
        label.append(input, span);
        return label;
      }));
      box.dataset.item = it.id;
    }
    const chosen = new Set(S.answers[it.id] || []);
    for (const input of box.querySelectorAll('input')) { input.checked = chosen.has(input.value); input.disabled = !canChange(); }
    const flagged = S.flags.has(it.id);
    $('flag').setAttribute('aria-pressed', String(flagged));
    $('flag').textContent = flagged ? 'Flagged for review' : 'Flag for review';
    $('item-saved').textContent = !answered(it.id) ? 'Not answered yet.' : waiting(it.id) ? 'Answer waiting to be saved…' : 'Answer saved.';
    $('prev').disabled = i === 0;
    $('next').disabled = i === n - 1;
  }

  function renderMap(n) {
    const list = $('map');
    if (list.children.length !== n) {
      list.replaceChildren(...S.items.map((it, i) => {
        const li = document.createElement('li'); const b = document.createElement('button');
        b.type = 'button'; b.textContent = String(i + 1); b.addEventListener('click', () => go(i));
        li.append(b); return li;
      }));
    }
    S.items.forEach((it, i) => {
      const b = list.children[i].firstChild;
      b.className = [answered(it.id) ? 'answered' : '', S.flags.has(it.id) ? 'flagged' : '', i === S.position ? 'current' : ''].join(' ');
      b.setAttribute('aria-label', `Question ${i + 1}: ${answered(it.id) ? 'answered' : 'not answered'}${S.flags.has(it.id) ? ', flagged' : ''}`);
    });
  }

  function renderReview(n) {
    const un = S.items.filter((it) => !answered(it.id)).length;
    $('review-summary').textContent = `${n - un} of ${n} questions answered; ${un} not answered; ${S.flags.size} flagged for review.`;
    $('review-list').replaceChildren(...S.items.map((it, i) => {
      const li = document.createElement('li'); const b = document.createElement('button');
      b.type = 'button'; b.textContent = `Question ${i + 1}`; b.addEventListener('click', () => go(i));
      li.append(b);
      const tag = (cls, text) => { const s = document.createElement('span'); s.className = 'tag ' + cls; s.textContent = text; li.append(s); };
      if (!answered(it.id)) tag('tag-un', 'not answered');
      if (S.flags.has(it.id)) tag('tag-flag', 'flagged');
      if (waiting(it.id)) tag('tag-wait', 'waiting to be saved');
      return li;
    }));
  }

  function updateConn() {
    const el = $('conn');
    const pending = S.queue.filter((q) => q.type !== 'navigate').length;
    if (S.status === 'submitted') { el.className = 'conn conn-ok'; el.textContent = 'Submitted · all answers saved'; return; }
    if (!open()) {
      el.className = 'conn conn-off';
      el.textContent = S.status === 'test'
        ? `Connection lost: your answers are saved up to here${pending ? `; ${pending} change${pending > 1 ? 's' : ''} waiting, kept on this computer` : ''}. Reconnecting…`
        : 'Not connected';
      return;
    }
    el.className = pending ? 'conn conn-saving' : 'conn conn-ok';
    el.textContent = pending ? `Saving ${pending} change${pending > 1 ? 's' : ''}…` : 'Connected · all answers saved';
  }

  // ---------- the clock (the server's; this only counts down between messages) ----------
  function setRemaining(ms, frozen) {
    if (ms == null) return;
    S.remainingMs = ms; S.remainingAt = performance.now(); S.frozen = !!frozen;
    tick();
  }
  function tick() {
    if (S.remainingMs == null) return;
    const still = S.frozen || S.paused || S.status !== 'test';
    const left = Math.max(0, S.remainingMs - (still ? 0 : performance.now() - S.remainingAt));
    $('timer').textContent = clock(left);
    $('timer').parentElement.classList.toggle('low', S.status === 'test' && left <= 5 * 60000);
  }
  function clock(ms) {
    const s = Math.ceil(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const p = (x) => String(x).padStart(2, '0');
    return h ? `${h}:${p(m)}:${p(r)}` : `${p(m)}:${p(r)}`;
  }
  function duration(ms) {
    const min = Math.round(ms / 60000);
    return min >= 60 ? `${Math.floor(min / 60)} h ${min % 60} min` : `${min} minute${min === 1 ? '' : 's'}`;
  }
  function warn(text) { $('warning').textContent = text; $('warning').hidden = false; }
  function clearWarn() { $('warning').hidden = true; $('warning').textContent = ''; }

  // ---------- display preferences ----------
  function prefs() {
    let p = {};
    try { p = JSON.parse(localStorage.getItem('accredit.prefs') || '{}'); } catch (e) { /* defaults */ }
    const applyPref = (id, cls) => {
      document.body.classList.toggle(cls, !!p[cls]);
      $(id).setAttribute('aria-pressed', String(!!p[cls]));
      $(id).onclick = () => { p[cls] = !p[cls]; try { localStorage.setItem('accredit.prefs', JSON.stringify(p)); } catch (e) { /* ignore */ } applyPref(id, cls); };
    };
    applyPref('bigger', 'bigger'); applyPref('contrast', 'contrast');
  }

  document.addEventListener('DOMContentLoaded', () => {
    prefs();
    $('start-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      S.code = $('code').value.trim().toUpperCase();
      if (!S.code) return;
      S.stopped = false; restore(); connect();
    });
    $('flag').addEventListener('click', () => {
      if (!canChange()) return;
      const it = S.items[S.position];
      enqueue({ type: 'flag', item: it.id, flagged: !S.flags.has(it.id) });
    });
    $('prev').addEventListener('click', () => go(S.position - 1));
    $('next').addEventListener('click', () => go(S.position + 1));
    $('to-review').addEventListener('click', () => go(S.items.length));
    $('review-back').addEventListener('click', () => go(0));
    $('submit').addEventListener('click', () => {
      const un = S.items.filter((it) => !answered(it.id)).length;
      $('confirm-text').textContent = un ? `You have ${un} question${un > 1 ? 's' : ''} not answered.` : 'You have answered every question.';
      $('confirm').showModal();
    });
    $('confirm').addEventListener('close', () => {
      if ($('confirm').returnValue === 'submit' && canChange()) enqueue({ type: 'submit', confirm: true });
    });
    $('reopen').addEventListener('click', () => { S.stopped = false; S.started = false; connect(); });
    setInterval(tick, 250);
    setInterval(() => { if (open() && S.status === 'test') send({ type: 'ping' }); }, 15000);
    window.addEventListener('online', () => { if (!open() && !S.stopped) connect(); });
  });
})();
