#include "CReference.h"

typedef unsigned __int128 u128;

static const uint64_t P[4] = {0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL, 0x30644e72e131a029ULL};
static const uint64_t NEG_INV = 0xc2e1f593efffffffULL;

static inline void mul_inline(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (int i = 0; i < 4; i++) {
        u128 v = (u128)a[0] * b[i] + t0;
        uint64_t A = (uint64_t)(v >> 64), r0 = (uint64_t)v;
        uint64_t m = r0 * NEG_INV;
        u128 w = (u128)m * P[0] + r0;
        uint64_t C = (uint64_t)(w >> 64);
        v = (u128)a[1] * b[i] + t1 + A; A = (uint64_t)(v >> 64);
        w = (u128)m * P[1] + (uint64_t)v + C; C = (uint64_t)(w >> 64); t0 = (uint64_t)w;
        v = (u128)a[2] * b[i] + t2 + A; A = (uint64_t)(v >> 64);
        w = (u128)m * P[2] + (uint64_t)v + C; C = (uint64_t)(w >> 64); t1 = (uint64_t)w;
        v = (u128)a[3] * b[i] + t3 + A; A = (uint64_t)(v >> 64);
        w = (u128)m * P[3] + (uint64_t)v + C; C = (uint64_t)(w >> 64); t2 = (uint64_t)w;
        t3 = C + A;
    }
    uint64_t s[4]; uint64_t borrow = 0;
    const uint64_t t[4] = {t0, t1, t2, t3};
    for (int i = 0; i < 4; i++) {
        u128 d = (u128)t[i] - P[i] - borrow;
        s[i] = (uint64_t)d; borrow = (uint64_t)(d >> 64) & 1;
    }
    if (borrow) { r[0] = t0; r[1] = t1; r[2] = t2; r[3] = t3; }
    else { r[0] = s[0]; r[1] = s[1]; r[2] = s[2]; r[3] = s[3]; }
}

void creference_fr_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) { mul_inline(r, a, b); }

void creference_fr_mul_chain(uint64_t x[4], const uint64_t y[4], long iterations) {
    uint64_t v[4] = {x[0], x[1], x[2], x[3]};
    for (long i = 0; i < iterations; i++) mul_inline(v, v, y);
    x[0] = v[0]; x[1] = v[1]; x[2] = v[2]; x[3] = v[3];
}
