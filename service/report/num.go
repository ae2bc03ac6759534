package report

import "math"

var nan = math.NaN()

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
