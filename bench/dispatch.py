#!/usr/bin/env python3
"""Dispatch under backlog: several CallQueue processes on one redis-server drain a backlog against the Plivo sandbox.

Starts its own redis-server, one CallQueue process serving the sandbox and the callbacks (QUEUE_WORKERS=0) and
--processes dialing processes, queues --calls calls in one batch, waits until every call has ended, then reads the
sandbox's own log of create-call requests and hangup callbacks and prints:

  max concurrent calls observed vs MAX_CONCURRENT_CALLS, max requests in any one-second window vs
  RATE_LIMIT_PER_SECOND, achieved rate / configured rate, slot utilisation while the backlog lasted, and
  hangup -> next dial latency (p50/p99: how long a slot freed by a hangup stays empty before the next request).

Usage: bench/dispatch.py [--calls 600] [--processes 3] [--workers 4] [--max-concurrent 10] [--rate 5] [--talk 2]
Needs a Release build of CallQueue.Api (the script builds it) and redis-server on PATH. Loopback only.
"""
import argparse
import datetime as dt
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
API_DLL = os.path.join(ROOT, "CallQueue.Api", "bin", "Release", "net10.0", "CallQueue.Api.dll")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=60):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        text = response.read()
        return json.loads(text) if text else None


def wait_healthy(base, process, deadline=90):
    end = time.time() + deadline
    while time.time() < end:
        if process.poll() is not None:
            sys.exit(f"CallQueue process exited with {process.returncode}")
        try:
            http("GET", base + "/api/health", timeout=5)
            return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.3)
    sys.exit(f"{base} did not become healthy")


def start_callqueue(port, env, log_dir, name):
    environment = dict(os.environ, ASPNETCORE_ENVIRONMENT="Development", HOST="127.0.0.1", PORT=str(port), LOG_LEVEL="WARNING", **env)
    log = open(os.path.join(log_dir, f"{name}.log"), "w")
    return subprocess.Popen(["dotnet", API_DLL], cwd=os.path.dirname(API_DLL), env=environment, stdout=log, stderr=subprocess.STDOUT)


def parse_time(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=600)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--max-concurrent", type=int, default=10)
    parser.add_argument("--rate", type=float, default=5)
    parser.add_argument("--talk", type=int, default=2, help="seconds the sandbox keeps each answered call open")
    args = parser.parse_args()

    subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "CallQueue.Api"), "-v", "q", "-nologo"], check=True, stdout=subprocess.DEVNULL)
    work = tempfile.mkdtemp(prefix="callqueue-bench-")
    redis_port = free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", work],
                             stdout=subprocess.DEVNULL)
    processes = [redis]
    try:
        time.sleep(0.5)
        host_port = free_port()
        host = f"http://127.0.0.1:{host_port}"
        shared = {
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}",
            "REDIS_KEY_PREFIX": "bench",
            "MAX_CONCURRENT_CALLS": str(args.max_concurrent),
            "RATE_LIMIT_PER_SECOND": f"{args.rate:g}",
            "HANGFIRE_SERVER_TIMEOUT_SECONDS": "10",
            "SCHEDULE_POLLING_SECONDS": "1",
        }
        sandbox = start_callqueue(host_port, dict(shared, QUEUE_WORKERS="0", SANDBOX_RING_SECONDS="0", SANDBOX_TALK_SECONDS=str(args.talk),
                                                  SANDBOX_ANSWER_RATIO="1", SANDBOX_BUSY_RATIO="0", SANDBOX_NO_ANSWER_RATIO="0",
                                                  SANDBOX_HISTORY_LIMIT=str(max(10000, args.calls * 3))), work, "sandbox")
        processes.append(sandbox)
        wait_healthy(host, sandbox)

        calls = [{"phone_number": f"+1415557{i:04d}", "campaign_id": "bench", "call_config": {"answer_url": "https://a.example/x"}}
                 for i in range(args.calls)]
        http("POST", host + "/api/calls/bulk-queue", {"batch_id": "dispatch", "calls": calls})
        while http("GET", host + "/api/batches/dispatch")["awaiting_job"] > 0:
            time.sleep(0.5)

        dialer_env = dict(shared, PLIVO_MODE="sandbox", PLIVO_API_URL=host + "/sandbox/plivo", PUBLIC_BASE_URL=host, QUEUE_WORKERS=str(args.workers))
        for n in range(args.processes):
            port = free_port()
            dialer = start_callqueue(port, dialer_env, work, f"dialer{n}")
            processes.append(dialer)
            wait_healthy(f"http://127.0.0.1:{port}", dialer)

        started = time.time()
        while http("GET", host + "/api/batches/dispatch")["finished"] < args.calls:
            if time.time() - started > 3600:
                sys.exit("the backlog did not drain within an hour")
            time.sleep(1)

        requests = [r for r in http("GET", host + "/sandbox/control/requests") if r.get("response_status") == 201]
        hangups = {c["request_uuid"]: parse_time(c["sent_at"]) for c in http("GET", host + "/sandbox/control/callbacks") if c["event"] == "Hangup"}
    finally:
        for process in reversed(processes):
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)

    starts = sorted(parse_time(r["received_at"]) for r in requests)
    intervals = [(parse_time(r["received_at"]), hangups.get(r["request_uuid"], float("inf"))) for r in requests]
    events = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals], key=lambda e: (e[0], e[1]))
    active, max_active, busy_time, last = 0, 0, 0.0, None
    first, end_of_backlog = starts[0], starts[-1]
    for at, delta in events:
        if last is not None and first <= last < end_of_backlog:
            busy_time += active * (min(at, end_of_backlog) - last)
        active += delta
        max_active = max(max_active, active)
        last = at
    window_start, max_per_second = 0, 0
    for i, at in enumerate(starts):
        while at - starts[window_start] >= 1:
            window_start += 1
        max_per_second = max(max_per_second, i - window_start + 1)
    achieved = (len(starts) - 1) / (end_of_backlog - first)
    utilisation = busy_time / (args.max_concurrent * (end_of_backlog - first))
    # Hangup -> next dial: once the cap is full, every dial fills a slot a hangup freed. Pair the k-th hangup with the
    # (cap + k)-th dial (slots are reused first come, first served) and measure how long the slot stood empty.
    ends = sorted(e for _, e in intervals if e != float("inf"))
    refill = []
    for k, ended in enumerate(ends):
        if args.max_concurrent + k >= len(starts):
            break
        refill.append(max(0.0, starts[args.max_concurrent + k] - ended) * 1000)
    if os.environ.get("BENCH_DUMP"):
        with open(os.environ["BENCH_DUMP"], "w") as dump:
            json.dump({"intervals": intervals, "refill": refill}, dump)
    print(f"calls {len(starts)} (of {args.calls}) over {end_of_backlog - first:.1f} s; {args.processes} processes x {args.workers} workers; "
          f"talk {args.talk} s; cap {args.max_concurrent}; rate {args.rate}/s; {os.cpu_count()} cores")
    print(f"max concurrent observed      {max_active} (cap {args.max_concurrent})")
    print(f"max requests in any second   {max_per_second} (rate {args.rate:g})")
    print(f"achieved rate                {achieved:.3f}/s = {achieved / args.rate:.3f} of the configured rate")
    print(f"slot utilisation (backlog)   {utilisation:.3f}")
    print(f"hangup -> next dial          p50 {percentile(refill, 50):.1f} ms, p99 {percentile(refill, 99):.1f} ms ({len(refill)} hangups)")
    violations = int(max_active > args.max_concurrent) + int(max_per_second > args.rate)
    print(f"violations                   {violations}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
