# Generates golden.json: R classInt break points for the Go package
# spatial/classify. Run once from this directory:
#   Rscript gen.R
# Needs R with classInt and jsonlite. Go tests read golden.json only.
suppressPackageStartupMessages({library(classInt); library(jsonlite)})

d <- read.csv("values.csv", colClasses = c(deso = "character"))
cols <- c("net_income_median_tkr", "low_econ_standard_pct", "foreign_born_pct")
lan01 <- substr(d$deso, 1, 2) == "01"   # Stockholms län, 1,287 DeSO

cases <- list()
add <- function(col, subset, x, style, k, ...) {
  ci <- classIntervals(x, n = k, style = style, warnSmallN = FALSE,
                       warnLargeN = FALSE, ...)
  cls <- findCols(ci)
  kk <- length(ci$brks) - 1
  counts <- tabulate(cls, nbins = kk)
  cases[[length(cases) + 1]] <<- list(
    column = col, subset = subset, style = style, k = k,
    thr = if (is.null(list(...)$thr)) 0.4 else list(...)$thr,
    effective_style = attr(ci, "style"),
    closure = attr(ci, "intervalClosure"),
    breaks = ci$brks, counts = counts,
    classes = if (k == 5) cls - 1L else integer(0))
}

for (col in cols) {
  x <- d[[col]]
  for (k in c(3, 5, 7, 9)) {
    for (style in c("quantile", "equal", "fisher", "sd", "pretty")) add(col, "all", x, style, k)
  }
  add(col, "all", x, "headtails", 5)
  add(col, "all", x, "headtails", 5, thr = 0.6)
  add(col, "all", x, "quantile", 80)   # k > distinct values for low_econ (69)
  add(col, "all", x, "fisher", 80)
  # classic Jenks in classInt is an O(k n^2) R loop: run it on Stockholms län.
  xs <- x[lan01]
  for (k in c(3, 5, 7)) {
    add(col, "lan01", xs, "jenks", k)
    add(col, "lan01", xs, "fisher", k)
  }
}

# Standard-deviation steps (SDStep 1 and 0.5): classInt has no such style;
# this is the definition documented in the Go package, computed here
# independently: mean + j*step*sd (sample sd) strictly inside (min, max),
# plus min and max.
sdsteps <- list()
for (col in cols) {
  x <- d[[col]]
  for (step in c(1, 0.5)) {
    m <- mean(x); s <- sd(x)
    j <- seq(floor((min(x) - m) / (step * s)), ceiling((max(x) - m) / (step * s)))
    inner <- m + j * step * s
    inner <- inner[inner > min(x) & inner < max(x)]
    sdsteps[[length(sdsteps) + 1]] <- list(column = col, step = step,
      mean = m, sd = s, breaks = c(min(x), inner, max(x)))
  }
}

out <- list(generator = paste("R", getRversion(), "classInt", packageVersion("classInt")),
            cases = cases, sdsteps = sdsteps)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = FALSE), "golden.json")
cat("wrote", length(cases), "cases\n")
