"""End-to-end fixtures: a prepared SQLite city for CLI subprocesses and a live server for the browser."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

BIN = Path(sys.executable).parent
SCREENSHOTS = Path("var/screenshots")


def run_cli(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``jangkau ARGS`` as a subprocess, as a user would."""
    result = subprocess.run(
        [str(BIN / "jangkau"), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(f"jangkau {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def city_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment pointing at a fresh SQLite database with the whole region tree and the small Medan demo."""
    var = tmp_path_factory.mktemp("var")
    env = {**os.environ, "JANGKAU_VAR_DIR": str(var), "JANGKAU_DATABASE_URL": "", "COLUMNS": "200"}
    run_cli("db", "upgrade", env=env)
    run_cli("regions", "load", env=env)
    run_cli("demo", "seed", "--region", "12.71", "--scale", "small", "--seed", "1", env=env)
    run_cli("demo", "users", env=env)
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(city_env: dict[str, str]) -> Iterator[str]:
    """``jangkau serve`` on a free port, as ``make run`` starts it."""
    port = _free_port()
    # the server's log goes to a file: a pipe nobody reads fills up (64 KiB) and then blocks the server mid-request
    log = (Path(city_env["JANGKAU_VAR_DIR"]) / f"serve-{port}.log").open("wb")
    process = subprocess.Popen(
        [str(BIN / "jangkau"), "serve", "--port", str(port)], env=city_env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(url + "/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def serve(env: dict[str, str], *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``jangkau serve`` with ``env`` on a free port; returns the process and its URL once healthy."""
    port = _free_port()
    with (Path(env["JANGKAU_VAR_DIR"]) / f"serve-{port}.log").open("wb") as log:  # not a pipe: see live_server
        process = subprocess.Popen(
            [str(BIN / "jangkau"), "serve", "--port", str(port), *extra], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90  # a loaded machine starts slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/v1/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise AssertionError("server did not start")


@pytest.fixture(scope="session")
def worker_server(city_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``jangkau serve --with-worker`` as ``make run`` starts it, on its own copy of the city (its queue and
    schedule ticks do not touch the database the other tests share)."""
    var = tmp_path_factory.mktemp("worker-var")
    shutil.copy(Path(city_env["JANGKAU_VAR_DIR"]) / "jangkau.db", var / "jangkau.db")
    process, url = serve({**city_env, "JANGKAU_VAR_DIR": str(var)}, "--with-worker")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Debian Chromium driven by Playwright."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        if os.environ.get("JANGKAU_REQUIRE_BROWSER") == "1":
            pytest.fail("Debian's chromium is required here (make browser installs it)")
        pytest.skip("chromium not installed (make browser)")
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=str(chromium),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield instance
        instance.close()


def login(browser: Any, base_url: str, username: str, password: str = "jangkau-demo-2026", **options: Any) -> Any:
    """A new page (phone-sized by default) signed in as ``username``."""
    # bypass_csp: Playwright's wait_for_function evaluates strings, which the app's CSP rightly forbids
    viewport = options.pop("viewport", {"width": 390, "height": 844})
    page = browser.new_page(viewport=viewport, bypass_csp=True, **options)
    page.goto(base_url + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page
