package impact

import (
	"container/heap"
	"math"
)

// A network is one table written as flow conservation: each node but the
// free node 0 is an equation "total = sum of parts", each edge a published
// count (a cell or a margin) that appears in the equations of its two end
// nodes, with the free node standing for "no equation". The counts left
// unknown by suppression are determined by the published ones up to the
// cycles of the graph of suppressed edges, so a suppressed edge can be
// worked out exactly if and only if it is a bridge of that graph (it lies on
// no cycle). The same holds for the passes, which obey the same equations.
type network struct {
	nodes int
	edges []edge
	adj   [][]int // edges at each node, built on first use
}

type edge struct {
	u, v int
	item int   // index into the counts
	cost int64 // price of suppressing it to protect another
}

// Prices of complementary suppression: a cell before a margin (which is a
// cell of another table), the overall count last; the smaller count first.
const (
	costCell    = 1 << 20
	costMargin  = 1 << 40
	costOverall = 1 << 52
)

// suppress extends the suppression already marked in items (the cells under
// the minimum) until no network has a suppressed bridge, adding in each the
// cheapest path of cells that closes a cycle through it. Networks share
// margins, so it repeats until nothing changes.
func suppress(items []counts, nets []network) {
	for changed := true; changed; {
		changed = false
		for i := range nets {
			for nets[i].protect(items) {
				changed = true
			}
		}
	}
}

// protect finds the first suppressed bridge of n and suppresses a path that
// puts it on a cycle; it reports whether it suppressed anything.
func (n *network) protect(items []counts) bool {
	for _, e := range n.bridges(items) {
		path := n.cheapestPath(items, e)
		if path == nil {
			continue // no other route: the edge is its own equation's only term
		}
		for _, p := range path {
			items[n.edges[p].item].suppressed = true
		}
		return true
	}
	return false
}

// bridges lists, in edge order, the suppressed edges that lie on no cycle
// of suppressed edges (Tarjan 1974, "A note on finding the bridges of a
// graph", Information Processing Letters 2:160).
func (n *network) bridges(items []counts) []int {
	adj := make([][]int, n.nodes)
	any := false
	for i, e := range n.edges {
		if items[e.item].suppressed {
			adj[e.u] = append(adj[e.u], i)
			adj[e.v] = append(adj[e.v], i)
			any = true
		}
	}
	if !any {
		return nil
	}
	disc := make([]int, n.nodes)
	low := make([]int, n.nodes)
	isBridge := make([]bool, len(n.edges))
	t := 0
	var dfs func(u, via int)
	dfs = func(u, via int) {
		t++
		disc[u], low[u] = t, t
		for _, ei := range adj[u] {
			if ei == via {
				continue
			}
			e := n.edges[ei]
			w := e.u
			if w == u {
				w = e.v
			}
			if disc[w] == 0 {
				dfs(w, ei)
				low[u] = min(low[u], low[w])
				if low[w] > disc[u] {
					isBridge[ei] = true
				}
			} else {
				low[u] = min(low[u], disc[w])
			}
		}
	}
	for u := range n.nodes {
		if disc[u] == 0 && len(adj[u]) > 0 {
			dfs(u, -1)
		}
	}
	var out []int
	for i, b := range isBridge {
		if b {
			out = append(out, i)
		}
	}
	return out
}

// cheapestPath returns the published edges of the cheapest path between the
// ends of edge skip that does not use it, suppressed edges costing nothing
// (Dijkstra 1959); nil when there is none.
func (n *network) cheapestPath(items []counts, skip int) []int {
	if n.adj == nil {
		n.adj = make([][]int, n.nodes)
		for i, e := range n.edges {
			n.adj[e.u] = append(n.adj[e.u], i)
			n.adj[e.v] = append(n.adj[e.v], i)
		}
	}
	from, to := n.edges[skip].u, n.edges[skip].v
	dist := make([]int64, n.nodes)
	via := make([]int, n.nodes)
	for i := range dist {
		dist[i], via[i] = math.MaxInt64, -1
	}
	dist[from] = 0
	q := &pq{{from, 0}}
	for q.Len() > 0 {
		it := heap.Pop(q).(pqItem)
		if it.d > dist[it.node] {
			continue
		}
		if it.node == to {
			break
		}
		for _, ei := range n.adj[it.node] {
			if ei == skip {
				continue
			}
			e := n.edges[ei]
			w := e.u
			if w == it.node {
				w = e.v
			}
			c := e.cost
			if items[e.item].suppressed {
				c = 0
			}
			if d := it.d + c; d < dist[w] {
				dist[w], via[w] = d, ei
				heap.Push(q, pqItem{w, d})
			}
		}
	}
	if dist[to] == math.MaxInt64 {
		return nil
	}
	var path []int
	for w := to; w != from; {
		ei := via[w]
		if !items[n.edges[ei].item].suppressed {
			path = append(path, ei)
		}
		if e := n.edges[ei]; e.u == w {
			w = e.v
		} else {
			w = e.u
		}
	}
	return path
}

type pqItem struct {
	node int
	d    int64
}

// pq is a min-heap of nodes by distance, ties by node for determinism.
type pq []pqItem

func (q pq) Len() int { return len(q) }
func (q pq) Less(i, j int) bool {
	if q[i].d != q[j].d {
		return q[i].d < q[j].d
	}
	return q[i].node < q[j].node
}
func (q pq) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *pq) Push(x any)   { *q = append(*q, x.(pqItem)) }
func (q *pq) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}
