// Package browsertest drives every page in a real headless Chromium
// (through chromedp) against an in-process server on a fake clock, as the
// people who use them would: the candidate and invigilator through a whole
// sitting, a reconnect in the middle, the deadline and keyboard-only use;
// assessors marking on tablets, offline and double-marked, and the lead
// deciding; the psychometrician's analyses and the standard-setting page.
//
// The browser is ACCREDIT_CHROMIUM, or chromium on PATH. Without one the
// tests skip, unless ACCREDIT_REQUIRE_BROWSER=1 makes them fail. Screenshots
// go to each test's temporary directory and, when ACCREDIT_SCREENSHOTS names
// a directory, there too.
package browsertest
