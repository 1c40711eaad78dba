# The Debian package: debian/ builds with dpkg-buildpackage, the .debs
# hold what they should, and procd installs with dpkg, maintainer scripts
# and all, into a throwaway root where its configuration checks.
#
# The build (about 20 s) is done once for a given tree and kept in
# build/deb/, keyed by a checksum of the files that go into it.  It needs
# dpkg-dev and debhelper, which it installs through tests/deps.sh when it
# may; where it cannot, the tests skip and say why.  The first test
# installs the tools and builds, which on a fresh machine takes minutes:
# per-test timeout: 600

# What the package is built from: the project's own files, no build output.
PKG_FILES="Makefile README.md LICENSE src include conf man tests debian"

# pkg_deps: the build tools, or skip.
pkg_deps() {
	[ -d "$ROOT/debian" ] || fail "no debian/ directory"
	out=$(sh "$ROOT/tests/deps.sh" dpkg-dev debhelper build-essential 2>&1) ||
	    skip "cannot install dpkg-dev and debhelper: $out"
	command -v dpkg-buildpackage >/dev/null || skip "no dpkg-buildpackage"
}

# pkg_build: build the packages (or reuse the ones built from the same
# files); DEB, COMPAT and the version are set for the tests.
pkg_build() {
	pkg_deps
	VERSION=$(sed -n 's/^VERSION[[:space:]]*:= *//p' "$ROOT/Makefile")
	[ -n "$VERSION" ] || fail "no VERSION in the Makefile"
	PKGDIR=$ROOT/build/deb
	sum=$(cd "$ROOT" && tar -cf - --sort=name --mtime=@0 --owner=0 \
	    --group=0 --exclude='debian/procd' --exclude='debian/.debhelper' \
	    $PKG_FILES | md5sum | cut -d' ' -f1)
	DEB=$PKGDIR/procd_${VERSION}_$(dpkg --print-architecture).deb
	COMPAT=$PKGDIR/procd-supervisor-compat_${VERSION}_all.deb
	if [ "$(cat "$PKGDIR/sum" 2>/dev/null)" = "$sum" ] && [ -f "$DEB" ]
	then
		return 0
	fi
	rm -rf "$PKGDIR" && mkdir -p "$PKGDIR/src/procd-$VERSION" ||
	    fail "mkdir $PKGDIR"
	# dpkg-buildpackage writes the .debs into the parent directory: build
	# in a copy, so that nothing lands beside the checkout.
	(cd "$ROOT" && tar -cf - --exclude='debian/procd' \
	    --exclude='debian/.debhelper' $PKG_FILES) |
	    (cd "$PKGDIR/src/procd-$VERSION" && tar -xf -) || fail "copy"
	# Not make check's jobserver or sanitizer settings; nocheck: make
	# check runs the unit tests itself, in the checkout, and a second run
	# inside the package build under load only adds a way to fail.
	(cd "$PKGDIR/src/procd-$VERSION" &&
	    env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u ASAN_OPTIONS \
	    -u UBSAN_OPTIONS DEB_BUILD_OPTIONS=nocheck \
	    dpkg-buildpackage -us -uc -b) \
	    > "$PKGDIR/build.log" 2>&1 ||
	    fail "dpkg-buildpackage failed: $(tail -30 "$PKGDIR/build.log")"
	mv "$PKGDIR"/src/*.deb "$PKGDIR/" || fail "no .deb built"
	rm -rf "$PKGDIR/src"
	echo "$sum" > "$PKGDIR/sum"
}

# has FILE PATH...: the package FILE lists each PATH.
has() {
	f=$1
	shift
	dpkg-deb -c "$f" > "$T/list" || fail "dpkg-deb -c $f"
	for p in "$@"; do
		grep -q " \./$p\( -> .*\)\{0,1\}\$" "$T/list" ||
		    fail "$(basename "$f") lacks $p; it has: $(cat "$T/list")"
	done
}

test_package_holds_binaries_docs_unit_and_conffile() {
	pkg_build
	has "$DEB" usr/sbin/procd usr/sbin/procd-gateway usr/bin/procctl \
	    usr/share/man/man1/procctl.1.gz usr/share/man/man5/procd.ini.5.gz \
	    usr/share/man/man8/procd.8.gz lib/systemd/system/procd.service \
	    etc/init.d/procd etc/procd/procd.ini etc/procd/conf.d/ \
	    usr/share/bash-completion/completions/procctl \
	    usr/share/doc/procd/copyright
	# Neither the compat names nor the demo config.
	grep -q supervisor "$T/list" && fail "procd ships a supervisor name"
	dpkg-deb -e "$DEB" "$T/ctl" || fail "dpkg-deb -e"
	grep -qx /etc/procd/procd.ini "$T/ctl/conffiles" ||
	    fail "procd.ini is not a conffile: $(cat "$T/ctl/conffiles")"
	dpkg-deb -x "$DEB" "$T/x" || fail "dpkg-deb -x"
	# The packaged binary checks the packaged config: no program in it.
	out=$("$T/x/usr/sbin/procd" check -c "$T/x/etc/procd/procd.ini" 2>&1) ||
	    fail "procd check: $out"
	echo "$out" | grep -q "ok (0 programs)" || fail "procd check: $out"
	grep -q '^files = /etc/procd/conf.d/\*\.ini$' "$T/x/etc/procd/procd.ini" ||
	    fail "no [include] of conf.d"
	# The unit and the init script use that file, and the installed path.
	grep -qx 'ExecStart=/usr/sbin/procd start --foreground -c /etc/procd/procd.ini' \
	    "$T/x/lib/systemd/system/procd.service" || fail "unit ExecStart:
	    $(grep ExecStart "$T/x/lib/systemd/system/procd.service")"
	grep -q '^CONFIG=${CONFIG:-/etc/procd/procd.ini}$' "$T/x/etc/init.d/procd" ||
	    fail "init script CONFIG: $(grep '^CONFIG' "$T/x/etc/init.d/procd")"
	grep -q '/etc/procd\.ini' "$T/x/lib/systemd/system/procd.service" \
	    "$T/x/etc/init.d/procd" && fail "a path to /etc/procd.ini is left"
	expect_eq "$(dpkg-deb -f "$DEB" Version)" "$VERSION" "package version"
	true
}

test_compat_package_links_the_supervisor_names() {
	pkg_build
	has "$COMPAT" "usr/bin/supervisord -> ../sbin/procd" \
	    "usr/bin/supervisorctl -> procctl"
	expect_eq "$(dpkg-deb -f "$COMPAT" Conflicts)" supervisor "Conflicts"
	dpkg-deb -f "$COMPAT" Depends | grep -q "procd (>= $VERSION)" ||
	    fail "Depends: $(dpkg-deb -f "$COMPAT" Depends)"
}

# lintian (installed as the other tools are, or the test skips): no
# error.  Warnings are printed.
test_package_has_no_lintian_error() {
	out=$(sh "$ROOT/tests/deps.sh" lintian 2>&1) ||
	    skip "cannot install lintian: $out"
	command -v lintian >/dev/null || skip "no lintian"
	pkg_build
	out=$(lintian "$DEB" "$COMPAT" 2>&1)
	[ -z "$out" ] || echo "$out"
	echo "$out" | grep -q '^E:' && fail "lintian errors"
	true
}

# in_root SCRIPT: run SCRIPT with sh in a throwaway copy of this system's
# root: an overlay whose writes go to a tmpfs of a private mount
# namespace, gone when it ends.  The .debs are in /debs there.
in_root() {
	R=$T/root
	mkdir -p "$R" "$T/up" && cp "$DEB" "$COMPAT" "$T/" || fail "set-up"
	unshare -m sh -c '
	    set -e
	    mount --make-rprivate /
	    mount -t tmpfs tmpfs "$1/up"
	    mkdir "$1/up/u" "$1/up/w"
	    mount -t overlay overlay \
		-o "lowerdir=/,upperdir=$1/up/u,workdir=$1/up/w" "$1/root"
	    mount --rbind /dev "$1/root/dev"
	    mount -t proc proc "$1/root/proc"
	    mkdir -p "$1/root/debs" "$1/root/tmp"
	    mount -t tmpfs tmpfs "$1/root/tmp"
	    cp "$1"/*.deb "$1/root/debs/"
	    # No service is started from the maintainer scripts.
	    printf "#!/bin/sh\nexit 101\n" > "$1/root/usr/sbin/policy-rc.d"
	    chmod 0755 "$1/root/usr/sbin/policy-rc.d"
	    exec chroot "$1/root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c "$2"' sh "$T" "$1"
}

test_package_installs_and_checks_in_a_throwaway_root() {
	[ "$(id -u)" = 0 ] || skip "installing needs root"
	command -v unshare >/dev/null || skip "no unshare"
	unshare -m true 2>/dev/null || skip "no mount namespace here"
	pkg_build
	in_root '
	    set -e
	    fail() { echo "FAIL: $*" >&2; exit 1; }
	    # supervisor, where the system has it, gives way to the compat
	    # names (Conflicts).
	    if dpkg-query -W -f="\${Status}" supervisor 2>/dev/null |
		grep -q "ok installed"; then
		dpkg --purge supervisor >/dev/null
	    fi
	    dpkg -i /debs/procd_*.deb /debs/procd-supervisor-compat_*.deb \
		> /tmp/dpkg.log 2>&1 || { cat /tmp/dpkg.log; fail "dpkg -i"; }
	    dpkg-query -W -f="\${Status}\n" procd procd-supervisor-compat |
		grep -vx "install ok installed" && fail "not installed"
	    procd check -c /etc/procd/procd.ini 2>&1 | grep -q "ok (0 programs)" ||
		fail "procd check: $(procd check -c /etc/procd/procd.ini 2>&1)"
	    # A program dropped into conf.d is part of the configuration.
	    printf "[program:hello]\ncommand = sleep 60\n" \
		> /etc/procd/conf.d/hello.ini
	    out=$(procd check -c /etc/procd/procd.ini 2>&1)
	    echo "$out" | grep -q "ok (1 program)" || fail "with conf.d: $out"
	    [ "$(readlink -f /usr/bin/supervisord)" = /usr/sbin/procd ] ||
		fail "supervisord -> $(readlink -f /usr/bin/supervisord)"
	    [ "$(readlink -f /usr/bin/supervisorctl)" = /usr/bin/procctl ] ||
		fail "supervisorctl -> $(readlink -f /usr/bin/supervisorctl)"
	    [ -d /var/log/procd ] || fail "no /var/log/procd"
	    procctl --help >/dev/null 2>&1 || procctl -h >/dev/null 2>&1 ||
		fail "procctl does not run"
	    # The unit is enabled by the maintainer scripts.
	    [ -L /etc/systemd/system/multi-user.target.wants/procd.service ] ||
		fail "procd.service is not enabled"
	    dpkg --purge procd-supervisor-compat procd > /tmp/dpkg.log 2>&1 ||
		{ cat /tmp/dpkg.log; fail "dpkg --purge"; }
	    for f in /usr/sbin/procd /usr/bin/supervisord \
		/etc/procd/procd.ini /etc/init.d/procd; do
		[ ! -e "$f" ] || fail "$f is left after purge"
	    done
	    echo installed, checked and purged
	' > "$T/root.log" 2>&1 || fail "$(cat "$T/root.log")"
	grep -q "installed, checked and purged" "$T/root.log" ||
	    fail "$(cat "$T/root.log")"
}

# conf/docker/Dockerfile's build stage, without docker: the files its
# COPY lines name, copied alone into a directory, build and install with
# its RUN line's commands; the tree installed holds what the runtime stage
# copies, procd checks its config there, and the binaries need no library
# but those the runtime stage installs (libev4, libinih1, libmicrohttpd12,
# libexpat1; apt brings what those need in turn, so only the libraries the
# binaries name themselves are checked).
test_docker_build_stage_installs_what_the_runtime_stage_needs() {
	df=$ROOT/conf/docker/Dockerfile
	mkdir -p "$T/src" "$T/out"
	awk '/^FROM/ { n++ } n == 1 && /^COPY / && !/--from/' "$df" > "$T/copies"
	[ -s "$T/copies" ] || fail "no COPY in the build stage"
	# As docker: a DST ending in / is a directory; a SRC directory's
	# contents go into DST.
	while read -r _ src dst; do
		case $dst in
		*/) mkdir -p "$T/src/$dst" ;;
		*) mkdir -p "$T/src/$(dirname "$dst")" ;;
		esac
		if [ -d "$ROOT/$src" ]; then
			mkdir -p "$T/src/$dst" && cp -R "$ROOT/$src/." "$T/src/$dst"
		else
			cp "$ROOT/$src" "$T/src/$dst"
		fi || fail "COPY $src $dst"
	done < "$T/copies"
	grep -q '^RUN make -j"$(nproc)" && sh conf/docker/install.sh /out$' "$df" ||
	    fail "the build stage's RUN line changed: update this test"
	# The image's build, not make check's (SAN=1 reaches sub-makes).
	(cd "$T/src" && unset MAKEFLAGS MAKELEVEL MFLAGS SAN &&
	    make -j2 SAN= && SAN= sh conf/docker/install.sh "$T/out") \
	    > "$T/make.log" 2>&1 ||
	    fail "build stage: $(tail -20 "$T/make.log")"
	for f in usr/sbin/procd usr/sbin/procd-gateway usr/bin/procctl \
	    etc/procd/procd.ini; do
		[ -f "$T/out/$f" ] || fail "no /$f"
	done
	[ -d "$T/out/etc/procd/conf.d" ] || fail "no /etc/procd/conf.d"
	expect_eq "$(readlink "$T/out/usr/bin/supervisord")" ../sbin/procd \
	    "supervisord link"
	expect_eq "$(readlink "$T/out/usr/bin/supervisorctl")" procctl \
	    "supervisorctl link"
	out=$("$T/out/usr/sbin/procd" check -c "$T/out/etc/procd/procd.ini" 2>&1)
	echo "$out" | grep -q "ok (0 programs)" || fail "procd check: $out"
	grep -q '^ENTRYPOINT \["procd", "start", "--foreground", "-c", "/etc/procd/procd.ini"\]$' \
	    "$df" || fail "ENTRYPOINT changed: update this test"
	for b in usr/sbin/procd usr/sbin/procd-gateway usr/bin/procctl; do
		libs=$(readelf -d "$T/out/$b" |
		    sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' |
		    grep -v -e '^libc\.so' -e '^libev\.so' -e '^libinih\.so' \
		    -e '^libmicrohttpd\.so' -e '^libexpat\.so')
		[ -z "$libs" ] || fail "$b needs more than the runtime stage" \
		    "installs: $libs"
	done
	# Only the gateway carries the HTTP libraries (and GnuTLS with them).
	! readelf -d "$T/out/usr/sbin/procd" | grep -q 'NEEDED.*libmicrohttpd' ||
	    fail "procd links libmicrohttpd: only procd-gateway should"
}
