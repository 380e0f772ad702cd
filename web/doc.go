// Package web assembles Accredit's HTTP surface: the candidate
// WebSocket, the embedded pages, staff sign-in with role checks, the
// invigilator's API, health and metrics.
//
// Every staff endpoint checks the caller's role, and for invigilators their
// assignment to the sitting, on the server. Answers and keys never leave it.
// Staff sessions are kept in the shared store, so every node knows them and
// a restart signs nobody out.
package web
