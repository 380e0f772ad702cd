// Package webtest builds the fixtures the tests of web, its browser tests
// and cmd/accredit share: the test content, a bolt store in a temporary
// directory, and a Node, one engine with its marking service and web.Server
// behind an httptest server, wired as accredit serve wires them, with
// signed-in clients.
//
// Everything it opens is closed when the test ends. It is for tests only.
package webtest
