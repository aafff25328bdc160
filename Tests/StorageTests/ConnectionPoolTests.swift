import Foundation
import Testing
@testable import Storage

@Suite("Connection pool")
struct ConnectionPoolTests {
    @Test func waiterGetsTheReleasedConnection() async throws {
        let only = PooledConnection(try SQLiteConnection(path: ":memory:"))
        let pool = ConnectionPool(connections: [only])
        let held = try await pool.acquire()
        #expect(held === only)
        let waiter = Task { try await pool.acquire() }
        try await Task.sleep(for: .milliseconds(50))  // let the waiter queue up (not a timing assertion)
        pool.release(held)
        let handedOver = try await waiter.value
        #expect(handedOver === only)
        pool.release(handedOver)
    }

    @Test func closeFailsWaitersAndLaterAcquires() async throws {
        let pool = ConnectionPool(connections: [PooledConnection(try SQLiteConnection(path: ":memory:"))])
        let held = try await pool.acquire()
        let waiter = Task { try await pool.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        pool.close()
        await #expect(throws: StorageError.self) { _ = try await waiter.value }
        await #expect(throws: StorageError.self) { _ = try await pool.acquire() }
        pool.release(held)
        #expect(!held.connection.isOpen)  // busy connections are closed on release after close
    }
}
