#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

/* accept4 is declared only under _GNU_SOURCE, which would change other system headers. */
extern int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);

static inline int clinux_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    return accept4(fd, addr, len, flags);
}

/* getrandom(2), for Crypto's SecureRandom (not exported by Swift's Glibc module). */
#include <sys/random.h>

/* malloc_trim(3), for the predictor's HeapTrimmer (glibc's malloc.h is not in Swift's Glibc module). */
#include <malloc.h>
