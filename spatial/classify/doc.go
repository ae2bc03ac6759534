// Package classify computes choropleth class breaks and assigns values to
// classes. It is pure: no I/O.
//
// # Methods
//
// The methods reproduce R's classInt 0.4.9 (classIntervals + findCols) with
// its defaults; testdata/classify/golden.json (made by gen.R) holds classInt's
// breaks for real SCB DeSO values and the tests compare to 1e-9 relative.
//
//   - quantile: R quantile() type 7 (classInt's default), probabilities
//     seq(0, 1, 1/k). Ties in the data can give equal adjacent breaks and so
//     empty classes; they are kept, as in classInt.
//   - equal: seq(min, max, length.out = k+1), computed as R does:
//     min + i·((max − min)/k), the ends exactly min and max. (The step
//     max/k − min/k, used before, differs in the last bit and moved values
//     lying on a break to the class below.)
//   - fisher: Fisher's exact optimal partition (minimum within-class sum of
//     squared deviations). Breaks are min, the midpoints between the maximum
//     of one class and the minimum of the next, and max, as classInt's
//     "fisher" style. Computed by dynamic programming with divide and
//     conquer over the distinct values (weighted by their counts),
//     O(k·m·log m) after an O(n log n) sort, m = number of distinct values
//     (the approach of ckmeans.1d.dp). classInt samples 10 % of the data when
//     there are more than 3,000 distinct values; this package never samples.
//   - jenks: the same optimal partition, expressed as classInt's "jenks" style:
//     breaks are min, the class maxima, and max, and intervals are closed on
//     the right (see Closure). If several partitions are exactly optimal, the
//     one with the earliest class starts is taken.
//   - sd: with Options.SDStep == 0, classInt's "sd" style: pretty(z, k) of the
//     z-scores z = (x-mean)/sd, scaled back; sd is the sample standard
//     deviation (n-1), as R's scale(). The outer breaks may lie outside the
//     data range. With SDStep > 0 (1 or 0.5): breaks at mean + j·SDStep·sd
//     (j integer; the mean is always a break) strictly inside (min, max), plus
//     min and max; K is ignored.
//   - pretty: R's pretty(x, n = k) (R 4.2 algorithm: min.n = k %/% 3,
//     high.u.bias 1.5, u5.bias 2.75); the number of classes can differ from k.
//   - headtails: Jiang's head/tail breaks as classInt: breaks are min, the
//     mean of the data, the mean of the values above that mean, … while the
//     head holds at most Options.HeadTailsThreshold (default 0.4) of the
//     previous values and more than one value; then max. K is ignored.
//   - manual: the breaks in Options.Manual (sorted copy; at least 2 finite
//     values).
//
// # Closure
//
// As classInt/findCols: for every method except jenks, Closure is "left":
// classes are [b0, b1), [b1, b2), …, [b(k-1), bk] (the last one closed), as
// classInt's findCols calls R findInterval(x, breaks, all.inside = TRUE)
// (rightmost.closed and left.open left FALSE): a value equal to an inner
// break b_i is in the class that starts at b_i; the maximum is in the last
// class only through all.inside. For jenks Closure is "right":
// [b0, b1], (b1, b2], …, (b(k-1), bk]. Values outside the breaks (possible
// with manual or pooled breaks) go to the nearest end class, as all.inside;
// a NoteOutside in Result.Notes counts them.
//
// # Degenerate input
//
// NaN and ±Inf are no data (class NoData = -1, counted in Result.NoData);
// values flagged in Options.Suppressed get class SuppressedClass = -2. Neither
// takes part in computing breaks. No finite value left: ErrEmpty. K < 2 for a
// method that uses K: ErrK. If K is at least the number of distinct values
// (classInt: "n same as number of different finite values"), K is reduced to
// that number and every distinct value gets its own class with classInt's
// "unique" breaks: midpoints between neighbouring distinct values, extended
// at both ends by half the mean gap; a NoteDistinct says so. A single distinct value
// gives one class with breaks [v, v].
//
// # Notes
//
// Result.Notes are typed (a NoteKind and its numbers), never prose: the
// caller writes them in the reader's language (service/classnotes.go).
//
// # Pooled breaks
//
// To compare years on one scale, compute breaks over all years' values
// (Breaks, or Pooled) and assign each year with Assign/AssignClosure.
package classify
