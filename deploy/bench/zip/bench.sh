#!/usr/bin/env bash
# The ZIP writer on a file past 4 GiB (ZIP64 sizes for real): writes a sparse-ish,
# compressible SIZE_MIB file (default 4608 MiB = 4.5 GiB: zeros with a 1 MiB random block
# every 256 MiB) under $TMPDIR (/tmp), archives it with zip-bench (release build), checks the
# archive with `unzip -t` and Python's zipfile (testzip reads and CRC-checks every byte),
# and, as the same-run peer, archives the same file with Python's zipfile (zlib level 6).
# Prints time, CPU and peak RSS of both; appends the lines to deploy/bench/results/zip.md.
set -euo pipefail
cd "$(dirname "$0")/../../.."
SIZE_MIB="${SIZE_MIB:-4608}"
work="${TMPDIR:-/tmp}/zip-bench-$$"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
input="$work/input.bin"
truncate -s "${SIZE_MIB}M" "$input"
for ((mib = 0; mib < SIZE_MIB; mib += 256)); do
    dd if=/dev/urandom of="$input" bs=1M count=1 seek="$mib" conv=notrunc status=none
done

# Read the file once so both writers find it in the page cache (otherwise the first one pays
# for populating it: ~3 s of system time per GiB here).
cat "$input" > /dev/null

swift build -c release --product zip-bench 2>&1 | grep -E "error|warning" || true
bin="$(swift build -c release --show-bin-path)/zip-bench"
ours="$("$bin" "$input" "$work/ours.zip")"
echo "$ours"
unzip -tq "$work/ours.zip"
python3 - "$work/ours.zip" "$((SIZE_MIB * 1048576))" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None, "CRC mismatch"
    (info,) = z.infolist()
    assert info.file_size == int(sys.argv[2]), info.file_size
    print(f"zipfile: ok, {info.file_size} bytes, ZIP64 extra {info.extra[:2].hex() == '0100'}")
PY
peer="$(python3 - "$input" "$work/peer.zip" <<'PY'
import os, resource, sys, time, zipfile
start, cpu = time.monotonic(), time.process_time()
with zipfile.ZipFile(sys.argv[2], "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    z.write(sys.argv[1], os.path.basename(sys.argv[1]))
seconds = time.monotonic() - start
size = os.path.getsize(sys.argv[1])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"python zipfile: {size / 2**30:.2f} GiB in {seconds:.1f} s ({size / 2**20 / seconds:.0f} MiB/s), "
      f"cpu {time.process_time() - cpu:.1f} s, archive {os.path.getsize(sys.argv[2]) / 2**20:.1f} MiB, peak RSS {peak:.1f} MiB")
PY
)"
echo "$peer"
mkdir -p deploy/bench/results
{
    echo "- $(date -u +%Y-%m-%dT%H:%MZ), ${SIZE_MIB} MiB input, load $(cut -d' ' -f1 /proc/loadavg): ${ours#zip-bench: }; peer ${peer}; unzip -t and zipfile testzip ok"
} >> deploy/bench/results/zip.md
