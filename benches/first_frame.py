#!/usr/bin/env python3
"""Whole-process time from starting `hallway` in a 120×40 pseudo-terminal to its first frame on the
screen (the first time the output holds TEXT), as a person waits for it. Median of N runs.

    benches/first_frame.py [N] [TEXT] -- hallway args...
"""
import fcntl, os, pty, select, statistics, struct, sys, tempfile, termios, time

def once(argv, text, env):
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execvpe(argv[0], argv, env)
    seen = b""
    took = None
    try:
        while time.perf_counter() - start < 10:
            r, _, _ = select.select([fd], [], [], 0.5)
            if not r:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            if text in seen:
                took = time.perf_counter() - start
                break
    finally:
        os.write(fd, b"q")
        os.waitpid(pid, 0)
        os.close(fd)
    return took

def main():
    args = sys.argv[1:]
    n = int(args.pop(0)) if args and args[0].isdigit() else 20
    text = args.pop(0).encode() if args and args[0] != "--" else b"Master Stage"
    if args and args[0] == "--":
        args.pop(0)
    argv = args or ["target/release/hallway"]
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, HALLWAY_DATA_DIR=home, TERM="xterm-256color",
                   HALLWAY_NOW="2026-04-07T09:20:00Z")
        times = [once(argv, text, env) for _ in range(n)]
    times = [t for t in times if t is not None]
    if not times:
        sys.exit("never saw the first frame")
    print(f"first frame: median {statistics.median(times)*1000:.1f} ms, "
          f"min {min(times)*1000:.1f} ms, max {max(times)*1000:.1f} ms over {len(times)} runs")

main()
