# uc3 — plain GNU make. `make`, `make check`, `make demo`, `make install`.

PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/uc3
DATADIR    ?= $(PREFIX)/share/uc3
MANDIR     ?= $(PREFIX)/share/man
LOCALEDIR  ?= $(PREFIX)/share/locale

CC         ?= cc
CFLAGS     ?= -O2 -g
LDFLAGS    ?=
PKG_CONFIG ?= pkg-config
VERSION    := 0.1.0

# bash-completion's directory, where it finds completions/uc3 when uc3 is
# first completed: as its pkg-config file says, else under PREFIX.
BASHCOMPDIR ?= $(shell $(PKG_CONFIG) --variable=completionsdir bash-completion 2>/dev/null)
ifeq ($(strip $(BASHCOMPDIR)),)
override BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
endif

# Where the build goes; the sanitizer build uses its own.
B          ?= build
SAN        ?=

# The flags are read once, when make reads this file: a target that
# installs packages first (check, demo) builds in a sub-make, which reads
# them again after `make deps` has run.
PKGS       := libgit2 yaml-0.1 libpcre2-8 gmime-3.0 libcrypto
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
NPROC      := $(shell nproc 2>/dev/null || echo 2)

ifeq ($(SAN),1)
SANFLAGS   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
SANFLAGS   :=
endif

WARN       := -Wall -Wextra -Werror -Wno-unused-parameter
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Ilib -DUC3_VERSION='"$(VERSION)"' \
              -DUC3_LOCALEDIR='"$(LOCALEDIR)"' $(PKG_CFLAGS) $(CFLAGS) $(SANFLAGS)
ALL_LDFLAGS := -Wl,--as-needed $(LDFLAGS) $(SANFLAGS)

