#!/bin/sh
# deps.sh -- the Debian packages procd's build and tests need.
#
#   sh tests/deps.sh PKG...           install what is missing (as root;
#                                     otherwise print the apt-get line)
#   sh tests/deps.sh --check PKG...   only say what is missing (plain make:
#                                     a build never installs anything)
#
# Plain shell, no compiler needed: on a bare machine it is what installs
# one.  $CC (default cc) is looked up too; when it is not found, gcc is
# added to the list.  On a system without dpkg it checks nothing (the
# compiler will name what is missing) unless asked to install.
check_only=
if [ "${1:-}" = --check ]; then
	check_only=1
	shift
fi

missing=
have_dpkg=
command -v dpkg-query >/dev/null 2>&1 && have_dpkg=1
cc=${CC:-cc}
if ! command -v "${cc%% *}" >/dev/null 2>&1; then
	case "${cc%% *}" in
	cc|gcc) missing=" gcc" ;;
	*) echo "deps: compiler '$cc' not found" >&2; exit 1 ;;
	esac
fi
if [ -n "$have_dpkg" ]; then
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q 'ok installed' || missing="$missing $p"
	done
fi
[ -z "$missing" ] && exit 0

if [ -n "$check_only" ]; then
	echo "procd: missing build dependencies:$missing" >&2
	if [ -n "$have_dpkg" ]; then
		sudo="sudo "
		[ "$(id -u)" != 0 ] || sudo=
		echo "    install them with:  ${sudo}apt-get install$missing" >&2
		echo "    (or run 'make deps' as root; 'make run' and" \
		    "'make check' do it for you)" >&2
	fi
	exit 1
fi
if [ -z "$have_dpkg" ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing:$missing (not a Debian system: install them by hand)" >&2
	exit 1
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing dependencies; run:" >&2
	echo "    sudo apt-get install$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq$missing >/dev/null || {
	echo "deps: apt-get install$missing failed" >&2
	exit 1
}
