/*
 * Starting a child process with limits, for the Subprocess module.
 *
 * Swift may not run between fork and exec in a multithreaded process (only
 * async-signal-safe calls are allowed there), so the whole child setup is here, in C,
 * using system calls only: no malloc, no locks, no glibc wrappers that keep per-thread
 * bookkeeping (setuid/setgid/setgroups in glibc broadcast to every thread of the parent,
 * which the child does not have, so the raw system calls are used).
 *
 * The child is made with the raw clone system call (like fork, its own copy of memory)
 * with CLONE_PIDFD, so the parent gets a pidfd to watch for the exit without SIGCHLD,
 * and any namespace flags, so a refused namespace is a clear error of clone itself.
 * Errors in the child are written to a close-on-exec pipe as {stage, errno}; an empty
 * read means execve succeeded.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Clone flags (linux/sched.h), defined here so no _GNU_SOURCE is needed. */
#define CLINUX_CLONE_PIDFD     0x00001000ULL
#define CLINUX_CLONE_NEWNS     0x00020000ULL
#define CLINUX_CLONE_NEWUTS    0x04000000ULL
#define CLINUX_CLONE_NEWIPC    0x08000000ULL
#define CLINUX_CLONE_NEWUSER   0x10000000ULL
#define CLINUX_CLONE_NEWPID    0x20000000ULL
#define CLINUX_CLONE_NEWNET    0x40000000ULL

/* Where a spawn failed: in the child (1–13) or in the parent (20–21). */
#define CLINUX_STAGE_SIGNALS        1
#define CLINUX_STAGE_USER_MAP       2
#define CLINUX_STAGE_PROCESS_GROUP  3
#define CLINUX_STAGE_STDIO          4
#define CLINUX_STAGE_CLOSE_FDS      5
#define CLINUX_STAGE_RLIMIT         6
#define CLINUX_STAGE_SETGROUPS      7
#define CLINUX_STAGE_SETGID         8
#define CLINUX_STAGE_SETUID         9
#define CLINUX_STAGE_CHDIR          10
#define CLINUX_STAGE_NO_NEW_PRIVS   11
#define CLINUX_STAGE_DEATH_SIGNAL   12
#define CLINUX_STAGE_EXEC           13
#define CLINUX_STAGE_PIPE           20
#define CLINUX_STAGE_CLONE          21

/* Everything the child needs, prepared by the parent (no allocation in the child). */
struct clinux_spawn_request {
    const char *path;                 /* executable, used as given (no PATH search) */
    char *const *argv;                /* NULL-terminated */
    char *const *envp;                /* NULL-terminated */
    const char *working_directory;    /* NULL: keep the parent's */
    int stdin_fd, stdout_fd, stderr_fd; /* -1: inherit the parent's 0, 1, 2 */
    int process_group;                /* 0 keep, 1 new process group, 2 new session */
    /* Resource limits; -1 leaves one unchanged. Soft and hard are both set. */
    long long limit_cpu_soft, limit_cpu_hard;
    long long limit_address_space, limit_processes, limit_open_files, limit_file_size, limit_core;
    int change_identity;              /* 1: setgroups, setgid, setuid below */
    unsigned int uid, gid;
    const unsigned int *groups;
    int group_count;
    int no_new_privs;
    int death_signal;                 /* 0: none */
    int parent_pid;                   /* for the death-signal race check; 0: skip it */
    unsigned long long clone_flags;   /* CLINUX_CLONE_NEW* */
    const char *uid_map, *gid_map;    /* written in a new user namespace; NULL: none */
};

/* What came of a spawn. */
struct clinux_spawn_result {
    int pid;
    int pidfd;
    int stage;   /* 0 on success */
    int error;   /* errno of the failed stage */
};

static inline __attribute__((noreturn)) void clinux_child_fail(int report_fd, int stage) {
    int message[2] = { stage, errno };
    ssize_t written;
    do { written = write(report_fd, message, sizeof message); } while (written < 0 && errno == EINTR);
    _exit(127);
}

static inline int clinux_child_write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t length = strlen(text);
    ssize_t written = write(fd, text, length);
    int saved = errno;
    close(fd);
    errno = saved;
    return written == (ssize_t)length ? 0 : -1;
}

