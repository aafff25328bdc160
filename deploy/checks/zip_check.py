"""Reads a ZIP archive with Python's zipfile and prints what it found, as JSON, for
Tests/ZIPTests: testzip()'s verdict (every member decompressed and its CRC-32 checked),
then per member its name, sizes, CRC, flag bits, method, date_time, central extra field,
header offset, a CRC-32 computed here over the data read, and the data (base64).

With --summary it reads every member once (zipfile checks each one's CRC-32 as it reaches
its end and raises on a mismatch, which is what testzip() does) and prints only the member
count and one SHA-256 over every member in order (name, NUL, data, NUL), for archives of
many members.

usage: zip_check.py ARCHIVE [--no-data | --summary]
"""
import hashlib
import base64
import json
import sys
import zipfile
import zlib


def main() -> None:
    path = sys.argv[1]
    with_data = "--no-data" not in sys.argv[2:]
    with zipfile.ZipFile(path) as archive:
        if "--summary" in sys.argv[2:]:
            digest = hashlib.sha256()
            for info in archive.infolist():
                digest.update(info.filename.encode("utf-8") + b"\0" + archive.read(info) + b"\0")
            json.dump({"count": len(archive.infolist()), "sha256": digest.hexdigest()}, sys.stdout)
            return
        report = {"testzip": archive.testzip(), "entries": []}
        for info in archive.infolist():
            data = archive.read(info)
            entry = {
                "name": info.filename,
                "size": info.file_size,
                "compressed": info.compress_size,
                "crc": info.CRC,
                "crc_of_data": zlib.crc32(data),
                "length_of_data": len(data),
                "flags": info.flag_bits,
                "method": info.compress_type,
                "date_time": list(info.date_time),
                "extra": info.extra.hex(),
                "offset": info.header_offset,
                "mode": info.external_attr >> 16,
            }
            if with_data:
                entry["data"] = base64.b64encode(data).decode("ascii")
            report["entries"].append(entry)
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
