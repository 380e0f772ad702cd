// The DOM helpers of every page.

// $ is the element with id.
export const $ = (id) => document.getElementById(id);

// el makes a tag element. props are its attributes, except 'class' (the
// class name), 'text' (its text) and any property of the element given a
// value that is not a string (hidden, checked, an event handler). children,
// nodes or text, are appended; null and undefined ones are skipped.
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k in e && typeof v !== 'string') e[k] = v;
    else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}
