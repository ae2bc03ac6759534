# Times spdep on the same data as the Go benchmarks
# (spatial/weights/bench_test.go, spatial/autocorr/bench_test.go).
# Run from this directory: Rscript bench.R   (results go to README.md "Measured")
suppressMessages({library(sf); library(spdep)})
sf_use_s2(FALSE)
set.ZeroPolicyOption(TRUE)
tm <- function(label, expr, reps = 3) {
  e <- substitute(expr); pf <- parent.frame()
  t <- sapply(seq_len(reps), function(i) system.time(eval(e, pf))[["elapsed"]])
  cat(sprintf("%-32s median %.4f s (runs: %s)\n", label, median(t), paste(sprintf("%.4f", t), collapse = " ")))
}

dal <- st_read("deso_2018_dalarna_3006.geojson", quiet = TRUE)
tm("poly2nb dalarna queen", poly2nb(dal, queen = TRUE))
tm("poly2nb dalarna rook", poly2nb(dal, queen = FALSE))

# 250 x 200 jittered unit squares, identical to benchGrid in Go.
nx <- 250; ny <- 200
polys <- vector("list", nx * ny)
for (y in 0:(ny - 1)) for (x in 0:(nx - 1)) {
  p <- y * nx + x + 1
  cs <- rbind(c(x, y), c(x + 1, y), c(x + 1, y + 1), c(x, y + 1))
  a <- 12.9898 * p + 78.233 * (1:4)
  m <- cbind(cs[, 1] + 1e-4 * sin(a), cs[, 2] + 1e-4 * cos(a))
  polys[[p]] <- st_polygon(list(rbind(m, m[1, ])))
}
grid <- st_sfc(polys)
tm("poly2nb grid50k queen snap=1e-3", nb <- poly2nb(grid, queen = TRUE, snap = 1e-3), reps = 1)
stopifnot(sum(card(nb)) == 2 * (4 * nx * ny - 3 * (nx + ny) + 2))

# n = 6000 lattice, identical to benchData in Go.
nx <- 100; ny <- 60
nbl <- vector("list", nx * ny); xv <- numeric(nx * ny)
for (r in 0:(ny - 1)) for (c in 0:(nx - 1)) {
  i <- r * nx + c
  g <- expand.grid(dc = -1:1, dr = -1:1)
  g <- g[!(g$dr == 0 & g$dc == 0), ]
  rr <- r + g$dr; cc <- c + g$dc
  ok <- rr >= 0 & rr < ny & cc >= 0 & cc < nx
  nbl[[i + 1]] <- sort(as.integer(rr[ok] * nx + cc[ok] + 1))
  xv[i + 1] <- sin(c / 7) + cos(r / 5) + ((i * 7919) %% 101) / 101
}
class(nbl) <- "nb"; attr(nbl, "region.id") <- as.character(seq_along(nbl))
lw <- nb2listw(nbl, style = "W")
tm("moran.test n=6000", moran.test(xv, lw))
tm("moran.mc n=6000 nsim=999", moran.mc(xv, lw, nsim = 999), reps = 1)
tm("localmoran n=6000", localmoran(xv, lw))
tm("localmoran_perm n=6000 nsim=999", localmoran_perm(xv, lw, nsim = 999), reps = 1)
tm("localG include.self n=6000", localG(xv, nb2listw(include.self(nbl), style = "W")))
cat(sprintf("moran I = %.15g\n", moran.test(xv, lw)$estimate[1]))
