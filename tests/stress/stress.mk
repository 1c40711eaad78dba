# stress.mk -- make soak (included by the Makefile).
#
# The randomized concurrent-client stress test (tests/stress/chaos.py) for
# as long as you like; make check runs it briefly (tests/integration/
# t_chaos.sh).  See tests/stress/README.md.
#   make soak                            10 minutes, a random seed
#   make soak SOAK_SECS=60 SOAK_SEED=42  a given length and seed
#   make soak SAN=1                      against the ASan+UBSan build
#   make soak SOAK_ARGS="--clients 8 --avoid priority"

# Included before the Makefile's "all": keep whatever goal was the default.
SOAK_SAVED_GOAL := $(.DEFAULT_GOAL)

SOAK_SECS ?= 600
SOAK_SEED ?=
SOAK_DIR ?= /tmp/procd-soak
SOAK_ARGS ?=

.PHONY: soak

soak: all
	@sh tests/deps.sh python3 procps
	python3 tests/stress/chaos.py --procd $(BUILD)/procd \
	    --procctl $(BUILD)/procctl --duration $(SOAK_SECS) \
	    $(if $(SOAK_SEED),--seed $(SOAK_SEED)) \
	    --slow $(or $(PROCD_TEST_SLOW),1) --dir $(SOAK_DIR) $(SOAK_ARGS)

.DEFAULT_GOAL := $(SOAK_SAVED_GOAL)
