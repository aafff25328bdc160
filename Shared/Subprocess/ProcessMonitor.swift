#if canImport(Glibc)
import CLinux
import Glibc
#endif
import Synchronization

/// The one thread that starts, watches and reaps every child of this process and moves
/// the bytes of their pipes, with epoll: a child's exit is its pidfd becoming readable
/// (no SIGCHLD handler, which would fight Foundation's `Process` and anything else that
/// starts children), pipes are non-blocking and read or written when ready. Nothing here
/// blocks a thread of Swift's cooperative pool: callers wait on continuations that this
/// thread resumes.
///
/// Children are started on this thread too. `PR_SET_PDEATHSIG` fires when the *thread*
/// that created the child exits, and this one lives as long as the process, so the
/// death signal means what it says. All signals are blocked here, so a write to a closed
/// pipe returns `EPIPE` instead of raising SIGPIPE, and no process-wide signal lands here.
final class ProcessMonitor: @unchecked Sendable {
    /// The process-wide monitor, started on first use.
    static let shared = ProcessMonitor()

    private let epollFD: Int32
    private let wakeFD: Int32
    private let inbox = Mutex<[@Sendable () -> Void]>([])
    /// A watched descriptor's handler and the generation its epoll token carries.
    private struct Registration {
        let handler: any MonitorHandler
        let generation: UInt32
    }
    // Monitor-thread state.
    private var handlers: [Int32: Registration] = [:]
    /// The generation of the next registration (0 is the wake descriptor's).
    private var nextGeneration: UInt32 = 1
    private var running: [@Sendable () -> Void] = []
    /// A read buffer shared by every pipe (monitor thread only).
    let scratch: UnsafeMutableRawBufferPointer

    private init() {
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard epollFD >= 0, wakeFD >= 0 else { fatalError("ProcessMonitor: epoll/eventfd: errno \(errno)") }
        scratch = .allocate(byteCount: 64 * 1024, alignment: 16)
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = clinux_epoll_token(wakeFD, 0)
        epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event)
        let box = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { argument in
            let monitor = Unmanaged<ProcessMonitor>.fromOpaque(argument!).takeRetainedValue()
            monitor.run()
            return nil
        }, box.toOpaque())
        guard created == 0 else { fatalError("ProcessMonitor: pthread_create: \(created)") }
        pthread_detach(thread)
    }

    /// Runs `work` on the monitor thread, soon.
    func execute(_ work: @escaping @Sendable () -> Void) {
        inbox.withLock { $0.append(work) }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    // MARK: registration (monitor thread)

    /// Watches `fd` for `events` (epoll bits; 0 still reports errors and hang-ups).
    /// Events still queued for an earlier registration of the same descriptor number (one
    /// closed and reused within a batch) never reach `handler`.
    func register(fd: Int32, events: UInt32, handler: any MonitorHandler) {
        let generation = nextGeneration
        nextGeneration = nextGeneration == .max ? 1 : nextGeneration + 1
        handlers[fd] = Registration(handler: handler, generation: generation)
        var event = epoll_event()
        event.events = events
        event.data.u64 = clinux_epoll_token(fd, generation)
        epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event)
    }

    /// Changes the events watched on `fd`.
    func modify(fd: Int32, events: UInt32) {
        guard let registration = handlers[fd] else { return }
        var event = epoll_event()
        event.events = events
        event.data.u64 = clinux_epoll_token(fd, registration.generation)
        epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    /// Stops watching `fd` (before it is closed).
    func deregister(fd: Int32) {
        handlers[fd] = nil
        epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
    }

    // MARK: the loop

    private func run() {
        var all = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_SETMASK, &all, nil)
        let capacity = 64
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        while true {
            let count = epoll_wait(epollFD, events, Int32(capacity), -1)
            if count < 0 { continue }   // EINTR
            for index in 0..<Int(count) {
                let token = events[index].data.u64
                let fd = clinux_epoll_token_fd(token)
                if fd == wakeFD {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                    runQueued()
                    continue
                }
                // A stale event (the descriptor was closed and its number reused by a
                // registration made earlier in this batch) is dropped.
                guard let registration = handlers[fd],
                      registration.generation == clinux_epoll_token_generation(token) else { continue }
                registration.handler.ready(events: events[index].events)
            }
        }
    }

    private func runQueued() {
        inbox.withLock { swap(&$0, &running) }
        for work in running { work() }
        running.removeAll(keepingCapacity: true)
    }
}
