# fit.R -- time R's CML Rasch calibrations on the benchmark file.
# Usage: Rscript fit.R FILE.csv [erm]
# Prints one line per package: "<name> <seconds>" (fitting only, data already in memory).
args <- commandArgs(trailingOnly = TRUE)
X <- as.matrix(read.csv(args[1])[, -1])
timeit <- function(expr) unname(system.time(expr)["elapsed"])
if (requireNamespace("psychotools", quietly = TRUE)) {
  t1 <- timeit(m1 <- psychotools::raschmodel(X, hessian = TRUE))
  cat("psychotools::raschmodel(hessian=TRUE)", t1, "\n")
  d <- coef(psychotools::itempar(m1, ref = NULL))
  write.csv(data.frame(item = colnames(X), difficulty = unname(d)), paste0(args[1], ".psychotools.csv"), row.names = FALSE)
}
if (length(args) > 1 && args[2] == "erm" && requireNamespace("eRm", quietly = TRUE)) {
  t2 <- timeit(m2 <- eRm::RM(X, se = TRUE))
  cat("eRm::RM(se=TRUE)", t2, "\n")
}
