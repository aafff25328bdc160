#if canImport(Glibc)
import CLinux
import Glibc
#endif
import Synchronization

/// Something registered with an event loop for readiness of one file descriptor.
/// Its methods are called on the loop's thread only.
protocol EventHandler: AnyObject {
    /// The descriptor is readable (or has hung up / errored).
    func readable()
    /// The descriptor is writable.
    func writable()
    /// Called once a second (roughly) with the current monotonic time, for timeouts.
    func tick(now: UInt64)
}

/// One thread running an epoll loop. It owns the sockets registered with it, runs
/// closures submitted from other threads, and is a Swift `TaskExecutor`: request
/// handlers started with this loop as their executor preference run on the loop
/// thread, so a request never hops threads between socket and handler.
public final class EventLoop: TaskExecutor, SerialExecutor, @unchecked Sendable {
    private let epfd: Int32
    private let wakeFD: Int32
    private struct Pending {
        var jobs: [UnownedJob] = []
        var closures: [() -> Void] = []
        var asleep = false
    }
    private let pending = Mutex(Pending())
    /// A watched descriptor's handler and the generation its epoll token carries.
    private struct Registration {
        let handler: EventHandler
        let generation: UInt32
    }
    // Loop-thread state.
    private var handlers: [Int32: Registration] = [:]
    /// The generation of the next registration (0 is the wake descriptor's).
    private var nextGeneration: UInt32 = 1
    private var localJobs: [UnownedJob] = []
    private var localClosures: [() -> Void] = []
    // Spare buffers swapped with the queues while they run: no allocation per round.
    private var runningJobs: [UnownedJob] = []
    private var runningClosures: [() -> Void] = []
    private var thread: pthread_t?
    private let threadReady = Mutex(false)
    private let stopFlag = Atomic<Bool>(false)
    private var lastTick: UInt64 = 0
    /// Monotonic nanoseconds when the loop last woke: one clock read per wake-up, for
    /// activity stamps and timeouts measured in seconds. Read on the loop thread only.
    private(set) var now: UInt64 = Sys.now()
    /// A scratch buffer for reads, shared by every socket of this loop.
    let readBuffer: UnsafeMutableRawBufferPointer
    /// The `Date` header text, cached per second (loop thread).
    var dateCache = HTTPDateCache()
    /// Index of this loop in its group.
    public let index: Int
    /// Server connections on this loop (any thread reads it to balance new connections).
    let serverConnections = Atomic<Int>(0)
    /// Why the loop could not be set up (no descriptor for its epoll set or wake-up
    /// event): such a loop runs nothing, and a server on its group refuses to start.
    public let setupFailure: SystemError?

    init(index: Int) {
        self.index = index
        epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        let epollFailure = epfd < 0 ? SystemError("epoll_create1") : nil
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        let eventFailure = wakeFD < 0 ? SystemError("eventfd") : nil
        readBuffer = .allocate(byteCount: 64 * 1024, alignment: 16)
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue
        ev.data.u64 = clinux_epoll_token(wakeFD, 0)
        let added = epollFailure == nil && eventFailure == nil && epoll_ctl(epfd, EPOLL_CTL_ADD, wakeFD, &ev) == 0
        setupFailure = epollFailure ?? eventFailure ?? (added ? nil : SystemError("epoll_ctl"))
    }

    deinit {
        if epfd >= 0 { close(epfd) }
        if wakeFD >= 0 { close(wakeFD) }
        readBuffer.deallocate()
    }

    /// The loop whose thread this is, if any (any group).
    public static var current: EventLoop? {
        guard let p = pthread_getspecific(currentKey) else { return nil }
        return Unmanaged<EventLoop>.fromOpaque(p).takeUnretainedValue()
    }

    private static let currentKey: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    /// True when called on this loop's thread.
    public var inLoop: Bool {
        guard let t = thread else { return false }
        return pthread_equal(pthread_self(), t) != 0
    }

