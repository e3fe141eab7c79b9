#!/usr/bin/env bash
# Prints the path of a whisper.cpp source tarball for the Dockerfile's WHISPER_SOURCE=context, made from the copy of
# whisper.cpp that an npm package bundles: on machines that reach the npm registry but not GitHub, that is the only
# way to the release's source. The package is pinned by version and integrity, and the tree must carry the version
# the Dockerfile pins (WHISPER_CPP_VERSION), so the image built from it is the image a release build makes.
#
#   tools/images/whisper-source.sh        -> <cache>/src/whisper.cpp-<version>-src.tar.gz
#
# nodejs-whisper (MIT, by Chetan Baliyan) ships whisper.cpp's full tree (MIT, the ggml authors) under cpp/whisper.cpp,
# examples/server included; 0.3.1 carries whisper.cpp 1.9.1 (CMakeLists, bindings/javascript/package.json and the
# README's "Stable" line all say so).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${CACHE_DIR:-$repo/.cache/images}/src"
package="nodejs-whisper@0.3.1"
integrity="sha512-ceoilUVraRuR5FnNyXpGQT2auAR48Oc3AQBEmkXnVpSn9iN6yVRzQBFCqVTGWbk6Wdi95NhvwXNzFvuR7erLWw=="
pinned="$(sed -n 's/^ARG WHISPER_CPP_VERSION=v//p' "$repo/deploy/whisper/Dockerfile")"
out="$cache/whisper.cpp-$pinned-src.tar.gz"
mkdir -p "$cache"

if [ -s "$out" ]; then
  echo "$out"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# npm pack downloads the package tarball without installing anything (no scripts run). It runs in an empty folder
# so that the repository's own npm settings and workspaces play no part.
(cd "$work" && npm pack --silent "$package" >/dev/null)
tgz="$(ls "$work"/*.tgz)"
actual="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$actual" != "$integrity" ]; then
  echo "$package: integrity $actual, expected $integrity" >&2
  exit 1
fi
tar -xzf "$tgz" -C "$work" package/cpp/whisper.cpp
bundled="$(sed -n 's/^project("whisper.cpp" VERSION \([0-9.]*\))$/\1/p' "$work/package/cpp/whisper.cpp/CMakeLists.txt")"
if [ "$bundled" != "$pinned" ]; then
  echo "$package bundles whisper.cpp $bundled, the Dockerfile pins v$pinned" >&2
  exit 1
fi
mv "$work/package/cpp/whisper.cpp" "$work/whisper.cpp-$pinned"
# A reproducible tarball (sorted, fixed times and owners, no gzip timestamp): the same bytes on every run, so the
# image build's layer cache holds across a cleared cache folder.
tar -C "$work" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - "whisper.cpp-$pinned" \
  | gzip -n -6 >"$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
