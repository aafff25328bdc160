import Crypto
import Foundation

/// Where personal models are kept: one `<user id's UTF-8 in lowercase hex>.umodel` file per
/// user in `directory`, replaced durably by `DurableFileWriter` (the previous model stays
/// until the new one is on disk). Blocking file I/O: call it off the cooperative pool.
public struct UserModelFiles: Sendable {
    /// The directory (`DATA_DIR/users`).
    public let directory: URL
    /// Writes the model files.
    public let writer: DurableFileWriter

    /// Model files in `directory`.
    public init(directory: URL, writer: DurableFileWriter) {
        self.directory = directory
        self.writer = writer
    }

    /// The user's model file.
    public func url(user: String) -> URL {
        directory.appendingPathComponent("\(Hex.encode(user.utf8)).umodel")
    }

    /// The user's saved model: `.missing` without a file, `.unreadable` when it cannot be
    /// read or decoded (the file is left as it is).
    public func load(user: String) -> Loaded {
        let path = url(user: user).path
        guard FileManager.default.fileExists(atPath: path) else { return .missing }
        guard let data = FileManager.default.contents(atPath: path), let model = try? UserModel(serialized: data) else {
            return .unreadable
        }
        return .loaded(model)
    }

    /// The user's model file's current version, nil when there is none.
    public func stamp(user: String) -> UserModelStamp? {
        UserModelStamp(path: url(user: user).path)
    }

    /// Takes the user's lock against other replicas saving the user's model (blocking; see
    /// `UserModelLock`).
    func lock(user: String) throws(StorageWriteError) -> UserModelLock {
        try writer.createDirectories(directory)
        return try UserModelLock(path: url(user: user).path + ".lock")
    }

    /// Saves `model` as the user's (temporary file, fsync, rename).
    public func save(_ model: UserModel, user: String) throws(StorageWriteError) {
        try writer.replace(url(user: user), with: model.serialized(), kind: "model")
    }

    /// What `load` found.
    public enum Loaded: Sendable {
        /// No model was saved for the user.
        case missing
        /// A file that could not be read or decoded.
        case unreadable
        /// The user's model.
        case loaded(UserModel)
    }
}
