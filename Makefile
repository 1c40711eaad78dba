# procd -- build, run, test, install.
#
#   make          build procd and procctl (never installs anything; a
#                 missing build dependency is named, with the apt-get line)
#   make deps     install the build and test dependencies (Debian, as root)
#   make run      the same set-up, build, run the example in the foreground
#   make check    the same set-up, then every test (SAN=1: ASan+UBSan build)
#   make install  PREFIX=/usr/local DESTDIR=
#   make install-compat   install, plus the names supervisord -> procd and
#                 supervisorctl -> procctl in $(BINDIR), as Debian's
#                 supervisor package puts them in /usr/bin
#
# CFLAGS, CPPFLAGS and LDFLAGS are the user's (e.g. dpkg-buildflags'); the
# flags the build needs are in PROCD_CFLAGS/PROCD_CPPFLAGS/PROCD_LDFLAGS
# and always used.

PREFIX=/usr/local DESTDIR=

PREFIX	?= /usr/local
bindir	?= $(PREFIX)/bin
sbindir	?= $(PREFIX)/sbin
sysconfdir ?= /etc
BINDIR	?= $(bindir)
SBINDIR	?= $(sbindir)
MANDIR	?= $(PREFIX)/share/man
SYSCONFDIR ?= $(sysconfdir)
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
VERSION	:= 0.1.0

CC	?= cc
PKG_CONFIG ?= pkg-config
CFLAGS	?= -O2 -g
PROCD_CPPFLAGS := -Iinclude -D_GNU_SOURCE -DPROCD_VERSION='"$(VERSION)"'
PROCD_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wshadow \
	   -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
LDLIBS	+= -lev -lpthread
# procctl never calls libev: do not make every call load it.
PROCD_LDFLAGS := -Wl,--as-needed

ifeq ($(SAN),1)
BUILD	:= build-san
# Sanitized binaries are slower: the tests' deadlines stretch with this.
export PROCD_TEST_SLOW ?= 3
# After the user's CFLAGS: the sanitizer build's own optimization level.
SAN_CFLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
PROCD_LDFLAGS += -fsanitize=address,undefined
else
BUILD	:= build
SAN_CFLAGS :=
endif

# _FORTIFY_SOURCE needs optimization (the last -O wins; none or -O0 is
# off).  A value the user chose is kept; otherwise any compiler default is
# replaced, so that it is not redefined (a warning, an error with -Werror).
OPT_LEVEL := $(lastword $(filter -O%,$(CFLAGS) $(SAN_CFLAGS)))
ifneq ($(filter-out -O0,$(OPT_LEVEL)),)
ifeq ($(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),)
PROCD_CPPFLAGS += -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2
endif
endif

# Every compile and link: ours first, so that the user's CFLAGS can still
# relax a warning (-Wno-error) or change the optimization.
ALL_CPPFLAGS = $(PROCD_CPPFLAGS) $(CPPFLAGS)
ALL_CFLAGS = $(ALL_CPPFLAGS) $(PROCD_CFLAGS) $(CFLAGS) $(SAN_CFLAGS)
ALL_LDFLAGS = $(PROCD_LDFLAGS) $(LDFLAGS)
# Each object's header dependencies, written by the compiler.
DEPFLAGS = -MMD -MP

# Debian packages: what building needs (deps.sh adds gcc when $(CC) is
# not found), what the tests need besides (cmocka; python3 for JSON checks
# and spare ports; procps for process listings; FUSE for the hung-disk
# tests; supervisor, the real clients: supervisorctl, supervisor.xmlrpc,
# supervisor.childutils, and supervisord to compare events with; a
# browser and its driver for the dashboard's test, curl for its requests).
BUILD_PKGS := libc6-dev pkg-config libev-dev libinih-dev libmicrohttpd-dev \
	libexpat1-dev
TEST_PKGS := libcmocka-dev python3 procps python3-fusepy supervisor \
	chromium chromium-driver python3-selenium curl

