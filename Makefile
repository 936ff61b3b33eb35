# forecourt — build, test and install.  `make help` lists the targets.
# Sources are found by wildcard: a new file in src/ drivers/ seeds/ ui/ or
# tests/unit/ is built without editing this file.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
SYSCONFDIR ?= /etc
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)

PKGS      := ncursesw sqlite3 libserialport libcurl libsodium inih jansson
# Head office (forecourt-hq): base/ and src/hq/ only, on PostgreSQL (and
# libcsv, which has no pkg-config file, for base/rowfile's import files).
HQ_PKGS   := libmicrohttpd libpq libsodium inih jansson
TEST_PKGS := cmocka

# Debian 12 packages the build, the tests and `make run` need (stress-ng: to
# check the suite on a loaded machine, see HACKING.md).
DEB_PKGS := build-essential pkg-config libncurses-dev libsqlite3-dev \
	libserialport-dev libcurl4-openssl-dev libsodium-dev libinih-dev \
	libjansson-dev libcsv-dev libcmocka-dev tmux sqlite3 gettext \
	python3 curl locales stress-ng \
	libmicrohttpd-dev libpq-dev postgresql

# Debian 12 packages `make deb` needs besides (not installed by `make check`).
DEB_TOOLS := dpkg-dev lintian
# Debian 12 packages `make bench` needs besides (gnuplot draws scaling.svg).
DEB_BENCH := gnuplot-nox

WARN   := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	  -Wformat=2 -Werror
OPT    ?= -O2 -g
SAN    ?= 0
ifeq ($(SAN),1)
  OPT := -O1 -g -fno-omit-frame-pointer
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined
endif
# Test hooks (FORECOURT_NOW, FORECOURT_MONO_OFFSET_FILE, FORECOURT_REPORT_HOLD:
# src/base/test_hook.h; FORECOURT_LOG_FILE: src/base/log.h) exist only in a
# test build: the sanitizer build of `make check` (SAN=1), or TEST_HOOKS=1.
# `make`, `make install`, `make deb`, `make run` and `make bench` never read them.
TEST_HOOKS ?= $(SAN)
ifeq ($(TEST_HOOKS),1)
  CPPFLAGS += -DFORECOURT_TEST_HOOKS
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -lpthread
CPPFLAGS += -D_GNU_SOURCE -Isrc -I.
CFLAGS   += -std=c11 $(WARN) $(OPT) $(SANFLAGS) -MMD -MP
LDFLAGS  += $(SANFLAGS)

CORE_SRC := $(filter-out src/hq/%,$(wildcard src/*/*.c)) $(wildcard drivers/*.c) $(wildcard seeds/*.c)
BASE_SRC := $(wildcard src/base/*.c)
HQ_SRC   := $(wildcard src/hq/*.c)
UI_SRC   := $(wildcard ui/*.c ui/*/*.c)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
TOOL_SRC := $(wildcard tests/tools/*.c)
SHIM_SRC := $(wildcard tests/shim/*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
BENCH_SRC := $(wildcard tests/bench/*.c)
PO       := $(wildcard ui/po/*.po)

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/obj/%.o)
UI_OBJ   := $(UI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tests/tools/%)
SHIM_LIB := $(SHIM_SRC:tests/shim/%.c=$(BUILD)/tests/shim/%.so)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/replay_%)
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
MO       := $(PO:ui/po/%.po=$(BUILD)/locale/%/LC_MESSAGES/forecourt.mo)
CORE_LIB := $(BUILD)/libforecourt.a
BIN      := $(BUILD)/forecourt
HQ_OBJ   := $(HQ_SRC:%.c=$(BUILD)/obj/%.o) $(BASE_SRC:%.c=$(BUILD)/obj/%.o)
HQ_BIN   := $(BUILD)/forecourt-hq
HQ_CFLAGS = $(shell pkg-config --cflags $(HQ_PKGS) 2>/dev/null)
HQ_LIBS   = $(shell pkg-config --libs $(HQ_PKGS) 2>/dev/null) -lcsv -lm -lpthread

.PHONY: deb deb-deps bench-deps demo-chain all deps run check layout bench install uninstall clean asan debug help fuzz tests po pot po-check
all: $(BIN) $(HQ_BIN) $(MO)

help:
	@echo "make            build $(BIN) and $(HQ_BIN)"
	@echo "make run        the kiosk on a demo database with a simulated reader"
	@echo "make demo-chain head office and two station kiosks on the demo data (tmux)"
	@echo "make check      build under ASan+UBSan and run every test"
	@echo "make bench      the performance figures (ratios against a floor)"
	@echo "make asan|debug sanitizer / unoptimised builds in $(BUILD)/asan, $(BUILD)/debug"
	@echo "make install    PREFIX=$(PREFIX) DESTDIR=..."
	@echo "make deb        the Debian package in $(BUILD)/ (hardened build in $(BUILD)/deb), checked by lintian"
	@echo "make deps       install missing Debian packages (root), else print the command"
	@echo "make po         merge new kiosk messages into ui/po/*.po (then translate them)"

# deb_install PACKAGES: install the missing ones of the Debian packages
# (as root), else print the apt-get line and fail.
deb_install = missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "deps: installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "deps: missing Debian packages. Run:"; echo "  sudo apt-get install$$missing"; exit 1; \
	fi

deps:
	@$(call deb_install,$(DEB_PKGS))
deb-deps:
	@$(call deb_install,$(DEB_TOOLS))
bench-deps:
	@$(call deb_install,$(DEB_BENCH))

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/src/hq/%.o: src/hq/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(HQ_CFLAGS) $(CFLAGS) -c -o $@ $<

$(HQ_BIN): $(HQ_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(HQ_OBJ) $(HQ_LIBS)

$(CORE_LIB): $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(UI_OBJ) $(CORE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(UI_OBJ) $(CORE_LIB) $(PKG_LIBS)

# The catalogues: the kiosk's messages found in the sources (xgettext, the
# keywords of ui/core/i18n.h and src/base/tr.h) and the run-time words of
# ui/po/words.pot merged into both ui/po/*.po; a new message comes in
# untranslated ("msgstr"): translate it in both.  tests/tui/screen_fit.sh
# fails while one is missing.
POT_SRC = $(sort $(wildcard ui/*.c ui/*/*.c ui/*/*.h)) $(sort $(filter-out src/hq/%,$(wildcard src/*/*.c)))
POT_KEYWORDS = -k_ -kN_ -k_n:1,2 -kP_:1c,2 -kFC_TR -kTR_NOOP
pot:
	@mkdir -p $(BUILD)
	$(Q)LC_ALL=C.UTF-8 xgettext --from-code=UTF-8 --no-wrap $(POT_KEYWORDS) --package-name=forecourt \
	  -o $(BUILD)/forecourt-src.pot $(POT_SRC) 2>/dev/null
	$(Q)sed -i 's/charset=CHARSET/charset=UTF-8/' $(BUILD)/forecourt-src.pot
	$(Q)msgcat --no-wrap --use-first -o $(BUILD)/forecourt.pot $(BUILD)/forecourt-src.pot ui/po/words.pot
