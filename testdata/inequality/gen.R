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
edu <- c("edu_25_64_pre_upper_secondary", "edu_25_64_upper_secondary",
         "edu_25_64_post_sec_lt3y", "edu_25_64_post_sec_ge3y")
rows <- lapply(split(seq_len(nrow(d)), d$kommun), function(i) {
  m <- as.matrix(d[i, edu])
  data.frame(kommun = d$kommun[i[1]], n = length(i),
             ojamlikhetsindex = 100 * D(low[i], high[i]),
             gini_income_pop = gini(d$net_income_median_tkr[i], d$pop_total[i]),
             edu_multigroup_d = mgD(m), edu_theil = theil(m))
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
