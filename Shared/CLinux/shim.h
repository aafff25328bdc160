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

/* renameat2(2) with RENAME_EXCHANGE: swaps two paths atomically (task-manager replaces a
   task's directory with its new version in one step). Declared only under _GNU_SOURCE. */
extern int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags);

static inline int clinux_rename_exchange(const char *first, const char *second) {
    return renameat2(-100 /* AT_FDCWD */, first, -100 /* AT_FDCWD */, second, 1u << 1 /* RENAME_EXCHANGE */);
}
/* malloc_trim(3), for the predictor's HeapTrimmer (glibc's malloc.h is not in Swift's Glibc module). */
#include <malloc.h>

/* An epoll registration's token (epoll_data.u64): the descriptor in the low 32 bits and
   the registration's generation in the high 32. A descriptor closed and reused while
   events for it are still in a batch from epoll_wait would otherwise send those stale
   events to the new registration's handler; the loops compare generations and drop them. */
static inline unsigned long long clinux_epoll_token(int fd, unsigned int generation) {
    return ((unsigned long long)generation << 32) | (unsigned int)fd;
}

static inline int clinux_epoll_token_fd(unsigned long long token) {
    return (int)(unsigned int)(token & 0xffffffffu);
}

static inline unsigned int clinux_epoll_token_generation(unsigned long long token) {
    return (unsigned int)(token >> 32);
}
