/// Thrown internally when containers are used out of nesting order; never escapes `JSONWriter.encode`.
struct JSONWriterFallback: Error {}
