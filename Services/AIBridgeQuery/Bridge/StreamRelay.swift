import HTTPCore
import LLMWire

/// Passes a streamed (SSE) answer to the client as the upstream sends it, while reading it
/// for the record. Each upstream read's complete events go out in one write as soon as they
/// have arrived (exactly the upstream's bytes; an event cut across reads goes out once
/// complete). Where the bridge asked an OpenAI upstream for usage on the client's behalf,
/// `OpenAIUsageFilter` drops the usage-only chunk and the `"usage":null` members, so the
/// client gets the stream it asked for.
///
/// The end is held back: the stream's final event (`[DONE]`, `message_stop`) and whatever
/// follows it, and the end of the body, reach the client only after the interception has
/// been ended in the store. A client that received a whole answer therefore finds it
/// recorded, even if the service is killed a moment later.
struct StreamRelay {
    /// The API of the stream.
    let api: LLMAPI
    /// Whether to filter out the usage the bridge added (`LLMRequestBody.forwardingBytes`).
    let filtersInjectedUsage: Bool

    /// How the relay ended.
    enum Ending: Equatable {
        /// The upstream's stream ended and the client has the whole of it.
        case completed
        /// The client went away before the end.
        case clientGone
        /// The upstream failed before its stream was complete.
        case upstreamFailed
    }

    /// Relays `upstream` to `writer`, ending `interception` with what the stream held before
    /// the held-back end is written. Throws (so the server cuts the connection: the client
    /// sees an incomplete answer) when the upstream failed mid-stream, the client went away,
    /// or the store could not end the interception.
    func run(upstream: RequestBody, to writer: ResponseBodyWriter, ending interception: OpenInterception) async throws {
        var parser = SSEParser()
        var recorder = LLMStreamRecorder(api: api)
        var heldBack: [UInt8] = []
        var ending = Ending.completed
        do {
            reading: for try await chunk in upstream {
                var out: [UInt8] = []
                for frame in parser.feedFrames(chunk) {
                    guard let bytes = relayed(frame, recording: &recorder) else { continue }
                    if recorder.isComplete || !heldBack.isEmpty {
                        heldBack += bytes
                    } else {
                        out += bytes
                    }
                }
                if !out.isEmpty {
                    do { try await writer.write(out) } catch {
                        ending = .clientGone
                        break reading
                    }
                }
            }
            if ending == .completed { heldBack += parser.finishFrames() }
        } catch {
            // The upstream's body failed; after its final event that is no loss.
            if !recorder.isComplete { ending = .upstreamFailed }
        }
        try await interception.finish(recorder.summary)
        switch ending {
        case .completed:
            if !heldBack.isEmpty { try await writer.write(heldBack) }
        case .clientGone:
            throw StreamRelayError.clientGone
        case .upstreamFailed:
            throw StreamRelayError.upstreamFailed
        }
    }

    /// The bytes to send for one frame (nil: none), after reading its event for the record.
    private func relayed(_ frame: SSEFrame, recording recorder: inout LLMStreamRecorder) -> [UInt8]? {
        guard let event = frame.event else { return frame.bytes }
        // An event of another shape is passed on as it is; the record just lacks it.
        try? recorder.add(event)
        guard filtersInjectedUsage else { return frame.bytes }
        switch OpenAIUsageFilter.decide(data: Array(event.data.utf8)) {
        case .forward: return frame.bytes
        case .drop: return nil
        case .replace(let data): return Array("data: ".utf8) + data + [0x0A, 0x0A]
        }
    }
}

/// Why a relayed stream did not end normally (the server then cuts the connection).
enum StreamRelayError: Error, Sendable {
    /// The upstream failed mid-stream.
    case upstreamFailed
    /// The client went away mid-stream.
    case clientGone
}