LIB_SRC    := $(sort $(wildcard lib/*.c))
LIB_OBJ    := $(patsubst lib/%.c,$(B)/lib/%.o,$(LIB_SRC))
CMD_SRC    := $(sort $(wildcard cmd/*.c))
TOOLS      := $(patsubst cmd/%.c,%,$(CMD_SRC))
TOOL_BINS  := $(addprefix $(B)/bin/,$(TOOLS))
# Programs the tools run, not commands: installed beside them in LIBEXECDIR.
HELPER_SRC := $(sort $(wildcard libexec/*.c))
HELPERS    := $(patsubst libexec/%.c,%,$(HELPER_SRC))
HELPER_BINS := $(addprefix $(B)/bin/,$(HELPERS))
UNIT_SRC   := $(sort $(wildcard tests/unit/*.c))
UNIT_BINS  := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(UNIT_SRC))
MAN1       := $(sort $(wildcard man/*.1))
MAN5       := $(sort $(wildcard man/*.5))
# The man pages in Indonesian, installed into the man directory's id/.
MAN1_ID    := $(sort $(wildcard man/id/*.1))
MAN5_ID    := $(sort $(wildcard man/id/*.5))
# The translations (po/LINGUAS), each a catalogue in share/locale as an
# installation has it, so that the built tools find it beside them.
LINGUAS    := $(strip $(shell cat po/LINGUAS 2>/dev/null))
MO_OUT     := $(patsubst %,$(B)/share/locale/%/LC_MESSAGES/uc3.mo,$(LINGUAS))
DATA       := $(sort $(wildcard records/* templates/*))
DATA_OUT   := $(addprefix $(B)/share/uc3/,$(DATA))

MAKEFLAGS += --no-print-directory

.PHONY: all check lint unit cli cli-asan cli-leaks install install-completion uninstall clean demo deps \
	bench format pkgs pot check-po

all: $(TOOL_BINS) $(HELPER_BINS) $(DATA_OUT) $(MO_OUT)

# Stop at once, and say what to do, when pkg-config did not find the
# libraries (it prints nothing when one of them is missing): every compile
# and link would fail with a less helpful error.
pkgs:
	@if [ -z "$(strip $(PKG_LIBS))" ]; then \
		missing=""; for p in $(PKGS); do $(PKG_CONFIG) --exists $$p || missing="$$missing $$p"; done; \
		echo "make: pkg-config does not find$${missing:- $(PKGS)}: run 'make deps' (as root or with sudo) first" >&2; \
		exit 2; \
	fi

$(B)/lib/%.o: lib/%.c lib/*.h | pkgs
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/libuc3.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/bin/%: cmd/%.c $(B)/libuc3.a lib/*.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $< -o $@ $(ALL_LDFLAGS) $(B)/libuc3.a $(PKG_LIBS)

$(B)/bin/%: libexec/%.c $(B)/libuc3.a lib/*.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $< -o $@ $(ALL_LDFLAGS) $(B)/libuc3.a $(PKG_LIBS)

$(B)/share/uc3/%: %
	@mkdir -p $(@D)
	cp $< $@

# The messages: the functions that translate their format themselves
# (error.h, tool.h, opt.h) are keywords, as _() and N_() are; the number
# after the colon is the argument that is the message.
XGETTEXT_KEYWORDS := -k_ -kN_ -kuc3_error_set:2 -kuc3_error_at:5 -kuc3_error_prefix:2 \
	-kuc3_tool_error:1 -kuc3_tool_warn:1 -kuc3_tool_note:1 -kuc3_opt_usage_error:2 \
	-kUC3_OPT_BOOL:4 -kUC3_OPT_SET_INT:5 -kUC3_OPT_STRING:5 -kUC3_OPT_LONG:5 \
	-kUC3_OPT_POSITIVE:5 -kUC3_OPT_CALLBACK:5 -kUC3_OPT_FORMAT:2
XGETTEXT := xgettext --language=C --from-code=UTF-8 --add-comments=TRANSLATORS: --package-name=uc3 \
	--msgid-bugs-address= --no-wrap --sort-by-file $(XGETTEXT_KEYWORDS)
POT_SRC := $(sort $(wildcard lib/*.c)) $(CMD_SRC) $(HELPER_SRC)

# po/uc3.pot, the template of the catalogues, from the source (committed:
# run `make pot` after changing a message).
pot:
	$(XGETTEXT) -o po/uc3.pot $(POT_SRC)

$(B)/share/locale/%/LC_MESSAGES/uc3.mo: po/%.po
	@mkdir -p $(@D)
	msgfmt --check -o $@ $<

# Every message of the source translated in every catalogue, none fuzzy
# (po/check.sh); run by lint, so by check.
check-po:
	@for l in $(LINGUAS); do XGETTEXT='$(XGETTEXT)' sh po/check.sh po/$$l.po $(POT_SRC) || exit 1; done

$(B)/tests/unit/%: tests/unit/%.c $(B)/libuc3.a lib/*.h
	@if [ -z "$(strip $(CMOCKA_LIBS))" ]; then \
		echo "make: pkg-config does not find cmocka: run 'make deps' (as root or with sudo) first" >&2; \
		exit 2; \
	fi
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) $< -o $@ $(ALL_LDFLAGS) $(B)/libuc3.a $(PKG_LIBS) $(CMOCKA_LIBS)

# Debian packages the build, the tests and the demo need (msmtp and
# python3-aiosmtpd: the mail tests' real MTA and SMTP sink); installed only
# when missing.
DEB_PKGS := build-essential pkg-config git libgit2-dev libyaml-dev libpcre2-dev libgmime-3.0-dev libssl-dev \
            libcmocka-dev bats mandoc gnupg openssh-client python3 python3-yaml perl \
            clang-format time chromium msmtp python3-aiosmtpd gettext shellcheck
deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The C the project formats: `make format` rewrites it, `make lint` fails
# on any file clang-format would change (the style is .clang-format).
FORMAT_SRC := $(sort $(wildcard lib/*.c lib/*.h cmd/*.c libexec/*.c tests/unit/*.c tests/unit/*.h \
                                 tests/fuzz/*.c tests/fuzz/*.h))

lint: check-po
	mandoc -Tlint -W warning $(MAN1) $(MAN5)
	$(if $(MAN1_ID)$(MAN5_ID),mandoc -Tlint -W warning $(MAN1_ID) $(MAN5_ID))
	$(if $(shell command -v shellcheck),shellcheck po/check.sh)
	bash -n completion/uc3.bash
	@command -v clang-format >/dev/null || { echo "make: clang-format not found: run 'make deps' (as root or with sudo) first" >&2; exit 2; }
	@clang-format --dry-run --Werror $(FORMAT_SRC) && echo "clang-format: $(words $(FORMAT_SRC)) files, nothing to change"

unit: $(UNIT_BINS)
	@pass=0; fail=0; for t in $(UNIT_BINS); do \
		if $$t; then pass=$$((pass+1)); else fail=$$((fail+1)); echo "FAILED: $$t"; fi; \
	done; echo "unit: $$pass passed, $$fail failed"; [ $$fail = 0 ]

cli: all
	UC3_BUILD=$(CURDIR)/$(B) prove -j$(NPROC) --timer --exec 'bats --tap' tests/cli/*.bats

# The command-line pass under the sanitizers checks memory errors and
# undefined behaviour in every process; leaks are checked by the unit
# tests' sanitizer run (LeakSanitizer's scan at the exit of each of the
# thousands of short processes here cost a fifth of this pass). Two files
# run only in the plain pass: the shell completion (its C is the option
# table's listing, which every --help of this pass runs) and the races
# of concurrent writers (the write and its retries run under the
# sanitizers in writes.bats and remote.bats); under the sanitizers they
# took three minutes, an eighth of the pass.
ASAN_SKIP := tests/cli/completion.bats tests/cli/concurrency.bats
cli-asan:
	$(MAKE) B=build-asan SAN=1 all
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	UC3_BUILD=$(CURDIR)/build-asan prove -j$(NPROC) --timer --exec 'bats --tap' \
		$(filter-out $(ASAN_SKIP),$(wildcard tests/cli/*.bats))

# Not part of check: the command-line files LEAK_FILES under the
# sanitizers with LeakSanitizer on, for a change that allocates in a command.
LEAK_FILES ?= tests/cli/workflow.bats tests/cli/mail-in.bats
cli-leaks:
	$(MAKE) B=build-asan SAN=1 all
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	UC3_BUILD=$(CURDIR)/build-asan prove -j$(NPROC) --timer --exec 'bats --tap' $(LEAK_FILES)

check: deps
	$(MAKE) lint
	$(MAKE) -j$(NPROC) all $(UNIT_BINS)
	$(MAKE) unit
	$(MAKE) cli
	$(MAKE) -j$(NPROC) B=build-asan SAN=1 all $(subst $(B)/,build-asan/,$(UNIT_BINS))
	$(MAKE) B=build-asan SAN=1 unit
	$(MAKE) cli-asan

demo: deps
	@$(MAKE) all
	@sh tests/demo.sh $(CURDIR)/$(B)

bench: all
	@sh tests/bench/all.sh $(CURDIR)/$(B)

# Fuzzing (tests/fuzz/README.md), not part of check: the library and the
# targets built with clang, -fsanitize=fuzzer and the sanitizers into
# build-fuzz; then each target runs FUZZ_SECONDS from its seed corpus.
FUZZ_TARGETS := ydoc ticket policy tmpl clock verify mail
FUZZ_SECONDS ?= 60
FUZZ_BINS    := $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_TARGETS))

.PHONY: fuzz fuzz-bins
fuzz:
	$(MAKE) B=build-fuzz CC=clang SAN=1 CFLAGS='-O1 -g -fsanitize=fuzzer-no-link' fuzz-bins
	UC3_FUZZ_BIN=build-fuzz/fuzz BUILD=build-fuzz sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-bins: $(FUZZ_BINS)

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_main.h $(B)/libuc3.a lib/*.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DUC3_LIBFUZZER -fsanitize=fuzzer $< -o $@ $(ALL_LDFLAGS) $(B)/libuc3.a $(PKG_LIBS)

install: all install-completion
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR)/records \
		$(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(B)/bin/uc3 $(DESTDIR)$(BINDIR)/uc3
	for t in $(filter-out uc3,$(TOOLS)) $(HELPERS); do install -m 755 $(B)/bin/$$t $(DESTDIR)$(LIBEXECDIR)/$$t; done
	install -m 644 records/* $(DESTDIR)$(DATADIR)/records/
	install -m 644 templates/* $(DESTDIR)$(DATADIR)/templates/
	$(if $(MAN1),install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/)
	$(if $(MAN5),install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/)
	for l in $(LINGUAS); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 $(B)/share/locale/$$l/LC_MESSAGES/uc3.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/uc3.mo || exit 1; \
	done
	$(if $(MAN1_ID),install -d $(DESTDIR)$(MANDIR)/id/man1 && install -m 644 $(MAN1_ID) $(DESTDIR)$(MANDIR)/id/man1/)
	$(if $(MAN5_ID),install -d $(DESTDIR)$(MANDIR)/id/man5 && install -m 644 $(MAN5_ID) $(DESTDIR)$(MANDIR)/id/man5/)

# The completion alone: it needs nothing built.
install-completion:
	install -d $(DESTDIR)$(BASHCOMPDIR)
	install -m 644 completion/uc3.bash $(DESTDIR)$(BASHCOMPDIR)/uc3

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/uc3 $(DESTDIR)$(BASHCOMPDIR)/uc3
	rm -rf $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR)
	for m in $(notdir $(MAN1)); do rm -f $(DESTDIR)$(MANDIR)/man1/$$m; done
	for m in $(notdir $(MAN5)); do rm -f $(DESTDIR)$(MANDIR)/man5/$$m; done
	for l in $(LINGUAS); do rm -f $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/uc3.mo; done
	for m in $(notdir $(MAN1_ID)); do rm -f $(DESTDIR)$(MANDIR)/id/man1/$$m; done
	for m in $(notdir $(MAN5_ID)); do rm -f $(DESTDIR)$(MANDIR)/id/man5/$$m; done

format:
	clang-format -i $(FORMAT_SRC)

clean:
	rm -rf build build-asan build-fuzz demo demo.keys demo.gitconfig demo-report.html
