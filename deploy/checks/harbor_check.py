"""Loads task directories or exported ZIP archives with Harbor 0.25's own loader and linter.

    python harbor_check.py PATH [PATH ...]

For each PATH (a directory, or a .zip extracted to a temporary directory) prints one JSON
line: {"path", "loaded": Task(path) succeeded, "error": its exception, "valid_dir":
Task.is_valid_dir(path), "findings": [{"rule", "path", "message"}] from lint_task}.
Exits 0 (the caller judges the results).
"""
import json
import sys
import tempfile
import zipfile
from pathlib import Path

from harbor.lint import lint_task
from harbor.models.task.task import Task


def check(path: Path) -> dict:
    result = {"path": str(path), "loaded": False, "error": None, "valid_dir": False, "findings": []}
    try:
        Task(path)
        result["loaded"] = True
    except Exception as error:  # noqa: BLE001 - every refusal is reported
        result["error"] = f"{type(error).__name__}: {error}"
    result["valid_dir"] = bool(Task.is_valid_dir(path))
    try:
        result["findings"] = [
            {"rule": str(getattr(f.rule, "value", f.rule)), "path": str(f.path), "message": f.message}
            for f in lint_task(path)
        ]
    except Exception as error:  # noqa: BLE001
        result["findings"] = [{"rule": "lint-crashed", "path": str(path), "message": repr(error)}]
    return result


def main() -> None:
    for argument in sys.argv[1:]:
        path = Path(argument)
        if path.suffix == ".zip":
            with tempfile.TemporaryDirectory() as folder:
                with zipfile.ZipFile(path) as archive:
                    bad = archive.testzip()
                    if bad is not None:
                        print(json.dumps({"path": argument, "loaded": False, "error": f"bad CRC in {bad}", "valid_dir": False, "findings": []}))
                        continue
                    archive.extractall(folder)
                result = check(Path(folder))
                result["path"] = argument
                print(json.dumps(result))
        else:
            print(json.dumps(check(path)))


if __name__ == "__main__":
    main()