    // MARK: registration (loop thread)

    /// Watches `fd` for `handler`; false (and nothing registered) when epoll refuses it
    /// (out of memory or watches): the caller closes the descriptor.
    @discardableResult
    /// Events still queued for an earlier registration of the same descriptor number (one
    /// closed and reused within a batch) never reach `handler`.
    func register(fd: Int32, handler: EventHandler, writable: Bool = false) -> Bool {
        let generation = takeGeneration()
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue | (writable ? EPOLLOUT.rawValue : 0)
        ev.data.u64 = clinux_epoll_token(fd, generation)
        guard epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == 0 else { return false }
        handlers[fd] = Registration(handler: handler, generation: generation)
        return true
    }

    /// Registers a shared listening socket; only one loop is woken per connection.
    func registerExclusive(fd: Int32, handler: EventHandler) {
        handlers[fd] = Registration(handler: handler, generation: takeGeneration())
        watchExclusive(fd: fd)
    }

    /// A new registration's generation.
    private func takeGeneration() -> UInt32 {
        let generation = nextGeneration
        nextGeneration = nextGeneration == .max ? 1 : nextGeneration + 1
        return generation
    }

    /// Starts (again) waking for a registered listening socket.
    func watchExclusive(fd: Int32) {
        guard let registration = handlers[fd] else { return }
        var ev = epoll_event()
        ev.events = EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue
        ev.data.u64 = clinux_epoll_token(fd, registration.generation)
        epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)
    }

    /// Stops waking for `fd` but keeps its handler (which still gets `tick`): a listener
    /// pausing (an exclusive registration cannot be modified, only removed and re-added).
    func unwatch(fd: Int32) {
        epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nil)
    }

    func modify(fd: Int32, readable: Bool, writable: Bool) {
        guard let registration = handlers[fd] else { return }
        var ev = epoll_event()
        ev.events = (readable ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0) | (writable ? EPOLLOUT.rawValue : 0)
        ev.data.u64 = clinux_epoll_token(fd, registration.generation)
        epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev)
    }

    func deregister(fd: Int32) {
        handlers[fd] = nil
        epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nil)
    }

    /// The number of descriptors registered (listeners and connections).
    var registeredCount: Int { handlers.count }

    /// Calls `body` for each registered handler (loop thread).
    func forEachHandler(_ body: (EventHandler) -> Void) {
        for registration in Array(handlers.values) { body(registration.handler) }
    }

    // MARK: submitting work

    /// Runs `work` on the loop thread: inline-queued when already there, else woken.
    public func execute(_ work: @escaping @Sendable () -> Void) {
        if inLoop {
            localClosures.append(work)
            return
        }
        submitRemote { $0.closures.append(work) }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let j = UnownedJob(job)
        if inLoop {
            localJobs.append(j)
            return
        }
        submitRemote { $0.jobs.append(j) }
    }

    /// Queues work from another thread and wakes the loop if it is (about to be) asleep.
    private func submitRemote(_ add: (inout Pending) -> Void) {
        let wake = pending.withLock { p -> Bool in
            add(&p)
            let w = p.asleep
            p.asleep = false
            return w
        }
        if wake { signalWake() }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    private func signalWake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    // MARK: the loop

    func start() {
        let box = Unmanaged.passRetained(self)
        var tid = pthread_t()
        pthread_create(&tid, nil, { arg in
            let loop = Unmanaged<EventLoop>.fromOpaque(arg!).takeRetainedValue()
            loop.run()
            return nil
        }, box.toOpaque())
        // Wait until the thread has recorded its identity.
        while !threadReady.withLock({ $0 }) { sched_yield() }
    }

    /// Asks the loop to exit after its current iteration.
    func stop() {
        stopFlag.store(true, ordering: .releasing)
        signalWake()
    }

    /// Waits (briefly polling) for the loop thread to exit.
    func join() {
        if inLoop { return }
        while !exited.load(ordering: .acquiring) { usleep(1000) }
    }
    private let exited = Atomic<Bool>(false)

    private func run() {
        thread = pthread_self()
        pthread_setspecific(EventLoop.currentKey, Unmanaged.passUnretained(self).toOpaque())
        pthread_detach(pthread_self())
        threadReady.withLock { $0 = true }
        let maxEvents = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: maxEvents)
        defer { events.deallocate() }
        lastTick = Sys.now()
        while setupFailure == nil && !stopFlag.load(ordering: .acquiring) {
            runLocal()
            // Decide whether we may sleep: only with nothing queued anywhere.
            let mayBlock = pending.withLock { p -> Bool in
                if p.jobs.isEmpty && p.closures.isEmpty { p.asleep = true; return true }
                return false
            }
            let timeout: Int32 = mayBlock ? 250 : 0
            let n = epoll_wait(epfd, events, Int32(maxEvents), timeout)
            now = Sys.now()
            pending.withLock { $0.asleep = false }
            if n > 0 {
                for i in 0..<Int(n) {
                    let ev = events[i]
                    let token = ev.data.u64
                    let fd = clinux_epoll_token_fd(token)
                    if fd == wakeFD {
                        var v: UInt64 = 0
                        _ = read(wakeFD, &v, 8)
                        continue
                    }
                    // A stale event (the descriptor was closed and its number reused by a
                    // registration made earlier in this batch) is dropped: a connecting
                    // socket would read it as "connected".
                    let generation = clinux_epoll_token_generation(token)
                    guard let registration = handlers[fd], registration.generation == generation else { continue }
                    let h = registration.handler
                    let e = ev.events
                    if e & (EPOLLOUT.rawValue) != 0 { h.writable() }
                    if e & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue) != 0 {
                        // The handler may have been removed (or replaced) by writable().
                        if let again = handlers[fd], again.generation == generation { h.readable() }
                    }
                    runLocal()
                }
            }
            pending.withLock { p in
                swap(&p.jobs, &runningJobs)
                swap(&p.closures, &runningClosures)
            }
            runSwappedIn()
            if now &- lastTick >= 250_000_000 {
                lastTick = now
                for registration in Array(handlers.values) { registration.handler.tick(now: now) }
            }
        }
        thread = nil
        pthread_setspecific(EventLoop.currentKey, nil)
        exited.store(true, ordering: .releasing)
    }

    /// Runs work queued from the loop thread itself, until none is left.
    private func runLocal() {
        var rounds = 0
        while (!localJobs.isEmpty || !localClosures.isEmpty) && rounds < 1000 {
            rounds += 1
            swap(&localClosures, &runningClosures)
            swap(&localJobs, &runningJobs)
            runSwappedIn()
        }
    }

    /// Runs the closures, then the jobs, swapped into the running buffers, and empties
    /// them keeping their capacity (work they queue lands in the other buffers).
    private func runSwappedIn() {
        for c in runningClosures { c() }
        runningClosures.removeAll(keepingCapacity: true)
        for j in runningJobs { j.runSynchronously(on: asUnownedTaskExecutor()) }
        runningJobs.removeAll(keepingCapacity: true)
    }
}

/// A fixed set of event loops, handed out round-robin.
public final class EventLoopGroup: Sendable {
    /// The loops.
    public let loops: [EventLoop]
    private let counter = Atomic<Int>(0)

    /// Starts `count` loop threads (default: one per core).
    public init(count: Int = EventLoopGroup.defaultCount) {
        loops = (0..<max(1, count)).map { EventLoop(index: $0) }
        for l in loops { l.start() }
    }

    /// One loop per online core.
    public static var defaultCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// The next loop, round-robin.
    public func next() -> EventLoop {
        let i = counter.add(1, ordering: .relaxed).oldValue
        return loops[i % loops.count]
    }

    /// A process-wide group shared by servers and clients that are not given one.
    public static let shared = EventLoopGroup()
}