po: pot
	$(Q)for po in $(PO); do msgmerge -q -U --no-wrap --backup=none --no-fuzzy-matching $$po $(BUILD)/forecourt.pot && \
	  msgattrib --no-wrap --no-obsolete -o $$po $$po; \
	  echo "$$po: $$(msgattrib --untranslated $$po | grep -c '^msgid ') untranslated"; done
# Every message of the sources translated in each catalogue (make check).
po-check: pot
	$(Q)for po in $(PO); do msgcmp $$po $(BUILD)/forecourt.pot || exit 1; done

$(BUILD)/locale/%/LC_MESSAGES/forecourt.mo: ui/po/%.po
	@mkdir -p $(dir $@)
	$(Q)msgfmt --check -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST-CC $<")
	$(Q)$(CC) $(CPPFLAGS) -Itests/unit $(PKG_CFLAGS) $(shell pkg-config --cflags $(TEST_PKGS)) $(CFLAGS) \
	  -o $@ $< $(CORE_LIB) $(PKG_LIBS) $(shell pkg-config --libs $(TEST_PKGS)) $(LDFLAGS)

$(BUILD)/tests/tools/%: tests/tools/%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< $(CORE_LIB) $(PKG_LIBS) $(LDFLAGS) -lutil

# LD_PRELOAD shims are built without sanitizers (they load into other programs).
$(BUILD)/tests/shim/%.so: tests/shim/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) -std=c11 $(WARN) -O1 -g -fPIC -shared -o $@ $< -ldl

# Fuzz corpus replay: the fuzz target linked with a plain main() that feeds
# every file of its corpus (tests/fuzz/NAME/).  `make fuzz` builds libFuzzer.
$(BUILD)/tests/replay_%: tests/fuzz/%.c tests/fuzz/replay_main.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -o $@ $< tests/fuzz/replay_main.c $(CORE_LIB) $(PKG_LIBS) $(LDFLAGS)

# Benchmark programs (optimised build: `make bench`).
$(BUILD)/bench/%: tests/bench/%.c $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(shell pkg-config --cflags ncursesw) $(CFLAGS) -o $@ $< $(CORE_LIB) $(PKG_LIBS) $(LDFLAGS)

tests: $(BIN) $(HQ_BIN) $(MO) $(UNIT_BIN) $(TOOL_BIN) $(SHIM_LIB) $(FUZZ_BIN)

layout:
	$(Q)tests/check-layout $(if $(wildcard $(BUILD)/obj),--names $(BUILD)/obj)

asan:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/asan SAN=1 all
debug:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/debug OPT="-O0 -g3" all

