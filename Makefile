# The village kiosk: `make demo` shows the whole product, `make test` runs every test.
# Both install what is missing first (Debian 12, as root or through sudo).

SWIFT ?= swift
KIOSK := .build/debug/kiosk
SIM := .build/debug/kiosk-sim
# The demo resident: I KETUT WIRAWAN's e-KTP (7-byte UID) from demo/residents.csv, and a PIN registered for it.
DEMO_CARD := 04A21B6C9E4F80
DEMO_PIN := 407158
# The resident who collects a letter prepared by the village (demo/pickups.json): SITI AMINAH's card and PIN.
PICKUP_CARD := 520A8BB9
PICKUP_PIN := 250713
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
OUT := out
# Run from a systemd unit, make would pass on JOURNAL_STREAM, and `kiosk run` refuses the terminal display (the
# tests' screens) under journald.
unexport JOURNAL_STREAM

# Debian packages: C libraries the drivers link and what the kiosk runs beside them (fonts, espeak-ng for spoken
# prompts, which the speech tests run for real), and the real services the tests and the demo start
# (umockdev emulates the evdev devices: the keyboard-wedge card reader; cupsd, ippeveprinter and a D-Bus of its own make
# the letter printer, scripts/test-printer; pdftotext and zbarimg read back what it printed; chromium opens the
# verification page a letter's QR links to, headless; sqlite3 reads the kiosk database in tests and the demo).
BUILD_PACKAGES := pkg-config libpcsclite-dev libcups2-dev libusb-1.0-0-dev libsqlite3-dev libcairo2-dev libqrencode-dev \
	fonts-liberation2 fonts-dejavu-core espeak-ng
SERVICE_PACKAGES := pcscd vsmartcard-vpcd pcsc-tools umockdev python3-gi gir1.2-umockdev-1.0 openssl cups cups-ipp-utils \
	poppler-utils dbus-daemon zbar-tools iproute2 chromium sqlite3
# `make units`: systemd-analyze (verify, security) is in systemd; udev's rules and udevadm in udev.
# `make deb`: dpkg-shlibdeps (the Depends of the binary's libraries) is in dpkg-dev; binutils for readelf.
UNIT_PACKAGES := systemd udev python3 dpkg-dev binutils
# `make system-test`: QEMU runs a Debian 12 guest that mmdebstrap builds (system-test/README.md); socat carries the
# guest's network forwards to the host's services; swtpm is the guest's TPM2.
VM_PACKAGES := qemu-system-x86 qemu-utils mmdebstrap e2fsprogs socat swtpm
PACKAGES := $(BUILD_PACKAGES) $(SERVICE_PACKAGES) $(UNIT_PACKAGES) $(VM_PACKAGES)

.PHONY: deps build test soak soak-memory contract units demo bench bench-records format lint clean release install deb \
	package-check system-test system-test-run fuzz fuzz-smoke sanitize

deps:
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6.1 or later is needed: https://www.swift.org/install/linux/debian/12/"; exit 1; }
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing:" $$missing; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build

# The package first (release build, about 10 minutes on a fresh clone), then the debug build of the tests; the
# installed package's doctor runs once pcscd is up, so that its card reader check has a pcscd to ask; last, the
# package installed and driven in a Debian 12 guest (about 10 minutes; 22 in all on a fresh clone).
test: deps contract units deb
	$(SWIFT) build --build-tests
	scripts/services start
	scripts/check-package $(DEB)
	$(SWIFT) test
	$(MAKE) --no-print-directory system-test-run
	$(MAKE) --no-print-directory fuzz-smoke

# The fuzz targets of Fuzz/ (Fuzz/README.md), one libFuzzer binary built with AddressSanitizer in .build/fuzz.
# `make fuzz`: each target for FUZZ_RUNS executions or FUZZ_SECONDS, whichever comes first, growing the corpus kept
# in .build/fuzz/corpus. `make fuzz-smoke`, the last step of `make test`: each target's seeds replayed, then
# FUZZ_SMOKE_SECONDS of fuzzing with a fixed seed (the fuzz build is a second, optimised build of every dependency
# with ASan: about 10 minutes more on a fresh clone). `swift test` replays every seed through the real parsers too
# (Tests/FuzzTests), without the sanitizer.
FUZZ_RUNS ?= 10000000
FUZZ_SECONDS ?= 3600
FUZZ_SMOKE_SECONDS ?= 5
fuzz: deps
	scripts/fuzz build
	scripts/fuzz campaign $(FUZZ_RUNS) $(FUZZ_SECONDS)
