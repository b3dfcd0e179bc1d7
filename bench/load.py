"""`python -m bench load`: Mesoclinic's pages under load against bare Django views on the
same data, in one run (issue 18).

Needs a chain from `python -m bench seed` in the database DATABASE_URL names (PostgreSQL)
and wrk (`apt-get install wrk`). It starts gunicorn with deploy/gunicorn.conf.py and 2 sync
workers (DEBUG off, static files collected to a temporary directory, access log off), signs
in the chain's nurse, front desk and admin, and for each operation runs wrk on the page and
then on its bare view (bench/bare.py), each for --seconds and at most --max-requests, and
prints requests per second, the ratio, and p50/p90 latency. The server is stopped by its
own process id at the end.

    python -m bench load [--seconds 10] [--connections 4] [--max-requests 20000]
"""

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOALS = {"chart": 0.3, "search": 0.7, "create": 0.5, "day view": 0.5}

LUA = """
math.randomseed(%(seed)d)  -- names differ from run to run: no duplicate patients
local paths = {%(paths)s}
local method, body, ctype, cookie = %(method)s, %(body)s, %(ctype)s, %(cookie)s
local n, limit = 0, %(limit)d
local letters = "abcdefghijklmnopqrstuvwxyz"
local function word(k)
  local t = {}
  for i = 1, k do local j = math.random(26); t[i] = letters:sub(j, j) end
  return table.concat(t)
end
request = function()
  n = n + 1
  if n > limit then wrk.thread:stop() end
  local path = paths[math.random(#paths)]
  if method == "POST" then
    local b = body:gsub("{given}", "Bench" .. word(6)):gsub("{family}", "Load" .. word(7))
    return wrk.format("POST", path, {["Content-Type"] = ctype, ["Cookie"] = cookie}, b)
  end
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"p50\\": %%f, \\"p90\\": %%f, \\"errors\\": %%d, \\"status\\": %%d}\\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
"""


def _lua_list(items: list[str]) -> str:
    return ", ".join(json.dumps(i) for i in items)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mesoclinic.settings")
    import django

    django.setup()


def _chain(name: str | None):
    """The seeded chain (the latest by default): its busy clinic and a sample of patients."""
    from mesoclinic.accounts.models import Clinic
    from mesoclinic.patients.models import Patient

    clinics = Clinic.objects.filter(name__regex=r"^chain[0-9]+ clinic 1$")
    if name:
        clinics = clinics.filter(name=f"{name} clinic 1")
    clinic = clinics.order_by("-id").first()
    if clinic is None:
        sys.exit("bench load: no seeded chain here; run `python -m bench seed --patients N` first")
    prefix = clinic.name.split()[0]
    codes = [
        str(c) for c in Patient.objects.filter(clinic=clinic).values_list("code", flat=True)[:2000]
    ]
    random.Random(18).shuffle(codes)
    total = Patient.objects.filter(clinic__name__startswith=f"{prefix} clinic ").count()
    return clinic, prefix, codes[:300], total


def _pg_settings() -> dict[str, str]:
    from django.db import connection

    if connection.vendor != "postgresql":
        return {"vendor": connection.vendor}
    names = [
        "server_version",
        "shared_buffers",
        "work_mem",
        "effective_cache_size",
        "max_connections",
        "synchronous_commit",
        "fsync",
        "random_page_cost",
        "jit",
    ]
    out = {}
    with connection.cursor() as cur:
        for name in names:
            cur.execute(f"SHOW {name}")
            out[name] = cur.fetchone()[0]
    return out


