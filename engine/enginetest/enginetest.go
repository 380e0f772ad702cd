// Package enginetest holds what the tests of the packages above the
// delivery engine share when they sit a test on it: a candidate's
// connection that hears nothing, a wrong answer to an item, and an
// attempt answered and submitted.
package enginetest

import (
	"context"
	"fmt"
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

// Sit answers items in order on the attempt id that peer joined on eng:
// each with its key when right(item) says so, else with a wrong option
// (WrongOption of lib's item). It then submits, and returns an error
// unless the attempt is submitted.
func Sit(ctx context.Context, eng *engine.Engine, lib *content.Library, id string, peer engine.Peer, items []string, right func(item string) bool) error {
	seq := uint64(1)
	for _, item := range items {
		it := lib.Items[item]
		opts := it.Key
		if !right(item) {
			opts = []string{WrongOption(it)}
		}
		eng.Handle(ctx, id, peer, engine.ClientMsg{Type: "answer", Seq: seq, Item: item, Options: opts})
		seq++
	}
	eng.Handle(ctx, id, peer, engine.ClientMsg{Type: "submit", Seq: seq, Confirm: true})
	a, _, err := eng.Attempt(ctx, id)
	if err == nil && a.Status != engine.StatusSubmitted {
		err = fmt.Errorf("attempt %s is %s", id, a.Status)
	}
	return err
}
