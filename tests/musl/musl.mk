# musl.mk -- the source compiles against musl, Alpine's C library
# (included by the Makefile).
#
#   make check-musl   compile every src/*.c and tests/helpers/*.c with
#                     Debian's musl-gcc (musl-tools, installed by
#                     tests/deps.sh) and the build's own warnings and
#                     -Werror; part of make check
#
# musl-gcc reads musl's headers only, never glibc's /usr/include, so a call
# that only glibc declares (sigabbrev_np, strerrordesc_np, ...) is an
# implicit declaration: an error.  libev's and inih's headers live in
# /usr/include beside glibc's, so those two files alone are linked into
# build-musl/include, which is given with -isystem.  Nothing is linked:
# Debian has no musl build of libev or inih; the compile is the check.
#
# Before the sources, a one-line file calling sigabbrev_np must fail to
# compile: if it does not, musl-gcc is reading glibc's headers and the
# check would prove nothing.

MUSL_CC		?= musl-gcc
MUSL_DIR	:= build-musl
MUSL_SRC	 = $(wildcard src/*.c) $(HELPER_SRC)
MUSL_OBJ	 = $(MUSL_SRC:%.c=$(MUSL_DIR)/%.o)
# The build's defines, language and warnings; a fixed -O2 (some warnings
# need the optimizer); no _FORTIFY_SOURCE, which musl does not implement.
MUSL_CFLAGS	 = $(filter-out -D_FORTIFY_SOURCE% -U_FORTIFY_SOURCE,\
		   $(PROCD_CPPFLAGS)) -isystem $(MUSL_DIR)/include \
		   $(PROCD_CFLAGS) -O2

.PHONY: check-musl musl-clean
CHECK_EXTRA	+= check-musl

check-musl: $(MUSL_OBJ)
	@echo "check-musl: $(words $(MUSL_OBJ)) files compile against musl"

# musl-tools, the library headers, and the proof that glibc's are not
# seen; made again when this file changes (a header added here).
$(MUSL_DIR)/include/.ok: tests/musl/musl.mk | $(PREP)
	@CC="$(CC)" sh tests/deps.sh musl-tools
	@mkdir -p $(MUSL_DIR)/include
	@hdrs=$$(printf '#include <%s>\n' ev.h ini.h microhttpd.h expat.h | \
	    $(CC) $(INIH_CFLAGS) -M -x c - | tr ' \\' '\n\n' | \
	    grep -E '/(ev|ini|microhttpd|expat|expat_external)\.h$$'); \
	[ "$$(echo "$$hdrs" | wc -l)" -eq 5 ] || { \
	    echo "check-musl: cannot find ev.h, ini.h, microhttpd.h and" \
	        "expat.h" >&2; exit 1; }; \
	ln -sf $$hdrs $(MUSL_DIR)/include/
	@printf '%s\n' '#include <string.h>' '#include <signal.h>' \
	    'const char *f(void);' \
	    'const char *f(void) { return sigabbrev_np(SIGTERM); }' \
	    > $(MUSL_DIR)/glibc-only.c
	@if $(MUSL_CC) $(MUSL_CFLAGS) -c -o $(MUSL_DIR)/glibc-only.o \
	    $(MUSL_DIR)/glibc-only.c 2>/dev/null; then \
	    echo "check-musl: $(MUSL_CC) accepts glibc's sigabbrev_np;" \
	        "it does not compile against musl alone" >&2; exit 1; fi
	@touch $@

$(MUSL_DIR)/%.o: %.c | $(MUSL_DIR)/include/.ok
	@mkdir -p $(@D)
	$(MUSL_CC) $(MUSL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(wildcard $(MUSL_DIR)/src/*.d $(MUSL_DIR)/tests/helpers/*.d)

musl-clean:
	rm -rf $(MUSL_DIR)
