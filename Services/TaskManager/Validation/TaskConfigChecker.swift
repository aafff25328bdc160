import Foundation
import TOML

/// Checks a parsed task.toml against `HarborTaskSchema` as Harbor would: a value of a type
/// Harbor's model refuses, a missing required key or a malformed `[task].name` is an error;
/// an unknown key (Harbor ignores it, its lint flags it) or a deprecated one is a warning.
struct TaskConfigChecker {
    /// What Harbor would refuse.
    private(set) var errors: [String] = []
    /// What Harbor's lint would flag.
    private(set) var warnings: [String] = []

    /// Harbor's `org/name` rule for `[task].name`.
    static func isValidTaskName(_ name: String) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !name.contains("..") else { return false }
        return parts.allSatisfy { part in
            guard let first = part.utf8.first, isAlphanumeric(first) else { return false }
            return part.utf8.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
    }

    /// Checks a whole file.
    mutating func check(_ table: TOMLTable) {
        check(table, against: HarborTaskSchema.root, at: "")
        if case .table(let task)? = table["task"], case .string(let name)? = task["name"], !Self.isValidTaskName(name) {
            errors.append("task.toml: task.name must be in 'org/name' form (letters, digits, '.', '_', '-'), found '\(name)'")
        }
    }

    private mutating func check(_ table: TOMLTable, against section: TOMLSection, at prefix: String) {
        for key in table.keys {
            let path = prefix + key
            guard let field = section[key] else {
                warnings.append("task.toml: unknown key '\(path)' (Harbor ignores it)")
                continue
            }
            if let replacement = field.replacement {
                warnings.append("task.toml: '\(path)' is deprecated; use '\(prefix + replacement)'")
            }
            if let value = table[key] { check(value, as: field.type, at: path) }
        }
        for (key, field) in section.fields where field.required && table[key] == nil {
            errors.append("task.toml: \(prefix + key) is required")
        }
    }

    private mutating func check(_ value: TOMLValue, as type: TOMLFieldType, at path: String) {
        func refuse() { errors.append("task.toml: \(path) must be \(type.name), found \(Self.describe(value))") }
        switch type {
        case .string: if case .string = value {} else { refuse() }
        case .number: if !Self.isNumber(value) { refuse() }
        case .integer: if !Self.isInteger(value) { refuse() }
        case .boolean: if !Self.isBoolean(value) { refuse() }
        case .user:
            switch value {
            case .string, .integer: break
            case .float(let number) where number.rounded() == number: break
            default: refuse()
            }
        case .choice(let values): if case .string(let text) = value, values.contains(text) {} else { refuse() }
        case .strings:
            guard case .array(let items) = value else { return refuse() }
            if !items.allSatisfy({ if case .string = $0 { true } else { false } }) { refuse() }
        case .stringTable:
            guard case .table(let table) = value else { return refuse() }
            for key in table.keys { if case .string? = table[key] {} else { errors.append("task.toml: \(path).\(key) must be a string") } }
        case .anyTable: if case .table = value {} else { refuse() }
        case .numberOrNumberTable:
            if Self.isNumber(value) { return }
            guard case .table(let table) = value else { return refuse() }
            for key in table.keys where !(table[key].map(Self.isNumber) ?? false) { errors.append("task.toml: \(path).\(key) must be a number") }
        case .table(let section):
            guard case .table(let table) = value else { return refuse() }
            check(table, against: section, at: path + ".")
        case .tables(let section):
            guard case .array(let items) = value else { return refuse() }
            for (index, item) in items.enumerated() {
                guard case .table(let table) = item else { errors.append("task.toml: \(path)[\(index)] must be a table"); continue }
                check(table, against: section, at: "\(path)[\(index)].")
            }
        case .stringsOrTables(let section):
            guard case .array(let items) = value else { return refuse() }
            for (index, item) in items.enumerated() {
                switch item {
                case .string: break
                case .table(let table): check(table, against: section, at: "\(path)[\(index)].")
                default: errors.append("task.toml: \(path)[\(index)] must be a string or a table")
                }
            }
        }
    }

    /// A float as pydantic's lax mode takes it: numbers, booleans, numeric strings.
    static func isNumber(_ value: TOMLValue) -> Bool {
        switch value {
        case .integer, .float, .boolean: true
        case .string(let text): Double(text.trimmingCharacters(in: .whitespaces)) != nil
        default: false
        }
    }

    /// An integer as pydantic's lax mode takes it: integers, whole floats, booleans, integer strings.
    static func isInteger(_ value: TOMLValue) -> Bool {
        switch value {
        case .integer, .boolean: true
        case .float(let number): number.isFinite && number.rounded() == number
        case .string(let text): Int(text.trimmingCharacters(in: .whitespaces)) != nil
        default: false
        }
    }

    /// A boolean as pydantic's lax mode takes it: booleans, 0 and 1, and the usual words.
    static func isBoolean(_ value: TOMLValue) -> Bool {
        switch value {
        case .boolean: true
        case .integer(let number): number == 0 || number == 1
        case .string(let text): ["0", "1", "true", "false", "t", "f", "yes", "no", "y", "n", "on", "off"].contains(text.lowercased())
        default: false
        }
    }

    /// How a message names a value's type.
    static func describe(_ value: TOMLValue) -> String {
        switch value {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .offsetDateTime, .localDateTime: "a date-time"
        case .localDate: "a date"
        case .localTime: "a time"
        case .array: "an array"
        case .table: "a table"
        }
    }
}
