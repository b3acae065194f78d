#!/usr/bin/env python3
"""Helpers of bench/redis-migration.sh (standard library only).

  helper.py gen KEYS LARGE_MB SEED        RESP for `redis-cli --pipe` on stdout: KEYS keys of mixed
                                          types (~10% with a TTL) plus 5 large keys of ~LARGE_MB MB
  helper.py migrate SRC_PORT DST_PORT COUNT DEPTH TIMEOUT_MS
                                          copies the source to the target with SCAN COUNT + MIGRATE
                                          ... COPY REPLACE KEYS, DEPTH MIGRATEs in flight; prints JSON
  helper.py eden-copy API TOKEN MIGRATION STARTED_FILE TIMEOUT_S
                                          POST /migrate, poll /status every 100 ms until
                                          progress.copy_complete; prints JSON with the wall times
"""
import json
import os
import random
import socket
import sys
import time
import urllib.request
from collections import deque


# ---------------------------------------------------------------- data generation

def resp(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if not isinstance(a, bytes):
            a = str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def gen(keys, large_mb, seed):
    rnd = random.Random(seed)
    pool = rnd.randbytes(1 << 20).hex().encode()  # 2 MB of printable bytes to slice values from
    plen = len(pool) - 256
    w = sys.stdout.buffer
    chunk = []
    ttl_base = 3_600_000  # TTLs of 1-2 hours: nothing expires during the run

    def val(lo, hi):
        o = rnd.randrange(plen)
        return pool[o:o + rnd.randint(lo, hi)]

    for i in range(keys):
        t = i % 20  # 40% strings, 20% hashes, 15% lists, 10% sets, 15% sorted sets
        ttl = rnd.random() < 0.10
        if t < 8:
            k = b"s:%d" % i
            if ttl:
                chunk.append(resp(b"SET", k, val(16, 200), b"PX", ttl_base + rnd.randrange(ttl_base)))
                ttl = False
            else:
                chunk.append(resp(b"SET", k, val(16, 200)))
        elif t < 12:
            k = b"h:%d" % i
            chunk.append(resp(b"HSET", k, b"name", val(8, 24), b"email", val(12, 32), b"visits", rnd.randrange(10000),
                              b"bio", val(20, 80)))
        elif t < 15:
            k = b"l:%d" % i
            chunk.append(resp(b"RPUSH", k, *[val(8, 40) for _ in range(rnd.randint(3, 8))]))
        elif t < 17:
            k = b"t:%d" % i
            chunk.append(resp(b"SADD", k, *[val(6, 20) for _ in range(rnd.randint(3, 8))]))
        else:
            k = b"z:%d" % i
            args = []
            for _ in range(rnd.randint(3, 8)):
                args += [b"%d" % rnd.randrange(1_000_000), val(6, 20)]
            chunk.append(resp(b"ZADD", k, *args))
        if ttl:
            chunk.append(resp(b"PEXPIRE", k, ttl_base + rnd.randrange(ttl_base)))
        if len(chunk) >= 4096:
            w.write(b"".join(chunk))
            chunk.clear()
    w.write(b"".join(chunk))
    chunk.clear()

    # five large keys of about large_mb MB each (in the source's memory)
    if large_mb > 0:
        n = large_mb << 20
        w.write(resp(b"SET", b"big:string", (pool * (n // len(pool) + 1))[:n]))
        for name, cmd, per_item in ((b"big:hash", b"HSET", 110), (b"big:list", b"RPUSH", 80),
                                    (b"big:set", b"SADD", 90), (b"big:zset", b"ZADD", 120)):
            items = n // per_item
            for start in range(0, items, 1000):
                args = []
                for j in range(start, min(items, start + 1000)):
                    if cmd == b"HSET":
                        args += [b"field:%d" % j, val(40, 60)]
                    elif cmd == b"RPUSH":
                        args.append(val(40, 60))
                    elif cmd == b"SADD":
                        args.append(b"member:%d:" % j + val(20, 40))
                    else:
                        args += [b"%d" % j, b"member:%d:" % j + val(20, 40)]
                w.write(resp(cmd, name, *args))
    w.flush()


# ---------------------------------------------------------------- a minimal RESP client

class Conn:
    def __init__(self, port, host="127.0.0.1"):
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.f = self.sock.makefile("rb", buffering=1 << 20)

    def send(self, data):
        self.sock.sendall(data)

    def read(self):
        line = self.f.readline()
        if not line:
            raise EOFError("connection closed")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest
        if kind == b"-":
            return RuntimeError(rest.decode(errors="replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self.f.read(n + 2)[:-2]
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise ValueError("unexpected reply %r" % line)


def migrate(src_port, dst_port, count, depth, timeout_ms):
    c = Conn(src_port)
    head = [b"MIGRATE", b"127.0.0.1", str(dst_port).encode(), b"", b"0", str(timeout_ms).encode(),
            b"COPY", b"REPLACE", b"KEYS"]
    inflight = deque()  # None for a SCAN, else the number of keys of a MIGRATE
    pending = deque()   # key batches found by SCAN, not yet sent
    migrating = 0
    scanning = True
    scan_done = False
    moved = 0
    batches = 0
    errors = []
    t0 = time.time()
    c.send(resp(b"SCAN", b"0", b"COUNT", count))
    inflight.append(None)
    while inflight:
        reply = c.read()
        what = inflight.popleft()
        if what is None:
            scanning = False
            if isinstance(reply, Exception):
                raise SystemExit("SCAN failed: %s" % reply)
            cursor, keys = reply
            if keys:
                pending.append(keys)
            scan_done = cursor == b"0"
        else:
            migrating -= 1
            batches += 1
            if reply == b"OK":
                moved += what
            elif reply != b"NOKEY":
                if len(errors) < 5:
                    errors.append(str(reply))
        out = []
        if not scan_done and not scanning:
            out.append(resp(b"SCAN", cursor, b"COUNT", count))
            inflight.append(None)
            scanning = True
        while pending and migrating < depth:
            keys = pending.popleft()
            out.append(resp(*head, *keys))
            inflight.append(len(keys))
            migrating += 1
        if out:
            c.send(b"".join(out))
    t1 = time.time()
    print(json.dumps({"start": t0, "end": t1, "seconds": t1 - t0, "keys": moved, "batches": batches,
                      "errors": errors}))


# ---------------------------------------------------------------- Eden's copy, timed from outside

def eden_copy(api, token, migration, started_file, timeout_s):
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}

    def call(method, path, body=None):
        req = urllib.request.Request(api + path, method=method, headers=headers,
                                     data=None if body is None else json.dumps(body).encode())
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"null")

    t0 = time.time()
    call("POST", "/api/v1/migrations/%s/migrate" % migration)
    t_posted = time.time()
    if started_file != "-":
        open(started_file, "w").close()
    status = None
    polls = 0
    last_keys, last_change, stall, stall_at = -1, time.time(), 0.0, 0
    while True:
        status = call("GET", "/api/v1/migrations/%s/status" % migration)
        polls += 1
        p = status.get("progress") or {}
        now = time.time()
        if p.get("keys_copied", 0) != last_keys:
            last_keys, last_change = p.get("keys_copied", 0), now
        elif now - last_change > stall:
            stall, stall_at = now - last_change, last_keys  # longest time keys_copied stood still
        if p.get("copy_complete"):
            break
        if status.get("phase") in ("failed", "rolled_back", "rolling_back"):
            raise SystemExit("migration left the copy: %s" % json.dumps(status))
        if time.time() - t0 > timeout_s:
            raise SystemExit("copy not complete after %d s: %s" % (timeout_s, json.dumps(status)))
        time.sleep(0.1)
    t1 = time.time()
    print(json.dumps({"start": t0, "posted": t_posted, "end": t1, "seconds": t1 - t0, "polls": polls,
                      "longest_stall_s": stall, "stall_at_keys": stall_at, "status": status}))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "gen":
        gen(int(args[0]), int(args[1]), int(args[2]))
    elif cmd == "migrate":
        migrate(int(args[0]), int(args[1]), args[2].encode(), int(args[3]), int(args[4]))
    elif cmd == "eden-copy":
        eden_copy(args[0], args[1], args[2], args[3], float(args[4]))
    else:
        raise SystemExit(__doc__)
