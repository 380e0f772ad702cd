// Package markingui embeds the role-play marking pages in the binary: the
// assessor's marking page for tablets (/mark) and the lead assessor's live
// view (/lead), plain JavaScript modules with no CDN and no build step.
// The pages talk to the server only through the assessor protocol
// (docs/marking-protocol.md) and the lead's JSON API of engine/marking.
//
//	markingui.Mount(srv.Handle, srv.RequireRole)
//
// The handlers are stateless and safe for concurrent use.
package markingui
