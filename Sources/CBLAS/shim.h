// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). Debian installs it under the multiarch include
// directory; keep this module separate from CGSL, whose gsl_cblas.h defines the same enums differently.
#pragma once
#if __has_include(<x86_64-linux-gnu/cblas.h>)
#include <x86_64-linux-gnu/cblas.h>
#elif __has_include(<aarch64-linux-gnu/cblas.h>)
#include <aarch64-linux-gnu/cblas.h>
#else
#include <cblas.h>
#endif
