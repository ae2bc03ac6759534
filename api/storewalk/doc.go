// Package storewalk holds only a test: every GET route of the API on kommun
// stores built as segmap init builds them (a package of its own, so its
// store builds do not count against the api package's test time).
package storewalk
