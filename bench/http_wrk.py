"""Load generation with wrk: install it when missing, run it against one URL, read its figures.

wrk's own `--latency` table has no 95th percentile, so a Lua `done` function prints every figure as one JSON
line; the text report is still parsed, as a cross-check, for requests per second and non-2xx responses.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

MARKER = "WRK-FIGURES "
PERCENTILES = (50, 75, 90, 95, 99, 99.9)
LUA = """-- written by bench/http_wrk.py: every figure of the run as one JSON line
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('%s{"requests":%%d,"duration_us":%%d,"bytes":%%d,' ..
    '"connect_errors":%%d,"read_errors":%%d,"write_errors":%%d,"timeouts":%%d,"non_2xx_3xx":%%d,' ..
    '"latency_mean_us":%%.1f,"latency_stdev_us":%%.1f,"latency_min_us":%%d,"latency_max_us":%%d,' ..
    '"percentiles_us":{%s}}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.timeout, e.status,
    latency.mean, latency.stdev, latency.min, latency.max, %s))
end
""" % (
    MARKER,
    ",".join(f'"{p}":%d' for p in PERCENTILES),
    ", ".join(f"latency:percentile({p})" for p in PERCENTILES),
)


def ensure_installed() -> str:
    """The wrk executable, installing Debian's package first when there is none."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk not found: installing Debian's wrk package", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    quiet = {"stdout": subprocess.DEVNULL}
    if subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=False, **quiet).returncode != 0:
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, **quiet)
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "wrk"], check=True, **quiet)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is still missing after apt-get install wrk")
    return found


def version(wrk: str) -> str:
    """wrk's first line of -v, such as 'wrk 4.1.0 [epoll] Copyright (C) 2012 Will Glozer' (it exits 1)."""
    done = subprocess.run([wrk, "-v"], capture_output=True, text=True, check=False)
    first = (done.stdout or done.stderr).strip().splitlines()[0]
    return first.split(" Copyright")[0]


# Many paths in turn: each wrk thread starts at a different place in the list, so caches see varied requests.
ROTATION = """
local paths = {%s}
local threads = 0
setup = function(thread)
  thread:set("start", threads * 37)
  threads = threads + 1
end
init = function(args)
  counter = start or 0
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def write_script(folder: Path, paths: list[str] | None = None, name: str = "figures.lua") -> Path:
    """The Lua script for wrk; with `paths`, every request asks for the next of them rather than wrk's URL."""
    path = folder / name
    lua = LUA
    if paths:
        lua += ROTATION % ", ".join(json.dumps(p) for p in paths)
    path.write_text(lua, encoding="utf-8")
    return path


def run(wrk: str, script: Path, url: str, seconds: float, connections: int, threads: int) -> dict:
    """One wrk run. Latencies in milliseconds; `non_2xx_3xx` counts responses with any other status."""
    command = [wrk, "--latency", "-s", str(script), "-t", str(threads), "-c", str(connections),
               "-d", f"{seconds:g}s", "--timeout", "10s", url]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}) on {url}:\n{done.stdout}{done.stderr}")
    return parse(done.stdout)


def parse(output: str) -> dict:
    lines = [line for line in output.splitlines() if line.startswith(MARKER)]
    if not lines:
        raise RuntimeError(f"wrk printed no figures (is the Lua script running?):\n{output}")
    raw = json.loads(lines[-1][len(MARKER):])
    seconds = raw["duration_us"] / 1e6
    text_rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    text_non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    figures = {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "requests_per_s": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "bytes_per_response": round(raw["bytes"] / raw["requests"]) if raw["requests"] else None,
        "latency_ms": {
            "mean": round(raw["latency_mean_us"] / 1000, 2),
            "stdev": round(raw["latency_stdev_us"] / 1000, 2),
            "min": round(raw["latency_min_us"] / 1000, 2),
            "max": round(raw["latency_max_us"] / 1000, 2),
            **{f"p{p:g}": round(us / 1000, 2) for p, us in zip(PERCENTILES, raw["percentiles_us"].values())},
        },
        "non_2xx_3xx": raw["non_2xx_3xx"],
        "socket_errors": {name: raw[f"{name}_errors"] for name in ("connect", "read", "write")}
                         | {"timeout": raw["timeouts"]},
        "wrk_text": {  # wrk's own report, which must agree
            "requests_per_s": float(text_rps.group(1)) if text_rps else None,
            "non_2xx_3xx": int(text_non_2xx.group(1)) if text_non_2xx else 0,
        },
    }
    if figures["wrk_text"]["non_2xx_3xx"] != figures["non_2xx_3xx"]:
        raise RuntimeError(f"wrk's text and Lua figures disagree on non-2xx responses:\n{output}")
    return figures
