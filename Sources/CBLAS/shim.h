#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
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

// The file of the shared library that provides `symbol` in this process (NULL if none): which CBLAS won.
static inline const char *gb_library_providing(const char *symbol) {
    void *p = dlsym(RTLD_DEFAULT, symbol);
    Dl_info info;
    if (p == NULL || dladdr(p, &info) == 0) return NULL;
    return info.dli_fname;
}
