package impact

// networks writes every table as a network for suppress: node 0 is free.
//
//   - A one-way table of a partition (every dimension but ByElement) and
//     each monitoring field: node 1 is "overall = sum of the cells"; every
//     cell and the overall count join node 1 to node 0.
//   - A crossing A x B of partitions: one node per row ("A's margin = sum
//     of the row"), one per column, and one for each of "overall = sum of A's
//     margins" and "overall = sum of B's margins": each cell joins its row
//     and column, each margin its row (column) and its overall node, and the
//     overall count joins the two overall nodes.
//   - A crossing element x B: one node per element ("element's count = sum
//     of its row"); cells and the element's margin join it to node 0, since
//     a column's sum over elements is not a published count.
//
// The one-way element table has no equation: its cells are protected by the
// minimum alone and, through the crossings, as margins.
func (b *builder) networks() []network {
	for i := range b.items {
		b.items[i].suppressed = b.items[i].n < b.min
	}
	margin := map[Dim][]int{} // label id -> item of the one-way cell
	for d, t := range b.one {
		m := make([]int, len(t.keys))
		for j, k := range t.keys {
			m[k[0]] = t.items[j]
		}
		margin[d] = m
	}
	var nets []network
	oneWay := func(t *tab) {
		n := network{nodes: 2}
		for j, it := range t.items {
			n.edges = append(n.edges, edge{1, 0, it, costCell + int64(b.items[t.items[j]].n)})
		}
		n.edges = append(n.edges, edge{1, 0, b.overall, costOverall})
		nets = append(nets, n)
	}
	for _, d := range dims {
		if d != ByElement {
			oneWay(b.one[d])
		}
	}
	for _, t := range b.fields {
		oneWay(t)
	}
	for _, t := range b.cross {
		nets = append(nets, b.crossNet(t, margin))
	}
	return nets
}

func (b *builder) crossNet(t *tab, margin map[Dim][]int) network {
	var n network
	node := map[[2]int32]int{} // (axis, label id) -> node
	at := func(axis int, id int32) int {
		if axis == 1 && t.dims[0] == ByElement {
			return 0
		}
		k := [2]int32{int32(axis), id}
		v, ok := node[k]
		if !ok {
			v = n.nodes
			node[k] = v
			n.nodes++
		}
		return v
	}
	n.nodes = 1
	gA, gB := 0, 0
	if t.dims[0] != ByElement {
		gA, gB = 1, 2
		n.nodes = 3
	}
	var rows, cols []int32
	for j, k := range t.keys {
		if _, ok := node[[2]int32{0, k[0]}]; !ok {
			rows = append(rows, k[0])
		}
		if _, ok := node[[2]int32{1, k[1]}]; !ok && t.dims[0] != ByElement {
			cols = append(cols, k[1])
		}
		it := t.items[j]
		n.edges = append(n.edges, edge{at(0, k[0]), at(1, k[1]), it, costCell + int64(b.items[it].n)})
	}
	for _, r := range rows {
		it := margin[t.dims[0]][r]
		n.edges = append(n.edges, edge{at(0, r), gA, it, costMargin + int64(b.items[it].n)})
	}
	for _, c := range cols {
		it := margin[t.dims[1]][c]
		n.edges = append(n.edges, edge{at(1, c), gB, it, costMargin + int64(b.items[it].n)})
	}
	if t.dims[0] != ByElement {
		n.edges = append(n.edges, edge{gA, gB, b.overall, costOverall})
	}
	return n
}
