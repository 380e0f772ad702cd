// Package chromium starts Debian's headless Chromium for browser tests
// through chromedp, with the flags this project's machines need.
package chromium

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// Path returns the browser to use: $ACCREDIT_CHROMIUM, else chromium on
// PATH, else "".
func Path() string {
	if p := os.Getenv("ACCREDIT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a fresh headless browser for t and returns a chromedp context
// for one tab, with a viewport of width x height. Without a browser the
// test is skipped, or fails when ACCREDIT_REQUIRE_BROWSER=1 (make test).
func New(t *testing.T, width, height int) context.Context {
	t.Helper()
	path := Path()
	if path == "" {
		if os.Getenv("ACCREDIT_REQUIRE_BROWSER") == "1" {
			t.Fatal("no chromium found; make test installs it")
		}
		t.Skip("no chromium found; run make test")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Keep timers and rendering running in tabs that are not in front.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.UserDataDir(filepath.Join(t.TempDir(), "profile")),
		chromedp.WindowSize(width, height),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// Screenshot saves a full-page PNG as name in t's temporary directory and,
// when $ACCREDIT_SCREENSHOTS names a directory, there too.
func Screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 gives PNG, less JPEG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	os.WriteFile(filepath.Join(t.TempDir(), name), png, 0o644)
	if dir := os.Getenv("ACCREDIT_SCREENSHOTS"); dir != "" {
		os.WriteFile(filepath.Join(dir, name), png, 0o644)
	}
}
