import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `ComputeClient` over Foundation's URLSession.
public final class URLSessionComputeClient: ComputeClient {
    private let session: URLSession

    /// - Parameter timeout: per-request timeout in seconds.
    public init(timeout: Double = 10) {
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = timeout
        c.timeoutIntervalForResource = timeout
        session = URLSession(configuration: c)
    }

    public func postJSON(_ url: String, body: [UInt8]) async throws -> Int {
        guard let u = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: u)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body)
        let session = self.session
        return try await withCheckedThrowingContinuation { (c: CheckedContinuation<Int, any Error>) in
            let task = session.dataTask(with: request) { _, response, error in
                if let error { c.resume(throwing: error); return }
                c.resume(returning: (response as? HTTPURLResponse)?.statusCode ?? 0)
            }
            task.resume()
        }
    }
}
