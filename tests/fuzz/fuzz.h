/*
 * fuzz.h -- the one entry point every fuzz target defines.
 *
 * Built two ways from the same source: with clang -fsanitize=fuzzer, where
 * libFuzzer's main drives it (make fuzz), and with any C compiler against
 * regress.c's main, which replays saved inputs (make fuzz-regress).  So a
 * target may use only what both give it: no libFuzzer-only hooks.
 */
#ifndef PROCD_FUZZ_H
#define PROCD_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* abort() with a message when COND is false; never compiled out, unlike
 * assert(), because -DNDEBUG must not turn the checks off. */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond))							\
		fuzz_fail(__FILE__, __LINE__, #cond);			\
} while (0)

static inline void __attribute__((noreturn))
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
	abort();
}

#endif
