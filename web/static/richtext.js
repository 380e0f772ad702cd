// Rich text on the candidate page: content's XHTML subset (docs/content.md,
// "Rich text") of paragraphs, emphasis, lists, tables, images and MathML.
// The server has checked it; the page still builds every element itself
// from the same list, never by innerHTML, so nothing outside the subset
// (a script, an event attribute, a link, a style) can reach the page. An
// image is fetched with the candidate's access code and shown from a blob
// URL: the candidate's own form's images only, while the test runs.
//
// An element's class names are kept, each given the prefix rc- so that
// they never meet the page's own classes. The stylesheets of an item or a
// case come from the same route, sanitised and scoped by the server to
// .rich[data-styles~="PATH"] (docs/content.md, "Stylesheets"): showRich
// sets data-styles on the boxes of the item or case that names them only,
// and each sheet is adopted once, after the page's own sheets.
// candidate.css keeps high contrast's colours over them.

import { apiBlob, apiText } from './api.js';

const XHTML = 'http://www.w3.org/1999/xhtml';
const MATHML = 'http://www.w3.org/1998/Math/MathML';

// The prefix of rich text's class names on the page, and the form of a
// name kept (content.CheckClass).
const CLASS_PREFIX = 'rc-';
const CLASS_NAME = /^[A-Za-z_-][A-Za-z0-9_-]*$/;

// The subset: each element with the attributes it may carry.
const HTML = {
  p: [], br: [], div: [], span: [], em: [], strong: [], b: [], i: [], u: [], sub: [], sup: [],
  small: [], code: [], pre: [], blockquote: [], h2: [], h3: [], h4: [], h5: [], h6: [], hr: [],
  ul: [], ol: ['start', 'type'], li: [], dl: [], dt: [], dd: [],
  table: [], caption: [], thead: [], tbody: [], tfoot: [], tr: [],
  th: ['colspan', 'rowspan', 'scope'], td: ['colspan', 'rowspan'], col: ['span'], colgroup: ['span'],
  figure: [], figcaption: [], img: ['alt', 'width', 'height'],
};
const MATH = {
  math: ['display'], mrow: [], mi: ['mathvariant'], mn: [], mo: ['form', 'stretchy', 'fence', 'separator', 'lspace', 'rspace'],
  ms: [], mtext: [], mspace: ['width', 'height', 'depth'], mfrac: ['linethickness'], msqrt: [], mroot: [],
  msup: [], msub: [], msubsup: [], munder: [], mover: [], munderover: [], mtable: [], mtr: [],
  mtd: ['columnspan', 'rowspan'], mstyle: ['mathvariant', 'displaystyle', 'scriptlevel'], mpadded: [],
  mphantom: [], merror: [], semantics: [], mmultiscripts: [], mprescripts: [], none: [],
};

// showRich fills box with a rich-text fragment, or with text when there is
// none or it cannot be read. images loads an image's path into an img and
// stylesheets; styles are the paths of the stylesheets of the item or the
// case the box belongs to.
export function showRich(box, html, text, images, styles = []) {
  box.replaceChildren();
  if (styles.length > 0) {
    box.dataset.styles = styles.join(' ');
    images.styles(styles);
  } else {
    delete box.dataset.styles;
  }
  if (!html) {
    box.textContent = text;
    return;
  }
  const doc = new DOMParser().parseFromString(`<rich xmlns="${XHTML}">${html}</rich>`, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) {
    box.textContent = text;
    return;
  }
  box.classList.add('rich');
  for (const n of doc.documentElement.childNodes) {
    const k = build(n, images, false);
    if (k) box.append(k);
  }
}

function build(n, images, inMath) {
  if (n.nodeType === Node.TEXT_NODE || n.nodeType === Node.CDATA_SECTION_NODE) return document.createTextNode(n.data);
  if (n.nodeType !== Node.ELEMENT_NODE) return null;
  const name = n.localName;
  const math = inMath || (name === 'math' && n.namespaceURI === MATHML);
  const allowed = math ? MATH[name] : HTML[name];
  if (!Object.hasOwn(math ? MATH : HTML, name) || n.namespaceURI !== (math ? MATHML : XHTML)) return null;
  const e = math ? document.createElementNS(MATHML, name) : document.createElement(name);
  for (const a of allowed) {
    const v = n.getAttribute(a);
    if (v !== null) e.setAttribute(a, v);
  }
  const cls = math ? null : n.getAttribute('class');
  if (cls !== null) {
    const names = cls.split(/[ \t\r\n]+/).filter((c) => c && c.length <= 64 && CLASS_NAME.test(c)).slice(0, 8);
    if (names.length > 0) e.setAttribute('class', names.map((c) => CLASS_PREFIX + c).join(' '));
  }
  if (name === 'img') {
    const src = n.getAttribute('src');
    if (src) images.load(src, e);
    return e;
  }
  for (const c of n.childNodes) {
    const k = build(c, images, math);
    if (k) e.append(k);
  }
  return e;
}

// assetLoader loads the images of the candidate's form, each once per
// access code, and the stylesheets of its items and cases, each once (a
// sheet adopted stays: it styles only boxes that name it); code() answers
// the code the candidate signed in with.
export function assetLoader(code) {
  const urls = new Map(); // code + path -> Promise of an object URL
  const sheets = new Map(); // path -> Promise of the adopted sheet
  return {
    styles(paths) {
      for (const path of paths) {
        if (sheets.has(path)) continue;
        const p = apiText(assetURL(path), { 'X-Access-Code': code() }, 'text/css').then((css) => {
          const sheet = new CSSStyleSheet();
          sheet.replaceSync(css);
          document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
          return sheet;
        });
        p.catch(() => sheets.delete(path)); // a later showing tries again
        sheets.set(path, p);
      }
    },
    load(path, img) {
      const key = code() + '\n' + path;
      if (!urls.has(key)) {
        const p = apiBlob(assetURL(path), { 'X-Access-Code': code() });
        p.catch(() => urls.delete(key)); // a later showing tries again
        urls.set(key, p);
      }
      img.dataset.asset = path;
      urls.get(key).then((u) => { img.src = u; }, () => { img.dataset.failed = 'true'; });
    },
  };
}

function assetURL(path) {
  return '/api/candidate/assets/' + path.split('/').map(encodeURIComponent).join('/');
}
