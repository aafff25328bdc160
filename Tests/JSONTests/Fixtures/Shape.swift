/// An enum with associated values (synthesised Codable: a keyed container per case).
enum Shape: Codable, Equatable {
    case circle(radius: Double)
    case rect(w: Int, h: Int)
    case labeled(String, Int)
    case none
}
