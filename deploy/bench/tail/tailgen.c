// tailgen: closed-loop HTTP/1.1 keep-alive load generator that records every request's
// latency with its connection, so the tail can be attributed (per connection, over time).
//   tailgen PORT PATH CONNS SECONDS [post-body] > dump.csv   (csv: t_us,lat_us,conn,localport)
// Built and run by deploy/bench/tail/run.sh.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct { int fd; char buf[65536]; int len; long long sent; int port; } Conn;
typedef struct { long long t; int lat; int conn; } Rec;

static long long now_us(void) {
    struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

// Length of one complete response at the buffer's start, or 0.
static int complete(const char *b, int n) {
    const char *end = memmem(b, n, "\r\n\r\n", 4);
    if (!end) return 0;
    int head = (int)(end - b) + 4;
    const char *cl = memmem(b, head, "Content-Length: ", 16);
    if (!cl) cl = memmem(b, head, "content-length: ", 16);
    int body = cl ? atoi(cl + 16) : 0;
    return n >= head + body ? head + body : 0;
}

int main(int argc, char **argv) {
    if (argc < 5) { fprintf(stderr, "usage: tailgen PORT PATH CONNS SECONDS [body]\n"); return 2; }
    int port = atoi(argv[1]), conns = atoi(argv[3]), secs = atoi(argv[4]);
    const char *path = argv[2], *body = argc > 5 ? argv[5] : NULL;
    char req[1024]; int rlen;
    if (body) rlen = snprintf(req, sizeof req, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", path, strlen(body), body);
    else rlen = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", path);
    Conn *cs = calloc(conns, sizeof(Conn));
    size_t cap = 20000000; Rec *recs = malloc(cap * sizeof(Rec)); size_t nrec = 0;
    int ep = epoll_create1(0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    for (int i = 0; i < conns; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) { perror("connect"); return 1; }
        int one = 1; setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct sockaddr_in la; socklen_t ll = sizeof la; getsockname(fd, (struct sockaddr *)&la, &ll);
        cs[i].fd = fd; cs[i].port = ntohs(la.sin_port);
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = i };
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    long long start = now_us(), stop = start + secs * 1000000LL;
    for (int i = 0; i < conns; i++) { cs[i].sent = now_us(); send(cs[i].fd, req, rlen, MSG_NOSIGNAL); }
    struct epoll_event evs[1024];
    long long t = start;
    while (t < stop) {
        int n = epoll_wait(ep, evs, 1024, 100);
        for (int k = 0; k < n; k++) {
            Conn *c = &cs[evs[k].data.u32];
            int r = recv(c->fd, c->buf + c->len, sizeof c->buf - c->len, 0);
            if (r <= 0) { fprintf(stderr, "conn %u closed (%d, %s)\n", evs[k].data.u32, r, strerror(errno)); return 1; }
            c->len += r;
            int m;
            while ((m = complete(c->buf, c->len)) > 0) {
                long long done = now_us();
                if (nrec < cap) recs[nrec++] = (Rec){ c->sent - start, (int)(done - c->sent), (int)evs[k].data.u32 };
                memmove(c->buf, c->buf + m, c->len - m); c->len -= m;
                c->sent = now_us();
                send(c->fd, req, rlen, MSG_NOSIGNAL);
            }
        }
        t = now_us();
    }
    printf("t_us,lat_us,conn,localport\n");
    for (size_t i = 0; i < nrec; i++) printf("%lld,%d,%d,%d\n", recs[i].t, recs[i].lat, recs[i].conn, cs[recs[i].conn].port);
    fprintf(stderr, "%zu requests in %d s: %.0f req/s\n", nrec, secs, nrec / (double)secs);
    return 0;
}
