# Generates golden files for spatial/weights and spatial/autocorr.
# Run from this directory: Rscript gen.R
# Needs: sf, spdep, jsonlite. Reads the GeoJSON copies in this directory and
# ../../../shared/data/se/indicators/deso_indicators_2022.csv (only to write
# dalarna_low_econ_2022.csv, which is committed next to this script).
suppressMessages({library(sf); library(spdep); library(jsonlite)})
# Planar bounding-box candidate search for every layer (also for the WGS 84
# Växjö layer): with s2 on, poly2nb would pre-filter candidates with an s2
# intersects test instead. The neighbour criterion (vertex pairs within snap)
# is the same either way; see README.md.
sf_use_s2(FALSE)
set.ZeroPolicyOption(TRUE)

nb_list <- function(nb) lapply(nb, function(v) { v <- as.integer(v); v <- v[v > 0L]; I(v - 1L) })

num <- function(v) { v <- as.numeric(v); ifelse(is.finite(v), v, NA) }

do_layer <- function(file, codecol, values = NULL, keep = NULL) {
  g <- st_read(file, quiet = TRUE)
  if (!is.null(keep)) g <- g[keep, ]
  codes <- g[[codecol]]
  out <- list(file = file, code_field = codecol, codes = codes,
              snap = sqrt(.Machine$double.eps))
  q <- poly2nb(g, queen = TRUE)
  r <- poly2nb(g, queen = FALSE)
  out$queen <- nb_list(q)
  out$rook <- nb_list(r)
  if (!is.null(values)) {
    x <- values
    out$values <- x
    lw <- nb2listw(q, style = "W", zero.policy = TRUE)
    mt <- moran.test(x, lw, randomisation = TRUE, zero.policy = TRUE)
    mtn <- moran.test(x, lw, randomisation = FALSE, zero.policy = TRUE)
    out$moran <- list(I = unname(mt$estimate[1]), EI = unname(mt$estimate[2]),
                      VarI = unname(mt$estimate[3]), Z = unname(mt$statistic),
                      PNorm = mt$p.value,
                      VarINormality = unname(mtn$estimate[3]), ZNormality = unname(mtn$statistic),
                      PNormality = mtn$p.value)
    lm <- localmoran(x, lw, zero.policy = TRUE)
    out$localmoran <- list(Ii = num(lm[, 1]), E = num(lm[, 2]), Var = num(lm[, 3]),
                           Z = num(lm[, 4]), P = num(lm[, 5]),
                           quadrant = as.character(attr(lm, "quadr")$pysal))
    lws <- nb2listw(include.self(q), style = "W", zero.policy = TRUE)
    g1 <- localG(x, lws, zero.policy = TRUE, return_internals = TRUE)
    ints <- attr(g1, "internals")
    out$localG <- list(G = num(ints[, 1]), Z = num(as.numeric(g1)), P = num(ints[, 5]))
    # binary-style local G* as a second check of the weights handling
    lwb <- nb2listw(include.self(q), style = "B", zero.policy = TRUE)
    g2 <- localG(x, lwb, zero.policy = TRUE)
    out$localG_B <- list(Z = num(as.numeric(g2)))
  }
  out
}

ind <- read.csv("../../../shared/data/se/indicators/deso_indicators_2022.csv",
                colClasses = c(deso = "character"))
dal <- st_read("deso_2018_dalarna_3006.geojson", quiet = TRUE)
vals <- ind$low_econ_standard_pct[match(dal$deso, ind$deso)]
stopifnot(!anyNA(vals))
write.csv(data.frame(deso = dal$deso, low_econ_standard_pct = vals),
          "dalarna_low_econ_2022.csv", row.names = FALSE, quote = FALSE)

golden <- list(
  dalarna = do_layer("deso_2018_dalarna_3006.geojson", "deso", vals),
  vaxjo = do_layer("deso_2025_vaxjo_4326.geojson", "desokod"),
  # Falun (2080) plus the first Älvdalen (2039) DeSO: the latter is an island.
  islands = do_layer("deso_2018_dalarna_3006.geojson", "deso",
                     vals[dal$kommun == "2080" | dal$deso == dal$deso[dal$kommun == "2039"][1]],
                     keep = dal$kommun == "2080" | dal$deso == dal$deso[dal$kommun == "2039"][1]))
golden$islands$keep_codes <- golden$islands$codes
golden$generator <- list(R = R.version.string, spdep = as.character(packageVersion("spdep")),
                         sf = as.character(packageVersion("sf")))
writeLines(toJSON(golden, digits = NA, auto_unbox = TRUE, null = "null", na = "null", pretty = FALSE),
           "golden.json")
cat("wrote golden.json\n")
