# bench.mk -- make bench / make bench-quick (included by the Makefile).
#
# Runs procd side by side with supervisord, runit and s6 (installed from
# Debian when root and missing) and a plain fork+exec floor; prints a table
# of medians, ranges and ratios.  Nothing here runs in make check.
#   make bench                 full run (a few minutes to ~25 min)
#   make bench-quick           under 2 minutes
#   make bench BENCH_ARGS=...  e.g. "--only start,memory --reps 5"
#   make bench-sockets         restarts seen by a client, socket held by
#                              procd (sockets=) or not (also in make bench)

# Included before the Makefile's "all": keep whatever goal was the default
# (an empty one lets the next rule parsed, "all", become it).
BENCH_SAVED_GOAL := $(.DEFAULT_GOAL)

BENCH_HELPERS := $(BUILD)/bench/stamp $(BUILD)/bench/floor $(BUILD)/bench/evack \
	$(BUILD)/bench/evfloor
BENCH_ARGS ?=

.PHONY: bench bench-quick bench-sockets

bench: all $(BENCH_HELPERS)
	@sh tests/deps.sh python3
	python3 tests/bench/run.py --build $(BUILD) $(BENCH_ARGS)
	python3 tests/bench/sockets.py --build $(BUILD)

bench-sockets: all
	@sh tests/deps.sh python3
	python3 tests/bench/sockets.py --build $(BUILD)

bench-quick: all $(BENCH_HELPERS)
	@sh tests/deps.sh python3
	python3 tests/bench/run.py --build $(BUILD) --quick $(BENCH_ARGS)

$(BUILD)/bench/%: tests/bench/%.c | $(BUILD) $(PREP)
	@mkdir -p $(BUILD)/bench
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(ALL_LDFLAGS) -o $@ $<

.DEFAULT_GOAL := $(BENCH_SAVED_GOAL)
