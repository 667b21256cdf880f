#!/usr/bin/env bash
# Copies the front-end files Renda serves from pinned npm packages into renda/static/vendor/
# and records their versions. Run by hand when upgrading; the copies are committed, so a
# deployment never downloads anything at run time (intranets have no internet).
set -euo pipefail
cd "$(dirname "$0")/.."
HTMX_VERSION=2.0.4
BOOTSTRAP_VERSION=5.3.3
ICONS_VERSION=1.11.3
ECHARTS_VERSION=6.1.0
WORDCLOUD_VERSION=2.1.0
dest=renda/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "htmx.org@$HTMX_VERSION" "bootstrap@$BOOTSTRAP_VERSION" \
    "bootstrap-icons@$ICONS_VERSION" "echarts@$ECHARTS_VERSION" \
    "echarts-wordcloud@$WORDCLOUD_VERSION" >/dev/null && for f in *.tgz; do mkdir "${f%.tgz}" && tar -xzf "$f" -C "${f%.tgz}"; done)
rm -rf "$dest" && mkdir -p "$dest/htmx" "$dest/bootstrap" "$dest/bootstrap-icons/fonts" "$dest/echarts"
cp "$work"/htmx.org-*/package/dist/htmx.min.js "$dest/htmx/"
# With their source maps: the production static storage checks every file a file refers to.
cp "$work"/bootstrap-[0-9]*/package/dist/css/bootstrap.min.css{,.map} "$dest/bootstrap/"
cp "$work"/bootstrap-[0-9]*/package/dist/js/bootstrap.bundle.min.js{,.map} "$dest/bootstrap/"
cp "$work"/bootstrap-icons-*/package/font/bootstrap-icons.min.css "$dest/bootstrap-icons/"
cp "$work"/bootstrap-icons-*/package/font/fonts/bootstrap-icons.woff2 "$dest/bootstrap-icons/fonts/"
cp "$work"/echarts-[0-9]*/package/dist/echarts.min.js "$dest/echarts/"
cp "$work"/echarts-wordcloud-*/package/dist/echarts-wordcloud.min.js{,.map} "$dest/echarts/"
cat > "$dest/VERSIONS.txt" <<VERSIONS
# Written by scripts/vendor_assets.sh; the npm packages these files were copied from.
htmx.org@$HTMX_VERSION
bootstrap@$BOOTSTRAP_VERSION
bootstrap-icons@$ICONS_VERSION
echarts@$ECHARTS_VERSION
echarts-wordcloud@$WORDCLOUD_VERSION
VERSIONS
# Drop the woff fallback from the icon CSS: every supported browser reads woff2.
sed -i 's|,url("fonts/bootstrap-icons.woff?[^"]*") format("woff")||' "$dest/bootstrap-icons/bootstrap-icons.min.css"
echo "vendored into $dest:"; cat "$dest/VERSIONS.txt"