class Server:
    def __init__(self, port: int, static: str):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.load_settings",
            "DEBUG": "False",
            "SECRET_KEY": "bench-load-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "False",
            "SESSION_COOKIE_SECURE": "False",
            "CSRF_COOKIE_SECURE": "False",
            "STATIC_ROOT": static,
            "WEB_WORKERS": "2",
            "WEB_THREADS": "1",  # sync workers
            "BIND": f"127.0.0.1:{port}",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        self.env = env
        subprocess.run(
            [sys.executable, "-m", "mesoclinic", "collectstatic", "--noinput", "-v0"],
            env=env,
            check=True,
            cwd=ROOT,
        )
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [str(gunicorn), "-c", "deploy/gunicorn.conf.py", "--access-logfile", "/dev/null"],
            env=env,
            cwd=ROOT,
        )
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(self.base + "/accounts/login", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        sys.exit("bench load: gunicorn did not answer")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _login(base: str, username: str, password: str) -> tuple[str, str]:
    """Sign in through the login form: the Cookie header and the CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(urllib.request.Request(base + "/accounts/login", data=data))
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        sys.exit(f"bench load: could not sign in as {username}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), cookies["csrftoken"]


def _wrk(base, paths, *, cookie="", method="GET", body="", args) -> dict:
    lua = LUA % {
        "paths": _lua_list(paths),
        "method": json.dumps(method),
        "body": json.dumps(body),
        "ctype": json.dumps("application/x-www-form-urlencoded"),
        "cookie": json.dumps(cookie),
        "limit": args.max_requests,
        "seed": random.SystemRandom().randrange(1, 2**31),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(lua)
    cmd = ["wrk", "-t1", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout", "10s"]
    cmd += ["-s", f.name]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*cmd, base], capture_output=True, text=True, timeout=args.seconds + 60)
    os.unlink(f.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out.stdout).group(1))
    stats = json.loads(re.search(r"^JSON (.*)$", out.stdout, re.M).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)
    return {"rps": rps, **stats, "non2xx": int(bad.group(1)) if bad else 0}


def run(args) -> int:
    if shutil.which("wrk") is None:
        sys.exit("bench load: wrk is not installed (apt-get install wrk)")
    _setup_django()
    from mesoclinic.lib import clinicday
    from tests.support.personas import PASSWORD

    clinic, prefix, codes, total = _chain(args.chain)
    today = clinicday.today(clinic)
    pg = _pg_settings()
    print(
        f"# Load benchmark {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: chain {prefix}, {total:,} patients"
    )
    print(f"# gunicorn 2 sync workers; wrk -t1 -c{args.connections} -d{args.seconds}s")
    print("# database: " + ", ".join(f"{k}={v}" for k, v in pg.items()))
    static = tempfile.mkdtemp(prefix="mesoclinic-bench-static-")
    server = None
    try:
        server = Server(_free_port(), static)
        base = server.base
        nurse = _login(base, f"{prefix}-c1-nurse", PASSWORD)
        desk = _login(base, f"{prefix}-c1-front_desk", PASSWORD)
        admin = _login(base, f"{prefix}-c1-admin", PASSWORD)
        terms = ["yilmaz", "kaya", "ayse", "celik", "muller", "mehmet"]
        c = clinic.pk
        born = "1985-03-04"
        ops = [
            (
                "chart",
                nurse,
                [f"/patients/{x}/" for x in codes],
                [f"/bench-bare/chart/{x}" for x in codes],
                "",
                "",
            ),
            (
                "search",
                nurse,
                [f"/patients/?q={t}" for t in terms],
                [f"/bench-bare/search?clinic={c}&q={t}" for t in terms],
                "",
                "",
            ),
            (
                "create",
                desk,
                ["/patients/new"],
                ["/bench-bare/create"],
                f"csrfmiddlewaretoken={desk[1]}&given_name={{given}}&family_name={{family}}"
                f"&birth_date={born}&sex=female&phone=&email=&language=",
                f"clinic={c}&given_name={{given}}&family_name={{family}}&birth_date={born}",
            ),
            (
                "day view",
                desk,
                ["/scheduling/"],
                [f"/bench-bare/day?clinic={c}&date={today.isoformat()}"],
                "",
                "",
            ),
            ("audit log", admin, ["/audit/"], [f"/bench-bare/audit?clinic={c}"], "", ""),
            (
                "audit by patient",
                admin,
                [f"/audit/?patient={x}" for x in codes[:50]],
                [f"/bench-bare/audit?clinic={c}&patient={x}" for x in codes[:50]],
                "",
                "",
            ),
            (
                "audit since a date",
                admin,
                [f"/audit/?since={(today - dt.timedelta(days=30)).isoformat()}"],
                [f"/bench-bare/audit?clinic={c}"],
                "",
                "",
            ),
        ]
        rows = []
        for name, (cookie, _token), app_paths, bare_paths, app_body, bare_body in ops:
            if args.only and name not in args.only:
                continue
            method = "POST" if app_body else "GET"
            app = _wrk(base, app_paths, cookie=cookie, method=method, body=app_body, args=args)
            bare = _wrk(base, bare_paths, method=method, body=bare_body, args=args)
            rows.append((name, app, bare))
            print(
                f"  {name}: {app['rps']:.0f} vs {bare['rps']:.0f} req/s",
                file=sys.stderr,
                flush=True,
            )
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(static, ignore_errors=True)
    print()
    print(
        "| operation | Mesoclinic req/s | p50 / p90 ms | bare Django req/s | ratio | goal | met |"
    )
    print("|---|---:|---:|---:|---:|---|---|")
    for name, app, bare in rows:
        ratio = app["rps"] / bare["rps"] if bare["rps"] else 0.0
        goal = GOALS.get(name)
        errors = app["non2xx"] + app["errors"] + bare["non2xx"] + bare["errors"]
        met = "" if goal is None else ("yes" if ratio >= goal and not errors else "**no**")
        note = f" ({errors} errors)" if errors else ""
        print(
            f"| {name} | {app['rps']:.0f} | {app['p50']:.1f} / {app['p90']:.1f} | "
            f"{bare['rps']:.0f} | {ratio:.2f}x | {f'>= {goal}x' if goal else ''} | {met}{note} |"
        )
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=20000, help="per wrk run")
    parser.add_argument("--only", nargs="*", help="operation names, e.g. chart search")
    parser.add_argument("--chain", help="the chain `bench seed` printed (default: the latest)")
    args = parser.parse_args(argv)
    if args.seconds < 1 or args.connections < 1 or args.max_requests < 1:
        parser.error("--seconds, --connections and --max-requests must be at least 1")
    return run(args)
