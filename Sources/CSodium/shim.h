// CSodium: the only door between Swift and libsodium (BLAKE2b, Ed25519, secure random bytes).
// Only the ZKSodium module imports it; no libsodium name appears in public Swift API.
#ifndef CSODIUM_SHIM_H
#define CSODIUM_SHIM_H

#include <sodium.h>

#endif