static inline int clinux_child_limit(int resource, long long soft, long long hard) {
    if (soft < 0) return 0;
    unsigned long long values[2] = { (unsigned long long)soft, (unsigned long long)hard };
    return (int)syscall(SYS_prlimit64, 0, resource, values, NULL);
}

/* The child between clone and execve: system calls only. Never returns. */
static inline __attribute__((noreturn)) void clinux_child(const struct clinux_spawn_request *req, int report_fd) {
    /* Handlers and ignored signals of the parent must not reach the program. The raw
       system call, because glibc's sigaction refuses its own reserved signals (32, 33),
       which the Swift runtime's process may have ignored. Kernel layout of the struct. */
    struct { void *handler; unsigned long flags; void *restorer; unsigned long long mask; } action;
    memset(&action, 0, sizeof action);   /* SIG_DFL is 0 */
    for (int sig = 1; sig <= 64; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        (void)syscall(SYS_rt_sigaction, sig, &action, NULL, sizeof action.mask);
    }
    if (req->uid_map != NULL) {
        if (clinux_child_write_file("/proc/self/setgroups", "deny") < 0 && errno != ENOENT)
            clinux_child_fail(report_fd, CLINUX_STAGE_USER_MAP);
        if (clinux_child_write_file("/proc/self/gid_map", req->gid_map) < 0)
            clinux_child_fail(report_fd, CLINUX_STAGE_USER_MAP);
        if (clinux_child_write_file("/proc/self/uid_map", req->uid_map) < 0)
            clinux_child_fail(report_fd, CLINUX_STAGE_USER_MAP);
    }
    if (req->process_group == 2) {
        if (setsid() < 0) clinux_child_fail(report_fd, CLINUX_STAGE_PROCESS_GROUP);
    } else if (req->process_group == 1) {
        if (setpgid(0, 0) < 0) clinux_child_fail(report_fd, CLINUX_STAGE_PROCESS_GROUP);
    }
    /* Standard streams: first move every source below 3 that is not already its own
       target out of the way, so no dup2 overwrites another source. */
    int sources[3] = { req->stdin_fd, req->stdout_fd, req->stderr_fd };
    for (int target = 0; target < 3; target++) {
        if (sources[target] >= 0 && sources[target] < 3 && sources[target] != target) {
            int moved = fcntl(sources[target], F_DUPFD_CLOEXEC, 3);
            if (moved < 0) clinux_child_fail(report_fd, CLINUX_STAGE_STDIO);
            sources[target] = moved;
        }
    }
    for (int target = 0; target < 3; target++) {
        if (sources[target] < 0) continue;
        if (sources[target] == target) {
            if (fcntl(target, F_SETFD, 0) < 0) clinux_child_fail(report_fd, CLINUX_STAGE_STDIO);
        } else if (dup2(sources[target], target) < 0) {
            clinux_child_fail(report_fd, CLINUX_STAGE_STDIO);
        }
    }
    /* Every other descriptor closes at exec (the report pipe already does). */
    if (syscall(436 /* close_range */, 3U, ~0U, 4U /* CLOSE_RANGE_CLOEXEC */) < 0) {
        unsigned long long values[2] = { 0, 0 };
        long long highest = 65536;
        if (syscall(SYS_prlimit64, 0, 7 /* RLIMIT_NOFILE */, NULL, values) == 0 && values[0] < (unsigned long long)highest)
            highest = (long long)values[0];
        for (int fd = 3; fd < highest; fd++) (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    if (clinux_child_limit(0 /* RLIMIT_CPU */, req->limit_cpu_soft, req->limit_cpu_hard) < 0
        || clinux_child_limit(9 /* RLIMIT_AS */, req->limit_address_space, req->limit_address_space) < 0
        || clinux_child_limit(6 /* RLIMIT_NPROC */, req->limit_processes, req->limit_processes) < 0
        || clinux_child_limit(7 /* RLIMIT_NOFILE */, req->limit_open_files, req->limit_open_files) < 0
        || clinux_child_limit(1 /* RLIMIT_FSIZE */, req->limit_file_size, req->limit_file_size) < 0
        || clinux_child_limit(4 /* RLIMIT_CORE */, req->limit_core, req->limit_core) < 0)
        clinux_child_fail(report_fd, CLINUX_STAGE_RLIMIT);
    if (req->change_identity) {
        if (syscall(SYS_setgroups, (long)req->group_count, req->groups) < 0)
            clinux_child_fail(report_fd, CLINUX_STAGE_SETGROUPS);
        if (syscall(SYS_setresgid, req->gid, req->gid, req->gid) < 0)
            clinux_child_fail(report_fd, CLINUX_STAGE_SETGID);
        if (syscall(SYS_setresuid, req->uid, req->uid, req->uid) < 0)
            clinux_child_fail(report_fd, CLINUX_STAGE_SETUID);
    }
    /* After the identity change, so the directory is entered with the child's rights. */
    if (req->working_directory != NULL && chdir(req->working_directory) < 0)
        clinux_child_fail(report_fd, CLINUX_STAGE_CHDIR);
    if (req->no_new_privs && syscall(SYS_prctl, 38 /* PR_SET_NO_NEW_PRIVS */, 1L, 0L, 0L, 0L) < 0)
        clinux_child_fail(report_fd, CLINUX_STAGE_NO_NEW_PRIVS);
    /* Last credential-wise: a uid change clears the death signal. */
    if (req->death_signal != 0) {
        if (syscall(SYS_prctl, 1 /* PR_SET_PDEATHSIG */, (long)req->death_signal, 0L, 0L, 0L) < 0)
            clinux_child_fail(report_fd, CLINUX_STAGE_DEATH_SIGNAL);
        if (req->parent_pid != 0 && getppid() != req->parent_pid) _exit(127);   /* parent already gone */
    }
    sigset_t none;
    sigemptyset(&none);
    if (sigprocmask(SIG_SETMASK, &none, NULL) < 0) clinux_child_fail(report_fd, CLINUX_STAGE_SIGNALS);
    execve(req->path, req->argv, req->envp);
    clinux_child_fail(report_fd, CLINUX_STAGE_EXEC);
}

/* Starts the child; 0 with pid and pidfd filled in, or -1 with stage and error. A child
   that failed before exec has been reaped already. */
static inline int clinux_spawn(const struct clinux_spawn_request *req, struct clinux_spawn_result *result) {
    result->pid = -1;
    result->pidfd = -1;
    result->stage = 0;
    result->error = 0;
    int report[2];
    if (pipe(report) < 0) {
        result->stage = CLINUX_STAGE_PIPE;
        result->error = errno;
        return -1;
    }
    /* Both ends close-on-exec and above 2, where the child's dup2 cannot hit them. */
    for (int end = 0; end < 2; end++) {
        int moved = fcntl(report[end], F_DUPFD_CLOEXEC, 3);
        int saved = errno;
        close(report[end]);
        if (moved < 0) {
            if (end == 1) close(report[0]);
            result->stage = CLINUX_STAGE_PIPE;
            result->error = saved;
            return -1;
        }
        report[end] = moved;
    }
    /* No handler of ours may run in the child before it resets them. */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    int pidfd = -1;
    long pid = syscall(SYS_clone, (unsigned long)(CLINUX_CLONE_PIDFD | SIGCHLD | req->clone_flags),
                       NULL, &pidfd, NULL, 0UL);
    if (pid == 0) {
        close(report[0]);
        clinux_child(req, report[1]);
    }
    int clone_error = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    close(report[1]);
    if (pid < 0) {
        close(report[0]);
        result->stage = CLINUX_STAGE_CLONE;
        result->error = clone_error;
        return -1;
    }
    int message[2] = { 0, 0 };
    ssize_t got;
    do { got = read(report[0], message, sizeof message); } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof message) {
        int status = 0;
        while (waitpid((pid_t)pid, &status, 0) < 0 && errno == EINTR) {}
        close(pidfd);
        result->stage = message[0];
        result->error = message[1];
        return -1;
    }
    result->pid = (int)pid;
    result->pidfd = pidfd;
    return 0;
}
