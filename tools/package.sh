#!/usr/bin/env bash
# Builds the Linux packages into target/package/:
#
#   tools/package.sh          the .deb (cargo-deb) and the .rpm (cargo-generate-rpm)
#
# The release binary (stripped), the manual pages and shell completions
# (made by the binary from its own clap definitions), the desktop file,
# icons, AppStream metainfo and the MIME type of `.recovery.json` files.
# What goes where is listed in Cargo.toml ([package.metadata.deb] and
# [package.metadata.generate-rpm]). Needs cargo-deb and cargo-generate-rpm
# (`cargo install --locked cargo-deb cargo-generate-rpm`); fails when one is
# missing.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in cargo-deb cargo-generate-rpm; do
    command -v "$tool" >/dev/null || {
        echo "$tool is missing: cargo install --locked cargo-deb cargo-generate-rpm" >&2
        exit 1
    }
done
cargo build --release --locked
out=target/package
rm -rf "$out/man" "$out/completions" "$out"/*.deb "$out"/*.rpm
target/release/recovery-tracker package-files --out "$out" >/dev/null
# Manual pages are installed compressed; -n keeps the package reproducible.
gzip -9n "$out"/man/*.1
cargo deb --no-build --locked --output "$out/"
cargo generate-rpm --output "$out/"
ls -l "$out"/*.deb "$out"/*.rpm
