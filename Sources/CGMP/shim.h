// CGMP: the only door between Swift and GMP.
//
// GMP's public API is mostly macros (`#define mpz_mul __gmpz_mul`), which Swift does not import as
// functions, so the Swift wrapper (ZKBigInt) calls the `__gmpz_*` / `__gmpn_*` symbols directly.
// The few operations that exist only as function-like macros get `static inline` wrappers here,
// each prefixed `cgmp_` and documented with the reason it exists.
#ifndef CGMP_SHIM_H
#define CGMP_SHIM_H

#include <gmp.h>

/// `mpz_sgn` is a macro reading `_mp_size`; Swift cannot call macros.
static inline int cgmp_mpz_sgn(const __mpz_struct *x) { return mpz_sgn(x); }

/// `mpz_odd_p` is a macro; Swift cannot call macros.
static inline int cgmp_mpz_odd_p(const __mpz_struct *x) { return mpz_odd_p(x); }

/// Number of limbs in use (`mpz_size` is an inline function behind a macro guard on some builds).
static inline size_t cgmp_mpz_size(const __mpz_struct *x) { return mpz_size(x); }

#endif
