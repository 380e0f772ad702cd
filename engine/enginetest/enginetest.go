// Package enginetest holds what the tests of the packages above the
// delivery engine share when they sit a test on it: a candidate's
// connection that hears nothing, and a wrong answer to an item.
package enginetest

import (
	"slices"

	"github.com/accredit/accredit/engine"
	"github.com/accredit/accredit/engine/content"
)

// NopPeer is a candidate's connection that drops what it is sent.
type NopPeer struct{}

var _ engine.Peer = NopPeer{}

// Send drops m.
func (NopPeer) Send(engine.ServerMsg) {}

// Close does nothing.
func (NopPeer) Close(int, string) {}

// WrongOption returns an option of it not in its key, or its first
// option when every option is in the key.
func WrongOption(it *content.Item) string {
	for _, o := range it.Options {
		if !slices.Contains(it.Key, o.ID) {
			return o.ID
		}
	}
	return it.Options[0].ID
}
