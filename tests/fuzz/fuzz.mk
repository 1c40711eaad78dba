# fuzz.mk -- fuzzing procd's parsers (included by the Makefile).
#
#   make fuzz            build each target with clang + libFuzzer + ASan/UBSan
#                        into build-fuzz/ and run it FUZZ_SECONDS (default 60)
#                        seconds; `make -j3 fuzz` runs the targets side by side
#   make fuzz-proto      (or fuzz-config, fuzz-words, fuzz-text): one target
#   make fuzz-regress    replay tests/fuzz/corpus/T and tests/fuzz/regressions/T
#                        through each target, built with $(CC) $(ALL_CFLAGS) and no
#                        libFuzzer (part of make check; SAN=1 replays under
#                        ASan/UBSan)
#   make fuzz-cov        line coverage of the fuzzed sources over the seed
#                        corpora, the regressions and build-fuzz/corpus
#   make fuzz-clean      remove build-fuzz/ (make clean does it too)
#
# Targets (tests/fuzz/fuzz_T.c): proto (proto.c's decoders), config
# (config_load and everything behind it), words (shellwords, expand,
# envlist, cfgval directly), text (json_quote, textsafe.c), args
# (supervisord's and procctl's command lines, procctl's socket scan),
# http (the status line of http:// health checks, httpstat.c), envfile
# (environment_file= contents, envfile_parse), xmlrpc (the gateway's
# XML-RPC, JSON and Authorization readers), evproto (the event
# listener protocol, evproto.c), rpc (the XML-RPC method dispatcher),
# dash (the dashboard's rows, HTML escaper and CSRF check), sockets
# (socket URLs and sockets=, sockspec.c) and rxstate (the state procctl
# reexec hands to the new image, rxstateread.c and rxrec.c) and ctlhttp
# (procctl's -s http:// URL and the response head it reads, ctlhttpparse.c).  New inputs libFuzzer finds go to
# build-fuzz/corpus/T, never into the tree; a crash is saved in
# build-fuzz/artifacts/T/.  To keep one, copy it to tests/fuzz/regressions/T/
# under a name that says what it found.  Extra libFuzzer flags: FUZZ_ARGS
# (e.g. FUZZ_ARGS="-fork=1 -ignore_crashes=1" to fuzz past a known crash).

FUZZ_TARGETS	:= proto config words text args http envfile xmlrpc evproto rpc \
		   dash sockets rxstate ctlhttp
FUZZ_DIR	:= build-fuzz
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 60
FUZZ_TIMEOUT	?= 10
FUZZ_ARGS	?=
FUZZ_REGRESS_WRAPPER ?=
LLVM_PROFDATA	?= $(shell command -v llvm-profdata || \
		   command -v llvm-profdata-14)
LLVM_COV	?= $(shell command -v llvm-cov || command -v llvm-cov-14)

# The main build's language, warning and define flags, without its choice
# of optimization and sanitizers, which are the fuzz build's own (and so
# without _FORTIFY_SOURCE, which the -O0 coverage build cannot have).
FUZZ_CFLAGS	= $(filter-out -D_FORTIFY_SOURCE%,\
		  $(filter -std=% -W% -D% -I%,$(ALL_CFLAGS))) $(INIH_CFLAGS) \
		  -g -fno-omit-frame-pointer
FUZZ_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=all

# What each target compiles besides itself.  Taken from LIB_SRC, so a
# cfg*.c split off later is picked up without an edit here.
FUZZ_WORDS_SRC	 = $(filter src/cause.c src/cfgcheck.c src/cfgval.c src/envlist.c \
		   src/expand.c src/shellwords.c,$(LIB_SRC))
FUZZ_SRC_proto	 = $(filter src/proto.c,$(LIB_SRC))
FUZZ_SRC_evproto = $(filter src/evproto.c,$(LIB_SRC))
# buf.c and json.c call fatal, which log.c defines (through sys.c and
# logfile.c).
FUZZ_SRC_text	 = $(filter src/buf.c src/cause.c src/json.c src/log.c src/logfile.c src/safepath.c src/sys.c \
		   src/textsafe.c,$(LIB_SRC))
FUZZ_CFLAGS_text := -Wno-format-nonliteral
FUZZ_SRC_http	 = $(filter src/httpstat.c,$(LIB_SRC))
FUZZ_SRC_sockets = $(filter src/cause.c src/cfgcheck.c src/cfgval.c src/sockspec.c,\
		   $(LIB_SRC))
