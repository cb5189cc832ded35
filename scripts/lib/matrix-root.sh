# The matrix roots of scripts/matrix.sh (Debian roots with their own
# Wireshark): running a command in one, copying a source tree into one.
# Sourced by scripts/matrix.sh and bench/run.sh.

# in_root ROOT CMD...: CMD inside ROOT, as root, in its own mount namespace with /proc, /sys,
# /dev and a fresh /run and /tmp: the mounts, and any network namespace a
# test makes, vanish with it. A ../shared beside the source tree is
# /src/shared there (read-only) when $shared names it.
in_root() {
    local root=$1
    shift
    unshare --mount --propagation private -- /bin/bash -euc '
        root=$1 shared=$2; shift 2
        mount --bind "$root" "$root"  # / a mount point: ip netns exec remounts it
        mount -t proc proc "$root/proc"
        mount -t sysfs sys "$root/sys"
        mount --rbind /dev "$root/dev"
        mount -t tmpfs tmpfs "$root/run"
        mount -t tmpfs tmpfs "$root/tmp"
        mount --bind /etc/resolv.conf "$root/etc/resolv.conf"
        if [ -n "$shared" ] && [ -d "$root/src/shared" ]; then
            mount --bind "$shared" "$root/src/shared"
            mount -o remount,bind,ro "$root/src/shared"
        fi
        exec chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
            HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
    ' in_root "$root" "${shared:-}" "$@"
}

# copy_tree SRC DEST: the tree as git knows it (tracked and untracked, not
# ignored) into DEST, keeping DEST's own build folders for the next run.
copy_tree() {
    local src=$1 dest=$2
    mkdir -p "$dest"
    find "$dest" -mindepth 1 -maxdepth 1 ! -name 'build' ! -name 'build-*' -exec rm -rf {} +
    git -C "$src" ls-files -z --cached --others --exclude-standard |
        (cd "$src" && tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$dest"
}
