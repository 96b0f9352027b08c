// Package e2e holds the browser tests: Chromium, driven with chromedp,
// against the real server started in-process on 127.0.0.1. They walk the
// site as a reader does (links, table of contents, search with and without
// JavaScript, themes, the copy and ISR widgets), at phone and desktop sizes,
// and check every page kind with axe-core and html-validate.
//
// The tests are behind the build tag e2e, so `make test` needs no browser:
//
//	make e2e   # go test -tags e2e ./e2e/
//
// They need Chromium (/usr/bin/chromium, or RENDERWISE_CHROMIUM) and the CI
// tooling from npm (`npm ci --prefix .ci`). Without them a test skips with
// the reason, except in CI (the CI variable is set), where it fails.
// Screenshots go to RENDERWISE_SCREENSHOTS, or a temporary folder the tests
// name in their log.
package e2e
