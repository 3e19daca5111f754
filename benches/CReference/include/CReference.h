// The same CIOS Montgomery multiplication as ZKField's BN254Fr, in C with unsigned __int128,
// compiled by clang at the package's optimisation level. Benchmarks only: it gives the Swift
// field a same-run, same-machine target ("within 1.2x of C"). Never linked into the library.
#ifndef CREFERENCE_H
#define CREFERENCE_H
#include <stdint.h>

/// r = a * b * 2^-256 mod p (BN254 Fr), all four little-endian limbs, inputs < p.
void creference_fr_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]);

/// Runs x = x * y `iterations` times (a dependent chain) and leaves the result in x.
void creference_fr_mul_chain(uint64_t x[4], const uint64_t y[4], long iterations);

#endif
