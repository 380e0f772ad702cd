package irt

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
)

// GaussHermite returns n nodes and weights for integrals against the
// standard normal density, ∫ f(θ) φ(θ) dθ ≈ Σ_q w_q f(x_q), by the
// Golub-Welsch (1969) eigenvalue method on the Jacobi matrix of the
// probabilists' Hermite polynomials (off-diagonal sqrt(i), i = 1..n−1):
// nodes are its eigenvalues, weights the squared first components of its
// unit eigenvectors. Nodes are ascending; weights sum to 1. It panics if
// n < 1.
func GaussHermite(n int) (nodes, weights []float64) {
	if n < 1 {
		panic("irt: quadrature needs at least one node")
	}
	j := mat.NewSymDense(n, nil)
	for i := 1; i < n; i++ {
		j.SetSym(i-1, i, math.Sqrt(float64(i)))
	}
	var eig mat.EigenSym
	if !eig.Factorize(j, true) {
		panic("irt: eigen decomposition failed")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return vals[idx[a]] < vals[idx[b]] })
	nodes, weights = make([]float64, n), make([]float64, n)
	var sum float64
	for q, i := range idx {
		nodes[q] = vals[i]
		v := vecs.At(0, i)
		weights[q] = v * v
		sum += weights[q]
	}
	for q := range weights {
		weights[q] /= sum
	}
	return nodes, weights
}

// Logistic returns P(θ) = 1 / (1 + exp(−a(θ − b))).
func Logistic(theta, a, b float64) float64 { return 1 / (1 + math.Exp(-a*(theta-b))) }

// Information returns the Fisher information a² P(θ)(1 − P(θ)) of one item
// (Birnbaum 1968); a test's information is the sum over its items and its
// conditional standard error of measurement 1/sqrt(information).
func Information(theta, a, b float64) float64 {
	p := Logistic(theta, a, b)
	return a * a * p * (1 - p)
}
