// Display options shared by every page: larger text and high contrast.
// Each is a class on <body>, remembered in localStorage on this computer.

import { $ } from './dom.js';

const KEY = 'accredit:prefs';

const OPTIONS = [
  { name: 'large', cls: 'bigger', button: 'bigger' },
  { name: 'contrast', cls: 'contrast', button: 'contrast' },
];

function load() {
  try {
    return JSON.parse(localStorage.getItem(KEY)) || {};
  } catch {
    return {};
  }
}

function store(prefs) {
  try {
    localStorage.setItem(KEY, JSON.stringify(prefs));
  } catch {
    // Storage refused (private mode, quota): the option still works for this page.
  }
}

const appliers = {};

// setupPrefs applies the remembered options and wires their toggle buttons.
export function setupPrefs(root = document.body) {
  const prefs = load();
  for (const opt of OPTIONS) {
    const button = $(opt.button);
    const apply = () => {
      const on = Boolean(prefs[opt.name]);
      root.classList.toggle(opt.cls, on);
      if (button) button.setAttribute('aria-pressed', String(on));
    };
    appliers[opt.name] = (on) => {
      prefs[opt.name] = on;
      store(prefs);
      apply();
    };
    apply();
    if (!button) continue;
    button.addEventListener('click', () => appliers[opt.name](!prefs[opt.name]));
  }
}

// preferOption turns option name on for a person whose approved
// adjustment asks for it, unless they have chosen on this computer.
export function preferOption(name) {
  if (load()[name] === undefined && appliers[name]) appliers[name](true);
}
