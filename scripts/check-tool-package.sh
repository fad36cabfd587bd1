#!/usr/bin/env bash
# Packs the `tunesharp` .NET tool, installs it from the local package into a temp tool path and runs it:
# `tunesharp --help` must name the command `tunesharp`, and `tunesharp doctor` must load TorchSharp (on Debian 12
# that needs the libstdc++ patch in the installed copy). Only this machine's RID is packed (`dotnet pack
# src/TuneSharp.Cli` makes every platform's package). Builds into obj-tool/ and bin-tool/, so it never touches the
# usual build output, and removes them at exit (over 2 GB with libtorch). Run by tests/TuneSharp.Tests/Cli/ToolPackageTests.cs when TUNESHARP_TEST_TOOL_PACKAGE=1 (.ci/run).
# Usage: scripts/check-tool-package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work" src/*/obj-tool src/*/bin-tool' EXIT

rid="$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)"
version="0.0.0-check.$(date +%s)"
dotnet pack src/TuneSharp.Cli -c Release -o "$work/packages" -p:Version="$version" -p:ToolPackageRuntimeIdentifiers="$rid" \
    -p:BaseIntermediateOutputPath=obj-tool/ -p:BaseOutputPath=bin-tool/ -nologo -v:quiet

# Only the local packages: nothing is looked up on a remote feed.
cat > "$work/nuget.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$work/packages" />
  </packageSources>
</configuration>
CONFIG
dotnet tool install TuneSharp.Tool --version "$version" --tool-path "$work/tools" --configfile "$work/nuget.config"

help="$("$work/tools/tunesharp" --help)"
echo "$help"
if ! grep -q '^  tunesharp \[command\] \[options\]' <<<"$help"; then
    echo "error: tunesharp --help does not name the command 'tunesharp'" >&2
    exit 1
fi
"$work/tools/tunesharp" doctor
echo "ok: tool package $version installed and ran"
