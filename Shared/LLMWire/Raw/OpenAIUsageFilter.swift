import JSON

/// What the client of a streamed OpenAI call receives when the bridge added
/// `stream_options.include_usage` on its behalf (`LLMRequestBody.forwardingBytes()`): the
/// usage-only last chunk is dropped and the `"usage": null` member the option adds to every
/// other chunk is removed, so the client sees the stream it asked for.
public enum OpenAIUsageFilter {
    /// What to do with one event's `data`.
    public enum Decision: Sendable, Equatable {
        /// Send the data as it came.
        case forward
        /// Send this data instead.
        case replace([UInt8])
        /// Send nothing: the chunk only carried the usage.
        case drop
    }

    /// The decision for one event's `data` (`[DONE]`, errors and anything that is not a
    /// chunk object are forwarded).
    public static func decide(data: [UInt8]) -> Decision {
        guard data.first == UInt8(ascii: "{"), case .object(var chunk)? = try? JSONParser().parse(data),
              let usage = chunk["usage"] else { return .forward }
        if usage.isNull {
            chunk["usage"] = nil
            return .replace(JSONValue.object(chunk).serialized)
        }
        if chunk["choices"]?.array?.isEmpty ?? true { return .drop }
        chunk["usage"] = nil
        return .replace(JSONValue.object(chunk).serialized)
    }
}
