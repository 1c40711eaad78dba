#!/bin/sh
# install.sh DESTDIR -- what the Dockerfile's build stage installs, run
# from the top of the tree: procd and procctl under /usr, this directory's
# procd.ini as /etc/procd/procd.ini (not the demo config of `make install`),
# an empty /etc/procd/conf.d/, and the names supervisord and supervisorctl,
# so that an image's existing CMD and scripts keep working.
# tests/integration/t_package.sh runs it too.
set -eu
dest=${1:?usage: install.sh DESTDIR}
make install DESTDIR="$dest" PREFIX=/usr SYSCONFDIR=/etc/procd
install -m 0644 conf/docker/procd.ini "$dest/etc/procd/procd.ini"
install -d "$dest/etc/procd/conf.d" "$dest/var/log/procd"
ln -sf ../sbin/procd "$dest/usr/bin/supervisord"
ln -sf procctl "$dest/usr/bin/supervisorctl"
