/// A fixed set of numbered slots handed out one per holder, waiting when none is free
/// (the scratch kernels that score `/code/fix` candidates).
actor SlotSemaphore {
    private var free: [Int]
    private var waiters: [CheckedContinuation<Int, Never>] = []

    /// Slots `slots`, all free.
    init(slots: [Int]) { free = slots.reversed() }

    /// A free slot, waiting for one.
    func acquire() async -> Int {
        if let slot = free.popLast() { return slot }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Gives a slot back.
    func release(_ slot: Int) {
        if waiters.isEmpty {
            free.append(slot)
        } else {
            waiters.removeFirst().resume(returning: slot)
        }
    }
}