fuzz-smoke: deps
	scripts/fuzz build
	scripts/fuzz smoke $(FUZZ_SMOKE_SECONDS)

# The unit and integration tests once under AddressSanitizer and once under ThreadSanitizer, each build in its own
# scratch path (.build/asan, .build/tsan) so that neither disturbs the plain build. A sanitizer's report fails the run:
# every kiosk process a test starts exits non-zero on one, and so does the test runner.
# LeakSanitizer leaves out what Fuzz/lsan.supp lists, each with its evidence: leaks of TOMLKit and fontconfig, and
# memory Swift holds through tagged pointers, which LSan cannot follow.
# Under a sanitizer everything runs several times slower (ThreadSanitizer 5 to 15 times); the suites that wait on
# devices' threads with a time limit starve among 800 other tests on two cores, so they run after the others, alone.
SANITIZE_ALONE := InputDevicesTests|EvdevDeviceTests|WedgeReader
sanitize: export LSAN_OPTIONS = suppressions=$(CURDIR)/Fuzz/lsan.supp:print_suppressions=0
sanitize: deps
	scripts/services start
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build/asan
	$(SWIFT) test --skip-build --sanitize=address --scratch-path .build/asan --skip '$(SANITIZE_ALONE)'
	$(SWIFT) test --skip-build --sanitize=address --scratch-path .build/asan --filter '$(SANITIZE_ALONE)'
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build/tsan
	$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build/tsan --skip '$(SANITIZE_ALONE)'
	$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build/tsan --filter '$(SANITIZE_ALONE)'

# The kiosk as a technician installs it: the package on a Debian 12 guest under QEMU, whole resident sessions on its
# real framebuffer, VT, USB card reader and touch panels, faults and power cuts (system-test/README.md). The guest
# image is built once per recipe and kept in $(VM_CACHE) (about 4 minutes the first time).
VM_CACHE ?= /var/cache/kiosk-system-test
system-test: deps deb
	$(MAKE) --no-print-directory system-test-run
# The same, with the package already built (make test builds it first).
system-test-run:
	$(SWIFT) build --product kiosk-sim
	$(SWIFT) build --product kiosk
	image=$$($(SUDO) system-test/image/build $(VM_CACHE) | tail -n 1) && \
		$(SUDO) system-test/run --deb $(DEB) --sim .build/debug/kiosk-sim --kiosk .build/debug/kiosk --image "$$image"

# The crash test with 1,000 SIGKILLs instead of make test's 200.
soak: deps
	$(SWIFT) build --build-tests
	KIOSK_CRASH_KILLS=1000 $(SWIFT) test --filter ProvincialAPIIntegrationTests

# Memory over 10,000 resident sessions in one `kiosk run` of the release binary (Benchmarks/Report/soak.py): card on
# pcscd's vpcd reader, PIN, letter through cupsd to ippeveprinter, receipt on kiosk-sim printer, survey, record
# uploaded to kiosk-sim api over TLS. PSS, anonymous memory, descriptors and threads every 1,000 sessions; fails on
# growth after the first 1,000, a leaked descriptor or thread, or a record or print missing. Table in
# out/soak-memory/. SOAK_SESSIONS=200 for a short run; 10,000 take about three and a half hours (1.1 s a session).
SOAK_SESSIONS ?= 10000
soak-memory: deps release
	# The same flags as `make release`: other flags would rebuild every module of .build/release.
	$(SWIFT) build -c release --product kiosk-sim --static-swift-stdlib $(RELEASE_LINK)
	scripts/services start
	SOAK_SESSIONS=$(SOAK_SESSIONS) python3 Benchmarks/Report/soak.py --bin .build/release --out $(OUT)/soak-memory

# api/provincial-api.yaml against the OpenAPI 3.1 schema (openapi-spec-validator, in a virtualenv of its own).
CONTRACT_TOOLS := .build-tools
contract:
	@[ -x $(CONTRACT_TOOLS)/bin/openapi-spec-validator ] || { python3 -m venv $(CONTRACT_TOOLS) && \
		$(CONTRACT_TOOLS)/bin/pip install -q openapi-spec-validator==0.7.1; }
	$(CONTRACT_TOOLS)/bin/openapi-spec-validator api/provincial-api.yaml

