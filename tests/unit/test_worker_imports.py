"""A web worker imports only what pages need: libraries that only commands use stay out of every worker's memory."""

import subprocess
import sys

COMMANDS_ONLY = ("alembic", "requests", "rich")


def test_creating_the_app_imports_no_library_only_commands_use(tmp_path):
    script = (
        "import sys\n"
        "from portal import create_app\n"
        f"create_app({{'DATABASE_URL': 'sqlite:///{tmp_path / 'portal.sqlite3'}', "
        f"'SEARCH_INDEX_DIR': '{tmp_path / 'index'}', 'SECRET_KEY': 'x' * 32}})\n"
        f"print(sorted({{name.split('.')[0] for name in sys.modules}} & set({COMMANDS_ONLY!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
