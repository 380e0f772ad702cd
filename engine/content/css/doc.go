// Package css turns a stylesheet that came with a content package into a
// safe one that styles one item's rich text and nothing else.
//
// Sanitize reads the sheet with a CSS Syntax Level 3 tokenizer
// (github.com/tdewolff/parse/v2/css) and keeps only style rules whose
// selectors are simple (type, class and a few structural pseudo-classes,
// joined by descendant, child and sibling combinators) and declarations of
// an allow-list of text and box properties whose values are keywords,
// bounded lengths and colours. Everything else is dropped with a warning
// naming it and its line: url() and every other function that loads,
// @import and every other at-rule (including @media), position, z-index,
// content, behavior, -moz-binding, expression(), strings, escapes and
// !important (the declaration is kept without it). A sheet that cannot be
// read (over the size bound, not UTF-8, an unclosed block or string) is
// refused with an error.
//
// The result is a Sheet: String writes it back as plain CSS (the form
// content stores, and Sanitize of that text gives the same text with no
// warning), and Scoped writes it with every selector placed under a scope
// selector and every class renamed with a prefix, so that it can only
// reach elements inside the item's rich text that the page built from the
// item's own class names.
//
// Everything here is a pure function of its input and safe for
// concurrent use.
package css