LIB_SRC	:= $(filter-out src/procd.c src/procctl.c,$(wildcard src/*.c))
LIB_OBJ	:= $(LIB_SRC:src/%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/%)
HELPER_SRC := $(wildcard tests/helpers/*.c)
HELPER_BIN := $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/helpers/%)

INIH_CFLAGS = $(shell $(PKG_CONFIG) --cflags inih 2>/dev/null)
INIH_LIBS   = $(shell $(PKG_CONFIG) --libs inih 2>/dev/null || echo -linih)
# The HTTP/XML-RPC gateway (gateway.c, httpd.c, xmlrpc_parse.c).
HTTP_CFLAGS = $(shell $(PKG_CONFIG) --cflags libmicrohttpd expat 2>/dev/null)
HTTP_LIBS   = $(shell $(PKG_CONFIG) --libs libmicrohttpd expat 2>/dev/null \
	      || echo -lmicrohttpd -lexpat)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

# The corpus of real-world configs (tests/unit/test_corpus.c) lives beside
# the checkout in the project's own layout: there it is required.  A
# checkout on its own (a user's clone) has no ../shared and skips it.
ifneq ($(wildcard ../shared),)
export PROCD_CORPUS ?= $(abspath ../shared/corpus/supervisord)
endif

.PHONY: all deps deps-install deps-check run check unit integration \
	install install-compat uninstall clean check-valgrind

.DEFAULT_GOAL := all

# Only these goals set the machine up (install missing packages as root);
# any other build, make install and a packager's build never run apt-get:
# they check, and name what is missing.  Every compile waits for $(PREP).
SETUP_GOALS := deps run check unit integration check-valgrind bench \
	bench-quick
ifneq ($(filter $(SETUP_GOALS),$(MAKECMDGOALS)),)
PREP	:= deps-install
PREP_PKGS := $(BUILD_PKGS) \
	$(if $(filter-out run,$(filter $(SETUP_GOALS),$(MAKECMDGOALS))),$(TEST_PKGS))
else
PREP	:= deps-check
endif

# Fragments with their own targets: fuzzing (make fuzz), benchmarks
# (make bench), the musl compile (make check-musl).  Each adds to
# CHECK_EXTRA what make check must also run.
CHECK_EXTRA :=
-include tests/fuzz/fuzz.mk
-include tests/bench/bench.mk
-include tests/stress/stress.mk
-include tests/musl/musl.mk

# The top-level procd and procctl are the plain build's, for users; tests
# run the binaries of the build they test ($(BUILD)/).
ifeq ($(SAN),1)
all: $(BUILD)/procd $(BUILD)/procctl
else
all: procd procctl
endif

deps: deps-install

deps-install:
	@CC="$(CC)" sh tests/deps.sh $(PREP_PKGS)

deps-check:
	@CC="$(CC)" sh tests/deps.sh --check $(BUILD_PKGS)

procd: $(BUILD)/procd
	cp $< $@
procctl: $(BUILD)/procctl
	cp $< $@

$(BUILD)/procd: $(BUILD)/procd.o $(BUILD)/libprocd.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(INIH_LIBS) $(HTTP_LIBS) \
	    $(LDLIBS)
$(BUILD)/procctl: $(BUILD)/procctl.o $(BUILD)/libprocd.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(INIH_LIBS) $(HTTP_LIBS) \
	    $(LDLIBS)

$(BUILD)/libprocd.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: src/%.c | $(BUILD) $(PREP)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(INIH_CFLAGS) $(HTTP_CFLAGS) -c -o $@ $<

$(BUILD)/test_%: tests/unit/test_%.c $(BUILD)/libprocd.a | $(PREP)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(CMOCKA_CFLAGS) $(ALL_LDFLAGS) \
	    -o $@ $(filter %.c %.a,$^) $(CMOCKA_LIBS) $(INIH_LIBS) \
	    $(HTTP_LIBS) $(LDLIBS)

$(BUILD)/helpers/%: tests/helpers/%.c | $(BUILD) $(PREP)
	@mkdir -p $(BUILD)/helpers
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(ALL_LDFLAGS) -o $@ $<

# The dashboard's page, style and script are in dashasset.o (.incbin).
$(BUILD)/dashasset.o: $(wildcard src/dash/*)

# Header dependencies of what was built before (-MMD -MP).
-include $(wildcard $(BUILD)/*.d $(BUILD)/helpers/*.d $(BUILD)/bench/*.d)

$(BUILD):
	mkdir -p $(BUILD)

run: all | $(PREP)
	./$(BUILD)/procd start --foreground -c conf/procd.ini

# Unit and integration tests all run even when some fail; each prints its
# own counts, and the last line is the total over both (tests/summary.sh).
check: all $(UNIT_BIN) $(HELPER_BIN) $(CHECK_EXTRA) | $(PREP)
	@rm -f $(BUILD)/unit.counts $(BUILD)/integration.counts; status=0; \
	sh tests/run-unit.sh --counts $(BUILD)/unit.counts $(UNIT_BIN) || \
	    status=1; \
	PROCD_BUILD=$(BUILD) PROCD_COUNTS=$(BUILD)/integration.counts \
	    PROCD_SUMMARY_PREFIX="integration: " \
	    sh tests/integration/run.sh || status=1; \
	sh tests/summary.sh $(BUILD)/unit.counts \
	    $(BUILD)/integration.counts || status=1; \
	exit $$status

unit: all $(UNIT_BIN) | $(PREP)
	@sh tests/run-unit.sh $(UNIT_BIN)

integration: all $(HELPER_BIN) | $(PREP)
	@PROCD_BUILD=$(BUILD) sh tests/integration/run.sh

# The integration tests with every daemonized procd under valgrind
# (definite leaks and memory errors fail the test).
check-valgrind: all $(HELPER_BIN) | $(PREP)
	@CC="$(CC)" sh tests/deps.sh valgrind
	@PROCD_BUILD=$(BUILD) PROCD_VALGRIND=1 PROCD_TEST_SLOW=4 \
	    sh tests/integration/run.sh

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSTEMDUNITDIR) \
	    $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(BUILD)/procd $(DESTDIR)$(SBINDIR)/procd
	install -m 0755 $(BUILD)/procctl $(DESTDIR)$(BINDIR)/procctl
	install -m 0644 man/procctl.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/procd.ini.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/procd.8 $(DESTDIR)$(MANDIR)/man8/
	[ -e $(DESTDIR)$(SYSCONFDIR)/procd.ini ] || \
	    install -D -m 0644 conf/procd.ini $(DESTDIR)$(SYSCONFDIR)/procd.ini
	sed -e 's|/usr/sbin/procd|$(SBINDIR)/procd|g' \
	    -e 's|/etc/procd.ini|$(SYSCONFDIR)/procd.ini|g' \
	    conf/procd.service > $(DESTDIR)$(SYSTEMDUNITDIR)/procd.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/procd.service
	install -m 0644 conf/procctl.bash-completion \
	    $(DESTDIR)$(BASHCOMPDIR)/procctl

# Opt-in: these names may belong to a real supervisor installation, so
# only install-compat makes them, and uninstall removes only our links.
# A real supervisord there (a file, not a link) is refused, not replaced.
install-compat: install
	@for n in supervisord supervisorctl; do \
	    f=$(DESTDIR)$(BINDIR)/$$n; \
	    if [ -e "$$f" ] && [ ! -L "$$f" ]; then \
		echo "install-compat: $$f exists and is not a link (remove" \
		    "the supervisor package first)" >&2; exit 1; fi; \
	done
	ln -sf $(SBINDIR)/procd $(DESTDIR)$(BINDIR)/supervisord
	ln -sf procctl $(DESTDIR)$(BINDIR)/supervisorctl

uninstall:
	for l in supervisord:$(SBINDIR)/procd supervisorctl:procctl; do \
	    f=$(DESTDIR)$(BINDIR)/$${l%%:*}; \
	    if [ -L "$$f" ] && [ "$$(readlink "$$f")" = "$${l#*:}" ]; then \
		rm -f "$$f"; fi; \
	done
	rm -f $(DESTDIR)$(SBINDIR)/procd $(DESTDIR)$(BINDIR)/procctl \
	    $(DESTDIR)$(MANDIR)/man1/procctl.1 \
	    $(DESTDIR)$(MANDIR)/man5/procd.ini.5 \
	    $(DESTDIR)$(MANDIR)/man8/procd.8 \
	    $(DESTDIR)$(SYSTEMDUNITDIR)/procd.service \
	    $(DESTDIR)$(BASHCOMPDIR)/procctl

clean:
	rm -rf build build-san build-musl procd procctl