FUZZ_SRC_words	 = $(FUZZ_WORDS_SRC)
# log.c writes through sys.c's sys_write_all.
FUZZ_SRC_config	 = $(sort $(filter src/config.c src/cfg%.c src/depgraph.c \
		   src/evconf.c src/evtype.c src/sockspec.c \
		   src/diag.c src/log.c src/logfile.c src/safepath.c src/sys.c src/buf.c \
		   src/textsafe.c src/lineprefix.c,$(LIB_SRC)) $(FUZZ_WORDS_SRC))
FUZZ_LIBS_config = -Wl,--wrap=open,--wrap=glob,--wrap=geteuid,--wrap=getuid \
		   $(INIH_LIBS)
# The command lines and procctl's socket scan; ctlfind.c reads configs.
FUZZ_SRC_args	 = $(sort $(FUZZ_SRC_config) $(filter src/svdargs.c \
		   src/ctlargs.c src/ctlfind.c,$(LIB_SRC)))
FUZZ_LIBS_args	 = $(INIH_LIBS)
FUZZ_CFLAGS_args := -Wno-format-nonliteral
# envfile_read opens through config.c's config_open: the config sources.
FUZZ_SRC_envfile = $(sort $(FUZZ_SRC_config) $(filter src/envfile.c,\
		   $(LIB_SRC)))
FUZZ_LIBS_envfile = $(INIH_LIBS)
FUZZ_CFLAGS_envfile := -Wno-format-nonliteral
# clang's -Wformat=2 flags log.c's log_vemit (a vsnprintf wrapper without a
# format attribute); gcc does not.  Only log_level_parse is used here.
FUZZ_CFLAGS_config := -Wno-format-nonliteral
# The gateway's readers: XML-RPC bodies (with expat), procd's JSON,
# Authorization headers.  buf.c's fatal is log.c's.
FUZZ_SRC_xmlrpc	 = $(filter src/buf.c src/cause.c src/httpauth.c src/jsonread.c \
		   src/log.c src/logfile.c src/safepath.c src/sha1.c src/sys.c \
		   src/textsafe.c src/xmlrpc_parse.c src/xmlrpc_write.c \
		   src/xrvalue.c src/rpclogrule.c src/rpcline.c,$(LIB_SRC))
FUZZ_LIBS_xmlrpc = -lexpat
FUZZ_CFLAGS_xmlrpc := -Wno-format-nonliteral
FUZZ_MAXLEN_xmlrpc := 8192
FUZZ_DICT_xmlrpc := tests/fuzz/xmlrpc.dict
# The method dispatcher behind the reader, procd's answers from the input
# (fuzz_rpc.c plays gwctl.c's part).
FUZZ_SRC_rpc	 = $(sort $(FUZZ_SRC_xmlrpc) $(filter src/rpc%.c,$(LIB_SRC)))
FUZZ_LIBS_rpc	 = -lexpat
FUZZ_CFLAGS_rpc	:= -Wno-format-nonliteral
FUZZ_MAXLEN_rpc	:= 8192
FUZZ_DICT_rpc	:= tests/fuzz/xmlrpc.dict
# The dashboard's rows (HTML, JSON), escaper and CSRF check; render.c's
# uptime needs proc.c's state names and cfgval.c's signal names.
FUZZ_SRC_dash	 = $(filter src/buf.c src/cause.c src/cfgcheck.c src/cfgval.c src/dashguard.c \
		   src/dashrow.c src/htmlesc.c src/json.c src/jsonread.c \
		   src/log.c src/logfile.c src/proc.c src/render.c \
		   src/safepath.c src/sys.c src/textsafe.c src/xrvalue.c,\
		   $(LIB_SRC))
FUZZ_CFLAGS_dash := -Wno-format-nonliteral
FUZZ_MAXLEN_dash := 4096
# The state a re-exec hands over (buf.c's fatal is log.c's).
FUZZ_SRC_rxstate = $(filter src/buf.c src/cause.c src/log.c src/logfile.c \
		   src/rxrec.c src/rxstate.c src/rxstateread.c src/safepath.c \
		   src/sys.c \
		   src/textsafe.c,$(LIB_SRC))
