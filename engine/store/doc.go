// Package store is the bottom of Accredit: the interface of its durable
// state, the errors every backend returns, and the group commit the
// backends share.
//
// Everything Accredit keeps (attempts, sittings, marking sheets, staff
// sessions, standard-setting decisions) is an append-only stream of
// records in a Store. A record is acknowledged only once Append has
// returned, and Append returns only once the records are durable.
// Appends may be conditional on the stream's length, which is how several
// nodes share one store without locks of their own.
//
// The backends are subpackages: bolt (embedded, the default) and redis
// (shared by several nodes: standalone, Sentinel or Cluster). storetest is
// the conformance suite both pass. Nothing in this tree imports any other
// package of the module.
package store
