// GNU Scientific Library (Debian: libgsl-dev): nonlinear least squares, special functions, RNG.
#pragma once
#include <gsl/gsl_errno.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_cdf.h>

// Swift 6 strict concurrency rejects C global variables; expose the ones we need through accessors.
static inline const gsl_multifit_nlinear_type *gb_gsl_multifit_nlinear_trust(void) {
    return gsl_multifit_nlinear_trust;
}
static inline const gsl_multifit_nlinear_trs *gb_gsl_multifit_nlinear_trs_lm(void) {
    return gsl_multifit_nlinear_trs_lm;
}
static inline const gsl_rng_type *gb_gsl_rng_mt19937(void) {
    return gsl_rng_mt19937;
}