# The systemd unit and the udev rules, offline (no systemd as PID 1 needed, systemd 252):
# - `systemd-analyze verify --recursive-errors=no` on a staged copy whose ExecStart is /bin/true (verify insists the
#   binary exists; this checks the unit, not the binary); an unknown key or a bad value fails it;
# - `systemd-analyze security --offline=yes --threshold=12`: the threshold is on the 0-100 scale, so exposure above
#   1.2 fails;
# - scripts/check-udev-rules on udev/*.rules (`udevadm verify` only exists from systemd 254).
# Each gate first proves it can fail, on a deliberately broken copy.
UNITS_STAGE := .build/units
EXPOSURE_MAX := 12
units:
	@rm -rf $(UNITS_STAGE) && mkdir -p $(UNITS_STAGE)/broken
	sed 's|^ExecStart=/usr/bin/kiosk |ExecStart=/bin/true |' systemd/kiosk.service > $(UNITS_STAGE)/kiosk.service
	sed 's|^\[Service\]|[Service]\nFrobnicate=yes|' $(UNITS_STAGE)/kiosk.service > $(UNITS_STAGE)/broken/kiosk.service
	@! systemd-analyze verify --recursive-errors=no $(UNITS_STAGE)/broken/kiosk.service 2>/dev/null || \
		{ echo "systemd-analyze verify passed a broken unit: the check is not checking"; exit 1; }
	systemd-analyze verify --recursive-errors=no $(UNITS_STAGE)/kiosk.service
	@printf '[Service]\nExecStart=/bin/true\n' > $(UNITS_STAGE)/broken/bare.service
	@! systemd-analyze security --offline=yes --threshold=$(EXPOSURE_MAX) $(UNITS_STAGE)/broken/bare.service \
		>/dev/null 2>&1 || { echo "systemd-analyze security passed an unhardened unit"; exit 1; }
	systemd-analyze security --offline=yes --threshold=$(EXPOSURE_MAX) $(UNITS_STAGE)/kiosk.service \
		> $(UNITS_STAGE)/security.txt || { cat $(UNITS_STAGE)/security.txt; exit 1; }
	@grep -v '^✓' $(UNITS_STAGE)/security.txt
	@printf 'KERNEL=="lp*", GROUP=="kiosk"\n' > $(UNITS_STAGE)/broken/broken.rules
	@! scripts/check-udev-rules $(UNITS_STAGE)/broken/broken.rules 2>/dev/null || \
		{ echo "scripts/check-udev-rules passed a broken rule: the check is not checking"; exit 1; }
	scripts/check-udev-rules udev/*.rules

# Release, install and the Debian package.
#
# One version, in VERSION. `make release` writes it, the git commit and the build date (SOURCE_DATE_EPOCH when set)
# into Sources/KioskKit/BuildStamp.swift for the one release build and writes the checked-in text back afterwards
# (scripts/build-stamp says why), so `kiosk --version` names the commit while a plain `swift build` still works.
# The release binary links the Swift standard library and Foundation statically: a kiosk needs no toolchain, only
# the Debian libraries dpkg-shlibdeps finds (scripts/check-package proves no libswift*.so is needed).
VERSION := $(shell cat VERSION)
GIT_COMMIT := $(shell c=$$(git rev-parse --short=12 HEAD 2>/dev/null) || c=unknown; \
	[ "$$c" = unknown ] || git diff --quiet HEAD -- 2>/dev/null || c=$$c-dirty; echo $$c)
BUILD_DATE := $(shell date -u -d @$${SOURCE_DATE_EPOCH:-$$(date +%s)} +%Y-%m-%dT%H:%M:%SZ)
STAMP := Sources/KioskKit/BuildStamp.swift
RELEASE_KIOSK := .build/release/kiosk

# SwiftPM exports every symbol of an executable (--export-dynamic): 44,000 of them, 2.8 MB of .dynsym/.dynstr
# that the loader reads at every start and that stay resident (measured: idle PSS 47.4 -> 45.5 MB). Nothing
# loads symbols from the kiosk, so the release binary exports none.
# Linked by lld with packed relative relocations (DT_RELR, glibc 2.36): a position-independent static Swift binary
# carries 137,000 of them, a 3.3 MB .rela.dyn the loader reads at every start and that stays resident, and the
# pages it patches stay dirty. As RELR the table is 27 kB; measured on the idle kiosk (demo configuration, virtual
# 1024x600 panel): PSS 37.0 -> 31.8 MB. The binary stays PIE (ASLR).
# ICU's data, a third of the binary (34 MB for 800 locales, legacy code pages and CJK/Thai dictionaries), is linked
# as the subset the kiosk uses (root, Indonesian, English): scripts/icu-subset says what it keeps and why, and
# writes it from the toolchain's own lib_FoundationICU.a into an object, with the linker options (a response file)
# that link it in place of the archive's.
ICU_SUBSET := $(CURDIR)/.build/icu
RELEASE_LINK := -Xlinker --no-export-dynamic -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs \
	-Xlinker @$(ICU_SUBSET)/link.rsp

release: deps
	scripts/icu-subset $(ICU_SUBSET)
	scripts/build-stamp "$(VERSION)" "$(GIT_COMMIT)" "$(BUILD_DATE)" > $(STAMP)
	$(SWIFT) build -c release --product kiosk --static-swift-stdlib $(RELEASE_LINK); status=$$?; \
		scripts/build-stamp "$(VERSION)" unknown unknown > $(STAMP); exit $$status

# `make release && sudo make install` (PREFIX=/usr/local by default; the package uses PREFIX=/usr). The unit, the
# sysusers entry and the udev rule go where systemd and udev read packaged files whatever PREFIX is; the unit's
# ExecStart= and Documentation= are rewritten to the PREFIX used. The sample configuration is installed only where
# none exists yet, with its templates path pointing at the installed templates.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
DATADIR = $(PREFIX)/share/kiosk
DOCDIR = $(PREFIX)/share/doc/kiosk
SYSCONFDIR ?= /etc
UNITDIR ?= /lib/systemd/system
SYSUSERSDIR ?= /usr/lib/sysusers.d
TMPFILESDIR ?= /usr/lib/tmpfiles.d
UDEVRULESDIR ?= /lib/udev/rules.d
DEBUGDIR ?= /usr/lib/debug
POLKITRULESDIR ?= /usr/share/polkit-1/rules.d
install:
	@[ -x $(RELEASE_KIOSK) ] || { echo "no $(RELEASE_KIOSK): run make release first"; exit 1; }
	@# The installed binary carries neither debug info nor symbols (the symbol table of Swift's mangled names alone is
	@# 26 MB): on a kiosk nothing reads them, because the Swift runtime's backtracer is a toolchain program
	@# (swift-backtrace) a kiosk does not have, and core dumps are forbidden (Drivers/System/CoreDumps.swift). Both go
	@# to a file of their own named by the binary's build id, where gdb and elfutils look (/usr/lib/debug/.build-id,
	@# Debian's -dbgsym layout); `make deb` packages it as kiosk-dbgsym.
	build_id=$$(readelf -n $(RELEASE_KIOSK) | sed -n 's/^ *Build ID: *//p'); \
		[ -n "$$build_id" ] || { echo "$(RELEASE_KIOSK) has no build id"; exit 1; }; \
		debug=$(DESTDIR)$(DEBUGDIR)/.build-id/$$(echo $$build_id | cut -c1-2)/$$(echo $$build_id | cut -c3-).debug; \
		install -d $$(dirname $$debug) && \
		objcopy --only-keep-debug --compress-debug-sections=zlib $(RELEASE_KIOSK) $$debug && chmod 644 $$debug && \
		install -d $(DESTDIR)$(BINDIR) && strip --strip-all -o $(DESTDIR)$(BINDIR)/kiosk $(RELEASE_KIOSK) && \
		chmod 755 $(DESTDIR)$(BINDIR)/kiosk
	install -d $(DESTDIR)$(UNITDIR)
	sed -e 's|/usr/bin/kiosk|$(BINDIR)/kiosk|g' -e 's|/usr/share/doc/kiosk|$(DOCDIR)|g' \
		-e 's|/etc/kiosk/|$(SYSCONFDIR)/kiosk/|g' systemd/kiosk.service > $(DESTDIR)$(UNITDIR)/kiosk.service
	chmod 644 $(DESTDIR)$(UNITDIR)/kiosk.service
	install -Dm644 systemd/kiosk.sysusers $(DESTDIR)$(SYSUSERSDIR)/kiosk.conf
	install -Dm644 systemd/kiosk.tmpfiles $(DESTDIR)$(TMPFILESDIR)/kiosk.conf
	install -Dm644 udev/70-kiosk-thermal-printers.rules $(DESTDIR)$(UDEVRULESDIR)/70-kiosk-thermal-printers.rules
	install -Dm644 polkit/50-kiosk-pcscd.rules $(DESTDIR)$(POLKITRULESDIR)/50-kiosk-pcscd.rules
	install -d $(DESTDIR)$(DATADIR)/templates
	install -m644 templates/*.mustache $(DESTDIR)$(DATADIR)/templates/
	@grep -q '^templates = "../templates"' config/kiosk.sample.toml || \
		{ echo "config/kiosk.sample.toml: no templates = \"../templates\" line to point at $(DATADIR)/templates"; exit 1; }
	install -m755 systemd/kiosk-credentials $(DESTDIR)$(DATADIR)/kiosk-credentials
	install -d $(DESTDIR)$(SYSCONFDIR)/kiosk
	sed 's|^templates = "../templates"|templates = "$(DATADIR)/templates"|' config/kiosk.sample.toml \
		> $(DESTDIR)$(DATADIR)/kiosk.sample.toml
	[ -e $(DESTDIR)$(SYSCONFDIR)/kiosk/kiosk.toml ] || \
		install -m644 $(DESTDIR)$(DATADIR)/kiosk.sample.toml $(DESTDIR)$(SYSCONFDIR)/kiosk/kiosk.toml
	install -d $(DESTDIR)$(DOCDIR)/examples
	install -m644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	install -m644 systemd/README.md $(DESTDIR)$(DOCDIR)/README.systemd.md
	install -m644 udev/README.md $(DESTDIR)$(DOCDIR)/README.udev.md
	install -m644 udev/70-kiosk-touchscreen.rules api/provincial-api.yaml $(DESTDIR)$(DOCDIR)/examples/

# The Debian package, with dpkg-deb alone (no debhelper): `make install` into a staging root, DEBIAN/ from
# packaging/debian, Depends from dpkg-shlibdeps on the binary plus what the kiosk runs beside it (pcscd, fonts) and
# libcups2, which the kiosk opens with dlopen at its first letter (Sources/CCups), so dpkg-shlibdeps cannot see it.
# It stays a Depends, not a Recommends: letters through CUPS are the kiosk's usual printer, and the package installs
# offline from its Depends alone (make system-test); a kiosk without it would learn so only at its first letter.
# The tss2 libraries, which systemd opens with dlopen to seal the kiosk's keys to a TPM2 (Debian's systemd only
# suggests them): without them a kiosk with a TPM2 would keep its keys sealed to the host key alone. tpm2-tools sets
# the TPM2's dictionary-attack lockout so that power cuts do not lock the keys (systemd/kiosk-credentials).
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DEB := $(OUT)/kiosk_$(VERSION)_$(DEB_ARCH).deb
DEB_ROOT := .build/deb/root
# The binary's symbols and debug info, the way Debian ships them: a kiosk-dbgsym package beside kiosk.
DBGSYM_DEB := $(OUT)/kiosk-dbgsym_$(VERSION)_$(DEB_ARCH).deb
DBGSYM_ROOT := .build/deb/dbgsym
deb: release
	rm -rf .build/deb && mkdir -p $(DEB_ROOT)/DEBIAN $(DBGSYM_ROOT)/DEBIAN $(OUT)
	$(MAKE) --no-print-directory install DESTDIR=$(CURDIR)/$(DEB_ROOT) PREFIX=/usr
	mkdir -p $(DBGSYM_ROOT)/usr/lib && mv $(DEB_ROOT)/usr/lib/debug $(DBGSYM_ROOT)/usr/lib/
	sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@ARCH@|$(DEB_ARCH)|' \
		-e "s|@BUILD_ID@|$$(ls $(DBGSYM_ROOT)/usr/lib/debug/.build-id/*/*.debug | sed 's|.*/\(..\)/\(.*\)\.debug|\1\2|')|" \
		-e "s|@SIZE@|$$(du -sk --exclude=DEBIAN $(DBGSYM_ROOT) | cut -f1)|" packaging/debian/dbgsym-control.in \
		> $(DBGSYM_ROOT)/DEBIAN/control
	dpkg-deb --root-owner-group -Zxz --build $(DBGSYM_ROOT) $(DBGSYM_DEB)
	install -Dm644 packaging/debian/copyright $(DEB_ROOT)/usr/share/doc/kiosk/copyright
	install -m755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm $(DEB_ROOT)/DEBIAN/
	echo /etc/kiosk/kiosk.toml > $(DEB_ROOT)/DEBIAN/conffiles
	@# dpkg-shlibdeps wants a debian/control beside it: a one-package stub in the staging folder.
	mkdir -p .build/deb/debian && printf 'Source: kiosk\n\nPackage: kiosk\nArchitecture: any\n' > .build/deb/debian/control
	cd .build/deb && dpkg-shlibdeps -O -eroot/usr/bin/kiosk | sed -n 's/^shlibs:Depends=//p' > shlibs
	@[ -s .build/deb/shlibs ] || { echo "dpkg-shlibdeps found no libraries"; exit 1; }
	sed -e 's|@VERSION@|$(VERSION)|' -e 's|@ARCH@|$(DEB_ARCH)|' -e "s|@SHLIBS@|$$(cat .build/deb/shlibs)|" \
		-e "s|@SIZE@|$$(du -sk --exclude=DEBIAN $(DEB_ROOT) | cut -f1)|" packaging/debian/control.in \
		> $(DEB_ROOT)/DEBIAN/control
	dpkg-deb --root-owner-group -Zxz --build $(DEB_ROOT) $(DEB)
	@ls -l $(DEB) $(DBGSYM_DEB)

