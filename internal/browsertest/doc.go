// Package browsertest drives the candidate and invigilator pages in a real
// headless Chromium (through chromedp) against an in-process server on a
// fake clock: a whole sitting, a reconnect in the middle, the deadline, and
// keyboard-only use.
//
// The browser is ACCREDIT_CHROMIUM, or chromium on PATH. Without one the
// tests skip, unless ACCREDIT_REQUIRE_BROWSER=1 makes them fail. Screenshots
// go to each test's temporary directory and, when ACCREDIT_SCREENSHOTS names
// a directory, there too.
package browsertest
