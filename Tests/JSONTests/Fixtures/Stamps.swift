import Foundation

/// The Foundation types with a special encoding (Date, Data, URL, Decimal).
struct Stamps: Codable, Equatable {
    var date: Date
    var data: Data
    var url: URL
    var decimal: Decimal
}