# The package as a kiosk would get it: its metadata and contents, then unpacked into a temporary root and
# `kiosk doctor` run from there against the packaged configuration.
package-check:
	scripts/check-package $(DEB)

# Three visitors end to end (scripts/demo): a resident prints a letter and answers the survey, a second collects a
# prepared letter, a visitor without an e-KTP takes a queue number; then the upload to the reference server.
demo: build
	@# scripts/demo runs the three visitors and stops what it started, also when a step fails (a trap).
	KIOSK=$(KIOSK) SIM=$(SIM) OUT=$(OUT) DEMO_CARD=$(DEMO_CARD) DEMO_PIN=$(DEMO_PIN) PICKUP_CARD=$(PICKUP_CARD) \
		PICKUP_PIN=$(PICKUP_PIN) scripts/demo

# `make bench`: one table (Benchmarks/Report/report.py), every figure of DESIGN.md §9 on the path it names, with its
# budget and its peer measured in the same run; the README's figures come from it. package-benchmark measures what
# runs in process (PDF, slips, NIKs, frames: its JMH export in out/bench/); the real paths run the release binaries
# (`make release`'s kiosk, kiosk-sim, record-load) on the demo's configuration against pcscd + vpcd, a private cupsd
# + ippeveprinter, kiosk-sim printer and kiosk-sim api over TLS. Peers (python-stdnum, ReportLab, python-escpos) come
# from a virtualenv of their own, Chromium from Debian; a missing peer fails the run.
PEERS := Benchmarks/.build-peers
BENCH_OUT := $(OUT)/bench
bench: deps release
	@command -v chromium >/dev/null || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends chromium
	# The same flags as `make release`: other flags would rebuild every module of .build/release.
	$(SWIFT) build -c release --product kiosk-sim --static-swift-stdlib $(RELEASE_LINK)
	$(SWIFT) build -c release --product record-load --static-swift-stdlib $(RELEASE_LINK)
	scripts/services start
	@rm -rf $(BENCH_OUT) && mkdir -p $(BENCH_OUT)
	@[ -x $(PEERS)/bin/python ] || python3 -m venv $(PEERS)
	@$(PEERS)/bin/pip install -q python-stdnum==2.2 reportlab==4.2.5 python-escpos==3.1
	cd Benchmarks && KIOSK_SIM=$(CURDIR)/.build/release/kiosk-sim KIOSK_SLIP_PNG=$(CURDIR)/$(BENCH_OUT)/slip.png \
		$(SWIFT) package --allow-writing-to-package-directory benchmark --format jmh --path $(CURDIR)/$(BENCH_OUT) \
		> $(CURDIR)/$(BENCH_OUT)/package-benchmark.txt
	$(PEERS)/bin/python Benchmarks/Report/report.py --bin .build/release --jmh $(BENCH_OUT)/Current_run.jmh.json \
		--slip-png $(BENCH_OUT)/slip.png --out $(BENCH_OUT)

# Durable capture (median, p99) and the drain of a 100,000-record backlog to kiosk-sim api (records/s, max RSS).
bench-records: deps
	@command -v /usr/bin/time >/dev/null || $(SUDO) apt-get install -y -qq time
	$(SWIFT) build -c release --product kiosk
	# The same flags as `make release`: other flags would rebuild every module of .build/release.
	$(SWIFT) build -c release --product kiosk-sim --static-swift-stdlib $(RELEASE_LINK)
	$(SWIFT) build -c release --product record-load --static-swift-stdlib $(RELEASE_LINK)
	Benchmarks/Records/run.sh .build/release 100000

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests Benchmarks/Package.swift Benchmarks/Benchmarks

lint:
	$(SWIFT) format lint --recursive Sources Tests

clean:
	rm -rf .build $(OUT) Benchmarks/.build
