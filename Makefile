# procd -- build, run, test, install.
#
#   make          build procd and procctl
#   make run      install missing build deps (as root), build, run the example
#   make check    the same set-up, then every test (SAN=1: ASan+UBSan build)
#   make install  PREFIX=/usr/local DESTDIR=

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
CFLAGS	+= -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wformat=2 -D_GNU_SOURCE -Iinclude \
	   -DPROCD_VERSION='"$(VERSION)"'
LDLIBS	+= -lev
# procctl never calls libev: do not make every call load it.
LDFLAGS	+= -Wl,--as-needed

ifeq ($(SAN),1)
BUILD	:= build-san
# Sanitized binaries are slower: the tests' deadlines stretch with this.
export PROCD_TEST_SLOW ?= 3
CFLAGS	+= -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=address,undefined
else
BUILD	:= build
endif

# Debian package that provides each build dependency, checked by deps.
DEPS_PKGS := libev-dev libinih-dev libcmocka-dev pkg-config
# What the integration tests run besides procd: JSON checks and spare
# ports (python3), process listings (procps).
CHECK_PKGS := python3 procps

LIB_SRC	:= $(filter-out src/procd.c src/procctl.c,$(wildcard src/*.c))
LIB_OBJ	:= $(LIB_SRC:src/%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/%)
HELPER_SRC := $(wildcard tests/helpers/*.c)
HELPER_BIN := $(HELPER_SRC:tests/helpers/%.c=$(BUILD)/helpers/%)

INIH_CFLAGS = $(shell $(PKG_CONFIG) --cflags inih 2>/dev/null)
INIH_LIBS   = $(shell $(PKG_CONFIG) --libs inih 2>/dev/null || echo -linih)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

.PHONY: all deps run check unit integration install uninstall clean \
	check-valgrind

.DEFAULT_GOAL := all

# Fragments with their own targets: fuzzing (make fuzz), benchmarks
# (make bench).  Each adds to CHECK_EXTRA what make check must also run.
CHECK_EXTRA :=
-include tests/fuzz/fuzz.mk
-include tests/bench/bench.mk
-include tests/stress/stress.mk

# The top-level procd and procctl are the plain build's, for users; tests
# run the binaries of the build they test ($(BUILD)/).
ifeq ($(SAN),1)
all: deps $(BUILD)/procd $(BUILD)/procctl
else
all: deps procd procctl
endif

deps:
	@sh tests/deps.sh $(DEPS_PKGS)

procd: $(BUILD)/procd
	cp $< $@
procctl: $(BUILD)/procctl
	cp $< $@

$(BUILD)/procd: $(BUILD)/procd.o $(BUILD)/libprocd.a
	$(CC) $(LDFLAGS) -o $@ $^ $(INIH_LIBS) $(LDLIBS)
$(BUILD)/procctl: $(BUILD)/procctl.o $(BUILD)/libprocd.a
	$(CC) $(LDFLAGS) -o $@ $^ $(INIH_LIBS) $(LDLIBS)

$(BUILD)/libprocd.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/%.o: src/%.c $(wildcard include/*.h) | $(BUILD)
	$(CC) $(CFLAGS) $(INIH_CFLAGS) -c -o $@ $<

$(BUILD)/test_%: tests/unit/test_%.c $(BUILD)/libprocd.a
	$(CC) $(CFLAGS) $(CMOCKA_CFLAGS) $(LDFLAGS) -o $@ $^ \
	    $(CMOCKA_LIBS) $(INIH_LIBS) $(LDLIBS)

$(BUILD)/helpers/%: tests/helpers/%.c | $(BUILD)
	@mkdir -p $(BUILD)/helpers
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

$(BUILD):
	mkdir -p $(BUILD)

run: all
	./$(BUILD)/procd start --foreground -c conf/procd.ini

check: all $(UNIT_BIN) $(HELPER_BIN) $(CHECK_EXTRA)
	@sh tests/deps.sh $(CHECK_PKGS)
	@sh tests/run-unit.sh $(UNIT_BIN)
	@PROCD_BUILD=$(BUILD) sh tests/integration/run.sh

unit: all $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

integration: all $(HELPER_BIN)
	@sh tests/deps.sh $(CHECK_PKGS)
	@PROCD_BUILD=$(BUILD) sh tests/integration/run.sh

# The integration tests with every daemonized procd under valgrind
# (definite leaks and memory errors fail the test).
check-valgrind: all $(HELPER_BIN)
	@sh tests/deps.sh valgrind $(CHECK_PKGS)
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

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/procd $(DESTDIR)$(BINDIR)/procctl \
	    $(DESTDIR)$(MANDIR)/man1/procctl.1 \
	    $(DESTDIR)$(MANDIR)/man5/procd.ini.5 \
	    $(DESTDIR)$(MANDIR)/man8/procd.8 \
	    $(DESTDIR)$(SYSTEMDUNITDIR)/procd.service \
	    $(DESTDIR)$(BASHCOMPDIR)/procctl

clean:
	rm -rf build build-san procd procctl
