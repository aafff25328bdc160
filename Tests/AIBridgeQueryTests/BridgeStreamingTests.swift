@testable import AIBridgeQuery
import Foundation
import HTTPCore
import Synchronization
import Testing
import TestSupport

/// Streams go through event by event, their end is held back until the record is durable,
/// and a client that leaves mid-stream still ends its interception.
@Suite struct BridgeStreamingTests {
    /// A `gated` upstream stream sends one event, then waits for a release before each
    /// next one: the client must have each event while the upstream still holds the next
    /// (a bridge that buffered would wait forever; the upstream gives up after two minutes
    /// and the test fails). The chat client asks for usage, so no event is filtered out.
    @Test(arguments: [chatPath, messagesPath])
    func eventsReachTheClientOneByOne(path: String) async throws {
        let bridge = try await BridgeHarness.start()
        let response = try await bridge.send(path, json: #"{"model":"gated","max_tokens":5,"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}]}"#)
        #expect(response.status.code == 200)
        var iterator = response.serverSentEvents.makeAsyncIterator()
        var received: [SSEEvent] = []
        while true {
            guard let event = try await iterator.next() else { break }
            received.append(event)
            // Before the release, the upstream has sent exactly the events received so far.
            if event.data != "[DONE]" && (path == chatPath || !event.data.contains("message_stop")) {
                try await bridge.upstream.release()
            }
        }
        #expect(received.last.map { $0.data == "[DONE]" || $0.data.contains("message_stop") } == true)
        #expect(received.count >= 5)
        #expect(await bridge.recorder.only?.1?.tokenUsages.count == 1)
        await bridge.stop()
    }

    /// The final event and the end of the body are written only after `finish` returned:
    /// when the store ends the interception, the client has not seen the end yet.
    @Test(arguments: [chatPath, messagesPath, completionsPath])
    func theEndOfAStreamWaitsForTheRecord(path: String) async throws {
        let bridge = try await BridgeHarness.start()
        let sawEnd = Flag(), endSeenBeforeRecord = Flag()
        await bridge.recorder.setFinishHook { _ in
            // Give a wrong implementation every chance to have sent the end already.
            _ = await eventually(timeout: .seconds(1), polling: .milliseconds(10)) { sawEnd.isSet }
            if sawEnd.isSet { endSeenBeforeRecord.set() }
        }
        let body = path == completionsPath ? #"{"model":"m","prompt":"p","stream":true}"#
            : #"{"model":"m","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"x"}]}"#
        let response = try await bridge.send(path, json: body)
        for try await event in response.serverSentEvents where event.data == "[DONE]" || event.data.contains("message_stop") {
            sawEnd.set()
        }
        #expect(sawEnd.isSet)
        #expect(!endSeenBeforeRecord.isSet)
        #expect(await bridge.recorder.only?.1 != nil)
        await bridge.stop()
    }

    /// The same for a whole (not streamed) answer: none of it before the record.
    @Test func aWholeAnswerWaitsForTheRecord() async throws {
        let bridge = try await BridgeHarness.start()
        let answered = Flag(), answeredBeforeRecord = Flag()
        await bridge.recorder.setFinishHook { _ in
            _ = await eventually(timeout: .seconds(1), polling: .milliseconds(10)) { answered.isSet }
            if answered.isSet { answeredBeforeRecord.set() }
        }
        let r = try await bridge.call(chatPath, json: #"{"model":"m","messages":[{"role":"user","content":"x"}]}"#)
        answered.set()
        #expect(r.status == 200)
        #expect(!answeredBeforeRecord.isSet)
        await bridge.stop()
    }

    /// A client that leaves mid-stream: the interception is ended (with what arrived).
    @Test(arguments: [chatPath, messagesPath])
    func aClientLeavingMidStreamEndsTheInterception(path: String) async throws {
        let bridge = try await BridgeHarness.start()
        do {
            let response = try await bridge.send(path, json: #"{"model":"gated","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"bye"}]}"#)
            var iterator = response.serverSentEvents.makeAsyncIterator()
            _ = try await iterator.next()
        }
        // The response is dropped: our client closes that connection.
        await bridge.client.shutdown()
        #expect(await bridge.recorder.endedCount == 0)
        // The upstream's next event meets a closed client connection.
        let ended = await eventually {
            try? await bridge.upstream.release()
            return await bridge.recorder.endedCount == 1
        }
        #expect(ended)
        let (_, outcome) = try #require(await bridge.recorder.only)
        #expect(outcome?.userPrompt?.prompt == "bye")
        await bridge.stop()
    }

    /// A store that refuses the interception: 503 in coder's envelope, nothing sent upstream.
    @Test func nothingGoesUpstreamUnrecorded() async throws {
        let bridge = try await BridgeHarness.start()
        await bridge.recorder.refuseStarts()
        let r = try await bridge.call(chatPath, json: #"{"model":"m","messages":[{"role":"user","content":"x"}]}"#)
        #expect(r.status == 503)
        #expect(jsonObject(r.text)["message"] as? String == "The call could not be recorded.")
        #expect(try await bridge.upstream.requests().isEmpty)
        await bridge.stop()
    }
}
