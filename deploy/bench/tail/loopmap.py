#!/usr/bin/env python3
"""loopmap.py PID SECONDS: which thread of PID reads from which connection (strace a moment),
printed as 'client-port thread-id' lines (client port from /proc/net/tcp by socket inode)."""
import os, re, subprocess, sys
pid, secs = sys.argv[1], float(sys.argv[2])
p = subprocess.Popen(["strace", "-f", "-qq", "-e", "trace=recvfrom,read,recvmsg,readv", "-p", pid],
                     stderr=subprocess.PIPE, text=True)
try:
    out = p.communicate(timeout=secs)[1]
except subprocess.TimeoutExpired:
    p.terminate(); out = p.communicate()[1]
fd_tid = {}
for line in out.splitlines():
    m = re.match(r"\[pid\s+(\d+)\] (?:recvfrom|read|recvmsg|readv)\((\d+),", line)
    if m:
        fd_tid.setdefault(int(m.group(2)), m.group(1))
inode_port = {}
for f in ("/proc/net/tcp", "/proc/net/tcp6"):
    for line in open(f).readlines()[1:]:
        parts = line.split()
        inode_port[parts[9]] = int(parts[2].split(":")[1], 16)
for fd, tid in sorted(fd_tid.items()):
    try:
        link = os.readlink(f"/proc/{pid}/fd/{fd}")
    except OSError:
        continue
    m = re.match(r"socket:\[(\d+)\]", link)
    if m and m.group(1) in inode_port:
        print(inode_port[m.group(1)], tid)
