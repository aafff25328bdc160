"""Follows a task-manager job's progress on /ws with Python's `websockets` (a strict peer).

    python progress_check.py ws://host:port/ws?jobId=ID [Header=value ...]

Prints each progress message (one JSON object a line) until one with stage "done" or a
stage starting "failed", then exits 0; exits 1 on a malformed message or a timeout (60 s).
"""
import json
import sys

from websockets.sync.client import connect


def main() -> int:
    url = sys.argv[1]
    headers = [tuple(item.split("=", 1)) for item in sys.argv[2:]]
    with connect(url, additional_headers=headers, open_timeout=60) as socket:
        print("connected", flush=True)
        while True:
            text = socket.recv(timeout=60)
            message = json.loads(text)
            if set(message) != {"progress", "stage", "jobId"}:
                print(f"unexpected message: {text}", flush=True)
                return 1
            if not 0 <= message["progress"] <= 1:
                print(f"progress out of range: {text}", flush=True)
                return 1
            print(json.dumps(message), flush=True)
            if message["stage"] == "done" or message["stage"].startswith("failed"):
                return 0


if __name__ == "__main__":
    sys.exit(main())