FUZZ_CFLAGS_rxstate := -Wno-format-nonliteral
FUZZ_MAXLEN_rxstate := 8192
# What procctl reads from an http:// server, and its -s URL.
FUZZ_SRC_ctlhttp = $(filter src/ctlhttpparse.c,$(LIB_SRC))
FUZZ_MAXLEN_ctlhttp := 9000
# Longest input: proto needs 2 KiB for PROTO_MAX_ARGS one-letter arguments.
FUZZ_MAXLEN_proto  := 4096
FUZZ_MAXLEN_config := 8192
FUZZ_MAXLEN_words  := 1024
FUZZ_MAXLEN_text   := 1024
FUZZ_MAXLEN_args   := 2048
FUZZ_MAXLEN_http   := 256
FUZZ_MAXLEN_envfile := 4096
FUZZ_MAXLEN_evproto := 4096
FUZZ_MAXLEN_sockets := 1024
FUZZ_DICT_config := tests/fuzz/config.dict
FUZZ_DICT_words	 := tests/fuzz/words.dict

FUZZ_HDRS	= tests/fuzz/fuzz.h $(wildcard include/*.h)
# The lines of a libFuzzer log worth showing: the first and last counts
# (cov: ft:), the final stats, and what a crash leaves.
FUZZ_SUMMARY := ^\#[0-9]+[[:space:]]+(DONE|INITED)|^stat::|ERROR|SUMMARY|Test unit
FUZZ_REPLAY	= $(FUZZ_TARGETS:%=$(BUILD)/fuzz-replay-%)
FUZZ_COV_DIR	:= $(FUZZ_DIR)/cov

.PHONY: fuzz fuzz-regress fuzz-cov fuzz-clean $(FUZZ_TARGETS:%=fuzz-%)

CHECK_EXTRA += fuzz-regress
clean: fuzz-clean

fuzz: $(FUZZ_TARGETS:%=fuzz-%)

# $(1): target name.  The libFuzzer binary, its run, the replay driver and
# the coverage driver.
define FUZZ_TARGET_RULES
$(FUZZ_DIR)/fuzz_$(1): tests/fuzz/fuzz_$(1).c $$(FUZZ_SRC_$(1)) $$(FUZZ_HDRS)
	@mkdir -p $(FUZZ_DIR)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$(FUZZ_CFLAGS_$(1)) -O1 \
	    -fsanitize=fuzzer $$(FUZZ_SAN) \
	    -o $$@ tests/fuzz/fuzz_$(1).c $$(FUZZ_SRC_$(1)) $$(FUZZ_LIBS_$(1))

fuzz-$(1): $(FUZZ_DIR)/fuzz_$(1)
	@mkdir -p $(FUZZ_DIR)/corpus/$(1) $(FUZZ_DIR)/artifacts/$(1)
	@echo "fuzz $(1): $$(FUZZ_SECONDS)s, log in $(FUZZ_DIR)/fuzz_$(1).log"
	@$(FUZZ_DIR)/fuzz_$(1) -max_total_time=$$(FUZZ_SECONDS) \
	    -max_len=$(FUZZ_MAXLEN_$(1)) -timeout=$$(FUZZ_TIMEOUT) \
	    -print_final_stats=1 \
	    $(if $(FUZZ_DICT_$(1)),-dict=$(FUZZ_DICT_$(1))) \
	    -artifact_prefix=$(FUZZ_DIR)/artifacts/$(1)/ $$(FUZZ_ARGS) \
	    $(FUZZ_DIR)/corpus/$(1) tests/fuzz/corpus/$(1) \
	    $$(wildcard tests/fuzz/regressions/$(1)) \
	    >$(FUZZ_DIR)/fuzz_$(1).log 2>&1; \
	status=$$$$?; \
	grep -E "$$(FUZZ_SUMMARY)" $(FUZZ_DIR)/fuzz_$(1).log | \
	    sed 's/^/fuzz $(1): /'; \
	[ $$$$status -eq 0 ] || \
	    { tail -n 60 $(FUZZ_DIR)/fuzz_$(1).log; exit 1; }

$(BUILD)/fuzz-replay-$(1): tests/fuzz/regress.c tests/fuzz/fuzz_$(1).c \
    $$(FUZZ_SRC_$(1):src/%.c=$(BUILD)/%.o) $$(FUZZ_HDRS) | $(BUILD) $(PREP)
	$$(CC) $$(ALL_CFLAGS) $$(ALL_LDFLAGS) -o $$@ tests/fuzz/regress.c \
	    tests/fuzz/fuzz_$(1).c $$(FUZZ_SRC_$(1):src/%.c=$(BUILD)/%.o) \
	    $$(FUZZ_LIBS_$(1))

$(FUZZ_COV_DIR)/cov_$(1): tests/fuzz/regress.c tests/fuzz/fuzz_$(1).c \
    $$(FUZZ_SRC_$(1)) $$(FUZZ_HDRS)
	@mkdir -p $(FUZZ_COV_DIR)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$(FUZZ_CFLAGS_$(1)) -O0 \
	    -fprofile-instr-generate \
	    -fcoverage-mapping -o $$@ tests/fuzz/regress.c \
	    tests/fuzz/fuzz_$(1).c $$(FUZZ_SRC_$(1)) $$(FUZZ_LIBS_$(1))
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_TARGET_RULES,$(t))))

# Each target over its seeds and saved crashes; when one fails, again with
# -v, so that the last input named before the report is the culprit.
fuzz-regress: $(FUZZ_REPLAY)
	@status=0; for t in $(FUZZ_TARGETS); do \
	    dirs=tests/fuzz/corpus/$$t; \
	    [ ! -d tests/fuzz/regressions/$$t ] || \
		dirs="$$dirs tests/fuzz/regressions/$$t"; \
	    echo "fuzz-regress $$t: $$dirs"; \
	    $(FUZZ_REGRESS_WRAPPER) $(BUILD)/fuzz-replay-$$t $$dirs || { \
		status=1; \
		$(FUZZ_REGRESS_WRAPPER) $(BUILD)/fuzz-replay-$$t -v $$dirs \
		    2>&1 | tail -n 40; }; \
	done; exit $$status

# Coverage: each corpus file replayed by an instrumented driver (in batches;
# a batch that fails is replayed file by file, so one crashing input costs
# only its own profile), profiles merged, a report per target and one for
# all, and HTML in build-fuzz/cov/html.  log.c is left out of the reports:
# only its log_level_parse is linked in.
FUZZ_COV_SRC	= $(filter-out src/log.c,$(FUZZ_SRC_$(1)))
FUZZ_COV_BINS	= $(FUZZ_TARGETS:%=$(FUZZ_COV_DIR)/cov_%)
FUZZ_COV_OBJS	= $(firstword $(FUZZ_COV_BINS)) \
		  $(addprefix -object ,$(wordlist 2,9,$(FUZZ_COV_BINS)))
FUZZ_COV_ALL	= $(sort $(foreach t,$(FUZZ_TARGETS),\
		  $(call FUZZ_COV_SRC,$(t))))

fuzz-cov: $(FUZZ_COV_BINS)
	@[ -n "$(LLVM_PROFDATA)" ] && [ -n "$(LLVM_COV)" ] || \
	    { echo "fuzz-cov: llvm-profdata and llvm-cov are needed"; exit 1; }
	@rm -f $(FUZZ_COV_DIR)/*.profraw $(FUZZ_COV_DIR)/*.profdata
	@for t in $(FUZZ_TARGETS); do \
	    find tests/fuzz/corpus/$$t tests/fuzz/regressions/$$t \
		$(FUZZ_DIR)/corpus/$$t -type f ! -name '.*' 2>/dev/null | \
	    LLVM_PROFILE_FILE="$(FUZZ_COV_DIR)/$$t-%4m.profraw" \
	    xargs -r -n 64 sh -c 'bin=$$0; "$$bin" "$$@" >/dev/null 2>&1 || \
		for f; do "$$bin" "$$f" >/dev/null 2>&1; done' \
		$(FUZZ_COV_DIR)/cov_$$t; \
	    $(LLVM_PROFDATA) merge -sparse -o $(FUZZ_COV_DIR)/$$t.profdata \
		$(FUZZ_COV_DIR)/$$t-*.profraw || exit 1; \
	done
	@$(foreach t,$(FUZZ_TARGETS),echo "== fuzz-cov $(t)"; \
	    $(LLVM_COV) report $(FUZZ_COV_DIR)/cov_$(t) \
	    -instr-profile=$(FUZZ_COV_DIR)/$(t).profdata \
	    $(call FUZZ_COV_SRC,$(t)) || exit 1;)
	@$(LLVM_PROFDATA) merge -sparse -o $(FUZZ_COV_DIR)/all.profdata \
	    $(FUZZ_COV_DIR)/*.profdata
	@echo "== fuzz-cov all targets"
	@$(LLVM_COV) report $(FUZZ_COV_OBJS) \
	    -instr-profile=$(FUZZ_COV_DIR)/all.profdata $(FUZZ_COV_ALL)
	@$(LLVM_COV) show -format=html -output-dir=$(FUZZ_COV_DIR)/html \
	    $(FUZZ_COV_OBJS) -instr-profile=$(FUZZ_COV_DIR)/all.profdata \
	    $(FUZZ_COV_ALL)
	@echo "fuzz-cov: HTML in $(FUZZ_COV_DIR)/html/index.html"

fuzz-clean:
	rm -rf $(FUZZ_DIR)
