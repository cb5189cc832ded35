import os, socket, struct
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.setblocking(False)
try:
    s.recv(65536)              # nothing queued: recvfrom = -1 EAGAIN
except BlockingIOError:
    pass
s.setblocking(True)
# RTM_GETADDR dump, sent with sendto(), read with a MSG_PEEK probe then recvfrom()
s.send(struct.pack("=LHHLLBBBBL", 24, 22, 0x301, 7, 0, 2, 0, 0, 0, 0))
s.recv(65536, socket.MSG_PEEK)
while True:
    d = s.recv(65536)
    if struct.unpack_from("=H", d, 4)[0] == 3:
        break
# RTM_GETLINK for ifindex 1 with write() / read()
os.write(s.fileno(), struct.pack("=LHHLLBBHiII", 32, 18, 0x1, 8, 0, 0, 0, 0, 1, 0, 0))
os.read(s.fileno(), 65536)
