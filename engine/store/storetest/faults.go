package storetest

import (
	"context"
	"errors"

	"github.com/accredit/accredit/engine/store"
)

// ErrWriteFailed is what FailingAll's AppendAll gives: a disk that fails.
var ErrWriteFailed = errors.New("storetest: the write failed")

// FailingAll is a store whose every AppendAll fails, storing nothing;
// appends to one stream are stored. It stands for a disk that fails the
// one write of an act and its audit record.
type FailingAll struct{ store.Store }

// AppendAll stores nothing and fails with ErrWriteFailed.
func (FailingAll) AppendAll(context.Context, ...store.Write) ([]int64, error) {
	return nil, ErrWriteFailed
}

// NotAtomic is a store that refuses every AppendAll with
// store.ErrNotAtomic, as Redis Cluster does for streams in different hash
// slots; appends to one stream are stored.
type NotAtomic struct{ store.Store }

// AppendAll stores nothing and fails with store.ErrNotAtomic.
func (NotAtomic) AppendAll(context.Context, ...store.Write) ([]int64, error) {
	return nil, store.ErrNotAtomic
}
