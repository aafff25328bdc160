import Foundation
import HTTPCore
import ZIP

/// A task as a ZIP archive streamed to the client: every regular file of its directory at
/// the archive's root (`task.toml`, `instruction.md`, `environment/…`, `tests/…`), sorted by
/// path, each read from disk in pieces by the ZIP writer as it is deflated. Memory stays
/// flat whatever the task's size; the response's back-pressure paces the reading.
enum TaskExporter {
    /// The response body writing the archive for the files of `files`.
    static func body(files: [(path: String, url: URL)]) -> ResponseBody {
        .stream { writer in
            let zip = ZIPWriter(output: { bytes in try await writer.write(bytes) })
            for file in files {
                let modified = (try? FileManager.default.attributesOfItem(atPath: file.url.path)[.modificationDate]) as? Date ?? Date()
                try await zip.addFile(path: file.path, modified: modified, reading: file.url)
            }
            try await zip.finish()
        }
    }

    /// `attachment; filename="task-<id>.zip"` (ids are `[A-Za-z0-9._-]`, nothing to quote).
    static func contentDisposition(id: String) -> String {
        "attachment; filename=\"task-\(id).zip\""
    }
}
