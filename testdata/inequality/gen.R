# Generates the golden files in this directory ONCE from the committed DeSO
# subset (../areatype/deso_indicators_2022_subset.csv). Run from this
# directory:  Rscript gen.R
# Go tests read the CSV outputs; they never run R.
d <- read.csv("../areatype/deso_indicators_2022_subset.csv",
              colClasses = c(deso = "character"))
d$kommun <- substr(d$deso, 1, 4)
d$lan <- substr(d$deso, 1, 2)

# --- ojämlikhetsindex: 100 * D(low, high) per kommun, counts from shares ----
D <- function(a, b) sum(abs(a / sum(a) - b / sum(b))) / 2
low <- d$low_econ_standard_pct * d$econ_standard_n_persons / 100
high <- d$high_econ_standard_pct * d$econ_standard_n_persons / 100
# Weighted Gini, plain double sum (independent of the Go sort-based code).
gini <- function(x, w) {
  mu <- sum(w * x) / sum(w)
  sum(outer(w, w) * abs(outer(x, x, "-"))) / (2 * sum(w)^2 * mu)
}
# Multi-group D (Reardon & Firebaugh 2002) and Theil H, [area x group] matrix.
mgD <- function(m) {
  t <- rowSums(m); T <- sum(m); p <- colSums(m) / T
  I <- sum(p * (1 - p))
  pim <- m / ifelse(t == 0, 1, t)
  sum(t * abs(sweep(pim, 2, p))) / (2 * T * I)
}
theil <- function(m) {
  t <- rowSums(m); T <- sum(m); p <- colSums(m) / T
  ent <- function(q) { q <- q[q > 0]; -sum(q * log(q)) }
  E <- ent(p)
  Ei <- apply(m, 1, function(r) if (sum(r) == 0) 0 else ent(r / sum(r)))
  sum(t * (E - Ei)) / (T * E)
}
fb <- d$foreign_background; sb <- d$swedish_background; tb <- d$pop_total_bg
edu <- c("edu_25_64_pre_upper_secondary", "edu_25_64_upper_secondary",
         "edu_25_64_post_sec_lt3y", "edu_25_64_post_sec_ge3y")
rows <- lapply(split(seq_len(nrow(d)), d$kommun), function(i) {
  m <- as.matrix(d[i, edu])
  data.frame(kommun = d$kommun[i[1]], n = length(i),
             ojamlikhetsindex = 100 * D(low[i], high[i]),
             gini_income_pop = gini(d$net_income_median_tkr[i], d$pop_total[i]),
             edu_multigroup_d = mgD(m), edu_theil = theil(m),
             bg_dissimilarity = D(fb[i], sb[i]),
             bg_isolation = sum(fb[i] / sum(fb[i]) * fb[i] / tb[i]),
             bg_exposure = sum(fb[i] / sum(fb[i]) * sb[i] / tb[i]))
})
k <- do.call(rbind, rows)
write.csv(k, "kommun_indices_2022.csv", row.names = FALSE, quote = FALSE)

# --- correlations on all DeSO, R cor() -------------------------------------
pairs <- list(c("low_econ_standard_pct", "foreign_born_pct"),
              c("net_income_median_tkr", "employment_rate_16_64_pct"),
              c("low_econ_standard_pct", "net_income_median_tkr"))
cr <- do.call(rbind, lapply(pairs, function(p) {
  x <- d[[p[1]]]; y <- d[[p[2]]]; w <- d$pop_total
  data.frame(x = p[1], y = p[2], n = length(x),
             pearson = cor(x, y, method = "pearson"),
             spearman = cor(x, y, method = "spearman"),
             pearson_pop_weighted = cov.wt(cbind(x, y), wt = w, cor = TRUE)$cor[1, 2])
}))
write.csv(cr, "correlations_2022.csv", row.names = FALSE, quote = FALSE)

# --- Morrill D(adj) on Stockholms län DeSO 2018 ------------------------------
# Queen contiguity from the simplified polygons with spdep::poly2nb (default
# snap); neighbour lists are written out so Go uses exactly the same graph.
suppressPackageStartupMessages({ library(sf); library(spdep) })
sf_use_s2(FALSE)
p <- st_read("../../../shared/data/se/boundaries/deso_2018_stockholms_lan_4326_simplified.geojson",
             quiet = TRUE)
p <- p[order(p$id), ]
nb <- poly2nb(p, queen = TRUE)
nbcodes <- vapply(nb, function(j) if (length(j) == 1 && j[1] == 0) "" else
  paste(p$id[j], collapse = " "), "")
write.csv(data.frame(deso = p$id, neighbours = nbcodes),
          "stockholm_deso2018_queen_nb.csv", row.names = FALSE, quote = FALSE)
# Per kommun, neighbours restricted to the same kommun; binary c_ij over the
# symmetric lists; z = foreign / (foreign + swedish).
idx <- match(p$id, d$deso)
mor <- do.call(rbind, lapply(split(seq_along(p$id), substr(p$id, 1, 4)), function(k) {
  a <- fb[idx[k]]; b <- sb[idx[k]]; z <- a / (a + b)
  num <- 0; den <- 0
  for (q in seq_along(k)) {
    for (j in nb[[k[q]]]) {
      r <- match(j, k)
      if (j == 0 || is.na(r)) next
      num <- num + abs(z[q] - z[r]); den <- den + 1
    }
  }
  data.frame(kommun = substr(p$id[k[1]], 1, 4), n = length(k), pairs = den,
             morrill_d = D(a, b) - if (den > 0) num / den else 0)
}))
write.csv(mor, "stockholm_morrill_2022.csv", row.names = FALSE, quote = FALSE)