# Demo: a deterministic demo database, then the kiosk with a simulated reader.
# Its config is the example's, with the PIN pepper beside the demo database
# (not /etc/forecourt/pepper), so `forecourt staff add` works for the demo
# (README, "Trying the head's screens").  DEMO_FLAGS: e.g. --customers 500.
DEMO_DB ?= $(BUILD)/demo.db
DEMO_CONF := $(basename $(DEMO_DB)).conf
DEMO_FLAGS ?=
run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory DEMO_DB=$(DEMO_DB) $(DEMO_CONF)
	$(Q)FORECOURT_LOCALEDIR=$(BUILD)/locale $(BIN) --config $(DEMO_CONF) --db $(DEMO_DB) demo $(DEMO_FLAGS)

$(DEMO_CONF): config/forecourt.conf.example
	@mkdir -p $(dir $@)
	$(Q)sed -e 's|^pepper_file *=.*|pepper_file = $(abspath $(basename $(DEMO_DB))).pepper   ; the demo'"'"'s, beside its database|' \
	  -e 's|^holidays_file *=.*|holidays_file = $(abspath config/holidays.conf)|' \
	  -e '1s|.*|; $(notdir $@) — the demo'"'"'s configuration, made by `make run` from config/forecourt.conf.example.|' \
	  config/forecourt.conf.example >$@.tmp && mv $@.tmp $@

# Head office and two stations: a private PostgreSQL, forecourt-hq and two
# kiosks in the tmux session "forecourt-chain" (seeds/demo-chain.sh).
demo-chain: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)seeds/demo-chain.sh $(BUILD)

# The house rules (tests/check-layout, HACKING.md "Architecture") before the
# build: includes follow the layer order; after it: exported names.
check: deps
	$(Q)tests/check-layout
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/asan SAN=1 tests
	$(Q)tests/check-layout --names $(BUILD)/asan/obj
	$(Q)BUILD=$(BUILD)/asan tests/run-all

bench: deps bench-deps
	$(Q)$(MAKE) --no-print-directory all $(BENCH_BIN) $(TOOL_BIN)
	$(Q)BUILD=$(BUILD) tests/bench/run

fuzz:
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/fuzz/run-libfuzzer $(FUZZ_SECONDS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(SYSCONFDIR)/forecourt \
	  $(DESTDIR)$(DATADIR)/forecourt $(DESTDIR)$(DATADIR)/doc/forecourt
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/forecourt
	install -m 0755 $(HQ_BIN) $(DESTDIR)$(BINDIR)/forecourt-hq
	install -m 0644 config/forecourt.1 $(DESTDIR)$(MANDIR)/man1/forecourt.1
	install -m 0644 config/forecourt-hq.1 $(DESTDIR)$(MANDIR)/man1/forecourt-hq.1
	install -m 0644 config/forecourt.conf.example $(DESTDIR)$(DATADIR)/doc/forecourt/forecourt.conf.example
	install -m 0644 config/forecourt-hq.conf.example $(DESTDIR)$(DATADIR)/doc/forecourt/forecourt-hq.conf.example
	install -m 0644 config/holidays.conf $(DESTDIR)$(DATADIR)/forecourt/holidays.conf
	for u in forecourt@.service forecourt-sync.service forecourt-hq.service; do \
	  sed 's|@BINDIR@|$(BINDIR)|g' config/$$u > $(DESTDIR)$(DATADIR)/forecourt/$$u && \
	  chmod 0644 $(DESTDIR)$(DATADIR)/forecourt/$$u; done
	for mo in $(MO); do l=$${mo#$(BUILD)/locale/}; l=$${l%%/*}; \
	  install -d $(DESTDIR)$(DATADIR)/locale/$$l/LC_MESSAGES; \
	  install -m 0644 $$mo $(DESTDIR)$(DATADIR)/locale/$$l/LC_MESSAGES/forecourt.mo; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/forecourt $(DESTDIR)$(MANDIR)/man1/forecourt.1
	rm -f $(DESTDIR)$(BINDIR)/forecourt-hq $(DESTDIR)$(MANDIR)/man1/forecourt-hq.1
	rm -rf $(DESTDIR)$(DATADIR)/forecourt $(DESTDIR)$(DATADIR)/doc/forecourt
	rm -f $(DESTDIR)$(DATADIR)/locale/*/LC_MESSAGES/forecourt.mo

# The Debian package (README "Deployment"): an -O2 build with Debian's
# hardening flags in $(BUILD)/deb, packaged by config/deb/mkdeb into
# $(BUILD)/forecourt_VERSION_ARCH.deb, then lintian (errors fail the build).
deb: deb-deps
	$(Q)CFLAGS="$$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CFLAGS)" \
	  CPPFLAGS="$$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CPPFLAGS)" \
	  LDFLAGS="$$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get LDFLAGS)" \
	  $(MAKE) --no-print-directory BUILD=$(BUILD)/deb SAN=0 TEST_HOOKS=0 all
	$(Q)deb=$$(config/deb/mkdeb $(BUILD)/deb $(BUILD)) && echo "deb: $$deb" && \
	  lintian --fail-on error --info $$deb

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj $(BUILD)/tests $(BUILD)/bench -name "*.d" 2>/dev/null)
