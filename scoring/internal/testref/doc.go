// Package testref reads the reference files of the scoring packages'
// tests: CSV tables written by R's write.csv, their numbers and 0/1
// response matrices, and compare numbers to them within a tolerance.
package testref
