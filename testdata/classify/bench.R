# Times classInt::classIntervals for the Go benchmarks' inputs (see
# spatial/classify/bench_test.go): n=6000 and n=100000 values built from the
# real DeSO median net incomes, copy c shifted by c*0.001.
#   Rscript bench.R [styles...]
# Prints one line per style and n: seconds per classIntervals+findCols call
# (mean over 200 calls at n<=6000, 20 calls above; fisher/jenks: 1 call).
# BENCH_N=6000,100000 (default) selects the sizes.
suppressPackageStartupMessages(library(classInt))
v <- read.csv("values.csv", colClasses = c(deso = "character"))$net_income_median_tkr
make <- function(n) { i <- 0:(n - 1); v[(i %% length(v)) + 1] + (i %/% length(v)) * 0.001 }
args <- commandArgs(trailingOnly = TRUE)
styles <- if (length(args)) args else c("quantile", "equal", "fisher", "sd", "pretty", "headtails", "fixed")
ns <- as.integer(Sys.getenv("BENCH_N", "6000,100000") |> strsplit(",") |> unlist())
for (n in ns) {
  x <- make(n)
  for (s in styles) {
    calls <- if (s %in% c("fisher", "jenks")) 1 else if (n <= 6000) 200 else 20
    t <- system.time(for (r in seq_len(calls)) findCols(
      classIntervals(x, n = 5, style = s, fixedBreaks = c(0, 200, 300, 400, 600),
                     warnLargeN = FALSE, warnSmallN = FALSE)))[["elapsed"]] / calls
    cat(sprintf("%s n=%d %.6f s\n", s, n, t))
  }
}
