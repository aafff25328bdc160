#if canImport(Glibc)
import Glibc
#endif
@testable import HTTPCore
import Testing

/// How a failed system call reads in logs and error bodies.
@Suite struct SystemErrorTests {
    @Test func anErrnoIsNamedByStrerror() {
        #expect(SystemError("connect", code: ECONNREFUSED).description == "connect: Connection refused (errno \(ECONNREFUSED))")
    }

    /// getaddrinfo's EAI_* codes are not errnos: strerror would call EAI_NONAME (-2) "Unknown error -2".
    @Test func aResolverFailureIsNamedByGaiStrerror() {
        let error = SystemError("getaddrinfo(example.invalid)", code: EAI_NONAME, reason: String(cString: gai_strerror(EAI_NONAME)))
        #expect(error.description == "getaddrinfo(example.invalid): Name or service not known")
        #expect(!error.description.contains("Unknown error"))
    }
}
