#!/usr/bin/env bash
# Refreshes the front-end assets in static/vendor/ from the npm registry.
# GOV.UK Frontend is compiled from its Sass with a system font stack: the
# GDS Transport typeface and the crown are for GOV.UK only, so neither is copied.
set -euo pipefail
GOVUK_FRONTEND_VERSION=6.6.0
HTMX_VERSION=2.0.11
SASS_VERSION=1.108.2

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

npm pack --silent "govuk-frontend@$GOVUK_FRONTEND_VERSION" "htmx.org@$HTMX_VERSION" >/dev/null
mkdir govuk htmx
tar xzf "govuk-frontend-$GOVUK_FRONTEND_VERSION.tgz" -C govuk --strip-components=1
tar xzf "htmx.org-$HTMX_VERSION.tgz" -C htmx --strip-components=1
npm install --silent --no-save --prefix "$work/tools" "sass@$SASS_VERSION" >/dev/null

cat > portal-frontend.scss <<'SCSS'
$govuk-font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", arial, sans-serif;
$govuk-include-default-font-face: false;
$govuk-assets-path: "/static/vendor/govuk-frontend/assets/";
@import "govuk/dist/govuk/index.import";
SCSS

dest="$root/static/vendor/govuk-frontend"
rm -rf "$dest" && mkdir -p "$dest"
"$work/tools/node_modules/.bin/sass" --no-source-map --style=compressed --quiet-deps \
  --silence-deprecation=import --load-path=. portal-frontend.scss "$dest/govuk-frontend.min.css"
cp govuk/dist/govuk/govuk-frontend.min.js "$dest/"
node -e "const p=require(\"./govuk/package.json\");console.log(p.name+\" \"+p.version+\" licence: \"+p.license+\" (Crown copyright, see \"+p.homepage+\")\")" > "$dest/LICENSE.txt"
echo "govuk-frontend $GOVUK_FRONTEND_VERSION (MIT), compiled with a system font stack" > "$dest/VERSION"

dest="$root/static/vendor/htmx"
rm -rf "$dest" && mkdir -p "$dest"
cp htmx/dist/htmx.min.js "$dest/"
cp htmx/LICENSE "$dest/LICENSE"
echo "htmx.org $HTMX_VERSION (0BSD)" > "$dest/VERSION"
echo "Vendored into $root/static/vendor"
